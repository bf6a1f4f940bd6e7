import * as assert from 'node:assert/strict';
import { describeSkip, skipReason } from '../../src/core/gate';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { drawnWhole, isLargeFileMode, LARGE_FILE_LINE_COUNT, LARGE_FILE_SIZE_CHARS, undrawnAt } from '../../src/core/visibility';

describe('what VS Code draws', () => {
  const vscodeDefaults = { stopRenderingLineAfter: 10_000, largeFileMode: false };

  it('large-file mode: over 300,000 lines or 20 MiB, unless largeFileOptimizations is off', () => {
    assert.equal(isLargeFileMode(LARGE_FILE_LINE_COUNT, 10_000_000, true), false, '300,000 lines exactly is not large');
    assert.equal(isLargeFileMode(LARGE_FILE_LINE_COUNT + 1, 10_000_000, true), true);
    assert.equal(isLargeFileMode(1, LARGE_FILE_SIZE_CHARS + 1, true), true, 'a 20 MiB single line');
    assert.equal(isLargeFileMode(350_000, LARGE_FILE_SIZE_CHARS + 1, false), false);
  });

  it('asks for nothing at or past the last drawn column, nor anywhere in a large file', () => {
    assert.equal(undrawnAt(9_999, vscodeDefaults), undefined);
    assert.deepEqual(undrawnAt(10_000, vscodeDefaults), { kind: 'pastRenderedColumns', limit: 10_000 });
    assert.deepEqual(undrawnAt(1_572_964, vscodeDefaults), { kind: 'pastRenderedColumns', limit: 10_000 }, 'the end of a minified file');
    assert.equal(undrawnAt(1_572_964, { ...vscodeDefaults, stopRenderingLineAfter: -1 }), undefined, '-1 draws every column');
    assert.deepEqual(undrawnAt(3, { ...vscodeDefaults, largeFileMode: true }), { kind: 'largeFile' });
  });

  it('offers an answer only when its first line is drawn whole', () => {
    // As measured: ghost text from column 9,990 showed 10 characters, then the line stopped.
    assert.equal(drawnWhole(' qwenGhost', 9_990, vscodeDefaults), true);
    assert.equal(drawnWhole(' qwenGhostM', 9_990, vscodeDefaults), false);
    assert.equal(drawnWhole('a\nvery long second line that is drawn in its own view zone', 9_998, vscodeDefaults), true);
    assert.equal(drawnWhole('ab\r\nc', 9_998, vscodeDefaults), true, 'CRLF: the first line is two characters');
    assert.equal(drawnWhole('\nnext line', 10_000, vscodeDefaults), false, 'past the limit nothing of the line is drawn');
    assert.equal(drawnWhole('x'.repeat(50_000), 20, { stopRenderingLineAfter: -1, largeFileMode: false }), true);
    assert.equal(drawnWhole('\nbelow', 0, { ...vscodeDefaults, largeFileMode: true }), false);
  });

  it('the gate gives the reason in words', () => {
    const skip = skipReason({
      settings: DEFAULT_SETTINGS,
      languageId: 'javascript',
      snoozed: false,
      hasSelection: false,
      suggestWidgetOpen: false,
      undrawn: undrawnAt(12_000, vscodeDefaults),
    });
    assert.equal(skip && describeSkip(skip), 'the cursor is past the 10,000 characters of a line VS Code draws (editor.stopRenderingLineAfter)');
  });
});
