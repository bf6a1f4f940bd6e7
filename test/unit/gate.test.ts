import * as assert from 'node:assert/strict';
import { describeSkip, type SkipReason } from '../../src/core/gate';

describe('gate: how a reason reads in the log', () => {
  // The log's "no suggestion: …" line is how a user finds out why nothing is shown.
  const reasons: readonly SkipReason[] = [
    { kind: 'excluded', exclusion: { kind: 'privateKey' } },
    { kind: 'disabled' },
    { kind: 'languageDisabled', languageId: 'markdown' },
    { kind: 'snoozed' },
    { kind: 'selection' },
    { kind: 'suggestWidget' },
    { kind: 'undrawn', undrawn: { kind: 'largeFile' } },
    { kind: 'continuing' },
    { kind: 'midLine' },
    { kind: 'noKey' },
    { kind: 'budget' },
    { kind: 'paused', category: 'rateLimit', waitMs: 2_500 },
    { kind: 'unfit', detail: 'inside a string' },
    { kind: 'cancelled' },
    { kind: 'failed', category: 'server' },
    { kind: 'empty', cached: true },
    { kind: 'empty', cached: false },
    { kind: 'notDrawn' },
  ];

  it('every reason has its own description', () => {
    const descriptions = reasons.map(describeSkip);
    for (const description of descriptions) assert.notEqual(description.trim(), '');
    assert.equal(new Set(descriptions).size, reasons.length, descriptions.join(' | '));
  });

  it('names what the user can act on: the error category and how long the pause lasts', () => {
    assert.match(describeSkip({ kind: 'paused', category: 'rateLimit', waitMs: 2_500 }), /rateLimit.*2500 ms/);
    assert.match(describeSkip({ kind: 'failed', category: 'server' }), /server/);
  });
});
