import { dialectOf, type Dialect } from './block/languages';
import type { DocumentAtCursor, Position, TextLines } from './document';
import { suggestionSpot, type SuggestionSpot } from './ghostText';
import { isSuggestionSpot } from './postprocess';
import { extractSuffix, type Prefix } from './prompt';
import type { Settings } from './settings';
import type { PromptKey } from './suggestionCache';
import type { RenderingLimits } from './visibility';
import type { Exclusion } from './exclusion';

/** What the editor knows at the cursor that decides whether ghost text is wanted (see gate.ts). */
export interface EditorState {
  /** Why the document's text may not be sent (qwenInline.exclude), if it may not. */
  readonly excluded?: Exclusion;
  readonly hasSelection: boolean;
  /** The IntelliSense suggest widget is open: its choice would fight with ghost text. */
  readonly suggestWidgetOpen: boolean;
  /** What VS Code draws in the document. */
  readonly limits: RenderingLimits;
}

export interface CompletionRequest extends DocumentAtCursor {
  /** Identifies the document: at most one request is in flight per document. */
  readonly documentKey: string;
  /**
   * The editor's side of the moment; absent (the benchmark, unit tests of the pipeline), the moment
   * is not judged: no switch, exclusion or editor state stands in the way.
   */
  readonly editor?: EditorState;
}

/** Which text before the cursor is sent (EnginePolicy.prefixWindow). */
export type PrefixWindow = (doc: TextLines, position: Position, maxChars: number) => Prefix;

/** The prompt for one cursor position, and how a suggestion there is shaped. */
export class CursorPrompt {
  private context: SuggestionSpot | { skip: string } | undefined;

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

  /** A suggestion may go here: the cursor is not in the middle of a line (see isSuggestionSpot). */
  get fits(): boolean {
    const suffix = this.key.suffix;
    const lineEnd = suffix.indexOf('\n');
    return isSuggestionSpot(lineEnd < 0 ? suffix : suffix.slice(0, lineEnd));
  }

  /**
   * Where the suggestion fits and how it is shaped. Its lexer pass over the prefix is the costliest
   * step, so it runs only once a request is due, not on keystrokes the cache or a request in flight serve.
   */
  get spot(): SuggestionSpot | { skip: string } {
    return (this.context ??= suggestionSpot(this.request, this.key.prefix, this.key.suffix, this.maxLines));
  }
}

/** The prompt at the request's cursor under the settings' budgets. */
export function promptAt(request: CompletionRequest, settings: Settings, prefixWindow: PrefixWindow): CursorPrompt {
  const prefix = prefixWindow(request.lines, request.position, settings.maxPrefixChars).text;
  const suffix = extractSuffix(request.lines, request.position, settings.maxSuffixChars);
  return new CursorPrompt({ model: settings.model, prefix, suffix }, request, settings.maxLines);
}
