import { textLines, type TextLines } from '../document';
import { snippetIdentity, type ContextSelection } from './selection';
import type { ContextQuery, ContextSnippet, ContextSourceName, ProjectAccess } from './types';

/**
 * A snippet in the prompt that its source no longer proposes (the cursor moved on, a window slid)
 * stays a candidate at this share of its score while its file is unchanged. Without it every small
 * move of the cursor would swap the set and miss the implicit cache; with it, the set changes once
 * something else is clearly better: 1 / 0.9 × HYSTERESIS ≈ 1.45 times its score.
 */
export const CARRY_DECAY = 0.9;

/** What a document's prompt carries, and each snippet's file text as it was then. */
export interface ShownContext {
  readonly selection: ContextSelection;
  /** Path → the file's text when the snippet was chosen (the current document is not kept: it changes at every key). */
  readonly texts: ReadonlyMap<string, string>;
}

export const NOTHING_SHOWN: ShownContext = { selection: { snippets: [], chars: 0 }, texts: new Map() };

function sameLines(lines: TextLines, snippet: ContextSnippet): boolean {
  const wanted = snippet.text.split('\n');
  if (snippet.endLine - snippet.startLine + 1 !== wanted.length || snippet.endLine >= lines.lineCount) return false;
  return wanted.every((text, i) => lines.lineAt(snippet.startLine + i) === text);
}

/** Still true of the file: its whole text is unchanged, or (a window, a hunk) its own lines are. */
async function stillTrue(snippet: ContextSnippet, shown: ShownContext, query: ContextQuery, access: ProjectAccess): Promise<boolean> {
  if (snippet.path === query.path) return sameLines(query.lines, snippet);
  const file = await access.readFile(snippet.path);
  if (!file) return false;
  return file.text === shown.texts.get(snippet.path) || sameLines(textLines(file.text), snippet);
}

/** The shown snippets the fresh candidates lack that are still true and whose source is on, at CARRY_DECAY of their score. */
export async function carriedOver(
  shown: ShownContext,
  fresh: readonly ContextSnippet[],
  enabled: ReadonlySet<ContextSourceName>,
  query: ContextQuery,
  access: ProjectAccess,
): Promise<ContextSnippet[]> {
  const proposed = new Set(fresh.map(snippetIdentity));
  const carried: ContextSnippet[] = [];
  for (const snippet of shown.selection.snippets) {
    if (proposed.has(snippetIdentity(snippet)) || !enabled.has(snippet.source)) continue;
    if (await stillTrue(snippet, shown, query, access)) carried.push({ ...snippet, score: snippet.score * CARRY_DECAY });
  }
  return carried;
}

/** A new selection with its files' texts as they are now; the previous record when the selection stayed. */
export async function remember(selection: ContextSelection, previous: ShownContext, query: ContextQuery, access: ProjectAccess): Promise<ShownContext> {
  if (selection === previous.selection) return previous;
  const texts = new Map<string, string>();
  for (const path of new Set(selection.snippets.map((snippet) => snippet.path))) {
    if (path === query.path) continue;
    const text = (await access.readFile(path))?.text;
    if (text !== undefined) texts.set(path, text);
  }
  return { selection, texts };
}
