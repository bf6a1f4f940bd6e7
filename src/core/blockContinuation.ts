import { ApiError, CancelledError, formatUsage, type PipelineDeps, type StreamOutcome } from './backend';
import { blockContext, dialectOf, findBlockEnd, keepCloserOnOwnLine, type BlockContext } from './blockEnd';
import type { CursorContext, IndentStyle, LineEnding } from './document';
import { classifyError, MISSING_KEY, type ClassifiedError } from './errors';
import { textExclusion } from './exclusion';
import { cleanModelOutput, finishLines, matchIndentation, rebaseFirstLine } from './postprocess';
import { addUsage, estimatedUsage, estimateTokens, NO_USAGE, type TokenUsage } from './pricing';
import { buildMessages, buildRequestBody, extractPrefix, extractSuffix } from './prompt';

/** What the document should show at the cursor so far. Each update extends the previous one. */
export interface BlockProgress {
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
}

export interface BlockShapeContext {
  readonly block: BlockContext;
  readonly eol: LineEnding;
  readonly indent: IndentStyle;
}

/**
 * Turns the model's raw continuation into the text to insert: without fences or think blocks, cut at
 * the end of the block, no trailing whitespace, the document's indentation and line endings. Before
 * the end (`final` false) it holds back what may still change (trailing whitespace, a line that may
 * become a fence or repeat the next line), so successive results only ever grow.
 */
export function shapeBlock(raw: string, context: BlockShapeContext, final: boolean): { text: string; ended: boolean } {
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

/**
 * "Continue This Block": streams a longer partial-mode continuation from the cursor and stops at the
 * end of the enclosing block. When the model hits max_tokens first, it asks again with the text so far
 * appended to the partial message (the documented way to continue), within the round and token limits.
 */
export class BlockContinuer {
  constructor(private readonly deps: PipelineDeps) {}

  async run(request: CursorContext, signal: AbortSignal, onProgress: (progress: BlockProgress) => void): Promise<BlockOutcome> {
    const { clock, logger } = this.deps;
    const settings = this.deps.settings();
    const started = clock.now();
    const backend = this.deps.backend();
    if (!backend) {
      return { text: '', reason: 'error', rounds: 0, usage: NO_USAGE, error: MISSING_KEY, elapsedMs: 0 };
    }

    const prefix = extractPrefix(request.lines, request.position, settings['continueBlock.maxPrefixChars']).text;
    const suffix = extractSuffix(request.lines, request.position, settings['continueBlock.maxSuffixChars']);
    if (textExclusion(prefix) ?? textExclusion(suffix)) {
      return { text: '', reason: 'excluded', rounds: 0, usage: NO_USAGE, elapsedMs: 0 };
    }
    const context: BlockShapeContext = {
      block: blockContext(dialectOf(request.languageId), prefix, suffix, request.indent.size),
      eol: request.eol,
      indent: request.indent,
    };
    const perRound = settings['continueBlock.maxTokens'];
    const totalBudget = settings['continueBlock.maxTotalTokens'];
    // A round may legitimately stream for a while: allow the ghost-text timeout plus 40 ms per token.
    const timeoutMs = settings.requestTimeoutMs + perRound * 40;

    let raw = '';
    let shown = '';
    let usage = NO_USAGE;
    let rounds = 0;
    let reason: BlockStopReason = 'modelStop';
    let error: ClassifiedError | undefined;
    while (true) {
      rounds++;
      const before = raw;
      const maxTokens = Math.min(perRound, totalBudget - usage.completionTokens);
      const messages = buildMessages(request.languageId, request.fileName, prefix + before, suffix);
      const body = buildRequestBody(settings.model, messages, maxTokens, settings.temperature);
      let outcome: StreamOutcome;
      try {
        outcome = await backend.stream({
          body,
          signal,
          timeoutMs,
          onText: (text) => {
            raw = before + text;
            const shaped = shapeBlock(raw, context, false);
            if (shaped.text !== shown) {
              shown = shaped.text;
              onProgress({ text: shown, tokens: usage.completionTokens + estimateTokens(text), round: rounds });
            }
            return !shaped.ended;
          },
        });
      } catch (failure) {
        // Billed all the same: what was sent, and what arrived before the stop.
        usage = addUsage(usage, estimatedUsage(messages, raw.slice(before.length)));
        if (failure instanceof CancelledError) reason = 'cancelled';
        else if (failure instanceof ApiError) {
          reason = 'error';
          error = classifyError(failure.failure, { model: settings.model, endpoint: this.deps.endpoint(), now: clock.now() });
        } else throw failure;
        break;
      }
      raw = before + outcome.text;
      usage = addUsage(usage, outcome.usage ? { ...outcome.usage, estimated: false } : estimatedUsage(messages, outcome.text));
      logger.info(
        `continue block, round ${rounds}: ${outcome.totalMs} ms, ${outcome.text.length} chars, ` +
          `finish ${outcome.stoppedEarly ? 'block end (stopped)' : outcome.finishReason}, ${formatUsage(outcome.usage)}`,
      );
      if (outcome.stoppedEarly) reason = 'blockEnd';
      else if (outcome.finishReason !== 'length') reason = 'modelStop';
      else if (rounds >= settings['continueBlock.maxRounds']) reason = 'roundLimit';
      else if (usage.completionTokens >= totalBudget) reason = 'tokenLimit';
      else continue;
      break;
    }

    // A stopped run keeps exactly what was shown; a finished one also gets the held-back tail.
    const text = reason === 'cancelled' || reason === 'error' ? shown : shapeBlock(raw, context, true).text;
    if (text !== shown) onProgress({ text, tokens: usage.completionTokens, round: rounds });
    return { text, reason, rounds, usage, error, elapsedMs: clock.now() - started };
  }
}
