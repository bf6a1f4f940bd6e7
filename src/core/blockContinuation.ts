import { ApiError, type CompletionBackend, type StreamOutcome } from './backend';
import type { PipelineDeps } from './pipelineDeps';
import { blockAtCursor, dialectOf, findBlockEnd, keepCloserOnOwnLine, type BlockAtCursor } from './blockEnd';
import type { ContextSnippet } from './context/types';
import { streamCounted } from './countedStream';
import type { DocumentAtCursor, IndentStyle, LineEnding } from './document';
import { classifyError, missingKeyError, type ApiFailure, type ClassifiedError } from './errors';
import { textExclusion } from './exclusion';
import type { Logger } from './logger';
import { cleanModelOutput, finishLines, matchIndentation, rebaseFirstLine } from './postprocess';
import { addUsage, estimateTokens, NO_USAGE, type TokenUsage } from './pricing';
import { extractPrefix, extractSuffix } from './prompt';
import { blockRoundLine } from './requestLog';
import { wireStyleOf, settingsScope, type Settings } from './settings';

/** What the document should show at the cursor so far. Each update extends the previous one. */
interface BlockProgress {
  /** The text to insert at the cursor, in the document's line endings and indentation. */
  readonly text: string;
  /** Output tokens so far (estimated for the request still streaming). */
  readonly tokens: number;
  readonly round: number;
}

export type BlockStopReason = 'blockEnd' | 'modelStop' | 'roundLimit' | 'tokenLimit' | 'cancelled' | 'error' | 'excluded';

export interface BlockOutcome {
  /** The final text to insert (for a cancelled or failed run: what was last shown). */
  readonly text: string;
  readonly reason: BlockStopReason;
  readonly rounds: number;
  readonly usage: TokenUsage;
  readonly error?: ClassifiedError;
  readonly elapsedMs: number;
  /** From the first request to the first token of text, over the rounds' stream times; absent when no text came. */
  readonly firstTokenMs?: number;
}

interface BlockPlacement {
  readonly block: BlockAtCursor;
  readonly eol: LineEnding;
  readonly indent: IndentStyle;
}

/**
 * Turns the model's raw continuation into the text to insert: without fences or think blocks, cut at
 * the end of the block, no trailing whitespace, the document's indentation and line endings. Before
 * the end (`final` false) it holds back what may still change (trailing whitespace, a line that may
 * become a fence or repeat the next line), so successive results only ever grow.
 */
function shapeBlock(raw: string, context: BlockPlacement, final: boolean): { text: string; ended: boolean } {
  const cleaned = cleanModelOutput(raw, context.block.dialect === 'markdown');
  if (!final && cleaned.undecided) return { text: '', ended: false };
  const complete = final || cleaned.fenceClosed;
  const answer = cleaned.restarted ? rebaseFirstLine(cleaned.text, context.block.cursorLine, context.block.tabSize) : cleaned.text;
  const end = findBlockEnd(answer, context.block, complete);
  let body: string;
  if (end.ended) body = finishLines(answer.slice(0, end.at), end.trim);
  else if (complete) body = keepCloserOnOwnLine(finishLines(answer, true), context.block);
  else body = holdBackUndecided(answer.slice(0, end.safe));
  const text = matchIndentation(body, context.indent).split('\n').join(context.eol);
  return { text, ended: end.ended || cleaned.fenceClosed };
}

/** Whitespace at the end may be followed by anything; a last line of "`" or "<th" may become noise. */
function holdBackUndecided(text: string): string {
  let kept = text.replace(/\s+$/, '');
  const lastLine = kept.slice(kept.lastIndexOf('\n') + 1).trim();
  if (lastLine !== '' && ('```'.startsWith(lastLine) || '<think>'.startsWith(lastLine))) {
    kept = kept.slice(0, Math.max(0, kept.lastIndexOf('\n'))).replace(/\s+$/, '');
  }
  return finishLines(kept, false);
}

/** A run's refusal before any request: nothing shown, nothing spent. */
function refusal(reason: 'error' | 'excluded', error?: ClassifiedError): BlockOutcome {
  return { text: '', reason, rounds: 0, usage: NO_USAGE, error, elapsedMs: 0 };
}

/**
 * "Continue This Block": streams a longer partial-mode continuation from the cursor and stops at the
 * end of the enclosing block. When the model hits max_tokens first, it asks again with the text so far
 * appended to the partial message (the documented way to continue), within the round and token limits.
 */
export class BlockContinuer {
  constructor(private readonly deps: PipelineDeps) {}

  /** `projectContext`: snippets of other files sent with every round (see core/context/). */
  async run(
    request: DocumentAtCursor,
    signal: AbortSignal,
    onProgress: (progress: BlockProgress) => void,
    projectContext: readonly ContextSnippet[] = [],
  ): Promise<BlockOutcome> {
    const { clock } = this.deps;
    const settings = this.deps.settings(settingsScope(request));
    const started = clock.now();
    const backend = this.deps.backend();
    if (!backend) return refusal('error', missingKeyError());
    const prefix = extractPrefix(request.lines, request.position, settings['continueBlock.maxPrefixChars']).text;
    const suffix = extractSuffix(request.lines, request.position, settings['continueBlock.maxSuffixChars']);
    if (textExclusion(prefix) ?? textExclusion(suffix)) return refusal('excluded');
    const rounds = new BlockRounds({
      request,
      prefix,
      suffix,
      projectContext,
      settings,
      context: { block: blockAtCursor(dialectOf(request.languageId), prefix, suffix, request.indent.size), eol: request.eol, indent: request.indent },
      backend,
      signal,
      onProgress,
      classify: (failure) => classifyError(failure, { model: settings.model, endpoint: this.deps.endpoint(), now: clock.now() }),
      logger: this.deps.logger,
    });
    let stop: BlockStopReason | undefined;
    do stop = await rounds.next();
    while (stop === undefined);
    return rounds.finish(stop, clock.now() - started);
  }
}

interface RunPlan {
  readonly request: DocumentAtCursor;
  readonly prefix: string;
  readonly suffix: string;
  readonly projectContext: readonly ContextSnippet[];
  readonly settings: Settings;
  readonly context: BlockPlacement;
  readonly backend: CompletionBackend;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: BlockProgress) => void;
  readonly classify: (failure: ApiFailure) => ClassifiedError;
  readonly logger: Logger;
}

/** One run's rounds: the model's text so far, what was shown of it, and what it cost. */
class BlockRounds {
  private raw = '';
  private shown = '';
  private usage = NO_USAGE;
  private rounds = 0;
  private error: ClassifiedError | undefined;
  /** The stream time of the rounds before, and the run's first token on that scale. */
  private streamedMs = 0;
  private firstTokenMs: number | undefined;

  constructor(private readonly plan: RunPlan) {}

  /** Sends the next round; why the run stops, or undefined to go on. */
  async next(): Promise<BlockStopReason | undefined> {
    const { request, settings } = this.plan;
    this.rounds++;
    const before = this.raw;
    const perRound = settings['continueBlock.maxTokens'];
    const counted = await streamCounted(this.plan.backend, {
      languageId: request.languageId,
      fileName: request.fileName,
      projectName: request.projectName,
      wire: wireStyleOf(settings),
      prefix: this.plan.prefix + before,
      suffix: this.plan.suffix,
      context: this.plan.projectContext,
      model: settings.model,
      maxTokens: Math.min(perRound, settings['continueBlock.maxTotalTokens'] - this.usage.completionTokens),
      temperature: settings.temperature,
      // A round may legitimately stream for a while: the ghost-text timeout plus 40 ms per token
      // (25 tokens a second, slower than Qwen streams), so only a stalled round times out.
      timeoutMs: settings.requestTimeoutMs + perRound * 40,
      signal: this.plan.signal,
      onText: (text) => this.received(before, text),
    });
    this.usage = addUsage(this.usage, counted.usage);
    if (counted.kind === 'cancelled') return 'cancelled';
    if (counted.kind === 'failed') return this.failed(counted.error);
    this.raw = before + counted.outcome.text;
    return this.answered(counted.outcome, counted.usage);
  }

  /** The outcome once `reason` stops the run: a stopped run keeps exactly what was shown; a finished one also gets the held-back tail. */
  finish(reason: BlockStopReason, elapsedMs: number): BlockOutcome {
    const text = reason === 'cancelled' || reason === 'error' ? this.shown : shapeBlock(this.raw, this.plan.context, true).text;
    if (text !== this.shown) this.plan.onProgress({ text, tokens: this.usage.completionTokens, round: this.rounds });
    const firstTokenMs = this.firstTokenMs;
    return { text, reason, rounds: this.rounds, usage: this.usage, error: this.error, elapsedMs, ...(firstTokenMs === undefined ? {} : { firstTokenMs }) };
  }

  private received(before: string, text: string): boolean {
    const shaped = shapeBlock(before + text, this.plan.context, false);
    if (shaped.text !== this.shown) {
      this.shown = shaped.text;
      this.plan.onProgress({ text: this.shown, tokens: this.usage.completionTokens + estimateTokens(text), round: this.rounds });
    }
    return !shaped.ended;
  }

  /** An API error stops the run with its classified error; anything else is a bug and throws. */
  private failed(error: unknown): BlockStopReason {
    if (!(error instanceof ApiError)) throw error;
    this.error = this.plan.classify(error.failure);
    return 'error';
  }

  private answered(outcome: StreamOutcome, usage: TokenUsage): BlockStopReason | undefined {
    const { settings } = this.plan;
    if (this.firstTokenMs === undefined && outcome.firstTokenMs !== undefined) this.firstTokenMs = this.streamedMs + outcome.firstTokenMs;
    this.streamedMs += outcome.totalMs;
    // The run's line (with its cost) is the one to read; each round's is for debugging.
    this.plan.logger.debug(blockRoundLine(settings.model, this.rounds, outcome, usage));
    if (outcome.stoppedEarly) return 'blockEnd';
    if (outcome.finishReason !== 'length') return 'modelStop';
    if (this.rounds >= settings['continueBlock.maxRounds']) return 'roundLimit';
    if (this.usage.completionTokens >= settings['continueBlock.maxTotalTokens']) return 'tokenLimit';
    return undefined;
  }
}
