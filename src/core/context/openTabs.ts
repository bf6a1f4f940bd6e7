import { identifiersOf, jaccard } from './identifiers';
import { fileSignatures } from './signatures';
import type { ContextQuery, ContextSnippet, ContextSource, ProjectAccess, ProjectFile } from './types';

/** Copilot's window: about 60 lines hold a function or two, enough to show how a neighbour is used. */
export const WINDOW_LINES = 60;
/** Windows start every 10 lines: a definition is never more than 10 lines from a window's edge, at a sixth of the cost of every line. */
const WINDOW_STEP = 10;
/** Lines above the cursor (and the cursor's own) that say what the user is writing. */
const QUERY_LINES_ABOVE = 30;
/** Files looked at, most recent first: a workspace's open tabs rarely hold more that matter. */
const MAX_FILES = 20;
/** An open file's outline: about a class of thirty methods, as the imports source caps its summaries. */
const OUTLINE_MAX_CHARS = 1500;
/** A window sharing less than this with the cursor's code is noise, not context. */
const MIN_SIMILARITY = 0.05;

/** Languages whose files inform each other (a .tsx file uses .ts modules, .js uses .ts types). */
const LANGUAGE_FAMILIES: readonly (readonly string[])[] = [
  ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'],
  ['c', 'cpp', 'objective-c', 'objective-cpp', 'cuda-cpp'],
];

export function sameFamily(a: string, b: string): boolean {
  if (a === b) return true;
  return LANGUAGE_FAMILIES.some((family) => family.includes(a) && family.includes(b));
}

/** The identifiers of the code the user is writing: the cursor's line and the lines above it. */
export function cursorIdentifiers(query: ContextQuery): Set<string> {
  const first = Math.max(0, query.cursorLine - QUERY_LINES_ABOVE);
  const lines: string[] = [];
  for (let line = first; line <= query.cursorLine && line < query.lines.lineCount; line++) lines.push(query.lines.lineAt(line));
  return identifiersOf(lines.join('\n'));
}

/** Files whose per-line identifiers are remembered: the open tabs, and some room for switching between them. */
const REMEMBERED_FILES = 2 * MAX_FILES;
interface SplitFile {
  readonly text: string;
  readonly lines: readonly string[];
  readonly identifiers: readonly Set<string>[];
}
const splitCache = new Map<string, SplitFile>();

/** A file's lines and their identifier sets, remembered per path while its text stays the same: a gather re-reads only what changed. */
function split(file: ProjectFile): SplitFile {
  const cached = splitCache.get(file.path);
  if (cached && cached.text === file.text) return cached;
  const lines = file.text.split('\n');
  const entry = { text: file.text, lines, identifiers: lines.map(identifiersOf) };
  splitCache.delete(file.path);
  splitCache.set(file.path, entry);
  if (splitCache.size > REMEMBERED_FILES) splitCache.delete(splitCache.keys().next().value as string);
  return entry;
}

/** The file's window most like `wanted`, or undefined when none is alike enough. */
export function bestWindow(file: ProjectFile, wanted: ReadonlySet<string>): ContextSnippet | undefined {
  const { lines, identifiers } = split(file);
  let best: { start: number; score: number } | undefined;
  for (let start = 0; start === 0 || start + WINDOW_LINES - WINDOW_STEP < identifiers.length; start += WINDOW_STEP) {
    const window = new Set<string>();
    for (let line = start; line < Math.min(identifiers.length, start + WINDOW_LINES); line++) for (const word of identifiers[line]) window.add(word);
    const score = jaccard(window, wanted);
    if (!best || score > best.score) best = { start, score };
  }
  if (!best || best.score < MIN_SIMILARITY) return undefined;
  const endLine = Math.min(lines.length, best.start + WINDOW_LINES) - 1;
  return {
    source: 'openTabs',
    path: file.path,
    startLine: best.start,
    endLine,
    text: lines.slice(best.start, endLine + 1).join('\n'),
    score: best.score,
  };
}

/** Open tabs and recently visited files of the same language family: each one's best window. */
export const openTabsSource: ContextSource = {
  name: 'openTabs',
  candidates(query: ContextQuery, access: ProjectAccess): Promise<readonly ContextSnippet[]> {
    const wanted = cursorIdentifiers(query);
    const snippets: ContextSnippet[] = [];
    for (const file of access.recentFiles().slice(0, MAX_FILES)) {
      if (file.path === query.path || !sameFamily(file.languageId, query.languageId)) continue;
      const window = bestWindow(file, wanted);
      if (!window) continue;
      snippets.push(window);
      // The file's outline too, as relevant as its best window: similar code is often a sibling of
      // what the next line calls, not its definition, while the outline names every method.
      const outline = fileSignatures(file, { source: 'openTabs', score: window.score, maxChars: OUTLINE_MAX_CHARS });
      if (outline) snippets.push(outline);
    }
    return Promise.resolve(snippets);
  },
};
