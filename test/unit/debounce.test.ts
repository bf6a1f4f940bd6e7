import * as assert from 'node:assert/strict';
import { dialectOf } from '../../src/core/block/languages';
import { adaptiveDebounceMs, LatencyTracker, TypingRhythm } from '../../src/core/debounce';

const afterSpace = { cursorLine: 'x = ', dialect: dialectOf('python') };
const bounds = { debounceMs: 250, minDebounceMs: 50, maxDebounceMs: 600 };
const waitAfter = (recentLatencyMs: number | undefined) => adaptiveDebounceMs({ ...afterSpace, recentLatencyMs }, bounds);

describe('debounce: how recent answer times set the wait', () => {
  it('answers halfway between fast (300 ms) and slow (900 ms) leave the wait as set; the factor runs linearly between', () => {
    assert.equal(waitAfter(600), bounds.debounceMs);
    assert.equal(waitAfter(450), Math.round(bounds.debounceMs * 0.875));
    assert.equal(waitAfter(300), Math.round(bounds.debounceMs * 0.75), 'fast: a quarter less');
    assert.equal(waitAfter(900), Math.round(bounds.debounceMs * 1.25), 'slow: a quarter more');
  });
});

describe('debounce: the typing rhythm', () => {
  it('is unknown until four gaps between keys, ignores pauses, and weighs each new gap 0.2', () => {
    const rhythm = new TypingRhythm();
    for (const at of [0, 100, 200, 300]) rhythm.record(at);
    assert.equal(rhythm.typicalGapMs, undefined, 'three gaps');
    rhythm.record(2000);
    assert.equal(rhythm.typicalGapMs, undefined, 'a pause is no gap');
    rhythm.record(2100);
    assert.equal(rhythm.typicalGapMs, 100);
    rhythm.record(2300);
    assert.equal(rhythm.typicalGapMs, 0.8 * 100 + 0.2 * 200);
  });

  it('once known, a request goes out at 0.7 of the gap (at most debounceMs), mid-word too; a block start still at 0.4', () => {
    const at = (cursorLine: string, typingGapMs: number) => adaptiveDebounceMs({ cursorLine, dialect: dialectOf('python'), recentLatencyMs: undefined, typingGapMs }, bounds);
    assert.deepEqual([at('x = ', 150), at('x = valu', 150), at('if x:', 150), at('x = ', 1000)], [105, 105, 50, 250]);
  });
});

describe('latency tracker: the recent answer time', () => {
  it('knows nothing before the first answer, then takes the first answer time as it is', () => {
    const latency = new LatencyTracker();
    assert.equal(latency.recentMs, undefined);
    latency.record(420);
    assert.equal(latency.recentMs, 420);
  });

  it('weighs each later answer 0.3 against the mean so far', () => {
    const latency = new LatencyTracker();
    latency.record(200);
    latency.record(1200);
    assert.equal(latency.recentMs, 0.7 * 200 + 0.3 * 1200);
  });

  it('one slow answer among fast ones does not make the wait the slow one; a few in a row (a region switch) do', () => {
    const latency = new LatencyTracker();
    for (let i = 0; i < 5; i++) latency.record(250);
    latency.record(1500);
    const afterOne = waitAfter(latency.recentMs);
    assert.ok(afterOne < waitAfter(900), `one slow answer: ${afterOne} ms`);
    latency.record(1500);
    latency.record(1500);
    assert.equal(waitAfter(latency.recentMs), waitAfter(900), 'three slow answers: the slow wait');
  });
});
