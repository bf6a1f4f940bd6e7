import * as assert from 'node:assert/strict';
import { backoffMs } from '../../src/core/errors';
import type { TokenUsage } from '../../src/core/pricing';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { hasUsageHistory, NO_SPENDING, SpendingTracker, type SpendingSnapshot, type SpendingStore } from '../../src/core/spending';
import { StatusModel } from '../../src/core/status';
import { statusView } from '../../src/core/statusView';
import { FakeClock } from './helpers/fakeClock';
import { memoryStore } from './helpers/harness';
import { recordingLogger } from './helpers/recordingLogger';

/** 1,000 uncached tokens in and 200 out: $0.002 at qwen3-coder-plus's Singapore price ($1 in, $5 out). */
const USAGE: TokenUsage = { promptTokens: 1000, cachedTokens: 0, completionTokens: 200, estimated: false };
const JUNE_1_AT_NOON = new Date(2025, 5, 1, 12, 0).getTime();

function setup(options: { start?: number; store?: SpendingStore; settings?: Partial<Settings> } = {}) {
  const clock = new FakeClock(options.start ?? JUNE_1_AT_NOON);
  let settings: Settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const store = options.store ?? memoryStore();
  const logger = recordingLogger();
  const seen: SpendingSnapshot[] = [];
  const tracker = new SpendingTracker({ settings: () => settings, clock, store, logger });
  tracker.onDidChange((snapshot) => seen.push(snapshot));
  const change = (changes: Partial<Settings>) => {
    settings = { ...settings, ...changes };
    tracker.refresh();
  };
  /** The status bar's tooltip while ready: where the day's spending is shown. */
  const tooltip = () => {
    const status = new StatusModel(clock);
    status.setHasKey(true);
    return statusView({ status: status.snapshot, spending: tracker.snapshot, settings }).tooltip;
  };
  return { clock, store, logger, seen, tracker, change, tooltip };
}

describe('spending tracker', () => {
  it('counts requests, tokens and cost for the session and the day, and describes each request for the log', () => {
    const { tracker, seen } = setup();
    const first = tracker.record('qwen3-coder-plus', USAGE, 'ghost');
    assert.deepEqual(first, { cost: { amount: 0.002, currency: 'USD' }, costText: '≈ $0.0020', description: '1,000 tok in / 200 out, ≈ $0.0020' });
    tracker.record('qwen3-coder-plus', { promptTokens: 3000, cachedTokens: 2000, completionTokens: 400, estimated: false }, 'block', 2, { firstTokenMs: 212, totalMs: 1480 });
    const expected = {
      ...NO_SPENDING,
      ghostRequests: 1,
      blockRequests: 2,
      promptTokens: 4000,
      cachedTokens: 2000,
      completionTokens: 600,
      cost: { USD: 0.002 + (1000 + 400 + 2000) / 1e6 },
    };
    assert.deepEqual(tracker.snapshot.session, expected);
    assert.deepEqual(tracker.snapshot.today, expected);
    assert.equal(tracker.snapshot.day, '2025-06-01');
    assert.equal(tracker.snapshot.budget, undefined, 'no budget by default');
    assert.equal(seen.length, 2, 'one change per recorded request');
    assert.deepEqual(tracker.snapshot.lastRequest, {
      feature: 'block',
      model: 'qwen3-coder-plus',
      requests: 2,
      usage: { promptTokens: 3000, cachedTokens: 2000, completionTokens: 400, estimated: false },
      cost: { amount: (1000 + 400 + 2000) / 1e6, currency: 'USD' },
      firstTokenMs: 212,
      totalMs: 1480,
    });
  });

  it('the last request is the last answered one: a cancelled request counts in the totals only', () => {
    const { tracker } = setup();
    assert.equal(tracker.snapshot.lastRequest, undefined);
    tracker.record('qwen3-coder-plus', USAGE, 'ghost', 1, { firstTokenMs: 90, totalMs: 300 });
    tracker.record('qwen3-coder-plus', { ...USAGE, estimated: true }, 'ghost', 1, { cancelled: true });
    assert.equal(tracker.snapshot.today.ghostRequests, 2);
    assert.deepEqual(tracker.snapshot.lastRequest, { feature: 'ghost', model: 'qwen3-coder-plus', requests: 1, usage: USAGE, cost: { amount: 0.002, currency: 'USD' }, firstTokenMs: 90, totalMs: 300 });
  });

  it('says when the cost is unknown, keeps currencies apart, and flags estimated tokens', () => {
    const { tracker } = setup({ settings: { prices: { 'beijing/qwen3-coder-plus': { input: 4, output: 16, currency: 'CNY' } } } });
    const unknown = tracker.record('qwen-max', { ...USAGE, estimated: true }, 'ghost');
    assert.equal(unknown.cost, undefined);
    assert.equal(unknown.description, '≈ 1,000 tok in / 200 out, no price for qwen-max (singapore): add one to qwenInline.prices to see the cost');
    assert.equal(tracker.record('qwen-max', USAGE, 'ghost').costText, 'no price', 'the hint once per model and region, not on every line');
    assert.match(tracker.record('qwen-plus', USAGE, 'ghost').costText, /^no price for qwen-plus \(singapore\): add one/, 'another model gets it once too');
    tracker.record('qwen3-coder-plus', USAGE, 'ghost');
    const today = tracker.snapshot.today;
    assert.deepEqual([today.ghostRequests, today.unpricedRequests, today.estimatedRequests, today.cost], [4, 3, 1, { USD: 0.002 }]);
  });

  it('explains a missing price again for the same model in another region', () => {
    const { tracker, change } = setup();
    tracker.record('qwen3-coder-plus', USAGE, 'ghost');
    change({ region: 'us-virginia' });
    assert.match(tracker.record('qwen3-coder-plus', USAGE, 'ghost').costText, /^no price for qwen3-coder-plus \(us-virginia\)/);
    assert.equal(tracker.record('qwen3-coder-plus', USAGE, 'ghost').costText, 'no price');
    change({ baseUrl: 'http://gpu-box:8000/v1' });
    assert.match(tracker.record('qwen3-coder-plus', USAGE, 'ghost').costText, /^no price for qwen3-coder-plus \(custom\)/);
  });

  it('a CNY price shows in CNY', () => {
    const { tracker, change } = setup();
    change({ region: 'beijing', prices: { 'beijing/qwen3-coder-plus': { input: 4, output: 16, currency: 'CNY' } } });
    assert.equal(tracker.record('qwen3-coder-plus', USAGE, 'ghost').description, '1,000 tok in / 200 out, ≈ CN¥0.0072');
    change({ region: 'singapore' });
    tracker.record('qwen3-coder-plus', USAGE, 'ghost');
    assert.deepEqual(tracker.snapshot.today.cost, { CNY: 0.0072, USD: 0.002 });
  });

  it('starts a new day at local midnight: the day\'s totals reset, the session goes on, listeners hear of it', async () => {
    const { tracker, clock, seen } = setup({ start: new Date(2025, 5, 1, 23, 59).getTime() });
    tracker.record('qwen3-coder-plus', USAGE, 'ghost');
    assert.equal(seen.length, 1);
    await clock.tick(2 * 60_000);
    assert.equal(seen.length, 2, 'the midnight timer tells the status bar');
    assert.equal(seen[1].day, '2025-06-02');
    assert.deepEqual(seen[1].today, NO_SPENDING);
    assert.equal(seen[1].session.ghostRequests, 1);
    await clock.tick(24 * 60 * 60_000);
    assert.equal(seen.length, 3, 'the timer is armed again for the next midnight');
    assert.equal(seen[2].day, '2025-06-03');
  });

  it('keeps the day\'s totals across a restart through the store, not the session\'s, and not yesterday\'s', async () => {
    const store = memoryStore();
    const before = setup({ store });
    before.tracker.record('qwen3-coder-plus', USAGE, 'ghost');
    before.tracker.dispose();

    const after = setup({ store, start: JUNE_1_AT_NOON + 60_000 });
    assert.equal(after.tracker.snapshot.today.ghostRequests, 1);
    assert.deepEqual(after.tracker.snapshot.today.cost, { USD: 0.002 });
    assert.deepEqual(after.tracker.snapshot.session, NO_SPENDING);
    after.tracker.record('qwen3-coder-plus', USAGE, 'block');
    after.tracker.dispose();

    const nextDay = setup({ store, start: JUNE_1_AT_NOON + 24 * 60 * 60_000 });
    assert.deepEqual(nextDay.tracker.snapshot.today, NO_SPENDING);
    assert.equal(nextDay.logger.lines.length, 0);
  });

  it('a corrupt or failing store starts from zero with a warning and never throws', async () => {
    for (const corrupt of ['text', { day: '2025-06-01', totals: { ...NO_SPENDING, promptTokens: -1 } }, { day: '2025-06-01', totals: { ...NO_SPENDING, cost: { USD: 'a lot' } } }, { day: 5 }]) {
      const store = memoryStore();
      store.values.set('qwenInline.spending.day', corrupt);
      const { tracker, logger } = setup({ store });
      assert.deepEqual(tracker.snapshot.today, NO_SPENDING);
      assert.match(logger.lines.join('\n'), /ignored unreadable totals/);
    }
    const failing: SpendingStore = {
      get: () => {
        throw new Error('disk gone');
      },
      update: () => Promise.reject(new Error('disk full')),
    };
    const { tracker, logger } = setup({ store: failing });
    assert.equal(tracker.record('qwen3-coder-plus', USAGE, 'ghost').description, '1,000 tok in / 200 out, ≈ $0.0020');
    assert.equal(tracker.snapshot.today.ghostRequests, 1, 'counted in memory all the same');
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(logger.lines.join('\n'), /could not read today's totals: disk gone[^]*could not store today's totals: disk full/);
    const throwing: SpendingStore = {
      get: () => undefined,
      update: () => {
        throw new Error('no storage');
      },
    };
    assert.doesNotThrow(() => setup({ store: throwing }).tracker.record('qwen3-coder-plus', USAGE, 'ghost'));
  });

  describe('self-hosted servers (no price)', () => {
    for (const server of ['vllm', 'sglang', 'llama.cpp', 'ollama', 'lmstudio'] as const) {
      it(`${server}: shows today's tokens in, cached and out, and no money anywhere in the tooltip`, () => {
        const { tracker, tooltip } = setup({ settings: { server, model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', dailyBudget: 2 } });
        const recorded = tracker.record('Qwen/Qwen3-Coder-30B-A3B-Instruct', { promptTokens: 3000, cachedTokens: 2500, completionTokens: 120, estimated: false }, 'ghost');
        tracker.record('Qwen/Qwen3-Coder-30B-A3B-Instruct', { promptTokens: 6000, cachedTokens: 4000, completionTokens: 500, estimated: false }, 'block', 2);
        assert.equal(recorded.cost, undefined);
        const shown = tooltip();
        assert.ok(shown.includes('| Today, 3 requests | 9,000 | 6,500 | 620 |\n'), shown);
        assert.ok(shown.includes('| Last run of Continue This Block (2 requests) | 6,000 | 4,000 | 500 |\n'), shown);
        assert.doesNotMatch(shown, /[$¥€£]|USD|CNY|Cost|qwenInline\.prices`? to see/, 'no money, and no advice to add a price for one\'s own server');
        assert.match(shown, /Daily budget 2: not applied/);
        assert.deepEqual(tracker.snapshot.today.cost, {});
      });
    }

    it('a custom base URL with no price shows no money; a price set for it in qwenInline.prices does', () => {
      const { tracker, change, tooltip } = setup({ settings: { baseUrl: 'http://gpu-box:8000/v1', model: 'qwen3-coder' } });
      tracker.record('qwen3-coder', USAGE, 'ghost');
      assert.doesNotMatch(tooltip(), /\$/);
      change({ prices: { 'custom/qwen3-coder': { input: 0.1, output: 0.4, currency: 'USD' } } });
      tracker.record('qwen3-coder', USAGE, 'ghost');
      assert.ok(tooltip().includes('| Today, 2 requests | 2,000 | 0 | 400 | ≈ $0.0002 |'), tooltip());
      assert.match(tooltip(), /1 request today had no known price and is not in the cost\./);
    });
  });

  describe('load while typing', () => {
    it('counts ghost text and Continue This Block requests; the tooltip shows the load after the budget line', async () => {
      const { tracker, clock, seen, tooltip } = setup({ settings: { server: 'vllm', dailyBudget: 1 } });
      assert.equal(tracker.snapshot.load, undefined);
      assert.doesNotMatch(tooltip(), /Load while typing/, 'no load line before a request');
      for (let i = 0; i < 8; i++) {
        tracker.record('qwen3-coder-plus', { promptTokens: 2000, cachedTokens: 1500, completionTokens: 50, estimated: false }, 'ghost');
        await clock.tick(5_000);
      }
      tracker.record('qwen3-coder-plus', { promptTokens: 8000, cachedTokens: 4000, completionTokens: 400, estimated: false }, 'block', 2);
      assert.deepEqual(tracker.snapshot.load, {
        activeMinutes: 1,
        requestsPerMinute: 10,
        promptTokensPerMinute: 24_000,
        uncachedPromptTokensPerMinute: 8_000,
        cacheReported: true,
        outputTokensPerMinute: 800,
      });
      assert.deepEqual(seen.at(-1)?.load, tracker.snapshot.load, 'listeners (the status bar) see it');
      assert.match(
        tooltip(),
        /\n\nDaily budget 1: not applied[^\n]*\n\nLoad while typing, over 1 active minute: 10 requests\/min · 24,000 prompt tokens\/min \(8,000 uncached\) · 800 output tokens\/min\n\n/,
      );
    });

    it('is not stored with the day\'s totals: a restart starts measuring again', () => {
      const store = memoryStore();
      const before = setup({ store });
      before.tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      before.tracker.dispose();
      const after = setup({ store, start: JUNE_1_AT_NOON + 60_000 });
      assert.equal(after.tracker.snapshot.today.ghostRequests, 1);
      assert.equal(after.tracker.snapshot.load, undefined);
    });
  });

  describe('daily budget', () => {
    it('is reached when the day\'s cost in the current model\'s currency gets to it, and lifted at once by a higher budget', () => {
      const { tracker, change, seen, tooltip } = setup({ settings: { dailyBudget: 0.004 } });
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      assert.equal(tracker.budgetReached(), false);
      assert.equal(tracker.budgetError(), undefined);
      assert.deepEqual(tracker.snapshot.budget, { limit: 0.004, currency: 'USD', spent: 0.002, reached: false });
      assert.match(tooltip(), /\n\nDaily budget: \$0\.0020 left of \$0\.0040\.\n\n/);
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      assert.equal(tracker.budgetReached(), true);
      assert.equal(seen.at(-1)?.budget?.reached, true, 'listeners hear that it was reached');
      const error = tracker.budgetError();
      assert.equal(error?.category, 'dailyBudget');
      assert.equal(error?.action, 'openSettings');
      assert.equal(
        error?.message,
        "Today's estimated cost $0.0040 has reached your daily budget of $0.0040 (qwenInline.dailyBudget). Completions are paused until tomorrow, or until you raise the budget.",
      );
      assert.equal(backoffMs(error!, 3), 0, 'no request was sent, so nothing to back off from');
      assert.match(tooltip(), /\n\nDaily budget of \$0\.0040 reached: completions are paused until tomorrow or a higher budget\.\n\n/);

      change({ dailyBudget: 1 });
      assert.equal(tracker.budgetReached(), false);
      assert.equal(seen.at(-1)?.budget?.reached, false, 'listeners hear that it was lifted');
      change({ dailyBudget: 0 });
      assert.equal(tracker.snapshot.budget, undefined, 'off');
    });

    it('is lifted the next day', async () => {
      const { tracker, clock, seen } = setup({ start: new Date(2025, 5, 1, 23, 0).getTime(), settings: { dailyBudget: 0.001 } });
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      assert.equal(tracker.budgetReached(), true);
      await clock.tick(60 * 60_000);
      assert.equal(tracker.budgetReached(), false);
      assert.equal(seen.at(-1)?.budget?.reached, false);
    });

    it('counts only the current model\'s currency; with no known price it does not apply and says so', () => {
      const cny = { 'beijing/qwen3-coder-plus': { input: 4, output: 16, currency: 'CNY' } };
      const { tracker, change, tooltip } = setup({ settings: { dailyBudget: 0.005, prices: cny } });
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      assert.equal(tracker.budgetReached(), true, '$0.006 in USD');
      change({ region: 'beijing' });
      assert.equal(tracker.budgetReached(), false, 'nothing spent in CNY yet');
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      assert.equal(tracker.budgetReached(), true, 'CN¥0.0072');
      assert.match(tracker.budgetError()!.message, /CN¥0\.0072 has reached your daily budget of CN¥0\.0050/);

      change({ region: 'us-virginia' });
      tracker.record('qwen3-coder-plus', { ...USAGE, promptTokens: 10_000_000 }, 'ghost');
      assert.equal(tracker.budgetReached(), false, 'requests of unknown price do not count');
      assert.deepEqual(tracker.snapshot.budget, { limit: 0.005, spent: 0, reached: false });
      assert.match(tooltip(), /Daily budget 0\.005: not applied, the current model has no known price here/);
    });

    it('the status model shows the pause with its message, below a missing key, a disabled switch and a snooze', () => {
      const { tracker } = setup({ settings: { dailyBudget: 0.001 } });
      tracker.record('qwen3-coder-plus', USAGE, 'ghost');
      const status = new StatusModel(new FakeClock());
      status.setHasKey(true);
      status.setBudgetReached(tracker.budgetError());
      assert.equal(status.snapshot.state, 'overBudget');
      assert.match(status.snapshot.error!.message, /daily budget/);
      status.snooze(5);
      assert.equal(status.snapshot.state, 'snoozed');
      status.resume();
      status.setBudgetReached(undefined);
      assert.equal(status.snapshot.state, 'ready');
    });
  });
});

describe('usage history', () => {
  it('is there once a day\'s totals were stored: someone who used the extension before', () => {
    const store = memoryStore();
    assert.equal(hasUsageHistory(store), false);
    setup({ store }).tracker.record('qwen3-coder-plus', USAGE, 'ghost');
    assert.equal(hasUsageHistory(store), true);
    const failing: SpendingStore = {
      get: () => {
        throw new Error('disk gone');
      },
      update: () => undefined,
    };
    assert.equal(hasUsageHistory(failing), false);
  });
});
