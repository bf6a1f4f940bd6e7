// The load one user puts on the server while typing: requests and tokens per minute. A self-hosted
// server is sized by it (how many users a GPU serves), as a hosted one's rate limits are (RPM, TPM).
import type { Usage } from './backend';
import type { Clock } from './clock';
import { t } from './l10n';

/** The unit rates are given in, as servers' rate limits (RPM, TPM) and sizing guides give theirs. */
export const MINUTE_MS = 60_000;

/**
 * How many active minutes the rates average: a quarter of an hour of typing holds many bursts and
 * the pauses between them, so one long request or one flurry moves the rate little, yet a change of
 * model, server or settings shows in the rate within that much typing.
 */
export const WINDOW_ACTIVE_MINUTES = 15;

/**
 * Requests a minute needs to count as active: one. Ghost text is asked for only after a keystroke
 * (or a Tab), so a single request means the user was typing in that minute.
 */
export const ACTIVE_MINUTE_MIN_REQUESTS = 1;

/** Per minute while typing, averaged over the active minutes of the window. */
export interface TypingLoad {
  /** How many active minutes the rates average (1 to WINDOW_ACTIVE_MINUTES). */
  readonly activeMinutes: number;
  readonly requestsPerMinute: number;
  readonly promptTokensPerMinute: number;
  /** The prompt tokens the server did not serve from its cache: what it has to prefill. */
  readonly uncachedPromptTokensPerMinute: number;
  /** False while the server reported no cached token in the window: "uncached" would then be a guess. */
  readonly cacheReported: boolean;
  readonly outputTokensPerMinute: number;
}

interface MinuteTotals {
  /** Minutes since the epoch. */
  readonly minute: number;
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

/**
 * Requests and tokens per minute *while typing*: averaged over the last WINDOW_ACTIVE_MINUTES
 * minutes that saw a request, not over wall-clock time. A minute with no request (reading, a
 * meeting, lunch) is left out rather than counted as zero, since idle time would dilute the rate
 * and a server must be sized for the users who are typing. For the same reason the window counts
 * active minutes, not the last quarter of an hour: after a break the rate is still the last
 * typing's, never a stale or vanishing number. Minutes are the clock's: a burst of typing of n
 * minutes usually touches n + 1 of them, so a short burst reads low; steady typing reads low by at
 * most the current minute's unfinished share, 1 in WINDOW_ACTIVE_MINUTES.
 */
export class LoadMeter {
  /** Oldest first; at most WINDOW_ACTIVE_MINUTES. Only minutes with a request are kept. */
  private readonly minutes: MinuteTotals[] = [];

  constructor(private readonly clock: Clock) {}

  /** Counts `requests` requests sent now (a Continue This Block run counts its rounds) and their tokens. */
  record(usage: Usage, requests = 1): void {
    const minute = Math.floor(this.clock.now() / MINUTE_MS);
    let last = this.minutes.at(-1);
    // A clock set back adds to the latest minute rather than reorder the window.
    if (!last || minute > last.minute) {
      last = { minute, requests: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0 };
      this.minutes.push(last);
      if (this.minutes.length > WINDOW_ACTIVE_MINUTES) this.minutes.shift();
    }
    last.requests += count(requests);
    last.promptTokens += count(usage.promptTokens);
    last.cachedTokens += Math.min(count(usage.cachedTokens), count(usage.promptTokens));
    last.completionTokens += count(usage.completionTokens);
  }

  /** The load while typing, or undefined before any active minute. */
  get load(): TypingLoad | undefined {
    const active = this.minutes.filter((m) => m.requests >= ACTIVE_MINUTE_MIN_REQUESTS);
    if (active.length === 0) return undefined;
    const perMinute = (pick: (m: MinuteTotals) => number) => active.reduce((sum, m) => sum + pick(m), 0) / active.length;
    return {
      activeMinutes: active.length,
      requestsPerMinute: perMinute((m) => m.requests),
      promptTokensPerMinute: perMinute((m) => m.promptTokens),
      uncachedPromptTokensPerMinute: perMinute((m) => m.promptTokens - m.cachedTokens),
      cacheReported: active.some((m) => m.cachedTokens > 0),
      outputTokensPerMinute: perMinute((m) => m.completionTokens),
    };
  }
}

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** "9.4", "48", "14,200": two significant digits below 100, three above (an average, not a count). */
export function formatRate(value: number): string {
  if (!(value > 0)) return '0';
  return Number(value.toPrecision(value < 100 ? 2 : 3)).toLocaleString('en');
}

/**
 * For the tooltip: "Load while typing, over the last 12 active minutes: 9.4 requests/min · 14,200
 * prompt tokens/min (1,100 uncached) · 320 output tokens/min"; undefined before the first request.
 */
export function describeLoad(load: TypingLoad | undefined): string | undefined {
  if (!load) return undefined;
  const head = load.activeMinutes === 1 ? t('Load while typing, over 1 active minute') : t('Load while typing, over the last {0} active minutes', load.activeMinutes);
  const prompt = formatRate(load.promptTokensPerMinute);
  const parts = [
    t('{0} requests/min', formatRate(load.requestsPerMinute)),
    // Uncached only once the server reported a cached token: otherwise it would be a guess.
    load.cacheReported ? t('{0} prompt tokens/min ({1} uncached)', prompt, formatRate(load.uncachedPromptTokensPerMinute)) : t('{0} prompt tokens/min', prompt),
    t('{0} output tokens/min', formatRate(load.outputTokensPerMinute)),
  ];
  return `${head}: ${parts.join(' · ')}`;
}
