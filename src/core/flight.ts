import type { CompletionBackend } from './backend';
import type { Clock } from './clock';
import type { ContextSnippet } from './context/types';
import { streamCounted, type CountedOutcome } from './countedStream';
import type { CursorPrompt } from './cursorPrompt';
import type { LineEnding } from './document';
import type { Completion } from './gate';
import { shapeGhostText, type SuggestionSpot } from './ghostText';
import { cleanModelOutput } from './postprocess';
import type { Settings } from './settings';
import { typeThrough } from './suggestionCache';

/**
 * A request in flight nobody follows any more (VS Code cancelled it and no keystroke took it up) is
 * aborted after this long: long enough for the next keystroke's call to arrive and adopt it.
 */
const ORPHAN_GRACE_MS = 300;

/** What Flight.follow returns once the model is seen to write something other than was typed. */
export const DIVERGED = Symbol('diverged');

const CANCELLED: Completion = { kind: 'skipped', reason: { kind: 'cancelled' } };

/** What a flight sends. */
interface FlightPlan {
  readonly prompt: CursorPrompt;
  /** The prompt's spot, where a suggestion fits. */
  readonly spot: SuggestionSpot;
  readonly backend: CompletionBackend;
  readonly settings: Pick<Settings, 'maxTokens' | 'temperature' | 'requestTimeoutMs'>;
  /** Project context sent with it (what was ready when it started). */
  readonly context: readonly ContextSnippet[];
}

/** Counts, logs and remembers how a flight ended, and gives its answer for the flight's own prompt. */
type Settle = (flight: Flight, outcome: CountedOutcome) => Completion;

/**
 * One streamed request for a document, which later keystrokes may follow instead of replacing. It
 * owns its stream: reading stops once the suggestion is complete, and it is aborted when the model
 * contradicts what was typed or when nobody has followed it for ORPHAN_GRACE_MS.
 */
export class Flight {
  readonly prompt: CursorPrompt;
  readonly spot: SuggestionSpot;
  /** Characters of project context the request carries (for the log). */
  readonly contextChars: number;
  /** When the request was sent (the clock's time). */
  readonly startedAt: number;
  /** The answer for the flight's own prompt. */
  readonly result: Promise<Completion>;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();
  private orphanTimer: unknown;
  private consumers = 0;
  private streamed = '';
  private landed = false;

  /** `onLanded`: called once the answer is settled, after every follower has been told. */
  constructor(plan: FlightPlan, private readonly clock: Clock, settle: Settle, onLanded: () => void) {
    this.prompt = plan.prompt;
    this.spot = plan.spot;
    this.contextChars = plan.context.reduce((sum, snippet) => sum + snippet.text.length, 0);
    this.startedAt = clock.now();
    const { key, request } = plan.prompt;
    this.result = streamCounted(plan.backend, {
      languageId: request.languageId,
      fileName: request.fileName,
      prefix: key.prefix,
      suffix: key.suffix,
      context: plan.context,
      model: key.model,
      maxTokens: plan.settings.maxTokens,
      temperature: plan.settings.temperature,
      timeoutMs: plan.settings.requestTimeoutMs,
      signal: this.controller.signal,
      onText: (text) => this.received(text),
    })
      .then((outcome) => settle(this, outcome))
      .finally(() => {
        this.landed = true;
        this.changed();
        onLanded();
      });
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  abort(): void {
    this.clock.clearTimeout(this.orphanTimer);
    this.controller.abort();
  }

  /** `prompt` is this flight's prompt with a few more characters typed, in the same model and suffix. */
  canServe(prompt: CursorPrompt): boolean {
    const own = this.prompt.key;
    const key = prompt.key;
    if (this.aborted || key.model !== own.model || key.suffix !== own.suffix || !key.prefix.startsWith(own.prefix)) return false;
    return this.predicts(key.prefix.slice(own.prefix.length));
  }

  /**
   * Waits on behalf of a prompt `typed` characters further on than the flight's own and returns what
   * is left to suggest there; DIVERGED once the model is seen to write something other than `typed`
   * (the flight is aborted then) or its answer does not start with it.
   */
  async follow(typed: string, eol: LineEnding, signal: AbortSignal): Promise<Completion | typeof DIVERGED> {
    this.consumers++;
    try {
      const state = await this.settled(typed, signal);
      if (state === 'cancelled') return CANCELLED;
      if (state === 'diverged') {
        this.abort();
        return DIVERGED;
      }
      const result = await this.result;
      if (typed === '' || this.aborted) return result;
      const rest = result.kind === 'shown' ? typeThrough(result.suggestion, typed, eol) : undefined;
      return rest ? { kind: 'shown', suggestion: rest } : DIVERGED;
    } finally {
      this.consumers--;
      if (this.consumers === 0) this.orphaned();
    }
  }

  private received(text: string): boolean {
    this.streamed = text;
    this.changed();
    return !shapeGhostText(text, this.spot, false).ended;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Nobody follows this flight now: abort it unless a keystroke takes it up within ORPHAN_GRACE_MS. */
  private orphaned(): void {
    if (this.landed) return;
    this.clock.clearTimeout(this.orphanTimer);
    // A follower that comes within the grace clears this timer (settled), so none follows when it fires.
    this.orphanTimer = this.clock.setTimeout(() => this.abort(), ORPHAN_GRACE_MS);
  }

  /** Resolves once the flight has landed, the signal aborts, or the model writes something other than `typed`. */
  private settled(typed: string, signal: AbortSignal): Promise<'done' | 'diverged' | 'cancelled'> {
    return new Promise((resolve) => {
      const finish = (state: 'done' | 'diverged' | 'cancelled') => {
        this.listeners.delete(check);
        signal.removeEventListener('abort', cancel);
        resolve(state);
      };
      const cancel = () => finish('cancelled');
      const check = () => {
        if (this.landed) finish('done');
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
    const cleaned = cleanModelOutput(this.streamed, this.prompt.dialect === 'markdown');
    if (cleaned.undecided) return true;
    const text = cleaned.text;
    if (text === '') return false;
    return text.length >= typed.length ? text.startsWith(typed) : typed.startsWith(text);
  }
}

/** The request in flight of each document: at most one per document. */
export class Flights {
  private readonly byDocument = new Map<string, Flight>();

  constructor(
    private readonly clock: Clock,
    /** Follow a request in flight when the user types what it predicts (EnginePolicy.reuseInFlight). */
    private readonly reuse: boolean,
  ) {}

  /** Sends `plan` as the document's request in flight; it leaves the table once it has landed. */
  start(documentKey: string, plan: FlightPlan, settle: Settle): Flight {
    const flight: Flight = new Flight(plan, this.clock, settle, () => {
      if (this.byDocument.get(documentKey) === flight) this.byDocument.delete(documentKey);
    });
    this.byDocument.set(documentKey, flight);
    return flight;
  }

  /** The document's request in flight if `prompt` can follow it; any other is aborted (a keystroke made it stale). */
  followable(documentKey: string, prompt: CursorPrompt): Flight | undefined {
    const flight = this.byDocument.get(documentKey);
    if (!flight) return undefined;
    if (this.reuse && flight.canServe(prompt)) return flight;
    this.drop(documentKey);
    return undefined;
  }

  /** Aborts the document's request in flight, if any. */
  drop(documentKey: string): void {
    this.byDocument.get(documentKey)?.abort();
    this.byDocument.delete(documentKey);
  }

  abortAll(): void {
    for (const flight of this.byDocument.values()) flight.abort();
    this.byDocument.clear();
  }
}
