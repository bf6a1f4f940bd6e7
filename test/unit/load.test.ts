import * as assert from 'node:assert/strict';
import { describeLoad, formatRate, LoadMeter, MINUTE_MS, WINDOW_ACTIVE_MINUTES } from '../../src/core/load';
import { FakeClock } from './helpers/fakeClock';

/** 2,000 prompt tokens of which 1,800 cached, 40 out: a ghost-text request with a warm cache. */
const REQUEST = { promptTokens: 2000, cachedTokens: 1800, completionTokens: 40 };
/** A clock at the start of a minute, so the minutes below are the clock's. */
const START = 1000 * MINUTE_MS;

function typing(meter: LoadMeter, clock: FakeClock, requests: number): Promise<void> {
  // `requests` requests spread over one minute, then the next minute begins.
  const gap = MINUTE_MS / requests;
  return (async () => {
    for (let i = 0; i < requests; i++) {
      meter.record(REQUEST);
      await clock.tick(gap);
    }
  })();
}

describe('load meter', () => {
  it('reports nothing before the first request', () => {
    const meter = new LoadMeter(new FakeClock(START));
    assert.equal(meter.load, undefined);
    assert.equal(describeLoad(meter.load), undefined);
  });

  it('averages requests and tokens per active minute', async () => {
    const clock = new FakeClock(START);
    const meter = new LoadMeter(clock);
    await typing(meter, clock, 10);
    await typing(meter, clock, 6);
    assert.deepEqual(meter.load, {
      activeMinutes: 2,
      requestsPerMinute: 8,
      promptTokensPerMinute: 16_000,
      uncachedPromptTokensPerMinute: 1_600,
      cacheReported: true,
      outputTokensPerMinute: 320,
    });
  });

  it('leaves idle minutes out: a long pause does not dilute the rate while typing', async () => {
    const clock = new FakeClock(START);
    const meter = new LoadMeter(clock);
    await typing(meter, clock, 10);
    await clock.tick(45 * MINUTE_MS);
    assert.equal(meter.load?.requestsPerMinute, 10, 'after a break, still the last typing\'s rate');
    await typing(meter, clock, 6);
    assert.equal(meter.load?.activeMinutes, 2);
    assert.equal(meter.load?.requestsPerMinute, 8);
  });

  it(`averages only the last ${WINDOW_ACTIVE_MINUTES} active minutes`, async () => {
    const clock = new FakeClock(START);
    const meter = new LoadMeter(clock);
    for (let minute = 0; minute < 5; minute++) await typing(meter, clock, 30);
    for (let minute = 0; minute < WINDOW_ACTIVE_MINUTES; minute++) await typing(meter, clock, 4);
    assert.equal(meter.load?.activeMinutes, WINDOW_ACTIVE_MINUTES);
    assert.equal(meter.load?.requestsPerMinute, 4, 'the busy minutes before the window are forgotten');
  });

  it('counts a Continue This Block run as its rounds, and ignores counts that are not counts', () => {
    const clock = new FakeClock(START);
    const meter = new LoadMeter(clock);
    meter.record({ promptTokens: 9000, cachedTokens: 6000, completionTokens: 600 }, 3);
    meter.record({ promptTokens: Number.NaN, cachedTokens: -5, completionTokens: Infinity }, 1);
    assert.deepEqual(meter.load, {
      activeMinutes: 1,
      requestsPerMinute: 4,
      promptTokensPerMinute: 9000,
      uncachedPromptTokensPerMinute: 3000,
      cacheReported: true,
      outputTokensPerMinute: 600,
    });
  });

  it('a clock set back adds to the latest minute', () => {
    const clock = new FakeClock(START);
    let now = START + 5 * MINUTE_MS;
    const meter = new LoadMeter({ now: () => now, setTimeout: (callback, ms) => clock.setTimeout(callback, ms), clearTimeout: (handle) => clock.clearTimeout(handle) });
    meter.record(REQUEST);
    now = START;
    meter.record(REQUEST);
    assert.equal(meter.load?.activeMinutes, 1);
    assert.equal(meter.load?.requestsPerMinute, 2);
  });

  it('describes the load for the tooltip, with uncached tokens only when the server reports a cache', async () => {
    const clock = new FakeClock(START);
    const meter = new LoadMeter(clock);
    await typing(meter, clock, 9);
    assert.equal(describeLoad(meter.load), 'Load while typing, over 1 active minute: 9 requests/min · 18,000 prompt tokens/min (1,800 uncached) · 360 output tokens/min');
    await typing(meter, clock, 10);
    assert.equal(describeLoad(meter.load), 'Load while typing, over the last 2 active minutes: 9.5 requests/min · 19,000 prompt tokens/min (1,900 uncached) · 380 output tokens/min');

    const uncached = new LoadMeter(clock);
    uncached.record({ promptTokens: 1234, cachedTokens: 0, completionTokens: 17 });
    assert.equal(describeLoad(uncached.load), 'Load while typing, over 1 active minute: 1 requests/min · 1,230 prompt tokens/min · 17 output tokens/min');
  });

  it('formats rates to two or three significant digits', () => {
    assert.deepEqual([0, 0.333, 9.43, 47.6, 99.4, 142.7, 14_213, 1_234_567, Number.NaN].map(formatRate), ['0', '0.33', '9.4', '48', '99', '143', '14,200', '1,230,000', '0']);
  });
});
