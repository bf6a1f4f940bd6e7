// The one log line each request leaves: which model, how fast (first token, total), what it used
// (tokens in, cached, out) and cost, and why it ended, in words. Log lines stay in English: they go
// into bug reports.
import type { StreamOutcome } from './backend';
import type { Logger } from './logger';
import { describeTokenCounts, type TokenUsage } from './pricing';
import type { Feature, SpendingTracker } from './spending';

/** The setting that caps one request's output tokens, which a "length" finish names. */
const TOKEN_LIMIT_SETTING: Readonly<Record<Feature, string>> = {
  ghost: 'maxTokens',
  block: 'continueBlock.maxTokens',
};

/** Why reading stopped before the model finished, when the extension stopped it. */
const STOPPED_READING: Readonly<Record<Feature, string>> = {
  ghost: 'stopped reading: the suggestion was complete',
  block: 'stopped reading: the block ended',
};

/** The OpenAI-style finish reasons in words; `length` is per feature (its setting), null is below. */
const FINISH_REASONS: Readonly<Record<string, string>> = {
  stop: 'the model finished',
  content_filter: "stopped by the server's content filter",
  tool_calls: 'the model asked for a tool instead of writing code',
  function_call: 'the model asked for a tool instead of writing code',
  insufficient_system_resource: 'stopped: the server ran out of resources',
};

/**
 * Why a request ended, in words a user understands: "the model finished", "stopped at the token
 * limit (maxTokens)", "cut off: the server closed the stream early".
 */
export function describeFinish(outcome: Pick<StreamOutcome, 'finishReason' | 'stoppedEarly'>, feature: Feature): string {
  const reason = outcome.finishReason;
  if (outcome.stoppedEarly) return STOPPED_READING[feature];
  if (reason === null || reason === '') return 'cut off: the server closed the stream early';
  if (reason === 'length') return `stopped at the token limit (${TOKEN_LIMIT_SETTING[feature]})`;
  return Object.prototype.hasOwnProperty.call(FINISH_REASONS, reason) ? FINISH_REASONS[reason] : `finish reason "${reason}"`;
}

/** "first token 212 ms, total 480 ms"; "no text" when nothing streamed. */
export function describeTimings(firstTokenMs: number | undefined, totalMs: number): string {
  const first = firstTokenMs === undefined ? 'no text' : `first token ${firstTokenMs.toLocaleString('en')} ms`;
  return `${first}, total ${totalMs.toLocaleString('en')} ms`;
}

export interface GhostRequestLog {
  readonly model: string;
  readonly outcome: StreamOutcome;
  readonly usage: TokenUsage;
  /** SpendingTracker.record's costText: "≈ $0.0009", "no price", or once where to add one. */
  readonly costText: string;
  readonly prefixChars: number;
  readonly contextChars: number;
}

/**
 * "ghost text qwen3-coder-plus: first token 212 ms, total 480 ms, 1,204 tok in (1,000 cached) / 96 out,
 * ≈ $0.0009; the model finished; prefix 2,400 chars, context 0 chars, request 7f3a…"
 */
export function ghostRequestLine(log: GhostRequestLog): string {
  const { outcome } = log;
  return (
    `ghost text ${log.model}: ${describeTimings(outcome.firstTokenMs, outcome.totalMs)}, ${describeTokenCounts(log.usage)}, ${log.costText}; ` +
    `${describeFinish(outcome, 'ghost')}; prefix ${log.prefixChars.toLocaleString('en')} chars, context ${log.contextChars.toLocaleString('en')} chars` +
    (outcome.requestId ? `, request ${outcome.requestId}` : '')
  );
}

/** One round of Continue This Block (its run's line has the cost): for the debug log. */
export function blockRoundLine(model: string, round: number, outcome: StreamOutcome, usage: TokenUsage): string {
  return (
    `Continue This Block round ${round} ${model}: ${describeTimings(outcome.firstTokenMs, outcome.totalMs)}, ${describeTokenCounts(usage)}, ` +
    `${outcome.text.length.toLocaleString('en')} chars; ${describeFinish(outcome, 'block')}` +
    (outcome.requestId ? `, request ${outcome.requestId}` : '')
  );
}

/** What a Continue This Block run did, as its command knows it. */
export interface BlockRun {
  readonly model: string;
  /** Why it stopped, in words: "stopped at the end of the block". */
  readonly reason: string;
  readonly rounds: number;
  readonly usage: TokenUsage;
  /** From the start of the run to its first token. */
  readonly firstTokenMs?: number;
  readonly elapsedMs: number;
  /** Characters written (or previewed). */
  readonly writtenChars: number;
}

/**
 * Counts a Continue This Block run in the day's spending (it is the status bar's "last request")
 * and writes its one log line: "Continue This Block (qwen3-coder-plus): stopped at the end of the
 * block; 2 requests, 340 chars, first token 212 ms, total 1,480 ms, 1,204 tok in (1,000 cached) /
 * 96 out, ≈ $0.0009". A run that sent nothing is logged, not counted.
 */
export function recordBlockRun(spending: SpendingTracker, logger: Logger, run: BlockRun): void {
  const head = `Continue This Block (${run.model}): ${run.reason}; `;
  if (run.rounds === 0) {
    logger.info(`${head}no request sent`);
    return;
  }
  const recorded = spending.record(run.model, run.usage, 'block', run.rounds, { firstTokenMs: run.firstTokenMs, totalMs: run.elapsedMs });
  logger.info(
    `${head}${run.rounds} request${run.rounds === 1 ? '' : 's'}, ${run.writtenChars.toLocaleString('en')} chars, ` +
      `${describeTimings(run.firstTokenMs, run.elapsedMs)}, ${describeTokenCounts(run.usage)}, ${recorded.costText}`,
  );
}
