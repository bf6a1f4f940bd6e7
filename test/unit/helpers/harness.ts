import type { ChatRequestBody } from '../../../src/core/prompt';
import type { ContextSnippet } from '../../../src/core/context/types';
import type { CompletionBackend, StreamOutcome, StreamRequest } from '../../../src/core/backend';
import { CancelledError } from '../../../src/core/backend';
import { CompletionEngine, DEFAULT_POLICY, type CompletionRequest, type EnginePolicy } from '../../../src/core/engine';
import type { EditorState } from '../../../src/core/cursorPrompt';
import type { ClassifiedError } from '../../../src/core/errors';
import { silentLogger, type Logger } from '../../../src/core/logger';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/core/settings';
import { SpendingTracker, type SpendingStore } from '../../../src/core/spending';
import { StatusModel } from '../../../src/core/status';
import type { Clock } from '../../../src/core/clock';
import { parseCursor } from '../../helpers/cursor';
import { FakeClock } from './fakeClock';

/** A backend that answers with scripted text, streamed a few characters per chunk, and records calls. */
export class ScriptedBackend implements CompletionBackend {
  /** Every request, as the chat API's (the harness's settings speak DashScope's partial mode). */
  readonly calls: Array<StreamRequest & { readonly body: ChatRequestBody }> = [];
  /** Each call takes the next behaviour; the last one repeats. */
  constructor(private readonly behaviours: Array<(request: StreamRequest) => Promise<StreamOutcome>>) {}

  stream(request: StreamRequest): Promise<StreamOutcome> {
    this.calls.push(request as StreamRequest & { readonly body: ChatRequestBody });
    const behaviour = this.behaviours[Math.min(this.calls.length - 1, this.behaviours.length - 1)];
    return behaviour(request);
  }
}

/** Streams `text` in chunks of `chunkSize`, honouring onText and the abort signal. */
export function answer(text: string, chunkSize = 3): (request: StreamRequest) => Promise<StreamOutcome> {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) pieces.push(text.slice(i, i + chunkSize));
  return answerInPieces(pieces);
}

/** Streams the given pieces one chunk each (see test/helpers/qwenTokens.ts for splits), honouring onText and the abort signal. */
export function answerInPieces(pieces: readonly string[]): (request: StreamRequest) => Promise<StreamOutcome> {
  return async (request) => {
    let sent = '';
    for (const piece of pieces) {
      if (request.signal.aborted) throw new CancelledError();
      sent += piece;
      if (request.onText && !request.onText(sent)) {
        return { text: sent, finishReason: null, stoppedEarly: true, totalMs: 1 };
      }
    }
    return { text: sent, finishReason: 'stop', stoppedEarly: false, totalMs: 1, usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0 } };
  };
}

/** A stream the test drives: it pushes chunks and ends it when it likes. */
export interface ManualStream {
  readonly request: StreamRequest;
  /** Streams `chunk` after what came so far. */
  push(chunk: string): void;
  /** The answer is complete (even if the request was aborted meanwhile, as a server may answer anyway). */
  end(): void;
}

/** Streams the test feeds chunk by chunk, one per request; `honourAbort`: an abort rejects at once. */
export class ManualStreams {
  readonly streams: ManualStream[] = [];

  constructor(private readonly honourAbort = true) {}

  readonly behaviour = (request: StreamRequest): Promise<StreamOutcome> =>
    new Promise((resolve, reject) => {
      let text = '';
      if (this.honourAbort) request.signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
      this.streams.push({
        request,
        push: (chunk) => {
          text += chunk;
          if (request.onText && !request.onText(text)) resolve({ text, finishReason: null, stoppedEarly: true, totalMs: 1 });
        },
        end: () => resolve({ text, finishReason: 'stop', stoppedEarly: false, totalMs: 1 }),
      });
    });

  /** The latest stream. */
  get last(): ManualStream {
    return this.streams[this.streams.length - 1];
  }
}

/** Never answers until aborted (a slow request in flight). */
export function hang(): (request: StreamRequest) => Promise<StreamOutcome> {
  return (request) =>
    new Promise((_, reject) => {
      if (request.signal.aborted) reject(new CancelledError());
      request.signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
    });
}

export interface Harness {
  readonly engine: CompletionEngine;
  readonly status: StatusModel;
  readonly reported: ClassifiedError[];
  readonly clock: Clock;
  readonly spending: SpendingTracker;
}

export function makeEngine(
  backend: CompletionBackend | undefined,
  overrides: Partial<Settings> = {},
  clock: Clock = new FakeClock(),
  logger: Logger = silentLogger,
  policy?: EnginePolicy,
  context?: (request: CompletionRequest) => readonly ContextSnippet[],
): Harness {
  const status = new StatusModel(clock);
  status.setHasKey(backend !== undefined);
  const reported: ClassifiedError[] = [];
  // A test that names debounceMs means a fixed wait unless it also names the adaptive bounds.
  const fixedWait = overrides.debounceMs === undefined ? {} : { minDebounceMs: overrides.debounceMs, maxDebounceMs: overrides.debounceMs };
  const settings: Settings = { ...DEFAULT_SETTINGS, ...fixedWait, ...overrides };
  const spending = new SpendingTracker({ settings: () => settings, clock, store: memoryStore(), logger });
  const engine = new CompletionEngine({
    settings: () => settings,
    backend: () => backend,
    endpoint: () => 'http://sim.test/compatible-mode/v1',
    clock,
    logger,
    status,
    reportError: (error) => reported.push(error),
    spending,
    // Speculation on show adds a request after each suggestion shown: tests of other rules count
    // requests without it; its own tests (speculation.test.ts) and the in-host suite run it.
    policy: policy ?? { ...DEFAULT_POLICY, speculateOnShow: false },
    context,
  });
  return { engine, status, reported, clock, spending };
}

/** A completion request for a document written with a cursor marker. */
export function requestFor(
  marked: string,
  options: { eol?: '\n' | '\r\n'; useTabs?: boolean; indentSize?: number; languageId?: string; documentKey?: string; editor?: Partial<EditorState> } = {},
): CompletionRequest & { text: string; offset: number } {
  const parsed = parseCursor(marked);
  return {
    documentKey: options.documentKey ?? 'file:///a.py',
    languageId: options.languageId ?? 'python',
    fileName: 'a.py',
    lines: parsed.lines,
    position: parsed.position,
    eol: options.eol ?? parsed.lines.eol,
    indent: { useTabs: options.useTabs ?? false, size: options.indentSize ?? 4 },
    text: parsed.text,
    offset: parsed.offset,
    ...(options.editor && { editor: { ...CALM_EDITOR, ...options.editor } }),
  };
}

/** An editor where nothing stands in the way: no selection, no suggest widget, every column drawn. */
const CALM_EDITOR: EditorState = { hasSelection: false, suggestWidgetOpen: false, limits: { stopRenderingLineAfter: -1, largeFileMode: false } };

/** The document after accepting a suggestion (what Tab produces). */
export function accept(text: string, offset: number, suggestion: { insertText: string; replaceLength: number }): string {
  return text.slice(0, offset) + suggestion.insertText + text.slice(offset + suggestion.replaceLength);
}

/** A SpendingStore in memory (VS Code's globalState in the extension). */
export function memoryStore(): SpendingStore & { readonly values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return { values, get: (key) => values.get(key), update: (key, value) => void values.set(key, value) };
}
