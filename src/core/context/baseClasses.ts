/**
 * The classes that the class around the cursor extends, when other files declare them. A method
 * calls what it inherits (`self._maybe_resume_protocol()`, `this.emit(…)`), and no line near the
 * cursor names it. They are shown brief (member headers without their docs) and with private
 * members, because a subclass uses those too.
 */
import { dialectOf, type Dialect } from '../block/languages';
import { textLines, type TextLines } from '../document';
import { leadingWhitespace } from '../indentation';
import { parseImports, resolveImports, type ResolvedImport, type WorkspaceFiles } from './imports';
import { fileSignatures } from './signatures';
import type { ContextQuery, ContextSnippet } from './types';

/** A class header with its bases, per language family: group 1 the indentation, group 2 the name, group 3 the bases. */
const CLASS_HEADERS: Partial<Record<Dialect, RegExp>> = {
  python: /^([ \t]*)class\s+([A-Za-z_]\w*)\s*\(([^)]*)/,
  js: /^([ \t]*)(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([\w$]+)\s*(?:<.*?>)?\s*extends\s+([\w$.]+)/,
};

/** Bases that say nothing: every class has them. */
const UNINFORMATIVE_BASES = new Set(['object', 'Object', 'Exception', 'Error', 'Generic', 'Protocol', 'ABC']);

/** Lines above the cursor searched for its class's header: a big class's methods are far below it. */
const MAX_LINES_UP = 3000;
/** Lines of a file searched for a class declared in it. */
const MAX_LINES_SEARCHED = 20_000;
/** Classes up the chain: the base, its base, and one more (MIMEMessage → MIMENonMultipart → MIMEBase → Message). */
const MAX_DEPTH = 3;
/** The direct base's score; each class further up counts this much less. */
const BASE_SCORE = 0.9;
const DECAY_PER_LEVEL = 0.8;

export interface InheritedOptions {
  readonly maxChars: number;
}

interface ClassHeader {
  readonly name: string;
  readonly bases: readonly string[];
}

function indentOf(text: string): number {
  return leadingWhitespace(text).length;
}

function headerOf(pattern: RegExp, text: string): (ClassHeader & { indent: number }) | undefined {
  const match = pattern.exec(text);
  if (match === null) return undefined;
  // Keyword arguments (`metaclass=ABCMeta`) and generic arguments are not bases.
  const bases = match[3]
    .split(',')
    .map((b) => b.trim())
    .filter((b) => /^[\w$.]+$/.test(b) && !UNINFORMATIVE_BASES.has(b));
  return { name: match[2], bases, indent: match[1].length };
}

/** The class whose body holds the cursor: the nearest header above that is less indented than every line between. */
export function enclosingClass(lines: TextLines, cursorLine: number, languageId: string): ClassHeader | undefined {
  const pattern = CLASS_HEADERS[dialectOf(languageId)];
  if (pattern === undefined || cursorLine >= lines.lineCount) return undefined;
  const current = lines.lineAt(cursorLine);
  let indent = current.length === 0 ? Infinity : indentOf(current);
  for (let line = cursorLine - 1; line >= Math.max(0, cursorLine - MAX_LINES_UP) && indent > 0; line--) {
    const text = lines.lineAt(line);
    if (text.trim() === '' || indentOf(text) >= indent) continue;
    const header = headerOf(pattern, text);
    if (header !== undefined) return header;
    indent = indentOf(text);
  }
  return undefined;
}

/** A class declared in a file, found by its header. */
function declaredClass(lines: TextLines, name: string, languageId: string): ClassHeader | undefined {
  const pattern = CLASS_HEADERS[dialectOf(languageId)];
  if (pattern === undefined) return undefined;
  for (let line = 0; line < Math.min(lines.lineCount, MAX_LINES_SEARCHED); line++) {
    const text = lines.lineAt(line);
    if (!text.includes(name)) continue;
    const header = headerOf(pattern, text);
    if (header?.name === name) return header;
  }
  return undefined;
}

/** Where a base named in a file comes from: `mod.Base` through a qualified import, `Base` through a named one. */
function sourceOf(base: string, imports: readonly ResolvedImport[]): { path: string; name: string } | undefined {
  const dot = base.lastIndexOf('.');
  if (dot > 0) {
    const qualifier = base.slice(0, dot);
    const found = imports.find((i) => i.qualifier === qualifier && i.paths.length > 0);
    return found === undefined ? undefined : { path: found.paths[0], name: base.slice(dot + 1) };
  }
  for (const statement of imports) {
    const binding = statement.bindings.find((b) => b.local === base);
    if (binding !== undefined && statement.paths.length > 0) return { path: statement.paths[0], name: binding.imported };
  }
  return undefined;
}

interface Walk {
  readonly files: WorkspaceFiles;
  readonly options: InheritedOptions;
  readonly seen: Set<string>;
  readonly out: ContextSnippet[];
}

/** The bases of one class (named in `path`, whose imports are `imports`), shown, then their own bases. */
async function climb(
  walk: Walk,
  header: ClassHeader,
  at: { path: string; languageId: string; lines: TextLines; imports: readonly ResolvedImport[] },
  depth: number,
): Promise<void> {
  if (depth >= MAX_DEPTH) return;
  for (const base of header.bases) {
    const from = sourceOf(base, at.imports);
    // A base of the same file: the prompt shows it already (the current file) or it is walked through.
    if (from === undefined) {
      const local = base.includes('.') ? undefined : declaredClass(at.lines, base, at.languageId);
      if (local !== undefined && !walk.seen.has(`${at.path}:${base}`)) {
        walk.seen.add(`${at.path}:${base}`);
        await climb(walk, local, at, depth);
      }
      continue;
    }
    const key = `${from.path}:${from.name}`;
    if (walk.seen.has(key)) continue;
    walk.seen.add(key);
    const file = await walk.files.read(from.path);
    if (file === undefined) continue;
    const score = BASE_SCORE * DECAY_PER_LEVEL ** depth;
    const names = new Set([from.name]);
    const snippet = fileSignatures(file, { source: 'imports', score, maxChars: walk.options.maxChars, names, includePrivate: true, brief: true });
    if (snippet === undefined) continue;
    walk.out.push(snippet);
    const lines = textLines(file.text);
    const next = declaredClass(lines, from.name, file.languageId);
    if (next === undefined || next.bases.length === 0) continue;
    const imports = await resolveImports(file.path, file.languageId, parseImports(file.languageId, lines), walk.files);
    await climb(walk, next, { path: file.path, languageId: file.languageId, lines, imports }, depth + 1);
  }
}

/** The signatures of the classes the cursor's class inherits from other files, nearest first. */
export async function inheritedSnippets(
  query: ContextQuery,
  imports: readonly ResolvedImport[],
  files: WorkspaceFiles,
  options: InheritedOptions,
): Promise<ContextSnippet[]> {
  const header = enclosingClass(query.lines, query.cursorLine, query.languageId);
  if (header === undefined || header.bases.length === 0) return [];
  const walk: Walk = { files, options, seen: new Set([`${query.path}:${header.name}`]), out: [] };
  await climb(walk, header, { path: query.path, languageId: query.languageId, lines: query.lines, imports }, 0);
  return walk.out;
}
