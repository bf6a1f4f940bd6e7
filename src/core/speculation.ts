import type { Clock } from './clock';
import type { CompletionRequest } from './cursorPrompt';
import type { TextLines } from './document';
import type { Suggestion } from './ghostText';

/**
 * How long the user must have stopped typing before what follows a suggestion on screen is asked
 * for: above the gap between two keys of someone typing on (the benchmark's typist: 70-230 ms), so
 * typing fast, or typing through the suggestion, sends nothing. A suggestion that a request brought
 * after a pause has waited that long already and is followed at once: the next one is then ready
 * when a person who read it presses Tab (the benchmark's typist reads for 300-1000 ms).
 */
export const SPECULATION_DELAY_MS = 250;

/**
 * Speculation on show: once the user has paused SPECULATION_DELAY_MS with a suggestion on screen,
 * the engine asks for the suggestion that will follow it, at the cursor it would leave. Accepting
 * the whole suggestion then finds the next one ready (or streaming); accepting a word or a line, or
 * typing it, types through the shown one in the cache. At most one per shown suggestion: the
 * engine's cache and request in flight dedupe a suggestion shown again.
 */
export class Speculator {
  /** The pending speculation of each document. */
  private readonly pending = new Map<string, unknown>();
  /** When each document last changed (or its cursor moved). */
  private readonly typedAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    /** Asks for the suggestion at `request` (EnginePolicy and budget permitting); `shownFor` is the request shown. */
    private readonly ask: (request: CompletionRequest, shownFor: CompletionRequest) => void,
  ) {}

  /** `suggestion` is on screen at `request`'s cursor: once the user has paused long enough, ask for what follows it. */
  shown(request: CompletionRequest, suggestion: Suggestion): void {
    const { documentKey } = request;
    this.cancel(documentKey);
    const paused = this.clock.now() - (this.typedAt.get(documentKey) ?? -Infinity);
    const ask = () => {
      this.pending.delete(documentKey);
      let next: CompletionRequest;
      try {
        next = acceptedAt(request, suggestion);
      } catch {
        // The request reads the live document, which may have been emptied or closed under the timer
        // (a revert-and-close sends no keystroke): nothing to speculate on, and no error from a timer.
        return;
      }
      this.ask(next, request);
    };
    if (paused >= SPECULATION_DELAY_MS) return ask();
    this.pending.set(documentKey, this.clock.setTimeout(ask, SPECULATION_DELAY_MS - paused));
  }

  /** The document changed or the cursor moved: what was shown is no longer on screen as it was. */
  keystroke(documentKey: string): void {
    this.cancel(documentKey);
    this.typedAt.set(documentKey, this.clock.now());
  }

  dispose(): void {
    for (const handle of this.pending.values()) this.clock.clearTimeout(handle);
    this.pending.clear();
    this.typedAt.clear();
  }

  private cancel(documentKey: string): void {
    this.clock.clearTimeout(this.pending.get(documentKey));
    this.pending.delete(documentKey);
  }
}

/** The request at the cursor `suggestion` leaves once accepted: the document with it written in, the cursor after it. */
export function acceptedAt(request: CompletionRequest, suggestion: Suggestion): CompletionRequest {
  const { line, character } = request.position;
  const text = request.lines.lineAt(line);
  const inserted = suggestion.insertText.split(/\r?\n/);
  const written = [...inserted];
  written[0] = text.slice(0, character) + written[0];
  const last = written.length - 1;
  const column = written[last].length;
  written[last] += text.slice(character + suggestion.replaceLength);
  const added = written.length - 1;
  const lines: TextLines = {
    lineCount: request.lines.lineCount + added,
    lineAt: (at) => (at < line ? request.lines.lineAt(at) : at <= line + added ? written[at - line] : request.lines.lineAt(at - added)),
  };
  return { ...request, lines, position: { line: line + added, character: column } };
}
