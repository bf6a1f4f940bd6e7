/**
 * The classes of the objects the code near the cursor calls methods on, guessed without a language
 * server. `loop.`, `self._loop.` and `msg.` are most likely instances of the project's classes
 * whose names say the same (`AbstractEventLoop`, `Message`), and `x` of the class the file
 * constructs or annotates it with (`x = Foo(…)`, `x: Foo`). The next line often calls a method of
 * such an object that no line near the cursor names yet; the class's member list shows it. Where a
 * language server answers, the definitions source gives the real type; this covers the rest.
 */
import { dialectOf, type Dialect } from '../block/languages';
import type { TextLines } from '../document';
import { dirname, type ResolvedImport, type WorkspaceFiles } from './imports';
import { subwordsOf } from './identifiers';
import { codeOf, keywordsOf } from './code';
import { fileSignatures } from './signatures';
import type { ContextQuery, ContextSnippet, ProjectFile } from './types';

/** Lines above the cursor whose receivers count: the statement being written and its neighbours. */
const RECEIVER_LINES = 20;
/** Lines up to the class's header searched for the attributes it sets and the calls it makes: the base-classes source looks as far (baseClasses.ts). */
const MAX_CLASS_LINES = 3000;
/** How far above the cursor an attribute the class sets counts: as far as the receivers are looked for. */
const ATTRIBUTE_DISTANCE = 20;
/** Lines below the cursor whose calls count as the file's use of an object (about the rest of a class or of a long function). */
const CALLS_BELOW_LINES = 300;
/** Lines above the cursor searched for `x = Foo(…)` or `x: Foo`: the method's own lines and its parameters (those the imports source reads anyway). */
const EVIDENCE_LINES = 40;
/** Files of the current file's folder read for classes, besides the imported ones (a package's modules). */
const MAX_SIBLINGS = 40;
/** Classes shown at most: each is a member list of up to `maxChars`. */
const MAX_CLASSES = 6;
/**
 * Scores: a class guessed from a receiver's name ranks from just above an imported name the code
 * near the cursor does not use (0.3, see IMPORT_SCORES in definitions.ts) to 0.8 for a whole-name
 * match (`feedparser` → FeedParser), as high as an imported name in use a few lines up; the class
 * the file constructs or annotates the receiver with, as high. A name seen only bare gains half.
 * Each line between the receiver and the cursor costs a little, as for imported names. Measured
 * (bench:context at 8,000 characters): 0.35 / 0.45 gave 78.6% where 0.3 / 0.25 gave 77.9%.
 */
const SCORES = { floor: 0.35, byName: 0.45, byEvidence: 0.45, decayPerLine: 0.95 };
/** A receiver word this short abbreviates too many words (`id`, `fn`). */
const MIN_ABBREVIATION = 3;

/** Class-like declarations per language family: group 1 the name, group 2 what it extends (may be absent). */
const CLASS_PATTERNS: Partial<Record<Dialect, readonly RegExp[]>> = {
  python: [/^[ \t]*class[ \t]+([A-Za-z_]\w*)[ \t]*(?:\(([^)]*)\))?/gm],
  js: [
    /^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?class[ \t]+([A-Za-z_$][\w$]*)(?:[ \t]*<[^>\n]*>)?(?:[ \t]+extends[ \t]+([\w$.]+))?/gm,
    /^[ \t]*(?:export[ \t]+)?(?:declare[ \t]+)?interface[ \t]+([A-Za-z_$][\w$]*)(?:[ \t]*<[^>\n]*>)?(?:[ \t]+extends[ \t]+([^{\n]+))?/gm,
    // A constructor function whose methods are set on its prototype (`Runner.prototype.run = …`).
    /^(?:export[ \t]+)?function[ \t]+([A-Z][\w$]*)[ \t]*\(()/gm,
  ],
  go: [/^type[ \t]+([A-Za-z_]\w*)[ \t]+(?:struct|interface)\b()/gm],
};

/**
 * Receivers that name no object of the project: the object itself (the class around the cursor and
 * its bases cover it, baseClasses.ts) and the runtime's own modules and globals.
 */
const NOT_RECEIVERS = new Set(['self', 'this', 'cls', 'super', 'os', 'sys', 'console', 'Math', 'JSON', 'Object', 'Array', 'Promise', 'window', 'document']);

/** A class declared in a workspace file, and the names it extends. */
export interface DeclaredClass {
  readonly name: string;
  readonly path: string;
  readonly bases: readonly string[];
  /** Declared in a file the current one imports (rather than a file of its folder). */
  readonly imported: boolean;
}

const CLASSES = new WeakMap<ProjectFile, readonly { name: string; bases: string[] }[]>();

/** The classes a file declares, read once per file version (the access hands out one object per version). */
export function classesIn(file: ProjectFile): readonly { name: string; bases: string[] }[] {
  let found = CLASSES.get(file);
  if (found === undefined) {
    const declared: { name: string; bases: string[] }[] = [];
    for (const pattern of CLASS_PATTERNS[dialectOf(file.languageId)] ?? []) {
      for (const match of file.text.matchAll(pattern)) {
        const bases = (match[2] ?? '').split(',').map((b) => b.trim().split('.').pop()!.replace(/<.*$/, '').trim()).filter((b) => /^[\w$]+$/.test(b));
        declared.push({ name: match[1], bases });
      }
    }
    found = declared;
    CLASSES.set(file, found);
  }
  return found;
}

/** Whether `short` abbreviates `word`: the same first letter and its letters in order (`msg` → message, `fut` → future). */
export function abbreviates(short: string, word: string): boolean {
  if (short === word) return true;
  if (short.length < MIN_ABBREVIATION || short.length >= word.length || short[0] !== word[0]) return false;
  let at = 0;
  for (const letter of word) if (letter === short[at]) at++;
  return at === short.length;
}

/**
 * How well a receiver's name names a class (0 to 1): its whole name (`feedparser` → FeedParser) is
 * 1; otherwise its last word must name the class's last word, the noun (`_complete_fut` → Future,
 * `loop` → AbstractEventLoop), and the more of the class's words it names the better, so the
 * general class (`Message`) wins over a special one (`MIMEMessage`). Without `abbreviations`, a
 * word names only the same word: a name merely seen near the cursor (a parameter, a word of a
 * docstring) is weaker evidence than a receiver, and `the` must not name a Thread.
 */
export function nameMatch(receiver: string, className: string, abbreviations = true): number {
  const flat = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  if (flat(receiver) === flat(className)) return 1;
  const names = abbreviations ? abbreviates : (a: string, b: string): boolean => a === b;
  const words = subwordsOf(receiver);
  const classWords = subwordsOf(className);
  if (words.length === 0 || classWords.length === 0 || !names(words[words.length - 1], classWords[classWords.length - 1])) return 0;
  const named = classWords.filter((c) => words.some((w) => names(w, c))).length;
  return 0.9 * (named / classWords.length);
}

/**
 * A name that may hold an object: how far above the cursor, and whether it is surely code that
 * holds an object: seen as a receiver (`x.`) or assigned (`x = …`, `for x in`, `const x`), not a
 * word that may be prose (a docstring's line reads as code).
 */
export interface Receiver {
  readonly distance: number;
  readonly strong: boolean;
}

/** Where a line assigns a name: `x = …`, `x: T = …`, `for x in`, `const x`/`let x`/`var x`. */
const ASSIGNED = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=(?![=>])|\bfor\s+\(?\s*(?:const\s+|let\s+|var\s+)?([A-Za-z_$][\w$]*)\s+(?:in|of)\b/;

/**
 * The names on the lines above the cursor that may hold an object whose method the next line calls,
 * each at its nearest: receivers of member accesses (`x` in `x.f(`, `_loop` in `self._loop.f(`),
 * and any other name of the code there (`fut = …` or a parameter `msg` is often first used as a
 * receiver on the next line). Not attributes (`.f`), the object itself, keywords or modules.
 */
export function receiversNear(lines: TextLines, cursorLine: number, languageId: string, modules: ReadonlySet<string>): Map<string, Receiver> {
  const found = new Map<string, Receiver>();
  const dialect = dialectOf(languageId);
  const keywords = keywordsOf(dialect);
  const last = Math.min(cursorLine, lines.lineCount - 1);
  for (let line = last; line >= Math.max(0, cursorLine - RECEIVER_LINES); line--) {
    const distance = cursorLine - line;
    const code = codeOf(lines.lineAt(line), dialect);
    const assigned = ASSIGNED.exec(code);
    for (const match of code.matchAll(/(?<![\w$.])(?:(?:self|this)\.)?([A-Za-z_$][\w$]*)(\s*\??\.(?=\s*[A-Za-z_$]))?/g)) {
      const name = match[1];
      const strong = match[2] !== undefined || name === assigned?.[1] || name === assigned?.[2];
      if (NOT_RECEIVERS.has(name) || keywords.has(name) || modules.has(name)) continue;
      const known = found.get(name);
      if (known === undefined || (strong && !known.strong)) found.set(name, { distance, strong });
    }
  }
  return found;
}

/** What the code above the cursor says of its objects (scanAbove). */
export interface Above {
  /** The attributes the class around the cursor sets on itself. */
  readonly attributes: Set<string>;
  /** The methods called on each receiver: `x.f(` → x: {f}. */
  readonly calls: Map<string, Set<string>>;
}

/**
 * Reads the code above the cursor up to the class's (or function's) first line: the attributes the
 * class sets on itself (`self._loop = …`, `this.client = …`, a TypeScript field or parameter
 * property `private readonly client: Client`), since a method calls them (`self._loop.call_soon(…)`)
 * far below the constructor that names them; and the methods called on each receiver, which a big
 * class's cut member list keeps first. Stops at the first unindented line past RECEIVER_LINES, so
 * a huge flat file costs nothing.
 */
export function scanAbove(lines: TextLines, cursorLine: number, languageId: string): Above {
  const dialect = dialectOf(languageId);
  const attributes = new Set<string>();
  const calls = new Map<string, Set<string>>();
  for (let line = Math.min(cursorLine, lines.lineCount) - 1; line >= Math.max(0, cursorLine - MAX_CLASS_LINES); line--) {
    const text = lines.lineAt(line);
    if (text.trim() === '') continue;
    if (!/^\s/.test(text) && cursorLine - line > RECEIVER_LINES) break;
    for (const match of text.matchAll(/(?<![\w$.])(?:self|this)\.([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=(?![=>])/g)) attributes.add(match[1]);
    // TypeScript's fields and parameter properties: `private readonly client: Client,`.
    const field = /^\s*(?:(?:private|protected|public|readonly|static)\s+)+([A-Za-z_$][\w$]*)\s*[?!]?\s*:/.exec(text);
    if (field !== null) attributes.add(field[1]);
    addCalls(calls, codeOf(text, dialect));
  }
  // The code below the cursor calls the same objects' methods (another method of the class, the
  // rest of the function): the next line is as likely to call one of them as one called above.
  for (let line = cursorLine + 1; line < Math.min(lines.lineCount, cursorLine + CALLS_BELOW_LINES); line++) addCalls(calls, codeOf(lines.lineAt(line), dialect));
  return { attributes, calls };
}

/** Records each `x.f(` (`self.x.f(`, `this.x?.f(`) of `code` as f called on x. */
function addCalls(calls: Map<string, Set<string>>, code: string): void {
  for (const match of code.matchAll(/(?<![\w$.])(?:(?:self|this)\.)?([A-Za-z_$][\w$]*)\s*\??\.\s*([A-Za-z_$][\w$]*)\s*\(/g)) {
    const called = calls.get(match[1]) ?? new Set<string>();
    calls.set(match[1], called.add(match[2]));
  }
}

/**
 * The class the file constructs or annotates each name with, nearest above the cursor: `x = Foo(`,
 * `self.x = mod.Foo(`, `x = new Foo<T>(`, `x: Foo`, `x: Optional[Foo]`. One pass over the lines
 * the imports source reads anyway (USAGE_WINDOW), so a huge document costs no more.
 */
export function evidenceNear(lines: TextLines, cursorLine: number): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /(?<![\w$])([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:new\s+|await\s+)?(?:[\w$]+\.)*([A-Z][\w$]*)\s*[(<]/g,
    /(?<![\w$])([A-Za-z_$][\w$]*)\??\s*:\s*(?:Optional\[|Readonly<)?(?:[\w$]+\.)*([A-Z][\w$]*)/g,
  ];
  for (let line = Math.min(cursorLine, lines.lineCount - 1); line >= Math.max(0, cursorLine - EVIDENCE_LINES); line--) {
    const text = lines.lineAt(line).slice(0, 1000);
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) if (!found.has(match[1])) found.set(match[1], match[2]);
  }
  return found;
}

/** The classes the current file can see: those of the files it imports, then those of its folder's files of the same language. */
async function visibleClasses(query: ContextQuery, imports: readonly ResolvedImport[], files: WorkspaceFiles): Promise<DeclaredClass[]> {
  const importedPaths = new Set(imports.flatMap((i) => i.paths));
  const extension = /\.[^./]+$/.exec(query.path)?.[0];
  const siblings = extension === undefined ? [] : (await files.list(dirname(query.path))).filter((p) => p.endsWith(extension) && !importedPaths.has(p));
  const paths = [...importedPaths, ...siblings.slice(0, MAX_SIBLINGS)].filter((p) => p !== query.path);
  const read = await Promise.all(paths.map((path) => files.read(path)));
  const out: DeclaredClass[] = [];
  read.forEach((file) => {
    if (file !== undefined) for (const c of classesIn(file)) out.push({ ...c, path: file.path, imported: importedPaths.has(file.path) });
  });
  return out;
}

interface Guess {
  readonly declared: DeclaredClass;
  readonly score: number;
  /** The methods the file calls on the receivers guessed to be of this class. */
  readonly calls?: ReadonlySet<string>;
}

/** The best class for one receiver: the one the file says, else the best-named public one; ties go to the root of a family, the class others extend, then an imported one. */
function guess(receiver: string, seen: Receiver, evidence: string | undefined, classes: readonly DeclaredClass[], extended: ReadonlyMap<string, number>): Guess | undefined {
  const decay = SCORES.decayPerLine ** seen.distance;
  const said = evidence === undefined ? undefined : classes.find((c) => c.name === evidence);
  if (said !== undefined) return { declared: said, score: (SCORES.floor + SCORES.byEvidence) * decay };
  const matches = classes.map((declared) => ({ declared, match: nameMatch(receiver, declared.name, seen.strong) })).filter((m) => m.match > 0);
  const named = new Set(matches.map((m) => m.declared.name));
  let best: { declared: DeclaredClass; match: number; rank: number } | undefined;
  for (const { declared, match } of matches) {
    // A private class (`_RunningLoop`) is a module's helper, rarely the object handed around; of a
    // family, the root (AbstractEventLoop, not BaseEventLoop that extends it) lists the whole API
    // in the fewest lines.
    const root = declared.bases.some((base) => named.has(base)) ? 0 : 1;
    const rank = (declared.name.startsWith('_') ? 0 : 1000) + match * 100 + root * 20 + Math.min(extended.get(declared.name) ?? 0, 9) * 2 + (declared.imported ? 1 : 0);
    if (best === undefined || rank > best.rank) best = { declared, match, rank };
  }
  const weight = seen.strong ? SCORES.byName : SCORES.byName / 2;
  return best === undefined ? undefined : { declared: best.declared, score: (SCORES.floor + weight * best.match) * decay };
}

/** How many classes extend each name (the general class of a family is extended most). */
function extendedCounts(classes: readonly DeclaredClass[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of classes) for (const base of c.bases) counts.set(base, (counts.get(base) ?? 0) + 1);
  return counts;
}

/** Member lists of the classes the receivers near the cursor most likely are, best first. */
export async function receiverSnippets(
  query: ContextQuery,
  imports: readonly ResolvedImport[],
  files: WorkspaceFiles,
  options: { readonly maxChars: number },
): Promise<ContextSnippet[]> {
  if (CLASS_PATTERNS[dialectOf(query.languageId)] === undefined) return [];
  const modules = new Set(imports.flatMap((i) => (i.qualifier === undefined ? [] : [i.qualifier.split('.')[0]])));
  const receivers = receiversNear(query.lines, query.cursorLine, query.languageId, modules);
  const above = scanAbove(query.lines, query.cursorLine, query.languageId);
  for (const attribute of above.attributes) {
    if (!receivers.has(attribute)) receivers.set(attribute, { distance: ATTRIBUTE_DISTANCE, strong: false });
  }
  if (receivers.size === 0) return [];
  const classes = await visibleClasses(query, imports, files);
  const extended = extendedCounts(classes);
  const evidence = evidenceNear(query.lines, query.cursorLine);
  const guesses = new Map<string, Guess>();
  for (const [receiver, seen] of receivers) {
    const found = guess(receiver, seen, evidence.get(receiver), classes, extended);
    if (found === undefined) continue;
    const key = `${found.declared.path}:${found.declared.name}`;
    const known = guesses.get(key);
    const calls = new Set([...(known?.calls ?? []), ...(above.calls.get(receiver) ?? [])]);
    guesses.set(key, { ...(known !== undefined && known.score >= found.score ? known : found), calls });
  }
  const best = [...guesses.values()].sort((a, b) => b.score - a.score).slice(0, MAX_CLASSES);
  const out: ContextSnippet[] = [];
  for (const { declared, score, calls } of best) {
    const file = await files.read(declared.path);
    // Public members only: another object's private ones are rarely called, and a big class's
    // private helpers (`_make_socket_transport`, …) would fill the snippet before `call_soon`.
    const snippet = file && fileSignatures(file, { source: 'imports', score, maxChars: options.maxChars, names: new Set([declared.name]), brief: true, first: calls });
    if (snippet) out.push(snippet);
  }
  return out;
}
