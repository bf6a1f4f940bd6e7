import * as assert from 'node:assert/strict';
import { RecentEdits, recentEditsSource } from '../../../src/core/context/recentEdits';
import type { ProjectFile } from '../../../src/core/context/types';
import { accessOver, queryAt } from './openTabs.test';

const numbered = (count: number, name: string) => Array.from({ length: count }, (_, i) => `${name} line ${i}`).join('\n');
const signal = () => new AbortController().signal;

describe('context: recent edits', () => {
  it('merges consecutive edits of the same lines; keeps separate places apart, most recent first', () => {
    const edits = new RecentEdits();
    edits.record({ path: 'a.ts', languageId: 'typescript', startLine: 10, endLine: 10, at: 1 });
    edits.record({ path: 'a.ts', languageId: 'typescript', startLine: 11, endLine: 12, at: 2 });
    edits.record({ path: 'a.ts', languageId: 'typescript', startLine: 40, endLine: 40, at: 3 });
    edits.record({ path: 'b.ts', languageId: 'typescript', startLine: 40, endLine: 40, at: 4 });
    assert.deepEqual(
      edits.latest().map((e) => [e.path, e.startLine, e.endLine]),
      [['b.ts', 40, 40], ['a.ts', 40, 40], ['a.ts', 10, 12]],
    );
  });

  it('remembers the last 50 edits only, and forgets a file on request', () => {
    const edits = new RecentEdits();
    for (let i = 0; i < 60; i++) edits.record({ path: `f${i}.ts`, languageId: 'typescript', startLine: 0, endLine: 0, at: i });
    assert.equal(edits.latest().length, 50);
    assert.equal(edits.latest()[49].path, 'f10.ts');
    edits.forget('f59.ts');
    assert.equal(edits.latest()[0].path, 'f58.ts');
  });

  it('a hunk shows the edited lines and two lines around them, read as the file is now, scored by recency', async () => {
    const files: ProjectFile[] = [
      { path: 'inventory.ts', languageId: 'typescript', text: numbered(30, 'inv') },
      { path: 'cart.ts', languageId: 'typescript', text: numbered(30, 'cart') },
    ];
    const edits = new RecentEdits();
    edits.record({ path: 'inventory.ts', languageId: 'typescript', startLine: 10, endLine: 11, at: 1 });
    edits.record({ path: 'cart.ts', languageId: 'typescript', startLine: 0, endLine: 0, at: 2 });
    const hunks = await recentEditsSource(edits).candidates(queryAt('main.ts', 'typescript', 'x'), accessOver(files), signal());
    assert.deepEqual(hunks.map((h) => [h.path, h.startLine, h.endLine, h.score]), [['cart.ts', 0, 2, 1], ['inventory.ts', 8, 13, 0.5]]);
    assert.equal(hunks[1].text, numbered(30, 'inv').split('\n').slice(8, 14).join('\n'));
  });

  it('a long edit shows its first 12 lines; an edit of a file that is gone or blank is skipped', async () => {
    const files: ProjectFile[] = [
      { path: 'big.ts', languageId: 'typescript', text: numbered(100, 'big') },
      { path: 'blank.ts', languageId: 'typescript', text: '\n\n\n\n' },
    ];
    const edits = new RecentEdits();
    edits.record({ path: 'big.ts', languageId: 'typescript', startLine: 20, endLine: 80, at: 1 });
    edits.record({ path: 'gone.ts', languageId: 'typescript', startLine: 1, endLine: 1, at: 2 });
    edits.record({ path: 'blank.ts', languageId: 'typescript', startLine: 1, endLine: 1, at: 3 });
    const hunks = await recentEditsSource(edits).candidates(queryAt('main.ts', 'typescript', 'x'), accessOver(files), signal());
    assert.deepEqual(hunks.map((h) => [h.path, h.startLine, h.endLine]), [['big.ts', 18, 29]]);
  });

  it('edits of the current file near the cursor are left out (the prompt shows them); far ones are kept', async () => {
    const text = numbered(400, 'main');
    const edits = new RecentEdits();
    edits.record({ path: 'main.ts', languageId: 'typescript', startLine: 5, endLine: 5, at: 1 });
    edits.record({ path: 'main.ts', languageId: 'typescript', startLine: 390, endLine: 390, at: 2 });
    const hunks = await recentEditsSource(edits).candidates(queryAt('main.ts', 'typescript', text), accessOver([]), signal());
    assert.deepEqual(hunks.map((h) => [h.path, h.startLine]), [['main.ts', 3]]);
  });

  it('sends at most 8 hunks, and none once the gather is out of time', async () => {
    const files: ProjectFile[] = Array.from({ length: 12 }, (_, i) => ({ path: `f${i}.ts`, languageId: 'typescript', text: numbered(5, `f${i}`) }));
    const edits = new RecentEdits();
    files.forEach((file, i) => edits.record({ path: file.path, languageId: 'typescript', startLine: 1, endLine: 1, at: i }));
    const source = recentEditsSource(edits);
    assert.equal((await source.candidates(queryAt('main.ts', 'typescript', 'x'), accessOver(files), signal())).length, 8);
    const aborted = new AbortController();
    aborted.abort();
    assert.equal((await source.candidates(queryAt('main.ts', 'typescript', 'x'), accessOver(files), aborted.signal)).length, 0);
  });
});
