import * as assert from 'node:assert/strict';
import { EMPTY_SELECTION, HYSTERESIS, selectContext, snippetCost } from '../../../src/core/context/selection';
import type { ContextSnippet, ContextSourceName } from '../../../src/core/context/types';

function snippet(path: string, startLine: number, score: number, source: ContextSourceName = 'definitions', length = 100): ContextSnippet {
  // Definitions and imports are signature summaries; windows and hunks are the file's own lines.
  const summary = source === 'definitions' || source === 'imports' ? { summary: true as const } : {};
  return { source, path, startLine, endLine: startLine + 4, text: 'x'.repeat(length), score, ...summary };
}

const paths = (selection: { snippets: readonly ContextSnippet[] }) => selection.snippets.map((s) => `${s.path}:${s.startLine}`);

describe('context: selection within the budget', () => {
  it('takes the best snippets that fit, then orders them by path and line, not by score', () => {
    const candidates = [snippet('b.ts', 0, 0.9), snippet('a.ts', 50, 0.8), snippet('a.ts', 10, 0.7), snippet('c.ts', 0, 0.1)];
    const budget = snippetCost(candidates[0]) * 3;
    const selection = selectContext(candidates, budget);
    assert.deepEqual(paths(selection), ['a.ts:10', 'a.ts:50', 'b.ts:0']);
    assert.equal(selection.chars, budget);
  });

  it('a snippet too big for what is left is skipped, and a smaller one after it still fits', () => {
    const selection = selectContext([snippet('a.ts', 0, 0.9, 'definitions', 500), snippet('big.ts', 0, 0.8, 'definitions', 5000), snippet('c.ts', 0, 0.1, 'definitions', 500)], 1200);
    assert.deepEqual(paths(selection), ['a.ts:0', 'c.ts:0']);
  });

  it('never sends the same lines twice: an overlapping snippet of the same kind and file is dropped', () => {
    const windows = selectContext([snippet('a.ts', 0, 0.9, 'openTabs'), snippet('a.ts', 3, 0.5, 'recentEdits'), snippet('a.ts', 5, 0.4, 'openTabs')], 10000);
    assert.deepEqual(paths(windows), ['a.ts:0', 'a.ts:5']);
    const summaries = selectContext([snippet('a.ts', 0, 0.9, 'definitions'), snippet('a.ts', 3, 0.8, 'imports'), snippet('b.ts', 3, 0.8, 'imports')], 10000);
    assert.deepEqual(paths(summaries), ['a.ts:0', 'b.ts:3']);
  });

  it('a summary and a window of the same lines both go: a member list and a hunk in one method show different lines', () => {
    const selection = selectContext([snippet('a.ts', 0, 0.9, 'definitions'), snippet('a.ts', 2, 0.8, 'recentEdits')], 10000);
    assert.deepEqual(paths(selection), ['a.ts:0', 'a.ts:2']);
  });

  it('weighs sources: a definition beats a window of an open tab of the same score', () => {
    // Room for one snippet of any path used here, not two.
    const budget = snippetCost(snippet('longest.ts', 0, 1));
    assert.deepEqual(paths(selectContext([snippet('tab.ts', 0, 0.6, 'openTabs'), snippet('def.ts', 0, 0.6, 'definitions')], budget)), ['def.ts:0']);
    assert.deepEqual(paths(selectContext([snippet('tab.ts', 0, 0.6, 'openTabs'), snippet('imp.ts', 0, 0.6, 'imports')], budget)), ['imp.ts:0']);
    assert.deepEqual(paths(selectContext([snippet('tab.ts', 0, 0.6, 'openTabs'), snippet('edit.ts', 0, 0.6, 'recentEdits')], budget)), ['edit.ts:0']);
    assert.deepEqual(paths(selectContext([snippet('edit.ts', 0, 0.6, 'recentEdits'), snippet('imp.ts', 0, 0.6, 'imports')], budget)), ['imp.ts:0']);
  });

  it('the same set again is the previous selection itself (nothing to log, nothing changed)', () => {
    const previous = selectContext([snippet('a.ts', 0, 0.9)], 10000);
    assert.equal(selectContext([snippet('a.ts', 0, 0.2)], 10000, previous), previous);
    assert.equal(selectContext([], 10000, EMPTY_SELECTION), EMPTY_SELECTION);
  });

  it('nothing fits a zero budget', () => {
    assert.deepEqual(selectContext([snippet('a.ts', 0, 1)], 0).snippets, []);
  });

  describe('hysteresis: the set in the prompt changes only when it changes materially', () => {
    const budget = () => snippetCost(snippet('longest.ts', 0, 1));

    it('keeps the previous snippet while a new one is not HYSTERESIS times better', () => {
      const previous = selectContext([snippet('old.ts', 0, 0.5)], budget());
      const slightlyBetter = selectContext([snippet('old.ts', 0, 0.5), snippet('new.ts', 0, 0.5 * HYSTERESIS)], budget(), previous);
      assert.equal(slightlyBetter, previous);
      const muchBetter = selectContext([snippet('old.ts', 0, 0.5), snippet('new.ts', 0, 0.5 * HYSTERESIS + 0.01)], budget(), previous);
      assert.deepEqual(paths(muchBetter), ['new.ts:0']);
    });

    it('drops the previous set once one of its snippets is gone or its text changed', () => {
      const previous = selectContext([snippet('old.ts', 0, 0.9)], budget());
      assert.deepEqual(paths(selectContext([snippet('new.ts', 0, 0.1)], budget(), previous)), ['new.ts:0']);
      const edited = { ...snippet('old.ts', 0, 0.9), text: 'y'.repeat(100) };
      const next = selectContext([edited, snippet('new.ts', 0, 0.1)], budget(), previous);
      assert.equal(next.snippets[0].text, edited.text);
    });

    it('drops the previous set when the budget shrank below it; an empty previous set never holds', () => {
      const previous = selectContext([snippet('old.ts', 0, 0.9)], budget());
      assert.deepEqual(paths(selectContext([snippet('old.ts', 0, 0.9)], previous.chars - 1, previous)), []);
      assert.deepEqual(paths(selectContext([snippet('new.ts', 0, 0.1)], budget(), EMPTY_SELECTION)), ['new.ts:0']);
    });
  });
});
