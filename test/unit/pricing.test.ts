import * as assert from 'node:assert/strict';
import { addUsage, costOf, describeTokenCounts, estimateTokens, formatMoney, formatShortMoney, NO_USAGE, priceOf, shortUsage } from '../../src/core/pricing';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from '../../src/core/settings';
import { StatusModel } from '../../src/core/status';
import { FakeClock } from './helpers/fakeClock';

describe('pricing', () => {
  const at = (region: Settings['region'], baseUrl = '', prices: Settings['prices'] = {}) => ({ region, baseUrl, prices });
  const usd = (input: number, output: number) => ({ input, output, currency: 'USD' });

  it('knows the documented Singapore prices, dated snapshots included, and guesses none elsewhere', () => {
    assert.deepEqual(priceOf('qwen3-coder-plus', at('singapore')), usd(1, 5));
    assert.deepEqual(priceOf('qwen3-coder-flash', at('singapore')), usd(0.3, 1.5));
    assert.deepEqual(priceOf('qwen3-coder-480b-a35b-instruct', at('singapore')), usd(1.5, 7.5));
    assert.deepEqual(priceOf('qwen3-coder-30b-a3b-instruct', at('singapore')), usd(0.45, 2.25));
    assert.deepEqual(priceOf('qwen3-coder-plus-2025-09-23', at('singapore')), usd(1, 5));
    assert.equal(priceOf('qwen3-coder-plus', at('beijing')), undefined, 'Beijing bills in CNY at prices not in the notes');
    assert.equal(priceOf('qwen3-coder-plus', at('us-virginia')), undefined);
    assert.equal(priceOf('qwen3-coder-plus', at('singapore', 'http://127.0.0.1:1/v1')), undefined, 'a custom base URL is anybody\'s price');
    assert.equal(priceOf('some-other-model', at('singapore')), undefined);
  });

  it('the user\'s prices win: "region/model" over "model" over the table, the exact name over its snapshot\'s', () => {
    const prices = {
      'qwen3-coder-plus': usd(2, 10),
      'beijing/qwen3-coder-plus': { input: 4, output: 16, currency: 'CNY' },
      'custom/qwen3-coder-plus': usd(0, 0),
      'qwen3-coder-flash-2025-07-28': usd(9, 9),
      'beijing/qwen3-coder-flash': { input: 1, output: 4, currency: 'CNY' },
    };
    assert.deepEqual(priceOf('qwen3-coder-plus', at('singapore', '', prices)), usd(2, 10), 'a model key applies in every region, over the table');
    assert.deepEqual(priceOf('qwen3-coder-plus', at('us-virginia', '', prices)), usd(2, 10));
    assert.deepEqual(priceOf('qwen3-coder-plus', at('beijing', '', prices)), { input: 4, output: 16, currency: 'CNY' });
    assert.deepEqual(priceOf('qwen3-coder-plus-2025-09-23', at('beijing', '', prices)), { input: 4, output: 16, currency: 'CNY' });
    assert.deepEqual(priceOf('qwen3-coder-plus', at('beijing', 'http://localhost:1/v1', prices)), usd(0, 0), 'a base URL is the "custom" scope');
    assert.deepEqual(priceOf('qwen3-coder-flash-2025-07-28', at('beijing', '', prices)), usd(9, 9), 'the exact name wins over its base name');
    assert.deepEqual(priceOf('qwen3-coder-flash', at('singapore', '', prices)), usd(0.3, 1.5), 'other regions keep the table');
  });

  it('validates qwenInline.prices: bad entries dropped, currency upper-cased, CNY by default for Beijing keys', () => {
    const raw: Record<string, unknown> = {
      'qwen3-coder-plus': { input: 1, output: 5 },
      ' beijing/qwen3-coder-plus ': { input: 4, output: 16 },
      'us-virginia/qwen3-coder-flash': { input: 0.3, output: 1.5, currency: 'eur' },
      'Qwen/Qwen3-Coder-30B-A3B-Instruct': { input: 0, output: 0 },
      negative: { input: -1, output: 5 },
      missing: { input: 1 },
      text: { input: '1', output: 5 },
      badCurrency: { input: 1, output: 5, currency: 'dollars' },
      notObject: 3,
      nothing: null,
      '': { input: 1, output: 1 },
    };
    assert.deepEqual(normalizeSettings((key) => (key === 'prices' ? raw : undefined)).prices, {
      'qwen3-coder-plus': usd(1, 5),
      'beijing/qwen3-coder-plus': { input: 4, output: 16, currency: 'CNY' },
      'us-virginia/qwen3-coder-flash': { input: 0.3, output: 1.5, currency: 'EUR' },
      'Qwen/Qwen3-Coder-30B-A3B-Instruct': usd(0, 0),
    });
    for (const wrong of [undefined, null, [], 'cheap', 7]) {
      assert.deepEqual(normalizeSettings((key) => (key === 'prices' ? wrong : undefined)).prices, {});
    }
  });

  it('bills cached input at 20% of the input price, in the price\'s currency', () => {
    // 1000 uncached + 1000 cached at 20% + 200 out at 5: (1000 + 200 + 1000) / 1e6.
    assert.deepEqual(costOf({ promptTokens: 2000, cachedTokens: 1000, completionTokens: 200 }, usd(1, 5)), { amount: 0.0022, currency: 'USD' });
    assert.deepEqual(costOf({ promptTokens: 1000, cachedTokens: 0, completionTokens: 0 }, { input: 4, output: 16, currency: 'CNY' }), { amount: 0.004, currency: 'CNY' });
  });

  it('formats money with its currency', () => {
    assert.equal(formatMoney({ amount: 0.0009, currency: 'USD' }), '$0.0009');
    assert.equal(formatMoney({ amount: 0.015, currency: 'CNY' }), 'CN¥0.0150');
    assert.equal(formatMoney({ amount: 12.3, currency: 'USD' }), '$12.30');
    assert.equal(formatMoney({ amount: 2, currency: 'EUR' }), '€2.00');
    assert.match(formatMoney({ amount: 0.5, currency: 'XYZ' }), /^XYZ\s0\.5000$/, 'a code without a symbol is spelled out');
  });

  it('formats money short for the status bar: three decimals below ten cents, never a misleading zero', () => {
    assert.equal(formatShortMoney({ amount: 0.012, currency: 'USD' }), '$0.012');
    assert.equal(formatShortMoney({ amount: 0.0123, currency: 'USD' }), '$0.012');
    assert.equal(formatShortMoney({ amount: 0.38, currency: 'USD' }), '$0.38');
    assert.equal(formatShortMoney({ amount: 12.3, currency: 'USD' }), '$12.30');
    assert.equal(formatShortMoney({ amount: 0.0004, currency: 'USD' }), '<$0.001');
    assert.equal(formatShortMoney({ amount: 0.03, currency: 'CNY' }), 'CN¥0.030');
    assert.equal(formatShortMoney({ amount: 0, currency: 'USD' }), '$0.000');
  });

  it('describes usage for the log, marking estimates', () => {
    const usage = addUsage(
      { promptTokens: 1200, completionTokens: 90, cachedTokens: 1000, estimated: false },
      { promptTokens: 4, completionTokens: 6, cachedTokens: 0, estimated: true },
    );
    assert.deepEqual(usage, { promptTokens: 1204, completionTokens: 96, cachedTokens: 1000, estimated: true });
    const cost = costOf(usage, usd(1, 5));
    assert.equal(describeTokenCounts(usage), '≈ 1,204 tok in (1,000 cached) / 96 out');
    assert.equal(describeTokenCounts({ ...usage, estimated: false }), '1,204 tok in (1,000 cached) / 96 out');
    assert.equal(describeTokenCounts(NO_USAGE), '0 tok in / 0 out', 'no "cached" when nothing was');
    assert.equal(shortUsage(usage, cost), '≈1,300 tok $0.0009');
    assert.equal(shortUsage({ ...usage, estimated: false }, undefined), '1,300 tok');
  });

  it('estimates tokens from characters when a stream was stopped before its usage', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('x'.repeat(35)), 10);
  });

  it('the status model shows the last run in the status bar for a while, then only in the tooltip', async () => {
    const clock = new FakeClock();
    const status = new StatusModel(clock);
    status.setHasKey(true);
    status.recordRun({ short: '1,300 tok', detail: 'details' }, 20_000);
    assert.deepEqual(status.snapshot, { state: 'ready', lastRun: { short: '1,300 tok', detail: 'details', recent: true } });
    await clock.tick(20_001);
    assert.deepEqual(status.snapshot.lastRun, { short: '1,300 tok', detail: 'details', recent: false });
    assert.equal(DEFAULT_SETTINGS['continueBlock.maxTokens'] > DEFAULT_SETTINGS.maxTokens, true, 'a block gets a bigger budget than ghost text');
  });
});
