import type { Clock } from './clock';
import { dailyBudgetReached, type ClassifiedError } from './errors';
import { LoadMeter, type TypingLoad } from './load';
import type { Logger } from './logger';
import { costOf, describeTokenCounts, formatMoney, priceOf, priceScope, type Money, type TokenUsage } from './pricing';
import type { Settings } from './settings';

/** Ghost text, or a run of Continue This Block. */
export type Feature = 'ghost' | 'block';

/** Where the day's totals outlive a restart; VS Code's `context.globalState` is one. */
export interface SpendingStore {
  get(key: string): unknown;
  update(key: string, value: unknown): void | PromiseLike<void>;
}

export interface SpendingTotals {
  readonly ghostRequests: number;
  readonly blockRequests: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly completionTokens: number;
  /** Requests whose tokens were estimated: the stream stopped before its usage arrived. */
  readonly estimatedRequests: number;
  /** Estimated cost per currency ("USD", "CNY") of the requests with a known price. */
  readonly cost: Readonly<Record<string, number>>;
  /** Requests with no known price: in the token counts, not in the cost. */
  readonly unpricedRequests: number;
}

export const NO_SPENDING: SpendingTotals = {
  ghostRequests: 0,
  blockRequests: 0,
  promptTokens: 0,
  cachedTokens: 0,
  completionTokens: 0,
  estimatedRequests: 0,
  cost: {},
  unpricedRequests: 0,
};

interface BudgetState {
  /** `qwenInline.dailyBudget`. */
  readonly limit: number;
  /** The current model's price currency; absent when it has no price, so the budget cannot be measured. */
  readonly currency?: string;
  /** Today's estimated cost in that currency. */
  readonly spent: number;
  readonly reached: boolean;
}

export interface SpendingSnapshot {
  readonly session: SpendingTotals;
  /** The local calendar day of `today`, "2025-06-01". */
  readonly day: string;
  readonly today: SpendingTotals;
  /** Absent while the daily budget is off (0). */
  readonly budget?: BudgetState;
  /** Requests and tokens per minute while typing (see LoadMeter); absent before the first request. */
  readonly load?: TypingLoad;
  /** The last request that was answered (a Continue This Block run counts as one), this session. */
  readonly lastRequest?: LastRequest;
}

/** What the status bar's tooltip says of the last request. */
export interface LastRequest {
  readonly feature: Feature;
  readonly model: string;
  /** A Continue This Block run's rounds; 1 for ghost text. */
  readonly requests: number;
  readonly usage: TokenUsage;
  /** Absent when the model has no known price here. */
  readonly cost?: Money;
  readonly firstTokenMs?: number;
  readonly totalMs?: number;
}

/** How a recorded request went, beyond its tokens. */
export interface RequestDetails {
  readonly firstTokenMs?: number;
  readonly totalMs?: number;
  /** Stopped before its answer (a newer keystroke): it counts, but it is not the last request shown. */
  readonly cancelled?: boolean;
}

/** What one recorded request cost, and the texts for its log line. */
export interface RecordedUsage {
  /** Absent when the model has no known price here. */
  readonly cost?: Money;
  /**
   * "≈ $0.0009"; without a price, the first time for a model and region a hint where to add one,
   * then "no price", so the log is not filled with the same advice.
   */
  readonly costText: string;
  /** "1,204 tok in (1,000 cached) / 96 out, ≈ $0.0009" */
  readonly description: string;
}

interface SpendingDeps {
  readonly settings: () => Settings;
  readonly clock: Clock;
  readonly store: SpendingStore;
  readonly logger: Logger;
}

const STORE_KEY = 'qwenInline.spending.day';

/**
 * Tokens and estimated cost of every request, for this session and for the local calendar day
 * (kept in the store across restarts), and whether the day's cost reached `qwenInline.dailyBudget`.
 * Prices are read from the settings when a request is recorded. Never throws into its callers:
 * a failure to read or write the store costs the day's totals, not a completion.
 */
export class SpendingTracker {
  private session = NO_SPENDING;
  private day: string;
  private today: SpendingTotals;
  private midnightTimer: unknown;
  private readonly listeners = new Set<(snapshot: SpendingSnapshot) => void>();
  /** What listeners last saw, so they hear only of real changes. */
  private lastSeen: string;
  /** The load while typing, of ghost text and Continue This Block alike: every request counted here. */
  private readonly meter: LoadMeter;
  private lastRequest: LastRequest | undefined;
  /** "region/model" pairs whose missing price the log has already explained this session. */
  private readonly unpricedExplained = new Set<string>();

  constructor(private readonly deps: SpendingDeps) {
    this.meter = new LoadMeter(deps.clock);
    this.day = localDay(deps.clock.now());
    this.today = this.load();
    this.armMidnightTimer();
    this.lastSeen = JSON.stringify(this.snapshot);
  }

  get snapshot(): SpendingSnapshot {
    this.rollOver();
    const budget = this.budget();
    const load = this.meter.load;
    const lastRequest = this.lastRequest;
    return { session: this.session, day: this.day, today: this.today, ...(budget ? { budget } : {}), ...(load ? { load } : {}), ...(lastRequest ? { lastRequest } : {}) };
  }

  /**
   * Counts one request (or, for Continue This Block, the `requests` of one run) at the current
   * price of `model`, and describes its cost for the log line.
   */
  record(model: string, usage: TokenUsage, feature: Feature, requests = 1, details: RequestDetails = {}): RecordedUsage {
    let cost: Money | undefined;
    let costText = 'no price';
    try {
      const settings = this.deps.settings();
      const price = priceOf(model, settings);
      cost = price ? costOf(usage, price) : undefined;
      costText = cost ? `≈ ${formatMoney(cost)}` : this.unpricedText(model, priceScope(settings));
      this.rollOver();
      this.session = addRequest(this.session, usage, feature, requests, cost);
      this.today = addRequest(this.today, usage, feature, requests, cost);
      this.meter.record(usage, requests);
      if (!details.cancelled) this.lastRequest = lastRequestOf(model, usage, feature, requests, cost, details);
      this.save();
      this.notify();
    } catch (error) {
      this.deps.logger.warn(`spending: could not count a request: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { ...(cost ? { cost } : {}), costText, description: `${describeTokenCounts(usage)}, ${costText}` };
  }

  /** Where to add the missing price, once per model and region; after that just "no price". */
  private unpricedText(model: string, scope: string): string {
    const key = `${scope}/${model}`;
    if (this.unpricedExplained.has(key)) return 'no price';
    this.unpricedExplained.add(key);
    return `no price for ${model} (${scope}): add one to qwenInline.prices to see the cost`;
  }

  /** True while today's estimated cost is at or above the daily budget: ghost text and Continue This Block pause. */
  budgetReached(): boolean {
    this.rollOver();
    return this.budget()?.reached ?? false;
  }

  /** The message to show while the budget is reached; undefined otherwise. */
  budgetError(): ClassifiedError | undefined {
    this.rollOver();
    const budget = this.budget();
    if (!budget?.reached || !budget.currency) return undefined;
    return dailyBudgetReached(formatMoney({ amount: budget.spent, currency: budget.currency }), formatMoney({ amount: budget.limit, currency: budget.currency }));
  }

  /** Tells listeners if anything they show changed: call it when the settings change (budget, model, prices). */
  refresh(): void {
    this.notify();
  }

  onDidChange(listener: (snapshot: SpendingSnapshot) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.deps.clock.clearTimeout(this.midnightTimer);
    this.listeners.clear();
  }

  private budget(): BudgetState | undefined {
    const settings = this.deps.settings();
    const limit = settings.dailyBudget;
    if (!(limit > 0)) return undefined;
    const currency = priceOf(settings.model, settings)?.currency;
    if (!currency) return { limit, spent: 0, reached: false };
    const spent = this.today.cost[currency] ?? 0;
    return { limit, currency, spent, reached: spent >= limit };
  }

  /** A new local day starts from zero; the session goes on. */
  private rollOver(): void {
    const day = localDay(this.deps.clock.now());
    if (day === this.day) return;
    this.day = day;
    this.today = NO_SPENDING;
  }

  /** At local midnight the day's totals (and a reached budget) reset without any request to notice it. */
  private armMidnightTimer(): void {
    const now = this.deps.clock.now();
    const date = new Date(now);
    const nextMidnight = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
    this.midnightTimer = this.deps.clock.setTimeout(() => {
      this.notify();
      this.armMidnightTimer();
    }, Math.max(1000, nextMidnight - now));
  }

  private load(): SpendingTotals {
    try {
      const stored = this.deps.store.get(STORE_KEY);
      if (stored === undefined) return NO_SPENDING;
      const parsed = parseStored(stored);
      if (!parsed) {
        this.deps.logger.warn(`spending: ignored unreadable totals in storage (${JSON.stringify(stored)?.slice(0, 200)}); today starts from zero`);
        return NO_SPENDING;
      }
      return parsed.day === this.day ? parsed.totals : NO_SPENDING;
    } catch (error) {
      this.deps.logger.warn(`spending: could not read today's totals: ${error instanceof Error ? error.message : String(error)}; today starts from zero`);
      return NO_SPENDING;
    }
  }

  private save(): void {
    const warn = (error: unknown) =>
      this.deps.logger.warn(`spending: could not store today's totals: ${error instanceof Error ? error.message : String(error)}`);
    try {
      const written = this.deps.store.update(STORE_KEY, { day: this.day, totals: this.today });
      // Not awaited: storing must never hold up a completion.
      written?.then(undefined, warn);
    } catch (error) {
      warn(error);
    }
  }

  private notify(): void {
    const after = this.snapshot;
    const serialized = JSON.stringify(after);
    if (serialized === this.lastSeen) return;
    this.lastSeen = serialized;
    for (const listener of this.listeners) listener(after);
  }
}

function lastRequestOf(model: string, usage: TokenUsage, feature: Feature, requests: number, cost: Money | undefined, details: RequestDetails): LastRequest {
  const { firstTokenMs, totalMs } = details;
  return { feature, model, requests, usage, ...(cost ? { cost } : {}), ...(firstTokenMs === undefined ? {} : { firstTokenMs }), ...(totalMs === undefined ? {} : { totalMs }) };
}

function addRequest(totals: SpendingTotals, usage: TokenUsage, feature: Feature, requests: number, cost: Money | undefined): SpendingTotals {
  const count = (value: number) => (Number.isFinite(value) && value > 0 ? value : 0);
  return {
    ghostRequests: totals.ghostRequests + (feature === 'ghost' ? requests : 0),
    blockRequests: totals.blockRequests + (feature === 'block' ? requests : 0),
    promptTokens: totals.promptTokens + count(usage.promptTokens),
    cachedTokens: totals.cachedTokens + count(usage.cachedTokens),
    completionTokens: totals.completionTokens + count(usage.completionTokens),
    estimatedRequests: totals.estimatedRequests + (usage.estimated ? requests : 0),
    cost: cost ? { ...totals.cost, [cost.currency]: (totals.cost[cost.currency] ?? 0) + count(cost.amount) } : totals.cost,
    unpricedRequests: totals.unpricedRequests + (cost ? 0 : requests),
  };
}

/** "2025-06-01" in the local time zone. */
function localDay(time: number): string {
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The stored `{ day, totals }`, or undefined when anything in it is not what was written. */
function parseStored(value: unknown): { day: string; totals: SpendingTotals } | undefined {
  if (!isRecord(value) || typeof value.day !== 'string' || !isRecord(value.totals)) return undefined;
  const stored = value.totals;
  const counts: Record<string, number> = {};
  for (const key of Object.keys(NO_SPENDING) as (keyof SpendingTotals)[]) {
    if (key === 'cost') continue;
    const count = stored[key];
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) return undefined;
    counts[key] = count;
  }
  if (!isRecord(stored.cost)) return undefined;
  const cost: Record<string, number> = {};
  for (const [currency, amount] of Object.entries(stored.cost)) {
    if (!/^[A-Z]{3}$/.test(currency) || typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return undefined;
    cost[currency] = amount;
  }
  return { day: value.day, totals: { ...(counts as Omit<SpendingTotals, 'cost'>), cost } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether this machine has counted a request before: someone who used the extension, not a new install. */
export function hasUsageHistory(store: SpendingStore): boolean {
  try {
    return store.get(STORE_KEY) !== undefined;
  } catch {
    return false;
  }
}
