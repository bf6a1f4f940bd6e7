// A person typing a stretch of a real file back into it, against a CompletionEngine, the way VS
// Code drives the provider: a call per keystroke that cancels the previous one, a pause now and
// then to look at the suggestion, Tab when it is right.
import type { TextLines } from '../../src/core/document';
import type { CompletionEngine, CompletionRequest } from '../../src/core/engine';
import type { Suggestion } from '../../src/core/ghostText';
import { SeededRandom } from '../simulator/server';
import type { CorpusFile } from './corpus';

export interface Pause {
  /** Last keystroke (or accept) to the suggestion on screen; undefined when none came in the pause. */
  readonly latencyMs?: number;
  readonly shown: 'correct' | 'wrong' | 'none';
  /** The pause began with Tab on a suggestion (accept to next suggestion). */
  readonly afterAccept: boolean;
  /** The physical limit: what the simulated model needs for the true next line asked at the pause (see TypistOptions.limitMs). */
  readonly limitMs?: number;
}

export interface SessionResult {
  readonly file: string;
  /** Characters the typist put in the document (a line break with its auto-indentation counts whole). */
  readonly typedChars: number;
  /** Characters written by accepted suggestions. */
  readonly acceptedChars: number;
  readonly keystrokes: number;
  readonly pauses: readonly Pause[];
}

/** A value in [min, max) from a seeded sequence: every run types the same way. */
function between(random: SeededRandom, [min, max]: readonly [number, number]): number {
  return min + (max - min) * random.next();
}

export interface TypistHabits {
  /** Milliseconds between keystrokes in a burst. */
  readonly keyMs: readonly [number, number];
  /** How long a pause lasts when no suggestion is taken. */
  readonly pauseMs: readonly [number, number];
  /** The chance of a pause after a space (they always pause after a line break and after `{ ( [ : = , .`). */
  readonly pauseAfterSpace: number;
  /** How long a right suggestion is read before Tab. */
  readonly readMs: readonly [number, number];
}

/** Reading a suggestion before Tab takes a third of a second to a second (a line of code read at a glance, up to a few lines). */
export const HABITS: TypistHabits = { keyMs: [70, 230], pauseMs: [700, 2000], pauseAfterSpace: 0.1, readMs: [300, 1000] };

/** The first line the file really has at `at`: the rest of the cursor's line, or after a finished one, the next non-blank line. */
export function trueFirstLine(text: string, at: number): string {
  const lines = text.slice(at, at + 2000).split('\n');
  return lines[0].trim() !== '' ? lines[0] : (lines.slice(1).find((line) => line.trim() !== '') ?? '');
}

const PAUSE_AFTER = new Set(['{', '(', '[', ':', '=', ',', '.']);

/**
 * Types `file.text[start, end)` back into a document that holds the rest of the file, from the
 * same seed for every policy. The document is `text[0, at) + text[end, …)`: the typist opened a
 * blank line where the stretch goes.
 */
export async function typeStretch(
  file: CorpusFile,
  engine: CompletionEngine,
  seed: number,
  habits = HABITS,
  /** The time the simulated model needs for a line, asked now (the limit a pause is measured against). */
  limitMs?: (line: string) => number,
): Promise<SessionResult> {
  const random = new SeededRandom(seed);
  const documentKey = `file:///bench/${file.path.replace(/[^\w.]+/g, '_')}`;
  const { text, end } = file;
  let at = file.start;
  let typedChars = 0;
  let acceptedChars = 0;
  let keystrokes = 0;
  const pauses: Pause[] = [];

  const requestAt = (): CompletionRequest => {
    const doc = text.slice(0, at) + text.slice(end);
    const before = text.slice(0, at);
    const line = countLines(before) - 1;
    return {
      documentKey,
      languageId: file.languageId,
      fileName: file.path.split('/').pop() ?? 'file',
      lines: linesOf(doc),
      position: { line, character: at - (before.lastIndexOf('\n') + 1) },
      eol: '\n',
      indent: { useTabs: file.useTabs, size: file.useTabs ? 8 : 4 },
    };
  };

  // What VS Code does on every edit: cancel the last call, make a new one, show what it returns.
  let call: { controller: AbortController; done: Promise<void>; suggestion?: Suggestion; shownAt?: number } | undefined;
  let lastEditAt = 0;
  const editorChanged = () => {
    call?.controller.abort();
    const controller = new AbortController();
    const current: NonNullable<typeof call> = { controller, done: Promise.resolve() };
    current.done = engine.complete(requestAt(), controller.signal).then((suggestion) => {
      if (controller.signal.aborted || !suggestion) return;
      current.suggestion = suggestion;
      current.shownAt = performance.now();
    });
    call = current;
    lastEditAt = performance.now();
  };

  /** Looks at the screen for up to a pause; reads a right suggestion and takes it with Tab. */
  const pause = async (afterAccept = false): Promise<void> => {
    const pauseMs = between(random, habits.pauseMs);
    const readMs = between(random, habits.readMs);
    const limit = limitMs?.(trueFirstLine(text, at));
    const current = call!;
    await Promise.race([current.done, sleep(pauseMs - (performance.now() - lastEditAt))]);
    if (current.shownAt === undefined || !current.suggestion) {
      pauses.push({ shown: 'none', afterAccept, limitMs: limit });
      await sleep(pauseMs - (performance.now() - lastEditAt));
      return;
    }
    const latencyMs = current.shownAt - lastEditAt;
    const after = accepted(text, at, end, current.suggestion);
    if (after === undefined) {
      pauses.push({ latencyMs, shown: 'wrong', afterAccept, limitMs: limit });
      await sleep(pauseMs - (performance.now() - lastEditAt));
      return;
    }
    pauses.push({ latencyMs, shown: 'correct', afterAccept, limitMs: limit });
    await sleep(readMs - (performance.now() - current.shownAt));
    acceptedChars += after - at;
    at = after;
    // The item's command, then VS Code asks again at the new cursor; the typist looks again.
    engine.prefetch(requestAt());
    editorChanged();
    if (at < end) await pause(true);
  };

  editorChanged();
  while (at < end) {
    await sleep(between(random, habits.keyMs));
    const char = text[at];
    // Enter brings the next line's indentation with it (the editor's auto-indent).
    const typed = char === '\n' ? '\n' + /^[ \t]*/.exec(text.slice(at + 1))![0] : char;
    at = Math.min(end, at + typed.length);
    typedChars += typed.length;
    keystrokes++;
    editorChanged();
    if (at >= end) break;
    if (char === '\n' || PAUSE_AFTER.has(char) || (char === ' ' && random.next() < habits.pauseAfterSpace)) await pause();
  }
  call?.controller.abort();
  return { file: file.source, typedChars, acceptedChars, keystrokes, pauses };
}

/**
 * Where the typist is after accepting `suggestion` at `at`, when the result is the real file
 * typed a little further; undefined when it is not (a wrong suggestion).
 */
export function accepted(text: string, at: number, end: number, suggestion: Suggestion): number | undefined {
  const rest = text.slice(end);
  const written = text.slice(0, at) + suggestion.insertText + rest.slice(suggestion.replaceLength);
  if (!written.endsWith(rest)) return undefined;
  const typed = written.slice(0, written.length - rest.length);
  if (typed.length <= at || typed.length > end || !text.startsWith(typed)) return undefined;
  return typed.length;
}

function linesOf(doc: string): TextLines {
  const lines = doc.split('\n');
  return { lineCount: lines.length, lineAt: (line) => lines[line] };
}

function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
