import * as assert from 'node:assert/strict';
import { CARRY_DECAY, carriedOver, NOTHING_SHOWN, remember } from '../../../src/core/context/carryOver';
import { ProjectContext, type ContextRequest } from '../../../src/core/context/projectContext';
import { HYSTERESIS, selectContext } from '../../../src/core/context/selection';
import type { ContextSnippet, ContextSource, ProjectFile } from '../../../src/core/context/types';
import { silentLogger } from '../../../src/core/logger';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { FakeClock } from '../helpers/fakeClock';
import { accessOver, queryAt } from './openTabs.test';

const lines = (count: number, name: string) => Array.from({ length: count }, (_, i) => `${name}(${i});`).join('\n');

function window(file: ProjectFile, startLine: number, endLine: number, score: number): ContextSnippet {
  const text = file.text.split('\n').slice(startLine, endLine + 1).join('\n');
  return { source: 'openTabs', path: file.path, startLine, endLine, text, score };
}

describe('context: carrying the shown set over', () => {
  const cart: ProjectFile = { path: 'cart.ts', languageId: 'typescript', text: lines(40, 'cart') };
  const query = queryAt('main.ts', 'typescript', 'x');
  const all = new Set(['openTabs', 'recentEdits', 'imports', 'definitions'] as const);

  it('a shown window its source no longer proposes stays a candidate at CARRY_DECAY of its score while its file is unchanged', async () => {
    const shown = await remember(selectContext([window(cart, 0, 9, 0.5)], 4000), NOTHING_SHOWN, query, accessOver([cart]));
    const carried = await carriedOver(shown, [window(cart, 10, 19, 0.5)], all, query, accessOver([cart]));
    assert.deepEqual(carried.map((s) => [s.startLine, s.score]), [[0, 0.5 * CARRY_DECAY]]);
  });

  it('is not carried when its source proposes it again (the fresh score counts), when the source is off, or when the file is gone', async () => {
    const shown = await remember(selectContext([window(cart, 0, 9, 0.5)], 4000), NOTHING_SHOWN, query, accessOver([cart]));
    assert.deepEqual(await carriedOver(shown, [window(cart, 0, 9, 0.1)], all, query, accessOver([cart])), []);
    assert.deepEqual(await carriedOver(shown, [], new Set(['definitions'] as const), query, accessOver([cart])), []);
    assert.deepEqual(await carriedOver(shown, [], all, query, accessOver([])), [], 'deleted, or excluded since');
  });

  it('an edit elsewhere in the file keeps a window whose own lines are unchanged; an edit inside it drops it', async () => {
    const shown = await remember(selectContext([window(cart, 0, 9, 0.5)], 4000), NOTHING_SHOWN, query, accessOver([cart]));
    const editedBelow = { ...cart, text: cart.text + '\nmore();' };
    assert.equal((await carriedOver(shown, [], all, query, accessOver([editedBelow]))).length, 1);
    const editedInside = { ...cart, text: cart.text.replace('cart(3);', 'cart(33);') };
    assert.equal((await carriedOver(shown, [], all, query, accessOver([editedInside]))).length, 0);
  });

  it('a summary (not the file lines) is carried only while its whole file is unchanged', async () => {
    const summary: ContextSnippet = { source: 'definitions', path: 'cart.ts', startLine: 0, endLine: 30, text: 'class Cart {\n  add(): void;\n}', score: 1 };
    const shown = await remember(selectContext([summary], 4000), NOTHING_SHOWN, query, accessOver([cart]));
    assert.equal((await carriedOver(shown, [], all, query, accessOver([cart]))).length, 1);
    assert.equal((await carriedOver(shown, [], all, query, accessOver([{ ...cart, text: cart.text + '\n' }]))).length, 0);
  });

  it('a hunk of the current document is checked against its lines as they are now', async () => {
    const doc = lines(300, 'main');
    const here = queryAt('main.ts', 'typescript', doc);
    const hunk: ContextSnippet = { source: 'recentEdits', path: 'main.ts', startLine: 3, endLine: 5, text: doc.split('\n').slice(3, 6).join('\n'), score: 1 };
    const shown = await remember(selectContext([hunk], 4000), NOTHING_SHOWN, here, accessOver([]));
    assert.equal(shown.texts.size, 0, 'the current document text is never kept');
    assert.equal((await carriedOver(shown, [], all, here, accessOver([]))).length, 1);
    const changed = queryAt('main.ts', 'typescript', doc.replace('main(4);', 'main(44);'));
    assert.equal((await carriedOver(shown, [], all, changed, accessOver([]))).length, 0);
  });

  it('in the gatherer: a window sliding as the cursor moves keeps the prompt set until another is clearly better', async () => {
    const clock = new FakeClock();
    let proposed: ContextSnippet[] = [window(cart, 0, 9, 0.5)];
    const tabs: ContextSource = { name: 'openTabs', candidates: () => Promise.resolve(proposed) };
    const context = new ProjectContext({ access: accessOver([cart]), sources: [tabs], settings: () => DEFAULT_SETTINGS, clock, logger: silentLogger });
    const request: ContextRequest = { documentKey: 'k', query, scope: { languageId: 'typescript' } };
    const gather = async () => {
      const gathering = context.gather(request);
      await clock.tick(1);
      return (await gathering).snippets.map((s) => s.startLine);
    };
    assert.deepEqual(await gather(), [0]);
    proposed = [window(cart, 5, 14, 0.5 * CARRY_DECAY * HYSTERESIS)];
    assert.deepEqual(await gather(), [0], 'not better enough: the shown window stays');
    proposed = [window(cart, 5, 14, 0.5 * CARRY_DECAY * HYSTERESIS + 0.01)];
    assert.deepEqual(await gather(), [5]);
  });

  it('the carried snippet counts for less than it did: a fresh one 25% better replaces it (1.25 > 1.3 × 0.9), one 15% better does not', async () => {
    const clock = new FakeClock();
    let proposed: ContextSnippet[] = [window(cart, 0, 9, 0.5)];
    const tabs: ContextSource = { name: 'openTabs', candidates: () => Promise.resolve(proposed) };
    const context = new ProjectContext({ access: accessOver([cart]), sources: [tabs], settings: () => DEFAULT_SETTINGS, clock, logger: silentLogger });
    const request: ContextRequest = { documentKey: 'k', query, scope: { languageId: 'typescript' } };
    const gather = async () => {
      const gathering = context.gather(request);
      await clock.tick(1);
      return (await gathering).snippets.map((s) => s.startLine);
    };
    await gather();
    proposed = [window(cart, 5, 14, 0.5 * 1.15)];
    assert.deepEqual(await gather(), [0]);
    proposed = [window(cart, 5, 14, 0.5 * 1.25)];
    assert.deepEqual(await gather(), [5]);
  });
});
