import type { Dialect } from './block/languages';
import { likelyBlockStart } from './ghostText';
import type { Settings } from './settings';

/** What the wait after a keystroke adapts to: cheap to know, since it is asked on every keystroke. */
export interface DebounceInput {
  /** The cursor's line up to the cursor. */
  readonly cursorLine: string;
  readonly dialect: Dialect;
  /** How long recent requests took to a finished suggestion; undefined before the first. */
  readonly recentLatencyMs: number | undefined;
}

/**
 * How long to wait after a keystroke before asking: `debounceMs` scaled by where the cursor is and
 * by how fast Qwen has been answering, within [minDebounceMs, maxDebounceMs].
 * - Where a suggestion is likely wanted (a block starts: after an opener, on a blank line), soon.
 * - In the middle of a word the user is still typing it: a suggestion now would be stale at once.
 * - Fast answers make an early request cheap to redo; slow ones are better spent on a settled prefix.
 */
export function adaptiveDebounceMs(input: DebounceInput, settings: Pick<Settings, 'debounceMs' | 'minDebounceMs' | 'maxDebounceMs'>): number {
  let factor = 1;
  if (likelyBlockStart(input.cursorLine, input.dialect)) factor = 0.4;
  else if (/[\p{L}\p{N}_]$/u.test(input.cursorLine)) factor = 1.6;
  if (input.recentLatencyMs !== undefined) factor *= latencyFactor(input.recentLatencyMs);
  const min = Math.min(settings.minDebounceMs, settings.maxDebounceMs);
  return Math.round(Math.min(settings.maxDebounceMs, Math.max(min, settings.debounceMs * factor)));
}

/** 0.75 at 300 ms or less, 1.25 at 900 ms or more, linear between. */
function latencyFactor(latencyMs: number): number {
  const clamped = Math.min(900, Math.max(300, latencyMs));
  return 0.75 + ((clamped - 300) / 600) * 0.5;
}

/** An exponentially weighted mean of recent request latencies. */
export class LatencyTracker {
  private mean: number | undefined;

  get recentMs(): number | undefined {
    return this.mean;
  }

  record(ms: number): void {
    this.mean = this.mean === undefined ? ms : this.mean * 0.7 + ms * 0.3;
  }
}
