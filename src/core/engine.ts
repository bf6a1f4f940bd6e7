import { ApiError, CancelledError, formatUsage, type PipelineDeps, type StreamOutcome } from './backend';
import { sleep } from './clock';
import type { CursorContext } from './document';
import { backoffMs, classifyError, MISSING_KEY, type ClassifiedError, type ErrorCategory } from './errors';
import { ghostContext, shapeGhostText, type Suggestion } from './ghostText';
import { buildMessages, buildRequestBody, extractPrefix, extractSuffix } from './prompt';
import type { Settings } from './settings';
import type { StatusModel } from './status';

export interface CompletionRequest extends CursorContext {
  /** Identifies the document: at most one request is in flight per document. */
  readonly documentKey: string;
}

export interface EngineDeps extends PipelineDeps {
  readonly status: StatusModel;
  /** Tells the user about an error; the notifier decides whether it was already shown. */
  readonly reportError: (error: ClassifiedError) => void;
}

/**
 * The ghost-text pipeline: where a suggestion fits, debounce, prompt, one streamed request per
 * document cut as soon as the suggestion is complete, then shaping.
 * Knows nothing of VS Code: the provider adapts documents and cancellation tokens to it.
 */
export class CompletionEngine {
  private readonly inFlight = new Map<string, AbortController>();
  private pausedUntil = 0;
  private lastErrorCategory: ErrorCategory | undefined;
  private consecutiveErrors = 0;

  constructor(private readonly deps: EngineDeps) {}

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<Suggestion | undefined> {
    // A new keystroke in this document makes the previous request stale at once.
    this.inFlight.get(request.documentKey)?.abort();
    const controller = new AbortController();
    this.inFlight.set(request.documentKey, controller);
    const abort = () => controller.abort();
    signal.addEventListener('abort', abort, { once: true });
    try {
      return await this.run(request, controller.signal);
    } finally {
      signal.removeEventListener('abort', abort);
      if (this.inFlight.get(request.documentKey) === controller) this.inFlight.delete(request.documentKey);
    }
  }

  /**
   * Aborts everything in flight and lifts any pause after an error: called when the key, the
   * endpoint or the model changes (the old answers and the old errors no longer apply) and on dispose.
   */
  reset(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.pausedUntil = 0;
    this.consecutiveErrors = 0;
    this.lastErrorCategory = undefined;
  }

  private async run(request: CompletionRequest, signal: AbortSignal): Promise<Suggestion | undefined> {
    const { clock, logger } = this.deps;
    const settings = this.deps.settings();
    const prefix = extractPrefix(request.lines, request.position, settings.maxPrefixChars).text;
    const suffix = extractSuffix(request.lines, request.position, settings.maxSuffixChars);
    const spot = ghostContext(request, prefix, suffix, settings.maxLines);
    if ('skip' in spot) {
      logger.trace(`no suggestion: ${spot.skip}`);
      return undefined;
    }
    if (!(await sleep(clock, settings.debounceMs, signal))) return undefined;

    if (clock.now() < this.pausedUntil) {
      logger.debug(`skipped: paused after ${this.lastErrorCategory} for ${this.pausedUntil - clock.now()} ms more`);
      return undefined;
    }
    const backend = this.deps.backend();
    if (!backend) {
      logger.debug('skipped: no API key');
      this.deps.reportError(MISSING_KEY);
      return undefined;
    }

    const body = buildRequestBody(
      settings.model,
      buildMessages(request.languageId, request.fileName, prefix, suffix),
      settings.maxTokens,
      settings.temperature,
    );

    this.deps.status.requestStarted();
    let outcome: StreamOutcome;
    try {
      outcome = await backend.stream({
        body,
        signal,
        timeoutMs: settings.requestTimeoutMs,
        onText: (text) => !shapeGhostText(text, spot, false).ended,
      });
    } catch (error) {
      this.handleFailure(error, settings);
      return undefined;
    }
    this.consecutiveErrors = 0;
    this.lastErrorCategory = undefined;
    this.deps.status.requestEnded({ succeeded: true });
    this.logOutcome(settings.model, prefix.length, outcome);
    if (signal.aborted) return undefined;
    return shapeGhostText(outcome.text, spot, true).suggestion;
  }

  private handleFailure(error: unknown, settings: Settings): void {
    const { clock, logger, status } = this.deps;
    if (error instanceof CancelledError) {
      status.requestEnded({ succeeded: false });
      logger.debug('request cancelled (newer keystroke)');
      return;
    }
    if (!(error instanceof ApiError)) {
      status.requestEnded({ succeeded: false });
      logger.error(`unexpected failure: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return;
    }
    const classified = classifyError(error.failure, {
      model: settings.model,
      endpoint: this.deps.endpoint(),
      now: clock.now(),
    });
    this.consecutiveErrors = classified.category === this.lastErrorCategory ? this.consecutiveErrors + 1 : 0;
    this.lastErrorCategory = classified.category;
    const pauseMs = backoffMs(classified, this.consecutiveErrors);
    this.pausedUntil = clock.now() + pauseMs;
    status.requestEnded({ succeeded: false, error: classified });
    logger.warn(`request failed: ${classified.category} (${classified.detail}); pausing ${pauseMs} ms`);
    this.deps.reportError(classified);
  }

  private logOutcome(model: string, prefixChars: number, outcome: StreamOutcome): void {
    const usage = formatUsage(outcome.usage);
    this.deps.logger.info(
      `completion ${model}: ${outcome.totalMs} ms (first token ${outcome.firstTokenMs ?? '-'} ms), ` +
        `prefix ${prefixChars} chars, ${usage}, finish ${outcome.stoppedEarly ? 'stopped early' : outcome.finishReason}` +
        (outcome.requestId ? `, request ${outcome.requestId}` : ''),
    );
  }
}
