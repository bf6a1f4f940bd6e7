/**
 * Two sources of signatures from other files: where the identifiers near the cursor are defined
 * (the language server says), and what the current file imports. Both show signatures, not files
 * (see signatures.ts), never throw, and return what they have when the gather's time runs out.
 */
import { dialectOf } from '../block/languages';
import { codeOf, keywordsOf } from './code';
import { textLines } from '../document';
import { parseImports, readsImports, resolveImports, WorkspaceFiles, type ImportBinding, type ResolvedImport } from './imports';
import { inheritedSnippets } from './baseClasses';
import { receiverSnippets } from './receivers';
import { nameAffinity, subwordsOf } from './identifiers';
import { exportedNames, fileSignatures, signatureAt } from './signatures';
import type { ContextQuery, ContextSnippet, ContextSource, DefinitionSite, ProjectAccess, ProjectFile } from './types';

/** Lines above the cursor's whose identifiers are looked up. */
const LINES_ABOVE = 10;
/** Identifiers looked up at most: each is a language-server request. */
const MAX_IDENTIFIERS = 12;
/** Characters of one snippet at most (the prompt's whole budget is a few thousand). */
const SNIPPET_MAX_CHARS = 1500;
/** A definition's score per line between the cursor and the identifier: 1 on the cursor's line. */
const DECAY_PER_LINE = 0.85;
/** Lines around the cursor where the use of an imported name raises its file's score. */
const USAGE_WINDOW = { above: 40, below: 10 };
/** Imported files read at most, the most relevant first. */
const MAX_IMPORTED_FILES = 20;
/** Re-exports followed: an index, and a barrel it re-exports; deeper chains are rare and each level reads up to MAX_IMPORTED_FILES files. */
const MAX_REEXPORT_DEPTH = 2;
/**
 * Scores of imported files: used near the cursor (from `usedFloor` up to 1, decaying with distance),
 * imported but not used there; a file of Go's own package that declares names used near the
 * cursor, and one that declares none (shown whole).
 */
const IMPORT_SCORES = { usedFloor: 0.5, decayPerLine: 0.92, unused: 0.3, samePackage: 0.4, samePackageUnused: 0.1 };
/**
 * Names not used near the cursor yet, ranked by how much of them the nearby code speaks of
 * (nameAffinity): an unused import or a qualified module's export gains up to this much over
 * `unused`, so it stays below any name in use (usedFloor).
 */
const AFFINITY_BONUS = 0.2;
/** Lines above the cursor whose words an unused name is compared with: the statement and its neighbours. */
const AFFINITY_LINES = 20;
/**
 * Characters of a related export's snippet (see relatedExports): its signature and the start of its
 * members, so several such names fit where one whole class would.
 */
const RELATED_MAX_CHARS = 600;
/** A qualified module this small is shown whole (see smallModule): a quarter of the default budget. */
const SMALL_MODULE = { maxChars: 2000, maxExports: 40 };
/** Exports of a qualified module (`errors.`, `ResponsesAPI.`) offered beside the ones in use, the most alike first. */
const RELATED_EXPORTS = 6;

export interface Identifier {
  readonly name: string;
  readonly line: number;
  readonly character: number;
  /** Lines above the cursor's. */
  readonly distance: number;
}

/** Identifiers on the cursor's line and the lines above, nearest first (on a line, from its end), without keywords or repeats. */
export function identifiersNear(query: ContextQuery, limit = MAX_IDENTIFIERS): Identifier[] {
  const dialect = dialectOf(query.languageId);
  const keywords = keywordsOf(dialect);
  const seen = new Set<string>();
  const out: Identifier[] = [];
  const last = Math.min(query.cursorLine, query.lines.lineCount - 1);
  for (let line = last; line >= Math.max(0, query.cursorLine - LINES_ABOVE) && out.length < limit; line--) {
    const found = [...codeOf(query.lines.lineAt(line), dialect).matchAll(/[A-Za-z_$][\w$]*/g)].reverse();
    for (const match of found) {
      const name = match[0];
      // One letter is a loop variable or a receiver: local, and a request wasted.
      if (name.length < 2 || keywords.has(name) || seen.has(name)) continue;
      seen.add(name);
      out.push({ name, line, character: match.index ?? 0, distance: query.cursorLine - line });
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** Resolves when `work` settles or `signal` aborts, whichever comes first (never rejects). */
async function until(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  let stop = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    stop = resolve;
    signal.addEventListener('abort', stop, { once: true });
  });
  await Promise.race([work.catch(() => undefined), aborted]);
  signal.removeEventListener('abort', stop);
}

/** One identifier's definitions, each shown as its signature, into `found` (by path and line, best score kept). */
async function lookUp(
  query: ContextQuery,
  identifier: Identifier,
  definitions: (query: ContextQuery, line: number, character: number) => Promise<readonly DefinitionSite[]>,
  files: WorkspaceFiles,
  found: Map<string, ContextSnippet>,
  signal: AbortSignal,
): Promise<void> {
  const sites = await definitions(query, identifier.line, identifier.character);
  const score = DECAY_PER_LINE ** identifier.distance;
  for (const site of sites) {
    // Sites in the current file are in the prompt already (or are the identifier's own declaration).
    if (signal.aborted || site.path === query.path) continue;
    const key = `${site.path}:${site.line}`;
    const known = found.get(key);
    if (known !== undefined) {
      if (known.score < score) found.set(key, { ...known, score });
      continue;
    }
    const file = await files.read(site.path);
    if (file === undefined || signal.aborted) continue;
    const snippet = signatureAt(file, site.line, { source: 'definitions', score, maxChars: SNIPPET_MAX_CHARS });
    if (snippet !== undefined && !found.has(key)) found.set(key, snippet);
  }
}

/** Snippets with the same text (two sites in one declaration) once, at the best score. */
function distinct(snippets: Iterable<ContextSnippet>): ContextSnippet[] {
  const byText = new Map<string, ContextSnippet>();
  for (const snippet of snippets) {
    const key = `${snippet.path}\n${snippet.text}`;
    const known = byText.get(key);
    if (known === undefined || known.score < snippet.score) byText.set(key, snippet);
  }
  return [...byText.values()];
}

/** Where the identifiers near the cursor are defined, in other files, as signatures. */
export const definitionsSource: ContextSource = {
  name: 'definitions',
  async candidates(query: ContextQuery, access: ProjectAccess, signal: AbortSignal): Promise<readonly ContextSnippet[]> {
    const found = new Map<string, ContextSnippet>();
    try {
      const definitions = access.definitions?.bind(access);
      if (definitions === undefined || signal.aborted) return [];
      const files = new WorkspaceFiles(access);
      const lookups = identifiersNear(query).map((identifier) => lookUp(query, identifier, definitions, files, found, signal).catch(() => undefined));
      await until(Promise.all(lookups), signal);
    } catch {
      // What was found before the failure still counts.
    }
    return distinct(found.values());
  },
};

// ---------------------------------------------------------------- imports

/** Where each identifier is used in the lines around the cursor: its nearest distance in lines. */
interface Usage {
  readonly words: Map<string, number>;
  readonly lines: { readonly text: string; readonly distance: number }[];
  /** The sub-words (subwordsOf) of the identifiers on the AFFINITY_LINES above the cursor. */
  readonly nearWords: Set<string>;
}

function usageNear(query: ContextQuery): Usage {
  const dialect = dialectOf(query.languageId);
  const found = new Map<string, number>();
  const nearWords = new Set<string>();
  const keywords = keywordsOf(dialect);
  const lines = [];
  const from = Math.max(0, query.cursorLine - USAGE_WINDOW.above);
  const to = Math.min(query.lines.lineCount - 1, query.cursorLine + USAGE_WINDOW.below);
  for (let line = from; line <= to; line++) {
    const text = codeOf(query.lines.lineAt(line), dialect);
    const distance = Math.abs(query.cursorLine - line);
    lines.push({ text, distance });
    const near = line <= query.cursorLine && distance <= AFFINITY_LINES;
    for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
      found.set(match[0], Math.min(found.get(match[0]) ?? Infinity, distance));
      if (near && !keywords.has(match[0])) for (const word of subwordsOf(match[0])) nearWords.add(word);
    }
  }
  return { words: found, lines, nearWords };
}

/** The names used as `qualifier.Name` near the cursor, each at its nearest distance. */
function qualifiedUses(qualifier: string, lines: readonly { readonly text: string; readonly distance: number }[]): Map<string, number> {
  const pattern = new RegExp(`(?<![\\w$.])${qualifier.replace(/[.$]/g, '\\$&')}\\.([A-Za-z_$][\\w$]*)`, 'g');
  const uses = new Map<string, number>();
  for (const { text, distance } of lines) for (const match of text.matchAll(pattern)) uses.set(match[1], Math.min(uses.get(match[1]) ?? Infinity, distance));
  return uses;
}

/** What to show of one imported file: which names (all when undefined) and how relevant it is. */
interface Wanted {
  names: Set<string> | undefined;
  score: number;
  includePrivate: boolean;
  /** Each named import's own score, by its use near the cursor: each gets its own snippet (see importedSnippets). */
  perName?: Map<string, number>;
  /** A qualified module: its exports most like these words (Usage.nearWords) are offered too (see relatedExports). */
  related?: ReadonlySet<string>;
  /** Names imported one by one: the name each has in the current file, and how the code near the cursor uses it (see namespaces). */
  locals?: Map<string, string>;
  usage?: Usage;
}

function scoreAt(distance: number | undefined, unused: number): number {
  return distance === undefined ? unused : IMPORT_SCORES.usedFloor + (1 - IMPORT_SCORES.usedFloor) * IMPORT_SCORES.decayPerLine ** distance;
}

function nearest(distances: Iterable<number | undefined>): number | undefined {
  let best: number | undefined;
  for (const d of distances) if (d !== undefined && (best === undefined || d < best)) best = d;
  return best;
}

/**
 * One import's names and score: named bindings by their use; a qualified module by its
 * `qualifier.Name` uses (all its exports when none are near); Go's own package by the names near.
 */
function wantedOf(resolved: ResolvedImport, usage: Usage): Wanted {
  if (resolved.samePackage) {
    return { names: new Set(usage.words.keys()), score: IMPORT_SCORES.samePackage, includePrivate: true };
  }
  if (resolved.bindings.length > 0) {
    const distance = nearest(resolved.bindings.map((b) => usage.words.get(b.local)));
    const unused = (b: ImportBinding): number => IMPORT_SCORES.unused + AFFINITY_BONUS * nameAffinity(b.local, usage.nearWords);
    const perName = new Map(resolved.bindings.map((b) => [b.imported, scoreAt(usage.words.get(b.local), unused(b))]));
    const locals = new Map(resolved.bindings.map((b) => [b.imported, b.local]));
    return { names: new Set(perName.keys()), score: scoreAt(distance, IMPORT_SCORES.unused), includePrivate: false, perName, locals, usage };
  }
  const uses = resolved.qualifier === undefined ? new Map<string, number>() : qualifiedUses(resolved.qualifier, usage.lines);
  const names = uses.size > 0 ? new Set(uses.keys()) : undefined;
  const perName = uses.size > 0 ? new Map([...uses].map(([name, distance]) => [name, scoreAt(distance, IMPORT_SCORES.unused)])) : undefined;
  const related = resolved.qualifier === undefined ? undefined : usage.nearWords;
  return { names, score: scoreAt(nearest(uses.values()), IMPORT_SCORES.unused), includePrivate: false, perName, related };
}

/** Imports of one file merged: the union of their names (all wins), the best score. */
function merge(into: Wanted | undefined, wanted: Wanted): Wanted {
  if (into === undefined) return { ...wanted, names: wanted.names === undefined ? undefined : new Set(wanted.names) };
  if (into.names !== undefined) {
    if (wanted.names === undefined) into.names = undefined;
    else for (const name of wanted.names) into.names.add(name);
  }
  into.score = Math.max(into.score, wanted.score);
  into.includePrivate ||= wanted.includePrivate;
  into.related ??= wanted.related;
  into.usage ??= wanted.usage;
  if (wanted.locals !== undefined) into.locals = new Map([...(into.locals ?? []), ...wanted.locals]);
  if (into.names === undefined || into.perName === undefined || wanted.perName === undefined) into.perName = undefined;
  else for (const [name, score] of wanted.perName) into.perName.set(name, Math.max(score, into.perName.get(name) ?? 0));
  return into;
}

/**
 * One imported file's signatures. Names imported one by one get a snippet each, scored by their own
 * use: the budget then takes the names the code uses first and the small ones before a whole class,
 * instead of all of one file or none. In Go's own package, all of a file when none of its names is
 * near (at a lower score).
 */
async function importedSnippets(path: string, wanted: Wanted, files: WorkspaceFiles, depth = 0): Promise<ContextSnippet[]> {
  const file = await files.read(path);
  if (file === undefined) return [];
  const small = smallModule(file, wanted);
  if (small !== undefined) return [small];
  const options = { source: 'imports' as const, score: wanted.score, maxChars: SNIPPET_MAX_CHARS, names: wanted.names, includePrivate: wanted.includePrivate };
  if (wanted.perName !== undefined && wanted.perName.size > 0) {
    const found: ContextSnippet[] = [];
    const missing = new Map<string, number>();
    for (const [name, score] of wanted.perName) {
      const snippet = fileSignatures(file, { ...options, names: new Set([name]), score });
      if (snippet === undefined) missing.set(name, score);
      else found.push(snippet);
    }
    found.push(...relatedExports(file, wanted));
    return missing.size === 0 || depth >= MAX_REEXPORT_DEPTH ? found : [...found, ...(await reexported(file, missing, wanted, files, depth))];
  }
  const related = relatedExports(file, wanted);
  if (related.length > 0) return related;
  const snippet = fileSignatures(file, options);
  if (snippet !== undefined || !wanted.includePrivate) return snippet === undefined ? [] : [snippet];
  const whole = fileSignatures(file, { ...options, names: undefined, score: IMPORT_SCORES.samePackageUnused });
  return whole === undefined ? [] : [whole];
}

/**
 * A qualified module whose every export fits in SMALL_MODULE.maxChars is shown whole, at the score of
 * its best-used name: the next line may name any of them (`coreTokens.reporter` in a list of
 * tokens), and one snippet costs less than several labelled ones. When the docs make it too long,
 * it is shown brief (headers only). A Python module's private names count too: a package's modules
 * call each other's (`format_helpers._format_callback_source`, `base_tasks._task_get_stack`).
 */
function smallModule(file: ProjectFile, wanted: Wanted): ContextSnippet | undefined {
  if (wanted.related === undefined) return undefined;
  const includePrivate = file.languageId === 'python';
  const names = exportedNames(file, includePrivate);
  if (names.length === 0 || names.length > SMALL_MODULE.maxExports) return undefined;
  for (const brief of [false, true]) {
    const whole = fileSignatures(file, { source: 'imports', score: wanted.score, maxChars: SMALL_MODULE.maxChars, includePrivate, brief });
    // A declaration that did not fit is left out: then the module is not small.
    if (whole !== undefined && names.every((name) => whole.text.includes(name))) return whole;
  }
  return undefined;
}

/**
 * A qualified module's exports the code near the cursor does not use yet but speaks of: the
 * RELATED_EXPORTS most alike by nameAffinity, each its own small snippet. The next line often
 * names a sibling of what is in view (`errors.CharsetError` below `errors.HeaderParseError`).
 */
function relatedExports(file: ProjectFile, wanted: Wanted): ContextSnippet[] {
  const near = wanted.related;
  if (near === undefined) return [];
  const ranked = exportedNames(file)
    .filter((name) => wanted.names === undefined || !wanted.names.has(name))
    .map((name) => ({ name, affinity: nameAffinity(name, near) }))
    // A name the nearby code does not speak of at all is a guess: the budget has better uses.
    .filter((candidate) => candidate.affinity > 0)
    .sort((a, b) => b.affinity - a.affinity)
    .slice(0, RELATED_EXPORTS);
  const snippets: ContextSnippet[] = [];
  for (const { name, affinity } of ranked) {
    const score = IMPORT_SCORES.unused + AFFINITY_BONUS * affinity;
    const snippet = fileSignatures(file, { source: 'imports', score, maxChars: RELATED_MAX_CHARS, names: new Set([name]) });
    if (snippet !== undefined) snippets.push(snippet);
  }
  return snippets;
}

/**
 * Names an imported file does not declare come from the files it imports in turn: an index that
 * re-exports (`export * from './client'`, `export { X } from`, `from .x import X`). Looked up by
 * name, so following every import of that file shows nothing it does not declare.
 */
async function reexported(file: ProjectFile, missing: Map<string, number>, wanted: Wanted, files: WorkspaceFiles, depth: number): Promise<ContextSnippet[]> {
  const statements = parseImports(file.languageId, textLines(file.text));
  const resolved = await resolveImports(file.path, file.languageId, statements, files);
  const spaces = namespaces(resolved, missing, wanted);
  const byName = new Map([...missing].filter(([name]) => !spaces.some((space) => space.name === name)));
  const next: Wanted = { names: new Set(byName.keys()), score: wanted.score, includePrivate: wanted.includePrivate, perName: byName };
  const paths = byName.size === 0 ? [] : [...new Set(resolved.flatMap((r) => r.paths))].filter((path) => path !== file.path).slice(0, MAX_IMPORTED_FILES);
  const found = await Promise.all([
    ...paths.map((path) => importedSnippets(path, next, files, depth + 1).catch(() => [])),
    ...spaces.map((space) => importedSnippets(space.path, space.wanted, files, depth + 1).catch(() => [])),
  ]);
  return found.flat();
}

/**
 * A name the index re-exports as a whole module (`export * as coreTokens from './core-tokens'`,
 * imported as `import { coreTokens } from './di'`) is used as `coreTokens.Name`: that module is
 * read as a qualified import under the name the current file gives it (smallModule, relatedExports).
 */
function namespaces(resolved: readonly ResolvedImport[], missing: ReadonlyMap<string, number>, wanted: Wanted): { name: string; path: string; wanted: Wanted }[] {
  const usage = wanted.usage;
  if (usage === undefined) return [];
  const out: { name: string; path: string; wanted: Wanted }[] = [];
  for (const r of resolved) {
    const name = r.qualifier;
    if (name === undefined || !missing.has(name) || r.paths.length === 0 || r.bindings.length > 0) continue;
    const local = wanted.locals?.get(name) ?? name;
    out.push({ name, path: r.paths[0], wanted: wantedOf({ ...r, qualifier: local }, usage) });
  }
  return out;
}

/** The files the current document imports, as the signatures of what it imports from them. */
export const importsSource: ContextSource = {
  name: 'imports',
  async candidates(query: ContextQuery, access: ProjectAccess, signal: AbortSignal): Promise<readonly ContextSnippet[]> {
    const out: ContextSnippet[] = [];
    const bases: ContextSnippet[] = [];
    try {
      if (!readsImports(query.languageId) || signal.aborted) return [];
      const files = new WorkspaceFiles(access);
      let resolved: ResolvedImport[] = [];
      await until(
        resolveImports(query.path, query.languageId, parseImports(query.languageId, query.lines), files).then((r) => void (resolved = r)),
        signal,
      );
      const usage = usageNear(query);
      const byPath = new Map<string, Wanted>();
      for (const r of resolved) for (const path of r.paths) byPath.set(path, merge(byPath.get(path), wantedOf(r, usage)));
      const chosen = [...byPath].sort((a, b) => b[1].score - a[1].score).slice(0, MAX_IMPORTED_FILES);
      const reads = chosen.map(([path, wanted]) =>
        importedSnippets(path, wanted, files)
          .then((snippets) => void (!signal.aborted && out.push(...snippets)))
          .catch(() => undefined),
      );
      const inherited = inheritedSnippets(query, resolved, files, { maxChars: SNIPPET_MAX_CHARS })
        .then((snippets) => void (!signal.aborted && bases.push(...snippets)))
        .catch(() => undefined);
      const guessed = receiverSnippets(query, resolved, files, { maxChars: SNIPPET_MAX_CHARS })
        .then((snippets) => void (!signal.aborted && bases.push(...snippets)))
        .catch(() => undefined);
      reads.push(inherited, guessed);
      await until(Promise.all(reads), signal);
    } catch {
      // What was found before the failure still counts.
    }
    return withBases(out, bases);
  },
};

/**
 * A base class (or a receiver's class) shown brief replaces the snippet of that class shown for its use near the cursor
 * (`isinstance(x, message.Message)` in a subclass of it): the brief one lists more of its members,
 * and two summaries of one class overlap, so the selection would keep only one. It takes the
 * better score of the two.
 */
function withBases(snippets: readonly ContextSnippet[], bases: readonly ContextSnippet[]): ContextSnippet[] {
  const covers = (base: ContextSnippet, snippet: ContextSnippet): boolean =>
    snippet.path === base.path && snippet.startLine >= base.startLine && snippet.startLine <= base.endLine;
  const rest = snippets.filter((snippet) => !bases.some((base) => covers(base, snippet)));
  // A class both inherited and guessed for a receiver (receivers.ts) is one snippet.
  const unique = new Map<string, ContextSnippet>();
  for (const base of bases) {
    const key = `${base.path}:${base.startLine}`;
    if ((unique.get(key)?.score ?? -1) < base.score) unique.set(key, base);
  }
  const raised = [...unique.values()].map((base) => ({ ...base, score: Math.max(base.score, ...snippets.filter((s) => covers(base, s)).map((s) => s.score)) }));
  return [...rest, ...raised];
}
