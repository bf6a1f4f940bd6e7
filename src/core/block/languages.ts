/**
 * What the block scanner knows of each language family, one record per family (after Continue's
 * `AutocompleteLanguageInfo`): its comments, its strings and other literals, keyword pairs followed
 * like brackets, and whether indentation delimits its blocks. Brackets `( [ {` are common to all.
 */

/** Language families that share comment, string and bracket rules. */
export type Dialect = 'python' | 'js' | 'go' | 'rust' | 'c' | 'shell' | 'yaml' | 'hash' | 'markdown' | 'plain';

const DIALECTS: Readonly<Record<string, Dialect>> = {
  python: 'python',
  javascript: 'js',
  javascriptreact: 'js',
  typescript: 'js',
  typescriptreact: 'js',
  vue: 'js',
  svelte: 'js',
  go: 'go',
  rust: 'rust',
  c: 'c',
  cpp: 'c',
  'cuda-cpp': 'c',
  objc: 'c',
  objcpp: 'c',
  java: 'c',
  csharp: 'c',
  kotlin: 'c',
  swift: 'c',
  scala: 'c',
  dart: 'c',
  php: 'c',
  groovy: 'c',
  css: 'c',
  scss: 'c',
  less: 'c',
  jsonc: 'c',
  json: 'c',
  shellscript: 'shell',
  ruby: 'hash',
  perl: 'hash',
  r: 'hash',
  yaml: 'yaml',
  toml: 'hash',
  makefile: 'hash',
  dockerfile: 'hash',
  powershell: 'hash',
  elixir: 'hash',
  julia: 'hash',
  markdown: 'markdown',
};

export function dialectOf(languageId: string): Dialect {
  return DIALECTS[languageId] ?? 'plain';
}

/** How the text of a string is read once it is entered. */
interface StringKind {
  /** A backslash escapes the next character. */
  readonly escapes: boolean;
  /** Whether the string survives a line break (Python triple quotes, templates, raw strings). */
  readonly multiline: boolean;
  /** A JavaScript template literal: `${` opens code. */
  readonly template?: boolean;
}

/** A string entered at some point, and the text that ends it. */
export interface StringStart extends StringKind {
  readonly closeWith: string;
}

/**
 * A literal that starts at some index: the length of its opening, and the string it enters; without
 * one, the literal was read whole (a Rust char literal) or is a lone quote that opens nothing
 * (a Rust lifetime).
 */
interface Literal {
  readonly length: number;
  readonly string?: StringStart;
}

/** Reads the literal starting at `i`, if any. */
type LiteralReader = (text: string, i: number) => Literal | undefined;

/** Keyword pairs followed like brackets: shell's `if` ... `fi`. */
interface KeywordBlocks {
  /** The keywords, matched at `lastIndex`; a sticky pattern. */
  readonly pattern: RegExp;
  /** What may come just before a keyword (at the start of the text anything may). */
  readonly after: RegExp;
  /** Each closing keyword and the keyword it closes; the other keywords open. */
  readonly closerToOpener: Readonly<Record<string, string>>;
}

export interface LanguageInfo {
  readonly lineComment?: '//' | '#';
  /** A line comment starts a word (shell, YAML): `$#` and `a#b` are no comments. */
  readonly commentStartsWord?: boolean;
  /** `/* ... *\/` comments; Rust's nest. */
  readonly blockComment?: 'flat' | 'nested';
  /** Tried in order at each token of code: raw strings, here-documents, char literals, quotes. */
  readonly literals: readonly LiteralReader[];
  readonly keywordBlocks?: KeywordBlocks;
  /**
   * Indentation delimits blocks outside brackets. After a header line (`def f():`) the body is
   * deeper than the header ('deeper'); in YAML a list may sit at its key's own indentation, so the
   * first line written sets the level ('firstLine').
   */
  readonly indentBlocks?: 'deeper' | 'firstLine';
}

/** A JavaScript template literal's kind; the lexer goes back into it after a `${...}` expression. */
export const TEMPLATE_LITERAL: StringKind = { escapes: true, multiline: true, template: true };

const ONE_LINE: StringKind = { escapes: true, multiline: false };
/** Raw strings and here-documents: anything, over any number of lines, up to the delimiter. */
const RAW: StringKind = { escapes: false, multiline: true };

/** A string opened by `delimiter` and closed by the same text. */
function quote(delimiter: string, kind: StringKind): LiteralReader {
  return (text, i) => (text.startsWith(delimiter, i) ? { length: delimiter.length, string: { ...kind, closeWith: delimiter } } : undefined);
}

/** `"` and `'` strings that end with their line, shared by most families. */
const QUOTES: readonly LiteralReader[] = [quote('"', ONE_LINE), quote("'", ONE_LINE)];

function isIdentifierChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\w$]/.test(ch);
}

/** `pattern` (sticky) matched at `i`. */
function matchAt(pattern: RegExp, text: string, i: number): RegExpExecArray | null {
  pattern.lastIndex = i;
  return pattern.exec(text);
}

/** A raw string (`pattern` captures its delimiter) that does not end a name (`br"x"`, not `attr"x"`). */
function rawString(pattern: RegExp, closeWith: (delimiter: string) => string): LiteralReader {
  return (text, i) => {
    const raw = matchAt(pattern, text, i);
    if (raw === null || isIdentifierChar(text[i - 1])) return undefined;
    return { length: raw[0].length, string: { ...RAW, closeWith: closeWith(raw[1]) } };
  };
}

/** A char literal of one plain character ('a', '}'). */
const RUST_CHAR_LITERAL = /'[^\\'\n]'/y;

/**
 * Rust's quote: a one-character literal is read whole; a quote before a name is a lifetime or a
 * label ('a, 'static, 'outer:); any other quote opens a one-line string, which reads the other char
 * literals ('\n', '\u{7d}', '\'') to their closing quote, and one whose quote has not streamed yet
 * ('} so far).
 */
function rustQuote(text: string, i: number): Literal | undefined {
  if (text[i] !== "'") return undefined;
  const literal = matchAt(RUST_CHAR_LITERAL, text, i);
  if (literal !== null) return { length: 3 };
  return isIdentifierChar(text[i + 1]) ? { length: 1 } : { length: 1, string: { ...ONE_LINE, closeWith: "'" } };
}

/** A here-document's text, up to its delimiter line, is a string. */
function hereDocument(text: string, i: number): Literal | undefined {
  const heredoc = matchAt(/<<-?[ \t]*(['"]?)([A-Za-z_]\w*)\1/y, text, i);
  return heredoc === null ? undefined : { length: heredoc[0].length, string: { ...RAW, closeWith: `\n${heredoc[2]}` } };
}

const C_LIKE = { lineComment: '//', blockComment: 'flat' } as const;

export const LANGUAGES: Readonly<Record<Dialect, LanguageInfo>> = {
  python: {
    lineComment: '#',
    literals: [quote('"""', { escapes: true, multiline: true }), quote("'''", { escapes: true, multiline: true }), ...QUOTES],
    indentBlocks: 'deeper',
  },
  js: { ...C_LIKE, literals: [quote('`', TEMPLATE_LITERAL), ...QUOTES] },
  go: { ...C_LIKE, literals: [quote('`', RAW), ...QUOTES] },
  rust: {
    ...C_LIKE,
    blockComment: 'nested',
    literals: [rawString(/b?r(#*)"/y, (hashes) => `"${hashes}`), quote('"', { escapes: true, multiline: true }), rustQuote],
  },
  // A C++ raw string R"delim( ... )delim" may span lines and holds anything.
  c: { ...C_LIKE, literals: [rawString(/(?:u8|[uUL])?R"([^()\\\s]{0,16})\(/y, (delimiter) => `)${delimiter}"`), ...QUOTES] },
  shell: {
    lineComment: '#',
    commentStartsWord: true,
    literals: [hereDocument, ...QUOTES],
    keywordBlocks: { pattern: /(?:if|fi|do|done|case|esac)(?=$|[\s;&|)<>])/y, after: /[\s;&|(]/, closerToOpener: { fi: 'if', done: 'do', esac: 'case' } },
  },
  yaml: { lineComment: '#', commentStartsWord: true, literals: QUOTES, indentBlocks: 'firstLine' },
  hash: { lineComment: '#', literals: QUOTES },
  markdown: { literals: [] },
  plain: { literals: [] },
};
