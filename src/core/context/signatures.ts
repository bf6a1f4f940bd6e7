/**
 * Compact signatures of a file's declarations: doc comment and header, never the body, so a
 * snippet of another file shows a model what it can call (a class's method names and parameter
 * lists) in few characters. What each language writes is one record per language
 * (SIGNATURE_LANGUAGES, keyed by languageId); brace languages share one renderer, Python has its own.
 *
 * How a left-out body looks, chosen so the text stays code the model reads naturally and every kept
 * line is a line of the file: in brace languages the body becomes `{ … }` on its header's line (the
 * rest of the closing line, such as `;`, follows it); in Python a def keeps its docstring's first
 * paragraph as its whole body, or gets ` ...` after its colon (both valid Python). Members a cap
 * leaves out leave one `// …` (`# …`) line, so the model knows the list goes on.
 */
import type { Dialect } from '../block/languages';
import { Lexer, type LexState } from '../block/lexer';
import type { ContextSnippet, ContextSourceName, ProjectFile } from './types';

export interface SignatureOptions {
  readonly source: ContextSourceName;
  readonly score: number;
  /** Longest text; members and declarations that would pass it are left out whole. */
  readonly maxChars: number;
}

export interface FileSignatureOptions extends SignatureOptions {
  /** Only the top-level declarations of these names ('default' for a default export); all when absent. */
  readonly names?: ReadonlySet<string>;
  /** Unexported declarations count too (Go's own package, whose files see each other's). */
  readonly includePrivate?: boolean;
  /** Members and functions without their doc comments and docstrings: a base class's many methods in the room of a few. */
  readonly brief?: boolean;
  /**
   * Members (and a constructor's prototype methods) by these names come first: those the current
   * file calls on such an object stay when a big class's list is cut to the cap.
   */
  readonly first?: ReadonlySet<string>;
}

/** Files are read this far; a declaration past it is not seen (a 5 MB bundle costs no more than this). */
const MAX_SCAN_CHARS = 400_000;
/** A doc comment longer than this many lines is cut to its first paragraph. */
const LONG_DOC_LINES = 4;
/** Lines of a docstring's first paragraph kept at most. */
const MAX_DOCSTRING_LINES = 6;
/** Lines shown around a definition whose shape is not recognised. */
const AROUND = { before: 1, after: 5 };
/** Characters of one line kept in the fallback (a minified line is not worth more). */
const MAX_LINE_CHARS = 300;

type Kind = 'function' | 'value' | 'class' | 'interface' | 'type';

/**
 * How a brace language shows each kind: bodies opened at depth `elideAt` (relative to the
 * declaration) become `{ … }`; `members` at depth 1 are cut one by one by the cap. A type alias is
 * whole unless longer than `elideWhenLonger` lines.
 */
const SHAPES: Readonly<Record<Kind, { readonly elideAt?: number; readonly members?: boolean; readonly elideWhenLonger?: number }>> = {
  function: { elideAt: 0 },
  value: { elideAt: 0 },
  class: { elideAt: 1, members: true },
  // Interfaces, enums, Go structs and `const (...)` groups: all members are signatures already.
  interface: { members: true },
  type: { elideAt: 0, elideWhenLonger: 12 },
};

/** A line that starts a declaration; the pattern's named groups: name, exp (export), def (default), recv (Go receiver), group. */
interface DeclarationPattern {
  readonly pattern: RegExp;
  readonly kind: Kind;
}

interface Declaration {
  readonly name: string;
  /** Every name it declares (a Go `const (...)` group declares several). */
  readonly names: readonly string[];
  readonly kind: Kind;
  readonly exported: boolean;
  readonly isDefault: boolean;
  /** Go: the type a method is declared on. */
  readonly receiver?: string;
  /** First line shown: its doc comment or first decorator. */
  readonly start: number;
  /** The line of its keyword and name. */
  readonly line: number;
  readonly end: number;
}

/**
 * A line as shown. `depth`/`endDepth`: bracket depth at its start and end; `prefix`: a comment or
 * decorator, part of what follows; `doc`: a line of a Python docstring.
 */
interface Shown {
  readonly line: number;
  readonly text: string;
  readonly depth: number;
  readonly endDepth: number;
  readonly prefix: boolean;
  readonly doc?: boolean;
}

/** A declaration as shown: head and tail always, members as many as fit. */
interface Pieces {
  readonly head: readonly Shown[];
  readonly members: readonly (readonly Shown[])[];
  readonly tail: readonly Shown[];
}

/** A file read once: its lines, and for each line the bracket depth and whether it starts in code (not in a comment or string). */
interface Model {
  readonly language: SignatureLanguage;
  readonly lines: readonly string[];
  readonly depth: Int32Array;
  readonly code: Uint8Array;
}

interface SignatureLanguage {
  readonly dialect: Dialect;
  /** Declarations at the top level (and nested ones, for a definition site). */
  readonly declarations: readonly DeclarationPattern[];
  /** Members of a class, interface or struct (a definition site inside one). */
  readonly members: readonly DeclarationPattern[];
  readonly exported: (name: string, groups: Readonly<Record<string, string | undefined>>) => boolean;
  /** Member lines left out of a summary (private ones); a definition site shows them anyway. */
  readonly privateMember: RegExp;
  /** Doc comments sit above the declaration (JSDoc, `//` lines); Python's docstring is inside. */
  readonly docAbove: boolean;
  /** The comment line that says members were left out. */
  readonly marker: string;
  readonly blockEnd: (model: Model, line: number) => number;
  readonly render: (model: Model, declaration: Declaration, keepPrivate: boolean) => Pieces;
  /**
   * A line that starts so, at column 0, is at the top level whatever the lexer thinks: the lexer
   * does not know regular expressions, and `/\(/` would otherwise shift the depth of the rest of
   * the file. A sticky pattern.
   */
  readonly topLevel: RegExp;
  /** ES: names exported by `export { a as b }` lists, and whether the file exports nothing (a script: all counts). */
  readonly exportLists?: (model: Model) => ExportLists;
}

interface ExportLists {
  readonly all: boolean;
  readonly aliases: ReadonlyMap<string, readonly string[]>;
}

// ---------------------------------------------------------------- reading a file

/**
 * Models by file object: a gather reads each file once (one object), and several definition sites
 * in one file then lex it once. Weak, so a gather's files go when it does.
 */
const MODELS = new WeakMap<ProjectFile, Model>();

function modelOf(file: ProjectFile, language: SignatureLanguage): Model {
  let model = MODELS.get(file);
  if (model === undefined || model.language !== language) {
    model = buildModel(file, language);
    MODELS.set(file, model);
  }
  return model;
}

function buildModel(file: ProjectFile, language: SignatureLanguage): Model {
  const text = file.text.length > MAX_SCAN_CHARS ? file.text.slice(0, file.text.lastIndexOf('\n', MAX_SCAN_CHARS) + 1) : file.text;
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const depth = new Int32Array(lines.length);
  const code = new Uint8Array(lines.length);
  code[0] = 1;
  let lexer = new Lexer(language.dialect);
  let line = 0;
  let nextBreak = text.indexOf('\n');
  for (let i = 0; i < text.length; ) {
    i = lexer.advance(text, i);
    // A token may swallow a line break (a backslash before it in a string): every break passed counts.
    while (nextBreak !== -1 && nextBreak < i) {
      line++;
      language.topLevel.lastIndex = nextBreak + 1;
      if (lexer.depth > 0 && lexer.inCode && language.topLevel.test(text)) lexer = new Lexer(language.dialect);
      depth[line] = lexer.depth;
      code[line] = lexer.inCode ? 1 : 0;
      nextBreak = text.indexOf('\n', nextBreak + 1);
    }
  }
  return { language, lines, depth, code };
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** The declaration a line starts, matched with the language's patterns. */
function matchLine(language: SignatureLanguage, patterns: readonly DeclarationPattern[], text: string): Match | undefined {
  const trimmed = text.trimStart();
  for (const { pattern, kind } of patterns) {
    const groups = pattern.exec(trimmed)?.groups;
    if (groups === undefined) continue;
    const name = groups.name ?? (groups.def !== undefined ? 'default' : groups.group);
    if (name === undefined) continue;
    const receiver = groups.recv === undefined ? undefined : /(\w+)(?:\[[^\]]*\])?\s*$/.exec(groups.recv)?.[1];
    // A group (`const (`) has its names inside; the outline reads them.
    const names = groups.group === undefined ? [name] : [];
    return { name, names, kind, exported: language.exported(name, groups), isDefault: groups.def !== undefined, receiver };
  }
  return undefined;
}

type Match = Omit<Declaration, 'start' | 'line' | 'end'>;

/** A declaration from its match and lines. Built field by field: an object spread here made the outline of a big file ten times slower. */
function declare(match: Match, start: number, line: number, end: number, names = match.names, exported = match.exported): Declaration {
  return { name: match.name, names, kind: match.kind, exported, isDefault: match.isDefault, receiver: match.receiver, start, line, end };
}

/** The first line to show for a declaration: its decorators (with their arguments) and the doc comment above them. */
function docStart(model: Model, line: number): number {
  const { lines, depth } = model;
  let start = line;
  for (let l = line - 1; l >= 0 && l >= line - 30; l--) {
    if (depth[l] > depth[line]) continue;
    if (!lines[l].trimStart().startsWith('@')) break;
    start = l;
  }
  if (!model.language.docAbove || start === 0) return start;
  const above = lines[start - 1].trim();
  if (above.endsWith('*/')) {
    for (let l = start - 1; l >= 0 && l >= start - 80; l--) if (lines[l].trimStart().startsWith('/*')) return l;
    return start;
  }
  while (start > 0 && lines[start - 1].trimStart().startsWith('//')) start--;
  return start;
}

// ---------------------------------------------------------------- brace languages

/** A statement goes on to the next line (at the same depth): an operator ends this one or starts the next. */
const CONTINUED_END = /(?:[=,(|&+\-?:<.[]|=>)\s*$/;
const CONTINUING_START = /^\s*(?:[|&.?:+=](?![/*])|=>)/;

/** The last line of the statement starting at `line`: deeper lines, lines inside comments and strings, continuations. */
function braceEnd(model: Model, line: number): number {
  const { lines, depth, code } = model;
  const base = depth[line];
  let end = line;
  while (end + 1 < lines.length) {
    const next = end + 1;
    if (depth[next] > base || !code[next] || CONTINUED_END.test(lines[end]) || CONTINUING_START.test(lines[next])) end = next;
    else break;
  }
  return end;
}

/** A lexer that starts at a line of `depth` in code (the kind of bracket does not matter to depth). */
function lexerAt(dialect: Dialect, depth: number): Lexer {
  const state: LexState = { stack: Array<string>(depth).fill('{'), mode: 'code', closeWith: '', escapes: false, multiline: false, template: false, commentDepth: 0 };
  return new Lexer(dialect, state);
}

/** What comes just before a `{` that opens a type (`: {`, `<{`, `| {`), not a body. */
const TYPE_BEFORE = ':|&<,([?';

interface Elision {
  readonly at: number | undefined;
  skipping: boolean;
  /** The last code character kept. */
  last: string;
}

/** One line as shown: a body opened at depth `elision.at` becomes `{ … }`, and the lines up to its close are left out. */
function renderLine(lexer: Lexer, text: string, elision: Elision): string {
  let kept = '';
  let from = elision.skipping ? -1 : 0;
  for (let i = 0; i < text.length; ) {
    const ch = text[i];
    const inCode = lexer.inCode;
    const before = lexer.depth;
    const next = lexer.advance(text, i);
    if (elision.skipping) {
      if (lexer.depth <= elision.at!) {
        elision.skipping = false;
        from = next;
      }
    } else if (inCode && ch === '{' && before === elision.at && lexer.depth > before && !TYPE_BEFORE.includes(elision.last)) {
      kept += `${text.slice(from, next)} … }`;
      elision.skipping = true;
      from = -1;
    }
    if (inCode && !elision.skipping && ch.trim() !== '') elision.last = ch;
    i = next;
  }
  lexer.advance('\n', 0);
  return from >= 0 ? kept + text.slice(from) : kept;
}

/** Lines from..to as shown, blank ones left out; the rest of a body's closing line joins its header's line. */
function renderBraces(model: Model, from: number, to: number, elideAt: number | undefined): Shown[] {
  const lexer = lexerAt(model.language.dialect, model.depth[from]);
  const elision: Elision = { at: elideAt, skipping: false, last: '' };
  const out: Shown[] = [];
  for (let line = from; line <= to && line < model.lines.length; line++) {
    const depth = lexer.depth;
    const inComment = !lexer.inCode;
    const wasSkipping = elision.skipping;
    const text = renderLine(lexer, model.lines[line], elision).trimEnd();
    const previous = out[out.length - 1];
    if (wasSkipping && previous !== undefined) out[out.length - 1] = { ...previous, text: previous.text + text.trimStart(), endDepth: lexer.depth };
    else if (!wasSkipping && !isBlank(text)) {
      const prefix = inComment || /^\s*(?:\/\/|\/\*|@)/.test(text);
      out.push({ line, text, depth, endDepth: lexer.depth, prefix });
    }
  }
  return out;
}

/** The end of a run of comment lines starting at `i` (a `/** … *\/` block or `//` lines); `i` when none starts there. */
function commentRunEnd(shown: readonly Shown[], i: number): number {
  const first = shown[i].text.trimStart();
  if (first.startsWith('/*')) {
    let j = i;
    while (j < shown.length && !shown[j].text.includes('*/')) j++;
    return Math.min(j + 1, shown.length);
  }
  let j = i;
  while (j < shown.length && shown[j].text.trimStart().startsWith('//')) j++;
  return j;
}

/** A long doc comment's first paragraph (up to a blank comment line or a `@tag`), closed again. */
function firstParagraph(run: readonly Shown[]): Shown[] {
  if (run.length <= LONG_DOC_LINES) return [...run];
  const block = run[0].text.trimStart().startsWith('/*');
  const out = [run[0]];
  for (let i = 1; i < run.length; i++) {
    const content = run[i].text.trim().replace(/^(?:\*\/?|\/\/)/, '').trim();
    if (content === '' || content.startsWith('@') || content === '/') break;
    out.push(run[i]);
    if (run[i].text.includes('*/')) return out;
  }
  const last = out[out.length - 1];
  if (block && !last.text.includes('*/')) out.push({ ...last, text: `${' '.repeat(indentOf(run[0].text) + 1)}*/` });
  return out;
}

function trimDocs(shown: readonly Shown[]): Shown[] {
  const out: Shown[] = [];
  for (let i = 0; i < shown.length; ) {
    const end = shown[i].prefix ? commentRunEnd(shown, i) : i;
    if (end <= i) {
      out.push(shown[i++]);
      continue;
    }
    out.push(...firstParagraph(shown.slice(i, end)));
    i = end;
  }
  return out;
}

/**
 * A container's lines split into its head (doc comment, decorators, header up to its `{` at or
 * after `headerLine`), its members (each with its doc comment) and its closing line.
 */
function groupMembers(shown: readonly Shown[], headerLine: number, memberDepth: number, privateMember: RegExp | undefined): Pieces {
  let h = shown.findIndex((s) => s.line >= headerLine && s.endDepth >= memberDepth) + 1;
  if (h === 0) h = shown.length;
  let t = shown.length;
  if (t > h && shown[t - 1].endDepth < memberDepth) t--;
  const members: Shown[][] = [];
  for (let i = h; i < t; i++) {
    const startsMember = shown[i].depth === memberDepth && (i === h || !shown[i - 1].prefix);
    if (startsMember || members.length === 0) members.push([]);
    members[members.length - 1].push(shown[i]);
  }
  const isPrivate = (group: readonly Shown[]): boolean => privateMember !== undefined && privateMember.test(group.find((s) => !s.prefix)?.text.trim() ?? '');
  return { head: shown.slice(0, h), members: members.filter((g) => !isPrivate(g)), tail: shown.slice(t) };
}

function renderBraceDeclaration(model: Model, declaration: Declaration, keepPrivate: boolean): Pieces {
  const shape = SHAPES[declaration.kind];
  const long = shape.elideWhenLonger === undefined || declaration.end - declaration.line > shape.elideWhenLonger;
  const base = model.depth[declaration.line];
  const elideAt = shape.elideAt === undefined || !long ? undefined : base + shape.elideAt;
  const shown = trimDocs(renderBraces(model, declaration.start, declaration.end, elideAt));
  if (!shape.members) return { head: shown, members: [], tail: [] };
  return groupMembers(shown, declaration.line, base + 1, keepPrivate ? undefined : model.language.privateMember);
}

/** ES: `export { a, b as c }` and `export default a` lists; a file without any `export` is a script whose declarations all count. */
/** CommonJS export lines: `exports.run = run;`, `module.exports = Runner;`, `module.exports = { a, run: runAll };` (one line or several). */
function commonJsExports(model: Model, line: number, add: (local: string, exported: string) => void): void {
  let text = model.lines[line];
  const single = /^(?:module\.)?exports(?:\.([\w$]+))?\s*=\s*([\w$]+)\s*;?\s*$/.exec(text);
  if (single) add(single[2], single[1] ?? 'default');
  for (let l = line + 1; /^module\.exports\s*=\s*\{[^}]*$/.test(text) && l < Math.min(model.lines.length, line + 50); l++) text += ` ${model.lines[l]}`;
  const object = /^module\.exports\s*=\s*\{([^}]*)\}\s*;?\s*$/.exec(text)?.[1];
  for (const item of object?.split(',') ?? []) {
    const [exported, local] = item.trim().split(/\s*:\s*/);
    if (/^[\w$]+$/.test(local ?? exported)) add(local ?? exported, exported);
  }
}

function esExportLists(model: Model): ExportLists {
  const aliases = new Map<string, string[]>();
  let exports = false;
  const add = (local: string, exported: string): void => void aliases.set(local, [...(aliases.get(local) ?? []), exported]);
  for (let line = 0; line < model.lines.length; line++) {
    if (model.depth[line] !== 0 || !model.code[line] || !/^(?:module\.)?export/.test(model.lines[line])) continue;
    exports = true;
    let text = model.lines[line];
    commonJsExports(model, line, add);
    for (let l = line + 1; /^export\s+(?:type\s+)?\{[^}]*$/.test(text) && l < Math.min(model.lines.length, line + 50); l++) text += ` ${model.lines[l]}`;
    const list = /^export\s+(?:type\s+)?\{([^}]*)\}\s*;?\s*$/.exec(text)?.[1];
    for (const item of list?.split(',') ?? []) {
      const [local, exported] = item.trim().split(/\s+as\s+/);
      if (/^[\w$]+$/.test(local)) add(local, exported?.trim() || local);
    }
    const defaultName = /^export\s+default\s+([\w$]+)\s*;?\s*$/.exec(text)?.[1];
    if (defaultName !== undefined) add(defaultName, 'default');
  }
  return { all: !exports, aliases };
}

// ---------------------------------------------------------------- Python

/** The last line of a def's or class's header: where the brackets it opened are closed. */
function pythonHeaderEnd(model: Model, line: number): number {
  for (let l = line; l + 1 < model.lines.length; l++) if (model.depth[l + 1] === 0 && model.code[l + 1]) return l;
  return model.lines.length - 1;
}

/** The last line of the statement at `line` and of its block (lines deeper than it). */
function pythonEnd(model: Model, line: number): number {
  const { lines, depth, code } = model;
  const indent = indentOf(lines[line]);
  let end = pythonHeaderEnd(model, line);
  for (let l = end + 1; l < lines.length; l++) {
    const text = lines[l];
    if (!code[l] || depth[l] > 0) {
      end = l;
      continue;
    }
    if (isBlank(text) || text.trimStart().startsWith('#')) continue;
    if (indentOf(text) <= indent) break;
    end = l;
  }
  return end;
}

function plain(model: Model, line: number, prefix = false): Shown {
  return { line, text: model.lines[line].trimEnd(), depth: 0, endDepth: 0, prefix };
}

const DOCSTRING_OPEN = /^[rRuU]?("""|'''|"|')/;

/** The first paragraph of the docstring that starts the block after `from`, if it has one. */
function docstring(model: Model, from: number, to: number): Shown[] {
  let first = from;
  while (first <= to && isBlank(model.lines[first])) first++;
  const open = first <= to ? DOCSTRING_OPEN.exec(model.lines[first].trim()) : null;
  if (open === null) return [];
  const quote = open[1];
  const closing = (): Shown => ({ line: first, text: `${' '.repeat(indentOf(model.lines[first]))}${quote}`, depth: 0, endDepth: 0, prefix: false, doc: true });
  const out = [{ ...plain(model, first), doc: true }];
  if (model.lines[first].trim().slice(open[0].length).includes(quote)) return out;
  for (let l = first + 1; l <= to; l++) {
    const text = model.lines[l];
    if (isBlank(text) || out.length >= MAX_DOCSTRING_LINES) return [...out, closing()];
    out.push({ ...plain(model, l), doc: true });
    if (text.includes(quote)) return out;
  }
  return out;
}

/** Lines from..to as they are, with ` ...` after the last (an empty Python body), or on a line of its own after a comment. */
function withEllipsis(model: Model, from: number, header: number, to: number): Shown[] {
  const out = [];
  // Decorators are prefixes; a header's continuation lines are the header (a brief member keeps them).
  for (let l = from; l <= to; l++) out.push(plain(model, l, l < header));
  const last = out[out.length - 1];
  if (last.text.includes('#')) out.push({ ...last, text: `${' '.repeat(indentOf(model.lines[from]) + 4)}...` });
  else out[out.length - 1] = { ...last, text: `${last.text} ...` };
  return out;
}

/** An assignment: its line, or `name = ...` when its value goes on over more lines. */
function pythonValue(model: Model, declaration: Declaration): Shown[] {
  const text = model.lines[declaration.line];
  const equals = /[^=!<>]=(?!=)/.exec(text);
  const long = pythonHeaderEnd(model, declaration.line) > declaration.line || text.length > MAX_LINE_CHARS;
  if (!long || equals === null) return [plain(model, declaration.line)];
  return [{ ...plain(model, declaration.line), text: `${text.slice(0, equals.index + 2)} ...` }];
}

/** A def (or a nested class shown as one): decorators, header, then its docstring or ` ...`. */
function pythonFunction(model: Model, declaration: Declaration): Shown[] {
  const headerEnd = pythonHeaderEnd(model, declaration.line);
  const doc = docstring(model, headerEnd + 1, declaration.end);
  if (doc.length === 0) return withEllipsis(model, declaration.start, declaration.line, headerEnd);
  const head = [];
  for (let l = declaration.start; l <= headerEnd; l++) head.push(plain(model, l));
  return [...head, ...doc];
}

/** A class's members: its defs, nested classes and class attributes, each with its decorators. */
function pythonMembers(model: Model, from: number, to: number, keepPrivate: boolean): Shown[][] {
  const members: Shown[][] = [];
  let bodyIndent: number | undefined;
  let decorators: number | undefined;
  for (let l = from; l <= to; l++) {
    const text = model.lines[l];
    if (!model.code[l] || model.depth[l] > 0 || isBlank(text)) continue;
    bodyIndent ??= indentOf(text);
    if (indentOf(text) !== bodyIndent) continue;
    if (text.trimStart().startsWith('@')) {
      decorators ??= l;
      continue;
    }
    const match = matchLine(PYTHON, PYTHON.declarations, text);
    const start = decorators ?? l;
    decorators = undefined;
    if (match === undefined || (!keepPrivate && PYTHON.privateMember.test(text.trim()))) continue;
    const member = declare(match, start, l, pythonEnd(model, l));
    members.push(member.kind === 'value' ? pythonValue(model, member) : pythonFunction(model, member));
    l = member.end;
  }
  return members;
}

function renderPython(model: Model, declaration: Declaration, keepPrivate: boolean): Pieces {
  if (declaration.kind === 'value') return { head: pythonValue(model, declaration), members: [], tail: [] };
  if (declaration.kind !== 'class') return { head: pythonFunction(model, declaration), members: [], tail: [] };
  const headerEnd = pythonHeaderEnd(model, declaration.line);
  const doc = docstring(model, headerEnd + 1, declaration.end);
  const bodyFrom = doc.length === 0 ? headerEnd + 1 : doc[doc.length - 1].line + 1;
  const members = pythonMembers(model, bodyFrom, declaration.end, keepPrivate);
  if (doc.length === 0 && members.length === 0) return { head: withEllipsis(model, declaration.start, declaration.line, headerEnd), members: [], tail: [] };
  const head = [];
  for (let l = declaration.start; l <= headerEnd; l++) head.push(plain(model, l));
  return { head: [...head, ...doc], members, tail: [] };
}

// ---------------------------------------------------------------- the table

const ES_MODIFIERS = '(?:(?:public|private|protected|static|readonly|abstract|override|async|declare|accessor|get|set)\\s+)*';

const ES: SignatureLanguage = {
  dialect: 'js',
  declarations: [
    { pattern: /^(?<exp>export\s+)?(?<def>default\s+)?(?:declare\s+)?(?:abstract\s+)?class\b\s*(?<name>[\w$]+)?/, kind: 'class' },
    { pattern: /^(?<exp>export\s+)?(?<def>default\s+)?(?:declare\s+)?(?:async\s+)?function\b\s*\*?\s*(?<name>[\w$]+)?/, kind: 'function' },
    { pattern: /^(?<exp>export\s+)?(?:declare\s+)?interface\s+(?<name>[\w$]+)/, kind: 'interface' },
    { pattern: /^(?<exp>export\s+)?(?:declare\s+)?(?:const\s+)?enum\s+(?<name>[\w$]+)/, kind: 'interface' },
    { pattern: /^(?<exp>export\s+)?(?:declare\s+)?type\s+(?<name>[\w$]+)/, kind: 'type' },
    { pattern: /^(?<exp>export\s+)?(?:declare\s+)?(?:const|let|var)\s+(?<name>[\w$]+)/, kind: 'value' },
    // CommonJS, as Node packages still ship it: `exports.run = function (…) {`, `module.exports.run = (…) =>`.
    { pattern: /^(?:module\.)?(?<exp>exports)\.(?<name>[\w$]+)\s*=\s*(?:async\s+)?(?:function\b|class\b|\([^)]*\)\s*=>|[\w$]+\s*=>)/, kind: 'function' },
    // A constructor's methods: `Runner.prototype.run = function (fn) {` is shown under Runner (the
    // empty `exp` group: a method is as public as its constructor).
    { pattern: /^(?<recv>[\w$]+)\.prototype\.(?<name>[\w$]+)\s*=(?<exp>)\s*(?:async\s+)?function\b/, kind: 'function' },
  ],
  members: [
    { pattern: new RegExp(`^${ES_MODIFIERS}[*#]?(?<name>[\\w$]+)\\s*[?!]?\\s*[(<]`), kind: 'function' },
    { pattern: new RegExp(`^${ES_MODIFIERS}#?(?<name>[\\w$]+)\\s*[?!]?\\s*(?:[:=;]|$)`), kind: 'value' },
  ],
  exported: (_name, groups) => groups.exp !== undefined,
  topLevel: /(?:export|import)\s/y,
  privateMember: /^(?:(?:static|readonly|override|async|declare)\s+)*(?:private\b|#)/,
  docAbove: true,
  marker: '// …',
  blockEnd: braceEnd,
  render: renderBraceDeclaration,
  exportLists: esExportLists,
};

const GO: SignatureLanguage = {
  dialect: 'go',
  declarations: [
    { pattern: /^func\s*\((?<recv>[^)]*)\)\s*(?<name>\w+)/, kind: 'function' },
    { pattern: /^func\s+(?<name>\w+)/, kind: 'function' },
    { pattern: /^type\s+(?<name>\w+)(?:\[[^\]]*\])?\s+(?:struct|interface)\b/, kind: 'interface' },
    { pattern: /^type\s+(?<name>\w+)/, kind: 'type' },
    { pattern: /^(?<group>const|var|type)\s*\(/, kind: 'interface' },
    { pattern: /^(?:const|var)\s+(?<name>\w+)/, kind: 'value' },
  ],
  members: [
    { pattern: /^(?<name>[A-Za-z_]\w*)\s*\(/, kind: 'function' },
    { pattern: /^(?<name>[A-Za-z_]\w*)\b/, kind: 'value' },
  ],
  exported: (name) => /^[A-Z]/.test(name),
  topLevel: /(?:func|type|import)\s/y,
  privateMember: /^$/,
  docAbove: true,
  marker: '// …',
  blockEnd: braceEnd,
  render: renderBraceDeclaration,
};

const PYTHON: SignatureLanguage = {
  dialect: 'python',
  declarations: [
    { pattern: /^(?:async\s+)?def\s+(?<name>\w+)/, kind: 'function' },
    { pattern: /^class\s+(?<name>\w+)/, kind: 'class' },
    { pattern: /^(?<name>[A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)/, kind: 'value' },
    // A dataclass field: annotated, no value.
    { pattern: /^(?<name>[A-Za-z_]\w*)\s*:\s*[A-Za-z_][^=]*$/, kind: 'value' },
  ],
  members: [],
  exported: (name) => !name.startsWith('_'),
  topLevel: /(?:(?:async\s+)?def|class)\s/y,
  // `_x` and `__x` are private; `__init__` and the other dunders are not.
  privateMember: /^(?:(?:async\s+)?def\s+|class\s+)?_(?!_\w*__\b)\w*\s*[(:=]/,
  docAbove: false,
  marker: '# …',
  blockEnd: pythonEnd,
  render: renderPython,
};

const SIGNATURE_LANGUAGES: Readonly<Record<string, SignatureLanguage>> = {
  typescript: ES,
  typescriptreact: ES,
  javascript: ES,
  javascriptreact: ES,
  go: GO,
  python: PYTHON,
};

// ---------------------------------------------------------------- outline and output

/** A top-level line where a statement may start. */
function startsStatement(model: Model, line: number): boolean {
  return model.depth[line] === 0 && model.code[line] === 1 && indentOf(model.lines[line]) === 0 && !isBlank(model.lines[line]);
}

/** A Go `const (...)` group's names: the first word of each line inside it. */
function groupNames(model: Model, line: number, end: number): string[] {
  const names: string[] = [];
  for (let l = line + 1; l <= end; l++) {
    const name = model.depth[l] === 1 && model.code[l] ? /^\s*([A-Za-z_]\w*)/.exec(model.lines[l])?.[1] : undefined;
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** The file's top-level declarations, in order. */
function outline(model: Model): Declaration[] {
  const { language } = model;
  const out: Declaration[] = [];
  for (let line = 0; line < model.lines.length; line++) {
    if (!startsStatement(model, line)) continue;
    const match = matchLine(language, language.declarations, model.lines[line]);
    if (match === undefined) continue;
    const end = language.blockEnd(model, line);
    const names = match.names.length === 0 ? groupNames(model, line, end) : match.names;
    const exported = match.exported || (match.names.length === 0 && names.some((n) => language.exported(n, {})));
    out.push(declare(match, docStart(model, line), line, end, names, exported));
    line = end;
  }
  return out;
}

function size(lines: readonly Shown[]): number {
  return lines.reduce((sum, s) => sum + s.text.length + 1, 0);
}

/** Head and tail, then members in order while they fit in `budget`; undefined when head and tail alone do not. */
function fit(pieces: Pieces, budget: number, marker: string): Shown[] | undefined {
  let used = size(pieces.head) + size(pieces.tail);
  if (used > budget || pieces.head.length === 0) return undefined;
  const out = [...pieces.head];
  for (const member of pieces.members) {
    const cost = size(member);
    if (used + cost <= budget) {
      out.push(...member);
      used += cost;
      continue;
    }
    const first = member[0];
    const more = { ...first, text: `${' '.repeat(indentOf(first.text))}${marker}`, line: out[out.length - 1].line };
    // A container with none of its members, not even the marker, would look empty: it is left out.
    if (used + more.text.length + 1 > budget) return out.length > pieces.head.length ? [...out, ...pieces.tail] : undefined;
    out.push(more);
    break;
  }
  return [...out, ...pieces.tail];
}

/**
 * A member without its comments and docstring (decorators stay: `@property` says how it is used).
 * A Python def that loses its docstring gets the ` ...` body it would have had without one.
 */
function briefMember(member: readonly Shown[]): Shown[] {
  const kept = oneLineHeader(member.filter((s) => !s.doc && (!s.prefix || s.text.trimStart().startsWith('@'))));
  // A member that is all comment stays as it is.
  if (kept.length === 0) return [...member];
  if (!member.some((s) => s.doc)) return kept;
  const last = kept[kept.length - 1];
  if (last.text.includes('#')) return [...kept, { ...last, text: `${' '.repeat(indentOf(last.text) + 4)}...` }];
  return [...kept.slice(0, -1), { ...last, text: `${last.text} ...` }];
}

/**
 * A header written over several lines (`async def create_connection(` and eight lines of
 * parameters) on one line: a brief list of a big class then holds twice the members. Not when a
 * line has a comment, which would swallow the lines joined after it.
 */
function oneLineHeader(kept: readonly Shown[]): Shown[] {
  const start = kept.findIndex((s) => !s.prefix);
  const header = kept.slice(start);
  if (start < 0 || header.length < 2 || header.some((s) => /#|\/\/|\/\*/.test(s.text))) return [...kept];
  const text = header.slice(1).reduce((joined, s) => joinLine(joined, s.text.trim()), header[0].text.trimEnd());
  // Only lines inside the header's open brackets: not a nested class's own members.
  if (openBrackets(header[0].text) <= 0 || openBrackets(text) !== 0) return [...kept];
  return [...kept.slice(0, start), { ...header[0], text, endDepth: header[header.length - 1].endDepth }];
}

/** `line` after `joined` with a space, but none after an opener or before a closer (where a trailing comma goes too). */
function joinLine(joined: string, line: string): string {
  if (/^[)\]}]/.test(line)) return joined.replace(/,$/, '') + line;
  return /[([{]$/.test(joined) ? joined + line : `${joined} ${line}`;
}

/** Brackets opened and not closed in `text` (quotes not considered: a header rarely has brackets in its strings). */
function openBrackets(text: string): number {
  let open = 0;
  for (const ch of text) open += ch === '(' || ch === '[' || ch === '{' ? 1 : ch === ')' || ch === ']' || ch === '}' ? -1 : 0;
  return open;
}

/** The name a member or method declares: the first word of its header that is not a keyword, before `(`, `<`, `:`, `=`, `?` or `!`. */
const MEMBER_NAME = /^\s*(?:(?:async|def|function|static|public|private|protected|readonly|override|abstract|get|set|declare)\s+)*\*?(?:[\w$]+\.prototype\.)?([A-Za-z_$][\w$]*)\s*[(<:=?!]/;

function memberName(member: readonly Shown[]): string | undefined {
  const header = member.find((s) => !s.doc && !s.prefix) ?? member[0];
  return header === undefined ? undefined : MEMBER_NAME.exec(header.text)?.[1];
}

/** Those of `items` whose name is in `first`, then the others, each group in file order. */
function firstThese<T>(items: readonly T[], nameOf: (item: T) => string | undefined, first: ReadonlySet<string> | undefined): T[] {
  if (first === undefined || first.size === 0) return [...items];
  const wanted = (item: T): boolean => first.has(nameOf(item) ?? '');
  return [...items.filter(wanted), ...items.filter((item) => !wanted(item))];
}

/** A declaration without its docs: each member's, or a function's own (a class keeps its own doc, above its members). */
function briefPieces(pieces: Pieces): Pieces {
  if (pieces.members.length === 0) return { ...pieces, head: briefMember(pieces.head) };
  return { ...pieces, members: pieces.members.map(briefMember) };
}

/** Each declaration that fits, in order, within `maxChars` in all. */
function assemble(model: Model, declarations: readonly Declaration[], maxChars: number, keepPrivate: boolean, brief = false, first?: ReadonlySet<string>): Shown[] {
  const out: Shown[] = [];
  let budget = maxChars;
  for (const declaration of declarations) {
    const rendered = model.language.render(model, declaration, keepPrivate);
    const pieces = { ...rendered, members: firstThese(rendered.members, memberName, first) };
    const shown = fit(brief ? briefPieces(pieces) : pieces, budget, model.language.marker);
    if (shown === undefined) continue;
    out.push(...shown);
    budget -= size(shown);
  }
  return out;
}

/** Removes the indentation all lines share (a nested declaration shown alone). */
function dedent(lines: readonly string[]): string[] {
  const common = Math.min(...lines.filter((l) => !isBlank(l)).map((l) => l.match(/^[ \t]*/)![0].length));
  return common > 0 && Number.isFinite(common) ? lines.map((l) => l.slice(common)) : [...lines];
}

function toSnippet(path: string, shown: readonly Shown[], options: SignatureOptions): ContextSnippet | undefined {
  if (shown.length === 0) return undefined;
  const lines = shown.map((s) => s.line);
  const text = dedent(shown.map((s) => s.text)).join('\n');
  return { source: options.source, path, startLine: Math.min(...lines), endLine: Math.max(...lines), text, score: options.score, summary: true };
}

/** The declarations a summary shows: the wanted ones, each Go type followed by its methods. */
function choose(model: Model, declarations: readonly Declaration[], options: FileSignatureOptions): Declaration[] {
  const lists = model.language.exportLists?.(model);
  const { names, includePrivate } = options;
  const aliases = (d: Declaration): readonly string[] => lists?.aliases.get(d.name) ?? [];
  const visible = (d: Declaration): boolean => includePrivate === true || d.exported || lists?.all === true || aliases(d).length > 0;
  const named = (d: Declaration): boolean =>
    names === undefined || d.names.some((n) => names.has(n)) || (d.isDefault && names.has('default')) || aliases(d).some((a) => names.has(a));
  // A name the code uses by name is shown even when private (`from . import _bootstrap`, then `_bootstrap._find_spec`).
  const askedFor = (d: Declaration): boolean => names !== undefined && d.names.some((n) => names.has(n));
  const methods = new Map<string, Declaration[]>();
  for (const d of declarations) if (d.receiver !== undefined && (includePrivate || d.exported)) methods.set(d.receiver, [...(methods.get(d.receiver) ?? []), d]);
  const declared = new Set(declarations.filter((d) => d.receiver === undefined).map((d) => d.name));
  const out: Declaration[] = [];
  for (const d of declarations) {
    if (d.receiver === undefined && (visible(d) || askedFor(d)) && named(d)) out.push(d, ...(methods.get(d.name) ?? []));
    // A method of a type declared in another file of the package.
    else if (d.receiver !== undefined && !declared.has(d.receiver) && (includePrivate || d.exported) && (names === undefined || names.has(d.receiver))) out.push(d);
  }
  return out;
}

/**
 * The exported top-level declarations of a file (only `names` when given), as doc comments and
 * headers with bodies left out; classes, interfaces and Go types with their members. Undefined for
 * a language without a record, or when nothing wanted fits.
 */
export function fileSignatures(file: ProjectFile, options: FileSignatureOptions): ContextSnippet | undefined {
  const language = SIGNATURE_LANGUAGES[file.languageId];
  if (language === undefined) return undefined;
  const model = modelOf(file, language);
  const declarations = choose(model, outline(model), options);
  // A constructor's prototype methods the file calls come right after the types (one type is asked for).
  const methodsFirst = (): Declaration[] => {
    const types = declarations.filter((d) => d.receiver === undefined);
    return [...types, ...firstThese(declarations.filter((d) => d.receiver !== undefined), (d) => d.name, options.first)];
  };
  const ordered = options.first === undefined ? declarations : methodsFirst();
  return toSnippet(file.path, assemble(model, ordered, options.maxChars, options.includePrivate === true, options.brief === true, options.first), options);
}

/**
 * Names of the top-level declarations a module shows to its importers (exported, or all in a
 * script), in file order; with `includePrivate`, the unexported ones too.
 */
export function exportedNames(file: ProjectFile, includePrivate = false): readonly string[] {
  const language = SIGNATURE_LANGUAGES[file.languageId];
  if (language === undefined) return [];
  const model = modelOf(file, language);
  const cache = includePrivate ? ALL_NAMES : EXPORTED_NAMES;
  let names = cache.get(model);
  if (names === undefined) {
    const declarations = choose(model, outline(model), { source: 'imports', score: 0, maxChars: 0, includePrivate });
    names = [...new Set(declarations.filter((d) => d.receiver === undefined).flatMap((d) => d.names))];
    cache.set(model, names);
  }
  return names;
}

/** exportedNames per model: a gather may ask for one module's names once per import of it. */
const EXPORTED_NAMES = new WeakMap<Model, readonly string[]>();
const ALL_NAMES = new WeakMap<Model, readonly string[]>();

/** The container (class, interface, struct) a nested line is a member of: the nearest line above that is shallower. */
function containerOf(model: Model, line: number): Declaration | undefined {
  const { lines, depth, code, language } = model;
  const python = language.dialect === 'python';
  const inside = python ? indentOf(lines[line]) : depth[line];
  for (let l = line - 1; l >= 0; l--) {
    const level = python ? indentOf(lines[l]) : depth[l];
    if (!code[l] || isBlank(lines[l]) || level >= inside || (python && depth[l] > 0)) continue;
    // A header over several lines (`class X\n  extends Y {`) names the class on an earlier line.
    for (let k = l; k >= Math.max(0, l - 3) && (python || depth[k] === depth[l]); k--) {
      const match = matchLine(language, language.declarations, lines[k]);
      if (match !== undefined) return SHAPES[match.kind].members || match.kind === 'class' ? declare(match, docStart(model, k), k, language.blockEnd(model, k)) : undefined;
    }
    return undefined;
  }
  return undefined;
}

/** The declaration at `line` as shown: a container's head and that one member, or the declaration (a Go type with its methods). */
function shownAt(model: Model, line: number, maxChars: number): Shown[] | undefined {
  const { language, lines } = model;
  if (!model.code[line] || isBlank(lines[line])) return undefined;
  const nested = !startsStatement(model, line);
  const match = matchLine(language, language.declarations, lines[line]) ?? (nested ? matchLine(language, language.members, lines[line]) : undefined);
  if (match === undefined) return undefined;
  const container = nested ? containerOf(model, line) : undefined;
  if (container !== undefined) {
    const pieces = language.render(model, container, true);
    const members = pieces.members.filter((group) => group.some((s) => s.line === line));
    // The container's doc comment and decorators are left out: its header says where the member is.
    const head = pieces.head.filter((s) => s.line >= container.line);
    if (members.length > 0) return fit({ head, members, tail: pieces.tail }, maxChars, language.marker);
  }
  const declaration = declare(match, docStart(model, line), line, language.blockEnd(model, line));
  const methods = nested || language.dialect !== 'go' ? [] : outline(model).filter((d) => d.receiver !== undefined && d.receiver === match.name);
  const shown = assemble(model, [declaration, ...methods], maxChars, false);
  return shown.length > 0 ? shown : undefined;
}

/** A few lines around `line`, long lines cut, as many as fit. */
function linesAround(file: ProjectFile, line: number, maxChars: number): Shown[] {
  const out: Shown[] = [];
  let at = 0;
  for (let l = 0; l < line - AROUND.before && at !== -1; l++) {
    const next = file.text.indexOf('\n', at);
    at = next === -1 ? -1 : next + 1;
  }
  let used = 0;
  for (let l = Math.max(0, line - AROUND.before); l <= line + AROUND.after && at !== -1 && at < file.text.length; l++) {
    const next = file.text.indexOf('\n', at);
    const text = file.text.slice(at, next === -1 ? undefined : next).replace(/\r$/, '').slice(0, MAX_LINE_CHARS);
    at = next === -1 ? -1 : next + 1;
    if (used + text.length + 1 > maxChars) break;
    used += text.length + 1;
    out.push({ line: l, text, depth: 0, endDepth: 0, prefix: false });
  }
  return out;
}

/**
 * The signature of the declaration at `line` (where a language server points): its doc comment and
 * header; a class's member list; a member with its class's header. A few lines around `line` when
 * the language or the line's shape is not known.
 */
export function signatureAt(file: ProjectFile, line: number, options: SignatureOptions): ContextSnippet | undefined {
  const language = SIGNATURE_LANGUAGES[file.languageId];
  const model = language === undefined ? undefined : modelOf(file, language);
  const shown = model !== undefined && line < model.lines.length ? shownAt(model, line, options.maxChars) : undefined;
  return toSnippet(file.path, shown ?? linesAround(file, line, options.maxChars), options);
}
