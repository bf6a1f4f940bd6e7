import { ApiError, type StreamOutcome } from './backend';
import type { PipelineDeps } from './pipelineDeps';
import { Backoff } from './backoff';
import { PROBE_INTERVAL_MS } from './circuitBreaker';
import { sleep } from './clock';
import type { CountedOutcome } from './countedStream';
import type { ContextSnippet } from './context/types';
import { CursorPrompt, promptAt, type CompletionRequest, type EditorState, type PrefixWindow } from './cursorPrompt';
import { adaptiveDebounceMs, LatencyTracker, TypingRhythm, type DebounceInput } from './debounce';
import { classifyError, missingKeyError, type ApiFailure, type ClassifiedError } from './errors';
import { DIVERGED, Flight, Flights, hasCompleteLine } from './flight';
import { requestSkip, skipReason, type Completion, type SkipReason } from './gate';
import { shapeGhostText, type Suggestion } from './ghostText';
import type { TokenUsage } from './pricing';
import { extractPrefix } from './prompt';
import { ghostRequestLine } from './requestLog';
import { settingsScope, type Settings } from './settings';
import type { SpendingTracker } from './spending';
import type { StatusModel } from './status';
import { acceptedAt, Speculator } from './speculation';
import { SuggestionCache, type PromptKey } from './suggestionCache';
import { drawnWhole, undrawnAt } from './visibility';

export type { CompletionRequest } from './cursorPrompt';

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
  /** ... even before it has streamed anything, until its text shows whether it predicted the typing (see flight.ts). */
  readonly followSilent: boolean;
  /** After an accepted suggestion, ask for the next one at once (see prefetch). */
  readonly speculate: boolean;
  /** Once a suggestion has been on screen for a moment, ask for the one that follows it (see speculation.ts). */
  readonly speculateOnShow: boolean;
  /** Show the complete first lines of a block that streams slowly, before the rest has come (see flight.ts). */
  readonly progressive: boolean;
  /** Read the model's line after a complete suggestion: the suggestion after it, cached for a few output tokens. */
  readonly readAhead: boolean;
  /** Which text before the cursor is sent. */
  readonly prefixWindow: PrefixWindow;
  /** After a transient failure, one probe may go this long after it (Infinity: wait out the whole backoff). */
  readonly probeIntervalMs: number;
}

export const DEFAULT_POLICY: EnginePolicy = {
  debounceMs: adaptiveDebounceMs,
  // 200 suggestions: Backspace, undo and typing through over the last minutes of several files, for
  // at most about 3 MB of prompt text (200 prompts of 8,000 characters at the default budgets).
  cacheSize: 200,
  reuseInFlight: true,
  followSilent: true,
  speculate: true,
  speculateOnShow: true,
  progressive: true,
  readAhead: true,
  prefixWindow: extractPrefix,
  probeIntervalMs: PROBE_INTERVAL_MS,
};

interface EngineDeps extends PipelineDeps {
  /** Project context ready for a request's document (never waits); none when absent. */
  readonly context?: (request: CompletionRequest) => readonly ContextSnippet[];
  readonly status: StatusModel;
  /** Tells the user about an error; the notifier decides whether it was already shown. */
  readonly reportError: (error: ClassifiedError) => void;
  /** Counts what each request costs, and says when the daily budget pauses completions. */
  readonly spending: SpendingTracker;
  readonly policy?: EnginePolicy;
}

const CANCELLED: SkipReason = { kind: 'cancelled' };

function skipped(reason: SkipReason): Completion {
  return { kind: 'skipped', reason };
}

/**
 * The ghost-text pipeline: whether a suggestion is wanted here, then the cheapest way to one: the
 * cache (which also serves text typed through a shown suggestion), a request in flight that predicted
 * what was typed, or, after an adaptive debounce, one new streamed request per document, cut as soon
 * as the suggestion is complete. Knows nothing of VS Code: the provider adapts documents, editors
 * and cancellation tokens to it.
 */
export class CompletionEngine {
  private readonly policy: EnginePolicy;
  private readonly cache: SuggestionCache;
  private readonly latency = new LatencyTracker();
  private readonly rhythm = new TypingRhythm();
  /** The prefix each document was last asked at: a different one is a keystroke (for the rhythm). */
  private readonly lastPrefix = new Map<string, string>();
  private readonly backoff: Backoff;
  private readonly flights: Flights;
  private readonly speculator: Speculator;

  constructor(private readonly deps: EngineDeps) {
    this.policy = deps.policy ?? DEFAULT_POLICY;
    this.cache = new SuggestionCache(this.policy.cacheSize);
    this.backoff = new Backoff(deps.clock, this.policy.probeIntervalMs, deps.logger);
    this.flights = new Flights(deps.clock, this.policy.reuseInFlight);
    this.speculator = new Speculator(deps.clock, (request, shownFor) => {
      const refused = this.ask(request, shownFor);
      this.deps.logger.debug(refused ? `no speculative request: ${refused.kind}` : 'speculative request for what follows the suggestion on screen');
    });
  }

  /** The suggestion at the request's cursor, or why there is none: admit, cache, follow or debounce and launch, shape. */
  async suggest(request: CompletionRequest, signal: AbortSignal): Promise<Completion> {
    this.speculator.keystroke(request.documentKey);
    const settings = this.deps.settings(settingsScope(request));
    const prompt = this.admit(request, settings);
    if (!(prompt instanceof CursorPrompt)) {
      // No request in flight serves a spot where nothing fits: that keystroke makes it stale. The
      // moment's reasons (a selection, the suggest widget) leave it to land in the cache.
      if (prompt.kind === 'midLine') this.flights.drop(request.documentKey);
      return skipped(prompt);
    }
    if (this.lastPrefix.get(request.documentKey) !== prompt.key.prefix) {
      this.lastPrefix.set(request.documentKey, prompt.key.prefix);
      this.rhythm.record(this.deps.clock.now());
    }
    // A keystroke either follows the request in flight or makes it stale.
    const flight = this.flights.followable(request.documentKey, prompt);
    const known = this.cache.lookup(prompt.key, request.eol);
    const completion = this.drawn(known ? this.cached(known.suggestion) : await this.fly(prompt, flight, settings, signal), request);
    if (completion.kind === 'shown' && !completion.streaming && this.policy.speculateOnShow && !signal.aborted) this.speculator.shown(request, completion.suggestion);
    return completion;
  }

  /** The suggestion alone, for callers that need no reason (the benchmark). */
  async complete(request: CompletionRequest, signal: AbortSignal): Promise<Suggestion | undefined> {
    const completion = await this.suggest(request, signal);
    return completion.kind === 'shown' ? completion.suggestion : undefined;
  }

  /**
   * Asks for the suggestion at `request` right away, without a consumer: called after a suggestion
   * was accepted, so the next one is ready (or in flight) when VS Code asks for it. Returns why no
   * request went, when one was needed.
   */
  prefetch(request: CompletionRequest): SkipReason | undefined {
    if (!this.policy.speculate) return undefined;
    return this.ask(request);
  }

  /** Starts a request at `request` unless the cache or the request in flight serves it; `shownFor`: a speculation on show. */
  private ask(request: CompletionRequest, shownFor?: CompletionRequest): SkipReason | undefined {
    const settings = this.deps.settings(settingsScope(request));
    const prompt = this.admit(request, settings);
    if (!(prompt instanceof CursorPrompt)) return prompt;
    const reading = this.flights.current(request.documentKey);
    if (shownFor && reading?.readingAhead) {
      // The flight that brought the suggestion is reading the model's next line: its answer may make this request needless.
      void reading.result.then(() => this.ask(request, shownFor));
      return undefined;
    }
    if (this.cache.lookup(prompt.key, request.eol) || this.flights.followable(request.documentKey, prompt)) return undefined;
    const origin = shownFor && promptAt(shownFor, settings, this.policy.prefixWindow).key;
    const flight = this.launch(prompt, settings, origin);
    return flight instanceof Flight ? undefined : flight;
  }

  /**
   * Aborts everything in flight, forgets cached suggestions and lifts any pause after an error:
   * called when the key, the endpoint or the model changes (old answers and errors no longer
   * apply) and on dispose.
   */
  reset(): void {
    this.speculator.dispose();
    this.lastPrefix.clear();
    this.flights.abortAll();
    this.cache.clear();
    this.backoff.reset();
    this.deps.status.clearError();
  }

  /**
   * Whether a suggestion is wanted at this keystroke: the moment (the file, the switches, the
   * editor) before any prompt is built, then the place. The prompt there when it is.
   */
  private admit(request: CompletionRequest, settings: Settings): CursorPrompt | SkipReason {
    const moment = request.editor && this.momentSkip(request, request.editor, settings);
    if (moment) return moment;
    const prompt = promptAt(request, settings, this.policy.prefixWindow);
    return prompt.fits ? prompt : { kind: 'midLine' };
  }

  private momentSkip(request: CompletionRequest, editor: EditorState, settings: Settings): SkipReason | undefined {
    return skipReason({
      settings,
      languageId: request.languageId,
      excluded: editor.excluded,
      snoozed: this.deps.status.isSnoozed(),
      hasSelection: editor.hasSelection,
      suggestWidgetOpen: editor.suggestWidgetOpen,
      undrawn: undrawnAt(request.position.character, editor.limits),
    });
  }

  private cached(suggestion: Suggestion | undefined): Completion {
    if (!suggestion) return skipped({ kind: 'empty', cached: true });
    this.deps.logger.trace('suggestion from the cache');
    return { kind: 'shown', suggestion };
  }

  /** Follows `flight`, or a new one after the debounce, until an answer; one the model diverged from is replaced. */
  private async fly(prompt: CursorPrompt, flight: Flight | undefined, settings: Settings, signal: AbortSignal): Promise<Completion> {
    for (let current = flight; ; current = undefined) {
      const next = current ?? (await this.debounceAndLaunch(prompt, settings, signal));
      if (!(next instanceof Flight)) return skipped(next);
      const typed = prompt.key.prefix.slice(next.prompt.key.prefix.length);
      if (typed !== '') this.deps.logger.trace(`following the request in flight (${typed.length} chars typed since)`);
      const result = await next.follow(typed, prompt.request.eol, signal);
      if (result !== DIVERGED) return result;
    }
  }

  private async debounceAndLaunch(prompt: CursorPrompt, settings: Settings, signal: AbortSignal): Promise<Flight | SkipReason> {
    const waitMs = this.policy.debounceMs(
      { cursorLine: prompt.cursorLine, dialect: prompt.dialect, recentLatencyMs: this.latency.recentMs, typingGapMs: this.rhythm.typicalGapMs },
      settings,
    );
    if (!(await sleep(this.deps.clock, waitMs, signal))) return CANCELLED;
    // A speculative request may have started for this very spot meanwhile.
    const flight = this.flights.followable(prompt.request.documentKey, prompt);
    if (flight) return flight;
    const probe = this.backoff.waitForProbe(signal);
    if (probe && !(await probe)) return CANCELLED;
    return this.launch(prompt, settings);
  }

  /** Starts a request for `prompt`, or says why none may be sent now. */
  private launch(prompt: CursorPrompt, settings: Settings, shownFor?: PromptKey): Flight | SkipReason {
    const backend = this.deps.backend();
    if (!backend) {
      this.deps.reportError(missingKeyError());
      return { kind: 'noKey' };
    }
    const refused = requestSkip(() => this.deps.spending.budgetReached(), prompt.key);
    if (refused) return refused;
    const spot = prompt.spot;
    if ('skip' in spot) return { kind: 'unfit', detail: spot.skip };
    // Asked last: a probe it lets through must really be sent.
    const paused = this.backoff.admit();
    if (paused) return paused;
    this.deps.status.requestStarted();
    const context = this.deps.context?.(prompt.request) ?? [];
    const { progressive, followSilent, readAhead } = this.policy;
    const plan = { prompt, spot, backend, settings, context, shownFor, progressive, followSilent, readAhead };
    return this.flights.start(prompt.request.documentKey, plan, (flight, outcome) => this.settle(flight, outcome, settings));
  }

  /** Counts, logs and remembers how a flight ended; its answer for its own prompt. */
  private settle(flight: Flight, counted: CountedOutcome, settings: Settings): Completion {
    if (counted.kind === 'answered') return this.answered(flight, counted.outcome, counted.usage);
    if (counted.kind === 'failed') return this.failed(counted.error, settings);
    // Aborted after it was sent: it may still be billed, so its estimate counts.
    this.deps.spending.record(flight.prompt.key.model, counted.usage, 'ghost', 1, { cancelled: true });
    this.backoff.abandoned();
    this.deps.status.requestEnded({ succeeded: false });
    this.deps.logger.debug('request cancelled (newer keystroke)');
    return skipped(CANCELLED);
  }

  private answered(flight: Flight, outcome: StreamOutcome, usage: TokenUsage): Completion {
    const { key } = flight.prompt;
    this.backoff.succeeded();
    this.deps.status.requestEnded({ succeeded: true });
    this.latency.record(this.deps.clock.now() - flight.startedAt);
    const { costText } = this.deps.spending.record(key.model, usage, 'ghost', 1, { firstTokenMs: outcome.firstTokenMs, totalMs: outcome.totalMs });
    this.deps.logger.info(ghostRequestLine({ model: key.model, outcome, usage, costText, prefixChars: key.prefix.length, contextChars: flight.contextChars }));
    if (flight.aborted) return skipped(CANCELLED);
    const shaped = shapeGhostText(outcome.text, flight.spot, true);
    const suggestion = shaped.suggestion;
    this.cache.store(key, suggestion);
    if (suggestion && shaped.rest !== undefined && this.policy.readAhead) this.storeNext(flight, suggestion, shaped.rest);
    return suggestion ? { kind: 'shown', suggestion } : skipped({ kind: 'empty', cached: false });
  }

  /** The model's line after `suggestion` (read ahead), as the suggestion at the cursor that accepting it leaves. */
  private storeNext(flight: Flight, suggestion: Suggestion, rest: string): void {
    if (!hasCompleteLine(rest)) return;
    const request = acceptedAt(flight.prompt.request, suggestion);
    const prompt = promptAt(request, this.deps.settings(settingsScope(request)), this.policy.prefixWindow);
    const spot = prompt.fits ? prompt.spot : undefined;
    if (spot === undefined || 'skip' in spot) return;
    const next = shapeGhostText(rest, spot, true).suggestion;
    if (next) this.cache.store(prompt.key, next);
  }

  /** Anything else the client could not make sense of is a bad answer: classified, backed off, shown. */
  private failed(error: unknown, settings: Settings): Completion {
    const failure = error instanceof ApiError ? error.failure : this.unreadable(error);
    const classified = classifyError(failure, { model: settings.model, endpoint: this.deps.endpoint(), now: this.deps.clock.now() });
    this.backoff.failed(classified);
    this.deps.status.requestEnded({ succeeded: false, error: classified });
    this.deps.reportError(classified);
    return skipped({ kind: 'failed', category: classified.category });
  }

  /** A failure that is not an ApiError (a bug, or an SDK error we do not know): its stack goes to the debug log once. */
  private unreadable(error: unknown): ApiFailure {
    this.deps.logger.debug(`unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { kind: 'protocol', message: error instanceof Error ? error.message : String(error) };
  }

  /** Only what VS Code draws whole is offered: Tab would accept characters the user never saw. */
  private drawn(completion: Completion, request: CompletionRequest): Completion {
    const limits = request.editor?.limits;
    if (completion.kind === 'shown' && limits && !drawnWhole(completion.suggestion.insertText, request.position.character, limits)) {
      return skipped({ kind: 'notDrawn' });
    }
    return completion;
  }
}
