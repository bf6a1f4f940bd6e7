import type { Usage } from './backend';
import type { Settings } from './settings';

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

/** USD per million tokens. */
export interface Price {
  readonly input: number;
  readonly output: number;
}

/**
 * Model Studio's documented prices for Singapore, input up to 32K tokens (../shared/dashscope-api.md).
 * Other regions publish their own (Beijing bills in CNY); no price is guessed for them.
 */
const SINGAPORE_PRICES_USD: Readonly<Record<string, Price>> = {
  'qwen3-coder-plus': { input: 1, output: 5 },
  'qwen3-coder-flash': { input: 0.3, output: 1.5 },
  'qwen3-coder-480b-a35b-instruct': { input: 1.5, output: 7.5 },
  'qwen3-coder-30b-a3b-instruct': { input: 0.45, output: 2.25 },
};

/** The implicit cache bills cached input tokens at 20% of the input price. */
const CACHED_INPUT_SHARE = 0.2;

/** The price of `model` where the settings send requests, when it is documented. */
export function priceOf(model: string, settings: Pick<Settings, 'region' | 'baseUrl'>): Price | undefined {
  if (settings.baseUrl !== '' || settings.region !== 'singapore') return undefined;
  // Dated snapshots (qwen3-coder-plus-2025-09-23) cost what their model costs.
  return SINGAPORE_PRICES_USD[model] ?? SINGAPORE_PRICES_USD[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
}

export function costUsd(usage: Usage, price: Price): number {
  const uncached = usage.promptTokens - usage.cachedTokens;
  return (uncached * price.input + usage.cachedTokens * price.input * CACHED_INPUT_SHARE + usage.completionTokens * price.output) / 1e6;
}

/** "1,204 in (1,000 cached) + 96 out ≈ $0.0007", marked as estimated when it is. */
export function describeUsage(usage: TokenUsage, price: Price | undefined): string {
  const about = usage.estimated ? '≈ ' : '';
  const tokens =
    `${about}${usage.promptTokens.toLocaleString('en')} tokens in` +
    (usage.cachedTokens > 0 ? ` (${usage.cachedTokens.toLocaleString('en')} cached)` : '') +
    ` + ${usage.completionTokens.toLocaleString('en')} out`;
  const cost = price ? `≈ $${costUsd(usage, price).toFixed(4)}` : 'cost unknown (no documented price for this model and region)';
  return `${tokens}, ${cost}`;
}

/** "≈1,412 tok $0.0021": tokens in and out, and the cost when known. */
export function shortUsage(usage: TokenUsage, price: Price | undefined): string {
  const tokens = (usage.promptTokens + usage.completionTokens).toLocaleString('en');
  return `${usage.estimated ? '≈' : ''}${tokens} tok` + (price ? ` $${costUsd(usage, price).toFixed(4)}` : '');
}
