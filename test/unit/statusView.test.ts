import * as assert from 'node:assert/strict';
import { classifyError } from '../../src/core/errors';
import { useTranslator } from '../../src/core/l10n';
import type { TokenUsage } from '../../src/core/pricing';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { NO_SPENDING, SpendingTracker, type SpendingSnapshot } from '../../src/core/spending';
import { StatusModel, type StatusSnapshot } from '../../src/core/status';
import { menuTitle, statusView } from '../../src/core/statusView';
import { FakeClock } from './helpers/fakeClock';
import { memoryStore } from './helpers/harness';
import { recordingLogger } from './helpers/recordingLogger';

const JUNE_1_AT_NOON = new Date(2025, 5, 1, 12, 0).getTime();
const READY: StatusSnapshot = { state: 'ready' };
const NOTHING_SPENT: SpendingSnapshot = { session: NO_SPENDING, day: '2025-06-01', today: NO_SPENDING };

/** A tracker with `settings` and a few requests recorded the way the engine and Continue This Block record them. */
function spendingWith(settings: Partial<Settings>, record: (tracker: SpendingTracker) => void): { spending: SpendingSnapshot; settings: Settings } {
  const all: Settings = { ...DEFAULT_SETTINGS, ...settings };
  const tracker = new SpendingTracker({ settings: () => all, clock: new FakeClock(JUNE_1_AT_NOON), store: memoryStore(), logger: recordingLogger() });
  record(tracker);
  const spending = tracker.snapshot;
  tracker.dispose();
  return { spending, settings: all };
}

const usage = (promptTokens: number, cachedTokens: number, completionTokens: number, estimated = false): TokenUsage => ({ promptTokens, cachedTokens, completionTokens, estimated });

describe('status view: the status bar item', () => {
  afterEach(() => useTranslator(undefined));

  it('shows the state icon and "Qwen", and today\'s cost once something with a price was spent; never token counts', () => {
    assert.deepEqual(statusView({ status: READY, spending: NOTHING_SPENT, settings: DEFAULT_SETTINGS }).text, '$(sparkle) Qwen');
    const { spending, settings } = spendingWith({}, (tracker) => {
      tracker.record('qwen3-coder-plus', usage(8000, 6000, 900), 'ghost', 1, { firstTokenMs: 212, totalMs: 480 });
      tracker.record('qwen3-coder-plus', usage(2400, 0, 300), 'block', 2);
    });
    const texts = (['ready', 'loading', 'disabled', 'snoozed', 'needsKey', 'error', 'excluded', 'overBudget'] as const).map(
      (state) => statusView({ status: { state }, spending, settings }).text,
    );
    assert.deepEqual(texts, [
      '$(sparkle) Qwen $0.012',
      '$(loading~spin) Qwen $0.012',
      '$(circle-slash) Qwen $0.012',
      '$(clock) Qwen $0.012',
      '$(key) Qwen $0.012',
      '$(warning) Qwen $0.012',
      '$(shield) Qwen $0.012',
      '$(debug-pause) Qwen $0.012',
    ]);
    for (const text of texts) assert.doesNotMatch(text, /tok/);
  });

  it('shows no money for a self-hosted server, whose requests have no price', () => {
    const { spending, settings } = spendingWith({ server: 'vllm', model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct' }, (tracker) => {
      tracker.record('Qwen/Qwen3-Coder-30B-A3B-Instruct', usage(3000, 2500, 120), 'ghost');
    });
    assert.equal(statusView({ status: READY, spending, settings }).text, '$(sparkle) Qwen');
  });

  it('a warning background for what needs the user: a key, an error, the budget', () => {
    const warned = (['ready', 'loading', 'disabled', 'snoozed', 'needsKey', 'error', 'excluded', 'overBudget'] as const).filter(
      (state) => statusView({ status: { state }, spending: NOTHING_SPENT, settings: DEFAULT_SETTINGS }).warning,
    );
    assert.deepEqual(warned, ['needsKey', 'error', 'overBudget']);
  });

  it('the tooltip: the state, the model, the last request and today in labelled columns, the first token, the budget left', () => {
    const { spending, settings } = spendingWith({ dailyBudget: 1 }, (tracker) => {
      tracker.record('qwen3-coder-plus', usage(2400, 0, 300), 'block', 2, { firstTokenMs: 640, totalMs: 2210 });
      tracker.record('qwen3-coder-plus', usage(1204, 1000, 96), 'ghost', 1, { firstTokenMs: 212, totalMs: 480 });
    });
    const tooltip = statusView({ status: READY, spending, settings }).tooltip;
    assert.equal(
      tooltip,
      [
        '**Qwen Inline**: ready',
        'Suggestions appear in grey as you type; Tab accepts them.',
        'Model `qwen3-coder-plus` at `https://dashscope-intl.aliyuncs.com/compatible-mode/v1`',
        '|  | In | Cached | Out | Cost |\n' +
          '| :-- | --: | --: | --: | --: |\n' +
          '| Last request | 1,204 | 1,000 | 96 | ≈ $0.0009 |\n' +
          '| Today, 3 requests | 3,604 | 1,000 | 396 | ≈ $0.0048 |',
        'First token after 212 ms, done after 480 ms.',
        'Daily budget: $0.9952 left of $1.00.',
        'Click for the menu.',
      ].join('\n\n'),
    );
  });

  it('explains each state, in words, with what to do', () => {
    const explained = (status: StatusSnapshot) => statusView({ status, spending: NOTHING_SPENT, settings: DEFAULT_SETTINGS }).tooltip.split('\n\n').slice(0, 2).join(' / ');
    assert.equal(explained({ state: 'disabled' }), '**Qwen Inline**: disabled everywhere / Completions are turned off (`qwenInline.enable`).');
    assert.equal(
      explained({ state: 'disabled', disabledLanguage: 'typescriptreact' }),
      '**Qwen Inline**: disabled for TypeScript React / Completions are turned off for TypeScript React files (`qwenInline.languages`).',
    );
    assert.equal(
      explained({ state: 'excluded', excluded: { kind: 'pattern', pattern: '**/.env*' } }),
      '**Qwen Inline**: no suggestions in this file / It matches `**/.env*` in `qwenInline.exclude`, so none of its text is sent.',
    );
    assert.equal(explained({ state: 'excluded', excluded: { kind: 'privateKey' } }), '**Qwen Inline**: no suggestions in this file / Its text holds a private key, so none of it is sent.');
    assert.match(explained({ state: 'snoozed', snoozedUntil: JUNE_1_AT_NOON }), /^\*\*Qwen Inline\*\*: snoozed until \S+.* \/ Suggestions come back by themselves, or resume them from the menu\.$/);
    assert.equal(explained({ state: 'needsKey' }), '**Qwen Inline**: needs an API key / Choose Set API Key… in the menu.');
    assert.equal(explained({ state: 'loading' }).split(' / ')[0], '**Qwen Inline**: asking Qwen…');
    const error = classifyError({ kind: 'http', status: 500 }, { model: 'm', endpoint: 'e', now: 0 });
    assert.equal(explained({ state: 'error', error }), `**Qwen Inline**: the last request failed / ${error.message}`);
    const auth = classifyError({ kind: 'http', status: 401 }, { model: 'm', endpoint: 'e', now: 0 });
    assert.equal(explained({ state: 'needsKey', error: auth }), `**Qwen Inline**: needs an API key / ${auth.message}`);
  });

  it('before any request: says so instead of a table of zeros', () => {
    const tooltip = statusView({ status: READY, spending: NOTHING_SPENT, settings: DEFAULT_SETTINGS }).tooltip;
    assert.match(tooltip, /\n\nNo requests yet today\.\n\n/);
    assert.doesNotMatch(tooltip, /\|/);
  });

  it('a Continue This Block run is the last request, with its rounds; estimated counts are marked', () => {
    const { spending, settings } = spendingWith({}, (tracker) => {
      tracker.record('qwen3-coder-plus', usage(2400, 0, 300, true), 'block', 2, { firstTokenMs: 640, totalMs: 2210 });
    });
    const tooltip = statusView({ status: READY, spending, settings }).tooltip;
    assert.ok(tooltip.includes('| Last run of Continue This Block (2 requests) | ≈ 2,400 | ≈ 0 | ≈ 300 | ≈ $0.0039 |\n| Today, 2 requests | ≈ 2,400 | ≈ 0 | ≈ 300 | ≈ $0.0039 |'), tooltip);
    assert.match(tooltip, /\n\nFirst token after 640 ms, done after 2,210 ms\.\n\n/);
  });

  it('DashScope without a price for the model: a dash for the cost and, in the tooltip only, where to add one', () => {
    const { spending, settings } = spendingWith({ region: 'us-virginia' }, (tracker) => tracker.record('qwen3-coder-plus', usage(1000, 0, 200), 'ghost'));
    const view = statusView({ status: READY, spending, settings });
    assert.equal(view.text, '$(sparkle) Qwen');
    assert.ok(view.tooltip.includes('| Last request | 1,000 | 0 | 200 | — |'), view.tooltip);
    assert.match(view.tooltip, /No price is known for `qwen3-coder-plus` in this region: add it to `qwenInline\.prices` to see the cost\./);
  });

  it('the load while typing only for a self-hosted server, which is sized by it', () => {
    const record = (tracker: SpendingTracker) => tracker.record('qwen3-coder-plus', usage(2000, 1500, 50), 'ghost');
    const selfHosted = spendingWith({ server: 'llama.cpp' }, record);
    assert.match(statusView({ status: READY, ...selfHosted }).tooltip, /\n\nLoad while typing, over 1 active minute: 1 requests\/min · 2,000 prompt tokens\/min \(500 uncached\) · 50 output tokens\/min\n\n/);
    const hosted = spendingWith({}, record);
    assert.doesNotMatch(statusView({ status: READY, ...hosted }).tooltip, /Load while typing/);
  });

  it('speaks the display language: every text through the translator, the numbers as they are', () => {
    const asked: string[] = [];
    useTranslator((message, ...args) => {
      asked.push(message);
      return `«${message}»${args.length > 0 ? `(${args.join(', ')})` : ''}`;
    });
    const { spending, settings } = spendingWith({}, (tracker) => tracker.record('qwen3-coder-plus', usage(1204, 1000, 96), 'ghost', 1, { firstTokenMs: 212 }));
    const tooltip = statusView({ status: { state: 'disabled', disabledLanguage: 'python' }, spending, settings }).tooltip;
    assert.ok(tooltip.startsWith('**Qwen Inline**: «disabled for {0}»(Python)\n\n'), tooltip);
    assert.ok(tooltip.includes('|  | «In» | «Cached» | «Out» | «Cost» |'), tooltip);
    assert.ok(tooltip.includes('| «Last request» | 1,204 | 1,000 | 96 | ≈ $0.0009 |'), tooltip);
    assert.ok(asked.includes('First token after {0} ms.'));
  });
});

describe('status view: the menu title', () => {
  it('names the day\'s requests and, where a price is known, the cost', () => {
    assert.equal(menuTitle(NOTHING_SPENT), 'Qwen Inline');
    const one = spendingWith({}, (tracker) => tracker.record('qwen3-coder-plus', usage(1000, 0, 200), 'ghost')).spending;
    assert.equal(menuTitle(one), 'Qwen Inline · today 1 request, ≈ $0.0020');
    const unpriced = spendingWith({ server: 'ollama' }, (tracker) => {
      tracker.record('qwen3-coder-plus', usage(1000, 0, 200), 'ghost');
      tracker.record('qwen3-coder-plus', usage(1000, 0, 200), 'block', 1200);
    }).spending;
    assert.equal(menuTitle(unpriced), 'Qwen Inline · today 1,201 requests');
  });
});

describe('status model: which language is off', () => {
  it('names the language when completions are off for it only, and forgets it once they are on', () => {
    const status = new StatusModel(new FakeClock());
    status.setHasKey(true);
    status.setEnabled(false, 'python');
    assert.deepEqual(status.snapshot, { state: 'disabled', disabledLanguage: 'python' });
    status.setEnabled(false);
    assert.deepEqual(status.snapshot, { state: 'disabled' });
    status.setEnabled(true, 'python');
    assert.deepEqual(status.snapshot, { state: 'ready' });
  });
});
