// What of a line the context sources read as code: the line without its strings and comment, and
// the words of each language family that name no definition of the project (keywords and the most
// common builtins), looked up for nothing (definitions) and never taken for an object's name
// (receivers: `def` is no abbreviation of `Defect`).
import { LANGUAGES, type Dialect } from '../block/languages';

/** Characters of a line read for identifiers (a minified line is not worth more). */
const MAX_LINE_CHARS = 1000;

/** A line's code: strings blanked (their length kept, so columns stay), the line comment cut. */
export function codeOf(text: string, dialect: Dialect): string {
  const blanked = text.slice(0, MAX_LINE_CHARS).replace(/(["'`])(?:\\.|(?!\1).)*\1/g, (s) => ' '.repeat(s.length));
  const comment = LANGUAGES[dialect].lineComment;
  const at = comment === undefined ? -1 : blanked.indexOf(comment);
  return at < 0 ? blanked : blanked.slice(0, at);
}


function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((w) => w !== ''));
}

/** Words no definition is looked up for, per language family (languages.ts); others use COMMON. */
const COMMON: ReadonlySet<string> = words('if else for while do return break continue true false null nil new this self try catch finally throw');
const KEYWORDS: Partial<Record<Dialect, ReadonlySet<string>>> = {
  js: words(`
    abstract any as async await boolean break case catch class const constructor continue debugger declare default delete do else
    enum export extends false finally for from function get if implements import in infer instanceof interface is keyof let module
    namespace never new null number object of package private protected public readonly require return set static string super
    switch symbol this throw true try type typeof undefined unique unknown var void while with yield satisfies`),
  python: words(`
    False None True and as assert async await break class continue def del elif else except finally for from global if import in
    is lambda nonlocal not or pass raise return try while with yield self cls print len str int float bool list dict set tuple
    range isinstance super object type match case`),
  go: words(`
    break case chan const continue default defer else fallthrough for func go goto if import interface map package range return
    select struct switch type var nil true false iota bool byte complex64 complex128 error float32 float64 int int8 int16 int32
    int64 rune string uint uint8 uint16 uint32 uint64 uintptr any len cap make new append copy delete panic recover print println`),
  rust: words(`
    as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref
    return self Self static struct super trait true type unsafe use where while bool char str i8 i16 i32 i64 i128 isize u8 u16
    u32 u64 u128 usize f32 f64 Some None Ok Err Box Vec String Option Result`),
  c: words(`
    auto break case char const continue default do double else enum extern float for goto if int long register return short
    signed sizeof static struct switch typedef union unsigned void volatile while class public private protected virtual new
    delete this true false nullptr namespace using template typename bool final override try catch throw import package extends
    implements interface super null var val fun let`),
};

/** The keywords of a language family (languages.ts), or the common ones. */
export function keywordsOf(dialect: Dialect): ReadonlySet<string> {
  return KEYWORDS[dialect] ?? COMMON;
}
