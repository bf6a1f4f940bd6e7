import type { Usage } from './backend';
import { serverOf, type Price, type Settings } from './settings';

/** Token counts of one or more requests; `estimated` when some request ended before reporting usage. */
export interface TokenUsage extends Usage {
  readonly estimated: boolean;
}

export const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0, estimated: false };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    estimated: a.estimated || b.estimated,
  };
}

/**
 * A stand-in for the tokenizer (not shipped: it would dwarf the bundle) when a stream was stopped
 * before the usage chunk: Qwen's tokenizer averages about 3.5 characters per token on source code.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

/** The usage of a request that ended before the server reported it (stopped or aborted), estimated. */
export function estimatedUsage(messages: ReadonlyArray<{ readonly content: string }>, output: string): TokenUsage {
  const prompt = messages.reduce((sum, message) => sum + estimateTokens(message.content) + 4, 0);
  return { promptTokens: prompt, completionTokens: estimateTokens(output), cachedTokens: 0, estimated: true };
}

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Where a price applies: a region, or "custom" for a custom base URL (anybody's server, anybody's price). */
type PriceScope = Settings['region'] | 'custom';

/**
 * Model Studio's documented prices, input up to 32K tokens (../shared/dashscope-api.md). Only
 * Singapore's are documented there; US (Virginia) and Beijing (billed in CNY) publish their own,
 * and none is guessed for them: the user adds them with `qwenInline.prices`.
 */
const DOCUMENTED_PRICES: Readonly<Record<PriceScope, Readonly<Record<string, Price>>>> = {
  singapore: {
    'qwen3-coder-plus': { input: 1, output: 5, currency: 'USD' },
    'qwen3-coder-flash': { input: 0.3, output: 1.5, currency: 'USD' },
    'qwen3-coder-480b-a35b-instruct': { input: 1.5, output: 7.5, currency: 'USD' },
    'qwen3-coder-30b-a3b-instruct': { input: 0.45, output: 2.25, currency: 'USD' },
  },
  'us-virginia': {},
  beijing: {},
  custom: {},
};

/** The implicit cache bills cached input tokens at 20% of the input price. */
const CACHED_INPUT_SHARE = 0.2;

/** Prices, like API keys, belong to one region or to the custom base URL ("custom"). */
export function priceScope(settings: Pick<Settings, 'region' | 'baseUrl'>): PriceScope {
  const server = serverOf(settings);
  return server.kind === 'dashscope' ? server.region : 'custom';
}

/**
 * The price of `model` where the settings send requests, or undefined when nobody knows it.
 * The user's `prices` win over the documented table; in each, "scope/model" wins over "model", and
 * the model's own name over its dated snapshot's base name.
 */
export function priceOf(model: string, settings: Pick<Settings, 'region' | 'baseUrl' | 'prices'>): Price | undefined {
  const scope = priceScope(settings);
  // Dated snapshots (qwen3-coder-plus-2025-09-23) cost what their model costs.
  const names = [model, model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
  for (const name of names) {
    const price = settings.prices[`${scope}/${name}`] ?? settings.prices[name];
    if (price) return price;
  }
  for (const name of names) {
    const price = DOCUMENTED_PRICES[scope][name];
    if (price) return price;
  }
  return undefined;
}

export function costOf(usage: Usage, price: Price): Money {
  const uncached = usage.promptTokens - usage.cachedTokens;
  const amount = (uncached * price.input + usage.cachedTokens * price.input * CACHED_INPUT_SHARE + usage.completionTokens * price.output) / 1e6;
  return { amount, currency: price.currency };
}

/** "$0.0009", "CN¥0.0150", "EUR 0.0021"; cents only from 1 up ("$12.30"), unless `digits` says otherwise. */
export function formatMoney(money: Money, digits = Math.abs(money.amount) < 1 ? 4 : 2): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(money.amount);
  } catch {
    // A runtime without this currency's data: still say which currency it is.
    return `${money.amount.toFixed(digits)} ${money.currency}`;
  }
}

/** "1,204 tok in (1,000 cached) / 96 out" for the log, "≈ " first when estimated. */
export function describeTokenCounts(usage: Usage & { readonly estimated: boolean }): string {
  const count = (n: number) => n.toLocaleString('en');
  return (
    `${usage.estimated ? '≈ ' : ''}${count(usage.promptTokens)} tok in` +
    (usage.cachedTokens > 0 ? ` (${count(usage.cachedTokens)} cached)` : '') +
    ` / ${count(usage.completionTokens)} out`
  );
}

/**
 * For the status bar, where every character counts: "$0.012", "$0.38", "$12.30", "<$0.001". Three
 * decimals below ten cents, so a day of ghost text (a few cents) does not read as "$0.01" all day.
 */
export function formatShortMoney(money: Money): string {
  const format = (amount: number, digits: number) => formatMoney({ amount, currency: money.currency }, digits);
  if (money.amount > 0 && money.amount < 0.001) return `<${format(0.001, 3)}`;
  return format(money.amount, money.amount < 0.1 ? 3 : 2);
}

/**
 * What Continue This Block still passes to StatusModel.recordRun: "≈1,412 tok $0.0021".
 * @deprecated The status bar reads the last request from SpendingTracker; goes once continueBlock.ts uses recordBlockRun.
 */
export function shortUsage(usage: TokenUsage, cost: Money | undefined): string {
  const tokens = (usage.promptTokens + usage.completionTokens).toLocaleString('en');
  return `${usage.estimated ? '≈' : ''}${tokens} tok` + (cost ? ` ${formatMoney(cost)}` : '');
}
