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
  /** The user's typical gap between two keys (TypingRhythm); undefined until known. */
  readonly typingGapMs?: number;
}

/**
 * How long to wait after a keystroke before asking: `debounceMs` scaled by where the cursor is and
 * by how fast Qwen has been answering, within [minDebounceMs, maxDebounceMs].
 * - Where a suggestion is likely wanted (a block starts: after an opener, on a blank line), soon.
 * - In the middle of a word the user is still typing it: a suggestion now would be stale at once.
 * - Fast answers make an early request cheap to redo; slow ones are better spent on a settled prefix.
 */
/**
 * At a block start the user usually stops to read the suggestion: at 0.4 the default 250 ms becomes
 * 100 ms, shorter than the gap between two keys, so the request is out before the pause is felt.
 */
const BLOCK_START_FACTOR = 0.4;
/**
 * Mid-word, keys come every 100-200 ms (the benchmark's typist: 70-230 ms); at 1.6 the default
 * 250 ms becomes 400 ms, well above that gap, so no request goes out between two letters of a word.
 */
const MID_WORD_FACTOR = 1.6;
/**
 * Once the user's rhythm is known, a request goes out at 0.7 of their typical gap between keys
 * (about 100 ms for the benchmark's typist), as the pause begins, and mid-word too: a request the
 * next keystrokes agree with is followed, not wasted (see flight.ts). Measured with `npm run bench`
 * against a 250 ms wait, 1.6 times that mid-word: pause to ghost text at p95 1.28 x the model's
 * limit instead of 1.78 x, and 15% less spent per accepted character.
 */
const RHYTHM_FACTOR = 0.7;
/** A gap longer than this is a pause, not typing. */
const MAX_TYPING_GAP_MS = 600;
/** Gaps seen before the rhythm counts: one word's worth. */
const MIN_TYPING_GAPS = 4;
/** Each new gap weighs 0.2: the rhythm follows a change of pace within a few words. */
const LATEST_GAP_WEIGHT = 0.2;
/**
 * Answers at or below 300 ms (a warm cache, a near server) make an early request cheap to redo:
 * wait a quarter less. At or above 900 ms (a far region, a cold prompt) a wasted request costs a
 * second of waiting: wait a quarter more. A quarter keeps the cursor's position the main factor.
 */
const FAST_ANSWER_MS = 300;
const SLOW_ANSWER_MS = 900;
const FAST_FACTOR = 0.75;
const SLOW_FACTOR = 1.25;
/** The latest request weighs 0.3: a region switch or a cold cache shows within about three requests, one slow answer does not swing it. */
const LATEST_LATENCY_WEIGHT = 0.3;

export function adaptiveDebounceMs(input: DebounceInput, settings: Pick<Settings, 'debounceMs' | 'minDebounceMs' | 'maxDebounceMs'>): number {
  const rhythm = input.typingGapMs === undefined ? undefined : RHYTHM_FACTOR * input.typingGapMs;
  let factor = 1;
  if (likelyBlockStart(input.cursorLine, input.dialect)) factor = BLOCK_START_FACTOR;
  else if (rhythm === undefined && /[\p{L}\p{N}_]$/u.test(input.cursorLine)) factor = MID_WORD_FACTOR;
  if (input.recentLatencyMs !== undefined) factor *= latencyFactor(input.recentLatencyMs);
  const min = Math.min(settings.minDebounceMs, settings.maxDebounceMs);
  const base = rhythm === undefined ? settings.debounceMs : Math.min(settings.debounceMs, rhythm);
  return Math.round(Math.min(settings.maxDebounceMs, Math.max(min, base * factor)));
}

/** FAST_FACTOR at FAST_ANSWER_MS or less, SLOW_FACTOR at SLOW_ANSWER_MS or more, linear between. */
function latencyFactor(latencyMs: number): number {
  const clamped = Math.min(SLOW_ANSWER_MS, Math.max(FAST_ANSWER_MS, latencyMs));
  return FAST_FACTOR + ((clamped - FAST_ANSWER_MS) / (SLOW_ANSWER_MS - FAST_ANSWER_MS)) * (SLOW_FACTOR - FAST_FACTOR);
}

/** The user's typical gap between two keys while typing: an exponentially weighted mean of the gaps that are not pauses. */
export class TypingRhythm {
  private lastAt: number | undefined;
  private mean: number | undefined;
  private gaps = 0;

  get typicalGapMs(): number | undefined {
    return this.gaps >= MIN_TYPING_GAPS ? this.mean : undefined;
  }

  /** A keystroke at `now`. */
  record(now: number): void {
    const gap = this.lastAt === undefined ? undefined : now - this.lastAt;
    this.lastAt = now;
    if (gap === undefined || gap <= 0 || gap > MAX_TYPING_GAP_MS) return;
    this.mean = this.mean === undefined ? gap : this.mean * (1 - LATEST_GAP_WEIGHT) + gap * LATEST_GAP_WEIGHT;
    this.gaps++;
  }
}

/** An exponentially weighted mean of recent request latencies. */
export class LatencyTracker {
  private mean: number | undefined;

  get recentMs(): number | undefined {
    return this.mean;
  }

  record(ms: number): void {
    this.mean = this.mean === undefined ? ms : this.mean * (1 - LATEST_LATENCY_WEIGHT) + ms * LATEST_LATENCY_WEIGHT;
  }
}
