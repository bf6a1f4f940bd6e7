import type { CompletionBackend } from './backend';
import type { Clock } from './clock';
import type { ContextSnippet } from './context/types';
import { streamCounted, type CountedOutcome } from './countedStream';
import type { CursorPrompt } from './cursorPrompt';
import type { LineEnding } from './document';
import type { Completion } from './gate';
import { shapeGhostText, streamingLines, type Suggestion, type SuggestionSpot } from './ghostText';
import { cleanModelOutput } from './postprocess';
import type { Settings } from './settings';
import { wireStyleOf } from './settings';
import { typeThrough, type PromptKey } from './suggestionCache';

/**
 * A request in flight nobody follows any more (VS Code cancelled it and no keystroke took it up) is
 * aborted after this long: long enough for the next keystroke's call to arrive and adopt it.
 */
const ORPHAN_GRACE_MS = 300;

/**
 * A request that has streamed nothing yet is followed by the keystrokes that extend its prefix (it
 * may well predict them) until it is this old: a slow model's first token takes 2-3 s, and
 * restarting at every keystroke only pushes it further away. Past this, the server is more likely
 * stuck than slow, and a fresh request is the better bet.
 */
const SILENT_FOLLOW_MS = 6000;
/** ... or until the user has typed this much past its prefix: two lines of code, a guess it no longer covers. */
const SILENT_FOLLOW_CHARS = 160;
/**
 * Progressive ghost text. VS Code (1.139) cannot grow ghost text in place: once it has shown a
 * provider's answer it does not ask again at the same document version and cursor, whatever the
 * extension triggers (an explicit trigger is answered from the request before it, a hidden
 * suggestion too). So a block that is complete within this long of its first text shows whole, one
 * Tab for all of it, as before; one that streams slower shows its complete lines then, and each Tab
 * brings what has streamed since, from the same request. 400 ms: the first line must be on screen
 * within 700 ms of the first token, and VS Code's own debounce (50 ms) and drawing take the rest.
 */
export const PROVISIONAL_AFTER_MS = 400;

/** What Flight.follow returns once the model is seen to write something other than was typed. */
export const DIVERGED = Symbol('diverged');

const CANCELLED: Completion = { kind: 'skipped', reason: { kind: 'cancelled' } };

/** What a flight sends. */
interface FlightPlan {
  readonly prompt: CursorPrompt;
  /** The prompt's spot, where a suggestion fits. */
  readonly spot: SuggestionSpot;
  readonly backend: CompletionBackend;
  readonly settings: Pick<Settings, 'maxTokens' | 'temperature' | 'requestTimeoutMs' | 'server' | 'promptStyle'>;
  /** Project context sent with it (what was ready when it started). */
  readonly context: readonly ContextSnippet[];
  /**
   * A speculative request for what follows a suggestion on screen: the prompt the suggestion was
   * shown for. Typing through that suggestion leads to this flight's prompt, so it is not stale.
   */
  readonly shownFor?: PromptKey;
  /** Show a slow block's complete lines while the rest streams (EnginePolicy.progressive). */
  readonly progressive?: boolean;
  /** Keystrokes follow it before it has streamed anything (EnginePolicy.followSilent). */
  readonly followSilent?: boolean;
  /** Once the suggestion is complete, read on to the end of the model's next line (EnginePolicy.readAhead). */
  readonly readAhead?: boolean;
}

/** What Flight.follow gives: an answer, or the first lines of a block still streaming (more will come). */
export type FollowResult = Completion | typeof DIVERGED;

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
  /** The complete lines of a block streamed so far, as a suggestion (progressive ghost text). */
  private provisional: Suggestion | undefined;
  /** When the first text came: a provisional suggestion is offered PROVISIONAL_AFTER_MS after it. */
  private firstTextAt: number | undefined;
  /** A provisional suggestion is on screen: the flight goes on streaming the rest for the next Tab. */
  private provisionalShown = false;
  private readonly shownFor: PromptKey | undefined;
  private readonly progressive: boolean;
  private readonly followSilent: boolean;
  private readonly readAhead: boolean;
  /** The suggestion, once the model has written all of it (the flight may read on: readAhead). */
  private cut: { readonly suggestion: Suggestion | undefined } | undefined;

  /** `onLanded`: called once the answer is settled, after every follower has been told. */
  constructor(plan: FlightPlan, private readonly clock: Clock, settle: Settle, onLanded: () => void) {
    this.prompt = plan.prompt;
    this.spot = plan.spot;
    this.shownFor = plan.shownFor;
    this.progressive = plan.progressive === true;
    this.followSilent = plan.followSilent === true;
    this.readAhead = plan.readAhead === true;
    this.contextChars = plan.context.reduce((sum, snippet) => sum + snippet.text.length, 0);
    this.startedAt = clock.now();
    const { key, request } = plan.prompt;
    this.result = streamCounted(plan.backend, {
      languageId: request.languageId,
      fileName: request.fileName,
      projectName: request.projectName,
      wire: wireStyleOf(plan.settings),
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

  get speculative(): boolean {
    return this.shownFor !== undefined;
  }

  /** The suggestion is complete and the flight reads on for the model's next line. */
  get readingAhead(): boolean {
    return this.cut !== undefined && !this.landed;
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
   * A speculative flight's prompt lies ahead of `prompt`: the user is typing through the suggestion
   * it was asked for (or has not accepted it yet), so the flight is not stale.
   */
  leadsTo(prompt: CursorPrompt): boolean {
    const origin = this.shownFor;
    const key = prompt.key;
    if (origin === undefined || this.aborted || key.model !== origin.model || key.suffix !== origin.suffix) return false;
    return key.prefix.startsWith(origin.prefix) && this.prompt.key.prefix.startsWith(key.prefix);
  }

  /**
   * Waits on behalf of a prompt `typed` characters further on than the flight's own and returns what
   * is left to suggest there: the answer, or the first lines of a block still streaming (`streaming`);
   * DIVERGED once the model is seen to write something other than `typed` (the flight is aborted
   * then) or its answer does not start with it.
   */
  async follow(typed: string, eol: LineEnding, signal: AbortSignal): Promise<FollowResult> {
    this.consumers++;
    try {
      const state = await this.settled(typed, eol, signal);
      if (state === 'cancelled') return CANCELLED;
      if (state === 'diverged') {
        this.abort();
        return DIVERGED;
      }
      // The answer may have landed while the follower was being woken: then it is the answer.
      if (state === 'provisional' && !this.landed) return this.provisionalAfter(typed, eol)!;
      if (state === 'cut' && !this.landed) return this.cutAfter(typed, eol);
      const result = await this.result;
      if (typed === '' || this.aborted) return result;
      const rest = result.kind === 'shown' ? typeThrough(result.suggestion, typed, eol) : undefined;
      return rest ? { kind: 'shown', suggestion: rest } : DIVERGED;
    } finally {
      this.consumers--;
      if (this.consumers === 0) this.orphaned();
    }
  }

  /** The complete suggestion while the flight reads ahead, once `typed` is typed. */
  private cutAfter(typed: string, eol: LineEnding): FollowResult {
    const suggestion = this.cut?.suggestion;
    if (suggestion === undefined) return typed === '' ? { kind: 'skipped', reason: { kind: 'empty', cached: false } } : DIVERGED;
    const rest = typeThrough(suggestion, typed, eol);
    return rest ? { kind: 'shown', suggestion: rest } : DIVERGED;
  }

  /** What is left of the provisional suggestion once `typed` is typed, marked as shown; undefined when nothing is. */
  private provisionalAfter(typed: string, eol: LineEnding): Completion | undefined {
    const rest = this.provisional && typeThrough(this.provisional, typed, eol);
    if (rest === undefined) return undefined;
    this.provisionalShown = true;
    return { kind: 'shown', suggestion: rest, streaming: true };
  }

  private received(text: string): boolean {
    if (this.firstTextAt === undefined && text !== '') {
      this.firstTextAt = this.clock.now();
      // Followers waiting for a slow block are woken when its first lines may be shown.
      if (this.progressive && this.spot.shape === 'block') this.clock.setTimeout(() => this.changed(), PROVISIONAL_AFTER_MS);
    }
    this.streamed = text;
    const shaped = shapeGhostText(text, this.spot, false);
    if (!shaped.ended) this.growProvisional(text);
    else this.cut ??= { suggestion: shaped.suggestion };
    this.changed();
    if (!shaped.ended) return true;
    // Read on until the model's next line is complete: its guess of what follows the suggestion,
    // for the cache (a Tab then finds the next suggestion for a few output tokens, no new request).
    return this.readAhead && shaped.rest !== undefined && !hasCompleteLine(shaped.rest);
  }

  /** The complete lines of a block so far, as a suggestion; only ever extended, so a line once shown never changes. */
  private growProvisional(text: string): void {
    if (!this.progressive) return;
    const lines = streamingLines(text, this.spot);
    const shown = this.provisional?.insertText;
    if (lines === undefined || (shown !== undefined && (lines.insertText.length <= shown.length || !lines.insertText.startsWith(shown)))) return;
    this.provisional = lines;
  }

  /** The provisional suggestion, once the block has streamed for PROVISIONAL_AFTER_MS without ending. */
  private provisionalReady(): Suggestion | undefined {
    if (this.provisional === undefined || this.firstTextAt === undefined) return undefined;
    return this.clock.now() - this.firstTextAt >= PROVISIONAL_AFTER_MS ? this.provisional : undefined;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Nobody follows this flight now: abort it unless a keystroke takes it up within ORPHAN_GRACE_MS. */
  private orphaned(): void {
    // A block whose first lines are on screen goes on streaming: its next lines are wanted.
    // So does one reading ahead: the next line is on its way (and its suggestion must reach the cache).
    if (this.landed || this.provisionalShown || this.cut !== undefined) return;
    this.clock.clearTimeout(this.orphanTimer);
    // A follower that comes within the grace clears this timer (settled), so none follows when it fires.
    this.orphanTimer = this.clock.setTimeout(() => this.abort(), ORPHAN_GRACE_MS);
  }

  /**
   * Resolves once the flight has landed, the signal aborts, the model writes something other than
   * `typed`, or a block's first lines beyond `typed` are complete (provisional).
   */
  private settled(typed: string, eol: LineEnding, signal: AbortSignal): Promise<'done' | 'diverged' | 'cancelled' | 'provisional' | 'cut'> {
    return new Promise((resolve) => {
      const finish = (state: 'done' | 'diverged' | 'cancelled' | 'provisional' | 'cut') => {
        this.listeners.delete(check);
        signal.removeEventListener('abort', cancel);
        resolve(state);
      };
      const cancel = () => finish('cancelled');
      const check = () => {
        if (this.landed) finish('done');
        else if (!this.predicts(typed)) finish('diverged');
        else if (this.cut !== undefined) finish('cut');
        else if (this.provisionalReady() && typeThrough(this.provisionalReady()!, typed, eol)) finish('provisional');
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
   * request that has streamed nothing may still predict it, until it is too old (SILENT_FOLLOW_*).
   */
  private predicts(typed: string): boolean {
    if (typed === '') return true;
    if (this.streamed === '') return this.followSilent && typed.length <= SILENT_FOLLOW_CHARS && this.clock.now() - this.startedAt < SILENT_FOLLOW_MS;
    const cleaned = cleanModelOutput(this.streamed, this.prompt.dialect === 'markdown');
    if (cleaned.undecided) return true;
    const text = cleaned.text;
    if (text === '') return false;
    return text.length >= typed.length ? text.startsWith(typed) : typed.startsWith(text);
  }
}

/** Whether `text` holds a whole line with something on it. */
export function hasCompleteLine(text: string): boolean {
  return /\S[^\n]*\n/.test(text);
}

/** The request in flight of each document: at most one per document. */
export class Flights {
  private readonly byDocument = new Map<string, Flight>();

  constructor(
    private readonly clock: Clock,
    /** Follow a request in flight when the user types what it predicts (EnginePolicy.reuseInFlight). */
    private readonly reuse: boolean,
  ) {}

  /** Sends `plan` as the document's request in flight (replacing any); it leaves the table once it has landed. */
  start(documentKey: string, plan: FlightPlan, settle: Settle): Flight {
    this.drop(documentKey);
    const flight: Flight = new Flight(plan, this.clock, settle, () => {
      if (this.byDocument.get(documentKey) === flight) this.byDocument.delete(documentKey);
    });
    this.byDocument.set(documentKey, flight);
    return flight;
  }

  /**
   * The document's request in flight if `prompt` can follow it. A speculative one that `prompt`
   * leads to stays; any other is aborted (a keystroke made it stale).
   */
  followable(documentKey: string, prompt: CursorPrompt): Flight | undefined {
    const flight = this.byDocument.get(documentKey);
    if (!flight) return undefined;
    if (this.reuse && flight.canServe(prompt)) return flight;
    if (flight.leadsTo(prompt)) return undefined;
    this.drop(documentKey);
    return undefined;
  }

  /** The document's request in flight, left as it is. */
  current(documentKey: string): Flight | undefined {
    return this.byDocument.get(documentKey);
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
