import * as assert from 'node:assert/strict';
import { addUsage, costUsd, describeUsage, estimateTokens, NO_USAGE, priceOf, shortUsage } from '../../src/core/pricing';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { StatusModel } from '../../src/core/status';
import { FakeClock } from './helpers/fakeClock';

describe('pricing', () => {
  const singapore = { region: 'singapore' as const, baseUrl: '' };

  it('knows the documented Singapore prices, dated snapshots included, and guesses none elsewhere', () => {
    assert.deepEqual(priceOf('qwen3-coder-plus', singapore), { input: 1, output: 5 });
    assert.deepEqual(priceOf('qwen3-coder-flash', singapore), { input: 0.3, output: 1.5 });
    assert.deepEqual(priceOf('qwen3-coder-plus-2025-09-23', singapore), { input: 1, output: 5 });
    assert.equal(priceOf('qwen3-coder-plus', { region: 'beijing', baseUrl: '' }), undefined, 'Beijing bills in CNY');
    assert.equal(priceOf('qwen3-coder-plus', { region: 'us-virginia', baseUrl: '' }), undefined);
    assert.equal(priceOf('qwen3-coder-plus', { region: 'singapore', baseUrl: 'http://127.0.0.1:1/v1' }), undefined);
    assert.equal(priceOf('some-other-model', singapore), undefined);
  });

  it('bills cached input at 20% of the input price', () => {
    const price = { input: 1, output: 5 };
    // 1000 uncached + 1000 cached at 20% + 200 out: (1000 + 200 + 1000) / 1e6 dollars.
    assert.equal(costUsd({ promptTokens: 2000, cachedTokens: 1000, completionTokens: 200 }, price), 0.0022);
  });

  it('describes usage, marking estimates and unknown prices', () => {
    const usage = addUsage(
      { promptTokens: 1200, completionTokens: 90, cachedTokens: 1000, estimated: false },
      { promptTokens: 4, completionTokens: 6, cachedTokens: 0, estimated: true },
    );
    assert.deepEqual(usage, { promptTokens: 1204, completionTokens: 96, cachedTokens: 1000, estimated: true });
    assert.equal(describeUsage(usage, { input: 1, output: 5 }), '≈ 1,204 tokens in (1,000 cached) + 96 out, ≈ $0.0009');
    assert.match(describeUsage(NO_USAGE, undefined), /^0 tokens in \+ 0 out, cost unknown/);
    assert.equal(shortUsage(usage, { input: 1, output: 5 }), '≈1,300 tok $0.0009');
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
