import { ApiError, CancelledError, type CompletionBackend, type PipelineDeps, type StreamOutcome } from './backend';
import { sleep } from './clock';
import { adaptiveDebounceMs, LatencyTracker, type DebounceInput } from './debounce';
import type { CursorContext, Position, TextLines } from './document';
import { CircuitBreaker, PROBE_INTERVAL_MS } from './circuitBreaker';
import { describeExclusion, textExclusion } from './exclusion';
import { classifyError, MISSING_KEY, type ApiFailure, type ClassifiedError } from './errors';
import { ghostContext, shapeGhostText, type GhostContext, type Suggestion } from './ghostText';
import { dialectOf, type Dialect } from './blockEnd';
import { cleanModelOutput, isSuggestionSpot } from './postprocess';
import { estimatedUsage, type TokenUsage } from './pricing';
import { buildMessages, buildRequestBody, extractPrefix, extractSuffix, type Prefix } from './prompt';
import type { Settings } from './settings';
import type { SpendingTracker } from './spending';
import type { StatusModel } from './status';
import { SuggestionCache, typeThrough, type PromptKey } from './suggestionCache';

export interface CompletionRequest extends CursorContext {
  /** Identifies the document: at most one request is in flight per document. */
  readonly documentKey: string;
}

/**
 * How the engine spends requests. The extension always runs DEFAULT_POLICY; the benchmark also runs
 * a naive one through the same code to compare.
 */
export interface EnginePolicy {
  /** The wait after a keystroke before a new request. */
  readonly debounceMs: (input: DebounceInput, settings: Settings) => number;
  /** Suggestions remembered for Backspace, undo and typing through; 0 turns the cache off. */
  readonly cacheSize: number;
  /** Follow a request in flight when the user types what it is predicting, instead of replacing it. */
  readonly reuseInFlight: boolean;
  /** After an accepted suggestion, ask for the next one at once (see prefetch). */
  readonly speculate: boolean;
  /** Which text before the cursor is sent. */
  readonly prefixWindow: (doc: TextLines, position: Position, maxChars: number) => Prefix;
  /** After a transient failure, one probe may go this long after it (Infinity: wait out the whole backoff). */
  readonly probeIntervalMs: number;
}

export const DEFAULT_POLICY: EnginePolicy = {
  debounceMs: adaptiveDebounceMs,
  cacheSize: 200,
  reuseInFlight: true,
  speculate: true,
  prefixWindow: extractPrefix,
  probeIntervalMs: PROBE_INTERVAL_MS,
};

export interface EngineDeps extends PipelineDeps {
  readonly status: StatusModel;
  /** Tells the user about an error; the notifier decides whether it was already shown. */
  readonly reportError: (error: ClassifiedError) => void;
  /** Counts what each request costs, and says when the daily budget pauses completions. */
  readonly spending: SpendingTracker;
  readonly policy?: EnginePolicy;
}

/**
 * A request in flight nobody follows any more (VS Code cancelled it and no keystroke took it up) is
 * aborted after this long: long enough for the next keystroke's call to arrive and adopt it.
 */
const ORPHAN_GRACE_MS = 300;

/** A pause waits this long at most for a due recovery probe: about one probe interval. */
const PROBE_HOLD_MS = 2_000;

/** The prompt for one cursor position, and how a suggestion there is shaped. */
class Prompt {
  private context: GhostContext | { skip: string } | undefined;

  constructor(
    readonly key: PromptKey,
    readonly request: CompletionRequest,
    private readonly maxLines: number,
  ) {}

  /** The cursor's line up to the cursor. */
  get cursorLine(): string {
    return this.key.prefix.slice(this.key.prefix.lastIndexOf('\n') + 1);
  }

  get dialect(): Dialect {
    return dialectOf(this.request.languageId);
  }

  /**
   * Where the suggestion fits and how it is shaped. Its lexer pass over the prefix is the costliest
   * step, so it runs only once a request is due, not on keystrokes the cache or a request in flight serve.
   */
  get spot(): GhostContext | { skip: string } {
    return (this.context ??= ghostContext(this.request, this.key.prefix, this.key.suffix, this.maxLines));
  }
}

/**
 * The ghost-text pipeline: where a suggestion fits, then the cheapest way to one: the cache (which
 * also serves text typed through a shown suggestion), a request in flight that predicted what was
 * typed, or, after an adaptive debounce, one new streamed request per document, cut as soon as the
 * suggestion is complete. Knows nothing of VS Code: the provider adapts documents and cancellation
 * tokens to it.
 */
export class CompletionEngine {
  private readonly flights = new Map<string, Flight>();
  private readonly policy: EnginePolicy;
  private readonly cache: SuggestionCache;
  private readonly latency = new LatencyTracker();
  private readonly breaker: CircuitBreaker;

  constructor(private readonly deps: EngineDeps) {
    this.policy = deps.policy ?? DEFAULT_POLICY;
    this.cache = new SuggestionCache(this.policy.cacheSize);
    this.breaker = new CircuitBreaker(deps.clock, this.policy.probeIntervalMs);
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<Suggestion | undefined> {
    const settings = this.deps.settings();
    const prompt = this.promptAt(request, settings);
    if (!prompt) {
      const stale = this.flights.get(request.documentKey);
      if (stale) this.drop(stale);
      return undefined;
    }
    // A keystroke either follows the request in flight or makes it stale.
    let flight = this.followable(request.documentKey, prompt);
    const known = this.cache.lookup(prompt.key, request.eol);
    if (known) {
      this.deps.logger.trace(known.suggestion ? 'suggestion from the cache' : 'cached: nothing to suggest here');
      return known.suggestion;
    }
    for (;;) {
      if (!flight) {
        const waitMs = this.policy.debounceMs(
          { cursorLine: prompt.cursorLine, dialect: prompt.dialect, recentLatencyMs: this.latency.recentMs },
          settings,
        );
        if (!(await sleep(this.deps.clock, waitMs, signal))) return undefined;
        // A speculative request may have started for this very spot meanwhile.
        flight = this.followable(request.documentKey, prompt) ?? (await this.launchWhenAdmitted(prompt, settings, signal));
        if (!flight) return undefined;
      }
      const result = await this.follow(flight, prompt, signal);
      if (result !== DIVERGED) return result;
      flight = undefined;
    }
  }

  /**
   * Asks for the suggestion at `request` right away, without a consumer: called after a suggestion
   * was accepted, so the next one is ready (or in flight) when VS Code asks for it.
   */
  prefetch(request: CompletionRequest): void {
    if (!this.policy.speculate) return;
    const settings = this.deps.settings();
    const prompt = this.promptAt(request, settings);
    if (!prompt || this.cache.lookup(prompt.key, request.eol) || this.followable(request.documentKey, prompt)) return;
    if (this.launch(prompt, settings)) this.deps.logger.debug('speculative request after an accepted suggestion');
  }

  /**
   * Aborts everything in flight, forgets cached suggestions and lifts any pause after an error:
   * called when the key, the endpoint or the model changes (old answers and errors no longer
   * apply) and on dispose.
   */
  reset(): void {
    for (const flight of this.flights.values()) flight.abort();
    this.flights.clear();
    this.cache.clear();
    this.breaker.reset();
    this.deps.status.clearError();
  }

  private promptAt(request: CompletionRequest, settings: Settings): Prompt | undefined {
    const prefix = this.policy.prefixWindow(request.lines, request.position, settings.maxPrefixChars).text;
    const suffix = extractSuffix(request.lines, request.position, settings.maxSuffixChars);
    const lineEnd = suffix.indexOf('\n');
    if (!isSuggestionSpot(lineEnd < 0 ? suffix : suffix.slice(0, lineEnd))) {
      this.deps.logger.trace('no suggestion: in the middle of a line');
      return undefined;
    }
    return new Prompt({ model: settings.model, prefix, suffix }, request, settings.maxLines);
  }

  /** The document's request in flight if `prompt` can follow it; any other is aborted. */
  private followable(documentKey: string, prompt: Prompt): Flight | undefined {
    const flight = this.flights.get(documentKey);
    if (!flight) return undefined;
    if (this.policy.reuseInFlight && flight.canServe(prompt)) return flight;
    this.drop(flight);
    return undefined;
  }

  private drop(flight: Flight): void {
    flight.abort();
    const documentKey = flight.prompt.request.documentKey;
    if (this.flights.get(documentKey) === flight) this.flights.delete(documentKey);
  }

  /**
   * Starts a request for `prompt`; while the breaker is open and its probe is due within
   * PROBE_HOLD_MS, this pause waits for it rather than giving up: the user who stopped typing just
   * before the probe time still sees the suggestion once the server is back.
   */
  private async launchWhenAdmitted(prompt: Prompt, settings: Settings, signal: AbortSignal): Promise<Flight | undefined> {
    const dueInMs = this.breaker.probeDueInMs();
    if (dueInMs !== undefined && dueInMs > 0 && dueInMs <= PROBE_HOLD_MS) {
      this.deps.logger.debug(`waiting ${dueInMs} ms for the recovery probe`);
      if (!(await sleep(this.deps.clock, dueInMs, signal))) return undefined;
    }
    return this.launch(prompt, settings);
  }

  /** Starts a request for `prompt`, or says why none may be sent now. */
  private launch(prompt: Prompt, settings: Settings): Flight | undefined {
    const { clock, logger } = this.deps;
    const backend = this.deps.backend();
    if (!backend) {
      logger.debug('skipped: no API key');
      this.deps.reportError(MISSING_KEY);
      return undefined;
    }
    // The tracker shows the budget message itself (status bar and one notification).
    if (this.deps.spending.budgetReached()) {
      logger.debug('skipped: the daily budget is reached');
      return undefined;
    }
    const secret = textExclusion(prompt.key.prefix) ?? textExclusion(prompt.key.suffix);
    if (secret) {
      logger.debug(`skipped: ${describeExclusion(secret)}`);
      return undefined;
    }
    const spot = prompt.spot;
    if ('skip' in spot) {
      logger.trace(`no suggestion: ${spot.skip}`);
      return undefined;
    }
    // Asked last: a probe it lets through must really be sent.
    const admission = this.breaker.admit();
    if (!admission.admitted) {
      logger.debug(`skipped: paused after ${admission.category} for ${admission.waitMs} ms more`);
      return undefined;
    }
    if (admission.probe) logger.info('probing whether the server has recovered');
    const flight = new Flight(prompt, spot, clock);
    const documentKey = prompt.request.documentKey;
    this.flights.set(documentKey, flight);
    flight.done = this.stream(flight, backend, settings).finally(() => {
      flight.finished = true;
      flight.changed();
      if (this.flights.get(documentKey) === flight) this.flights.delete(documentKey);
    });
    return flight;
  }

  private async stream(flight: Flight, backend: CompletionBackend, settings: Settings): Promise<Suggestion | undefined> {
    const { key, request } = flight.prompt;
    const spot = flight.spot;
    const messages = buildMessages(request.languageId, request.fileName, key.prefix, key.suffix);
    const body = buildRequestBody(key.model, messages, settings.maxTokens, settings.temperature);
    const started = this.deps.clock.now();
    this.deps.status.requestStarted();
    let outcome: StreamOutcome;
    try {
      outcome = await backend.stream({
        body,
        signal: flight.signal,
        timeoutMs: settings.requestTimeoutMs,
        onText: (text) => {
          flight.textSoFar = text;
          flight.changed();
          return !shapeGhostText(text, spot, false).ended;
        },
      });
    } catch (error) {
      // A request aborted after it was sent may still be billed: count an estimate of it.
      if (error instanceof CancelledError) this.deps.spending.record(key.model, estimatedUsage(messages, flight.textSoFar), 'ghost');
      this.handleFailure(error, settings);
      return undefined;
    }
    this.breaker.succeeded();
    this.deps.status.requestEnded({ succeeded: true });
    this.latency.record(this.deps.clock.now() - started);
    const usage: TokenUsage = outcome.usage ? { ...outcome.usage, estimated: false } : estimatedUsage(messages, outcome.text);
    const cost = this.deps.spending.record(key.model, usage, 'ghost').description;
    this.logOutcome(key.model, key.prefix.length, outcome, cost);
    if (flight.signal.aborted) return undefined;
    const suggestion = shapeGhostText(outcome.text, spot, true).suggestion;
    this.cache.store(key, suggestion);
    return suggestion;
  }

  /**
   * Waits for `flight` on behalf of `prompt` (which may have typed a few characters past the
   * flight's own prompt) and returns what is left to suggest; DIVERGED once the model is seen to
   * write something other than what was typed.
   */
  private async follow(flight: Flight, prompt: Prompt, signal: AbortSignal): Promise<Suggestion | undefined | typeof DIVERGED> {
    const typed = prompt.key.prefix.slice(flight.prompt.key.prefix.length);
    if (typed !== '') this.deps.logger.trace(`following the request in flight (${typed.length} chars typed since)`);
    flight.consumers++;
    try {
      const state = await flight.settled(typed, signal);
      if (state === 'cancelled') return undefined;
      if (state === 'diverged') {
        this.drop(flight);
        return DIVERGED;
      }
      const suggestion = await flight.done;
      if (typed === '' || flight.signal.aborted) return suggestion;
      return (suggestion && typeThrough(suggestion, typed, prompt.request.eol)) ?? DIVERGED;
    } finally {
      flight.consumers--;
      if (flight.consumers === 0) flight.orphaned(ORPHAN_GRACE_MS);
    }
  }

  private handleFailure(error: unknown, settings: Settings): void {
    const { clock, logger, status } = this.deps;
    if (error instanceof CancelledError) {
      this.breaker.abandoned();
      status.requestEnded({ succeeded: false });
      logger.debug('request cancelled (newer keystroke)');
      return;
    }
    // Anything else the client could not make sense of is a bad answer: classified, backed off, shown.
    const failure = error instanceof ApiError ? error.failure : unreadableAnswer(error, logger);
    const classified = classifyError(failure, { model: settings.model, endpoint: this.deps.endpoint(), now: clock.now() });
    const pauseMs = this.breaker.failed(classified);
    status.requestEnded({ succeeded: false, error: classified });
    logger.warn(`request failed: ${classified.category} (${classified.detail}); pausing ${pauseMs} ms`);
    this.deps.reportError(classified);
  }

  private logOutcome(model: string, prefixChars: number, outcome: StreamOutcome, cost: string): void {
    this.deps.logger.info(
      `completion ${model}: ${outcome.totalMs} ms (first token ${outcome.firstTokenMs ?? '-'} ms), ` +
        `prefix ${prefixChars} chars, ${cost}, finish ${outcome.stoppedEarly ? 'stopped early' : outcome.finishReason}` +
        (outcome.requestId ? `, request ${outcome.requestId}` : ''),
    );
  }
}

/** A failure that is not an ApiError (a bug, or an SDK error we do not know): its stack goes to the debug log once. */
function unreadableAnswer(error: unknown, logger: PipelineDeps['logger']): ApiFailure {
  logger.debug(`unexpected failure: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  return { kind: 'protocol', message: error instanceof Error ? error.message : String(error) };
}

const DIVERGED = Symbol('diverged');

/** One streamed request for a document, which later keystrokes may follow instead of replacing. */
class Flight {
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();
  private orphanTimer: unknown;
  /** The suggestion for the flight's own prompt; set by the engine right after construction. */
  done: Promise<Suggestion | undefined> = Promise.resolve(undefined);
  textSoFar = '';
  consumers = 0;
  finished = false;

  constructor(
    readonly prompt: Prompt,
    readonly spot: GhostContext,
    private readonly clock: PipelineDeps['clock'],
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(): void {
    this.clock.clearTimeout(this.orphanTimer);
    this.controller.abort();
  }

  /** Nobody follows this flight now: abort it unless a keystroke takes it up within `graceMs`. */
  orphaned(graceMs: number): void {
    if (this.finished) return;
    this.clock.clearTimeout(this.orphanTimer);
    this.orphanTimer = this.clock.setTimeout(() => {
      if (this.consumers === 0) this.abort();
    }, graceMs);
  }

  /** `prompt` is this flight's prompt with a few more characters typed, in the same model and suffix. */
  canServe(prompt: Prompt): boolean {
    const own = this.prompt.key;
    const key = prompt.key;
    if (this.signal.aborted || key.model !== own.model || key.suffix !== own.suffix || !key.prefix.startsWith(own.prefix)) return false;
    return this.predicts(key.prefix.slice(own.prefix.length));
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves once the flight is done, the signal aborts, or the model writes something other than `typed`. */
  settled(typed: string, signal: AbortSignal): Promise<'done' | 'diverged' | 'cancelled'> {
    return new Promise((resolve) => {
      const finish = (state: 'done' | 'diverged' | 'cancelled') => {
        this.listeners.delete(check);
        signal.removeEventListener('abort', cancel);
        resolve(state);
      };
      const cancel = () => finish('cancelled');
      const check = () => {
        if (this.finished) finish('done');
        else if (!this.predicts(typed)) finish('diverged');
      };
      if (signal.aborted) return finish('cancelled');
      this.clock.clearTimeout(this.orphanTimer);
      this.listeners.add(check);
      signal.addEventListener('abort', cancel, { once: true });
      check();
    });
  }

  /**
   * The text streamed so far does not contradict `typed` (it may not have reached it yet). A
   * request that has streamed nothing predicts nothing: a keystroke replaces it at once.
   */
  private predicts(typed: string): boolean {
    if (typed === '') return true;
    const cleaned = cleanModelOutput(this.textSoFar, this.prompt.dialect === 'markdown');
    if (cleaned.undecided) return true;
    const text = cleaned.text;
    if (text === '') return false;
    return text.length >= typed.length ? text.startsWith(typed) : typed.startsWith(text);
  }
}
