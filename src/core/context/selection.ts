import type { ContextSnippet, ContextSourceName } from './types';

/**
 * How much one unit of score is worth per source when they compete for the budget. A definition of
 * something used at the cursor is what the model cannot guess; an import's signatures are the same
 * kind of fact, less targeted; an edit says what the user is working on; a similar window is the
 * weakest evidence (Jaccard scores also run lower: 0.1–0.4 is typical).
 */
const SOURCE_WEIGHTS: Readonly<Record<ContextSourceName, number>> = {
  definitions: 1,
  imports: 0.8,
  recentEdits: 0.6,
  openTabs: 0.5,
};

/**
 * A new set replaces the one in the prompt only when it is this much better: every change of the
 * set costs a miss of the implicit cache (the context sits early in the prompt), so small
 * reshuffles while the user types in one place must not count.
 */
export const HYSTERESIS = 1.3;

/** What goes in the prompt, in the order it goes there. */
export interface ContextSelection {
  readonly snippets: readonly ContextSnippet[];
  readonly chars: number;
}

export const EMPTY_SELECTION: ContextSelection = { snippets: [], chars: 0 };

/** Characters a snippet takes in the prompt, with its label (see renderContext in prompt.ts). */
export function snippetCost(snippet: ContextSnippet): number {
  return snippet.text.length + snippet.path.length + 40;
}

function weighted(snippet: ContextSnippet): number {
  return snippet.score * SOURCE_WEIGHTS[snippet.source];
}

/**
 * Two snippets of the same kind that cover the same lines of a file show the same thing. A summary
 * and a window may share a range and still show different lines (a class's member list, a hunk in
 * one of its methods): both may go.
 */
function overlaps(a: ContextSnippet, b: ContextSnippet): boolean {
  const sameKind = (a.summary === true) === (b.summary === true);
  return sameKind && a.path === b.path && a.startLine <= b.endLine && b.startLine <= a.endLine;
}

/** Best first, then each that fits the budget and shows lines no snippet taken shows already. */
function pick(candidates: readonly ContextSnippet[], budget: number): ContextSnippet[] {
  // At equal worth the smaller first: more of the budget is left for the rest.
  const ranked = [...candidates].sort((a, b) => weighted(b) - weighted(a) || snippetCost(a) - snippetCost(b) || order(a, b));
  const taken: ContextSnippet[] = [];
  let left = budget;
  for (const snippet of ranked) {
    const cost = snippetCost(snippet);
    if (cost > left || taken.some((other) => overlaps(other, snippet))) continue;
    taken.push(snippet);
    left -= cost;
  }
  return taken;
}

/** The prompt's order: by path, then line: stable whatever the scores (see HYSTERESIS). */
function order(a: ContextSnippet, b: ContextSnippet): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine || a.endLine - b.endLine;
}

/** Two snippets are the same when they show the same text from the same place; the score is not part of it. */
export const snippetIdentity = (snippet: ContextSnippet): string => `${snippet.path}\n${snippet.startLine}\n${snippet.text}`;

/**
 * The snippets to send within `budget` characters. The previous selection stays while each of its
 * snippets is still a candidate with the same text and the new pick is not HYSTERESIS times better.
 */
export function selectContext(
  candidates: readonly ContextSnippet[],
  budget: number,
  previous: ContextSelection = EMPTY_SELECTION,
): ContextSelection {
  const picked = pick(candidates, budget);
  const current = new Map(candidates.map((snippet) => [snippetIdentity(snippet), snippet]));
  const kept = previous.snippets.map((snippet) => current.get(snippetIdentity(snippet)));
  const previousStillValid = previous.snippets.length > 0 && previous.chars <= budget && kept.every((snippet) => snippet !== undefined);
  if (previousStillValid) {
    const total = (snippets: readonly ContextSnippet[]) => snippets.reduce((sum, snippet) => sum + weighted(snippet), 0);
    if (total(picked) <= total(kept as ContextSnippet[]) * HYSTERESIS) return previous;
  }
  const snippets = picked.sort(order);
  // The same set again (or still nothing) is the previous selection: nothing changed, nothing to log.
  const same = snippets.length === previous.snippets.length && snippets.every((snippet, i) => snippetIdentity(snippet) === snippetIdentity(previous.snippets[i]));
  if (same) return previous;
  return { snippets, chars: snippets.reduce((sum, snippet) => sum + snippetCost(snippet), 0) };
}
