import * as vscode from 'vscode';
import type { BlockContinuer, BlockOutcome, BlockStopReason } from '../core/blockContinuation';
import type { ContextSnippet } from '../core/context/types';
import type { ClassifiedError } from '../core/errors';
import type { DocumentAtCursor } from '../core/document';
import { describeExclusion, type Exclusion } from '../core/exclusion';
import { inEnglish, t } from '../core/l10n';
import { describeUndrawn, drawnWhole, undrawnAt, type RenderingLimits } from '../core/visibility';
import type { Logger } from '../core/logger';
import { shortUsage } from '../core/pricing';
import type { SettingsScope, SettingsSource } from '../core/settings';
import type { SpendingTracker } from '../core/spending';
import type { StatusModel } from '../core/status';
import { documentAtCursor } from '../documentAtCursor';
import type { BlockPreviewSource } from '../inline/provider';
import type { Notifications } from '../ui/notifications';

export const CONTINUE_BLOCK_COMMAND = 'qwenInline.continueBlock';
export const STOP_CONTINUE_BLOCK_COMMAND = 'qwenInline.stopContinueBlock';
/** True while a block streams: Escape is bound to stop it only then. */
const CONTINUING_CONTEXT_KEY = 'qwenInline.continuingBlock';
/** How long the status bar shows what the last run cost. */
const USAGE_SHOWN_MS = 20_000;

/** What one run did, for the log and the status bar. */
interface BlockRunSummary {
  readonly reason: BlockStopReason | 'typing' | 'editorGone';
  /** The text inserted into the document (empty in preview mode). */
  readonly inserted: string;
  /** The previewed block (preview mode only). */
  readonly preview?: string;
}

interface ContinueBlockDeps {
  readonly continuer: BlockContinuer;
  readonly settings: SettingsSource;
  readonly status: StatusModel;
  readonly spending: SpendingTracker;
  readonly logger: Logger;
  readonly reportError: (error: ClassifiedError) => void;
  readonly notifications: Notifications;
  /** Why a document's text may never be sent (qwenInline.exclude), if it may not. */
  readonly exclusionOf: (document: vscode.TextDocument) => Exclusion | undefined;
  /** What VS Code draws in a document: a preview it would not draw whole is never offered. */
  readonly limitsOf: (document: vscode.TextDocument) => RenderingLimits;
  /**
   * Project context for a run, gathered for it (time-limited); none when context is off, the
   * document may have none, or this is absent.
   */
  readonly projectContext?: (document: vscode.TextDocument, position: vscode.Position) => Promise<readonly ContextSnippet[]>;
}

interface Preview {
  readonly uri: string;
  readonly version: number;
  readonly position: vscode.Position;
  readonly text: string;
}

/**
 * "Qwen Inline: Continue This Block": streams the rest of the block at the cursor into the editor (or,
 * in preview mode, prepares it as ghost text), with a cancellable progress notification.
 */
export class ContinueBlockCommand implements vscode.Disposable, BlockPreviewSource {
  private running: { readonly uri: string; stop(reason: 'cancelled' | 'typing' | 'editorGone'): void } | undefined;
  private preview: Preview | undefined;

  constructor(private readonly deps: ContinueBlockDeps) {}

  previewAt(document: vscode.TextDocument, position: vscode.Position): string | undefined {
    const preview = this.preview;
    if (!preview || preview.uri !== document.uri.toString()) return undefined;
    if (preview.version !== document.version || !preview.position.isEqual(position)) {
      this.preview = undefined;
      return undefined;
    }
    return preview.text;
  }

  isContinuing(document: vscode.TextDocument): boolean {
    return this.running?.uri === document.uri.toString();
  }

  stop(): void {
    this.running?.stop('cancelled');
  }

  async run(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (this.refused(editor) || !editor) return;
    const run = new BlockRun(editor, this.deps.settings(scopeOf(editor.document))['continueBlock.preview'], this.deps.logger);
    this.running = { uri: editor.document.uri.toString(), stop: (reason) => run.stop(reason) };
    this.preview = undefined;
    const outcome = await this.stream(run);
    if (!outcome) return;
    this.report(run.summary(outcome), outcome);
    if (run.previewReady(outcome)) this.showPreview(editor, run.version, run.position, outcome.text);
  }

  /** Streams the run under its progress notification; undefined when it failed in a way the continuer did not classify. */
  private async stream(run: BlockRun): Promise<BlockOutcome | undefined> {
    const { status, logger } = this.deps;
    await vscode.commands.executeCommand('setContext', CONTINUING_CONTEXT_KEY, true);
    status.requestStarted();
    let outcome: BlockOutcome | undefined;
    try {
      outcome = await this.continueWithProgress(run, () => this.contextFor(run));
      await run.finishWriting();
    } catch (error) {
      await run.finishWriting();
      logger.error(`Continue This Block failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      void this.deps.notifications.error(`Qwen Inline: ${t('Continue This Block failed: {0}. See the log.', error instanceof Error ? error.message : String(error))}`);
    } finally {
      run.dispose();
      this.running = undefined;
      status.requestEnded({ succeeded: outcome !== undefined && !outcome.error, error: outcome?.error });
      await vscode.commands.executeCommand('setContext', CONTINUING_CONTEXT_KEY, false);
    }
    return outcome;
  }

  /**
   * Runs the continuer under a cancellable progress notification that counts tokens and lines; the
   * project context is gathered first, under the same notification.
   */
  private continueWithProgress(run: BlockRun, gatherContext: () => Promise<readonly ContextSnippet[]>): Thenable<BlockOutcome> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Qwen Inline: ${t('Continue This Block')}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => run.stop('cancelled'));
        const snippets = await gatherContext();
        let lastMessage = '';
        const onProgress = (update: { text: string; tokens: number; round: number }) => {
          run.show(update.text);
          const message = progressMessage(update.tokens, update.text.split('\n').length, update.round);
          if (message !== lastMessage) progress.report({ message: (lastMessage = message) });
        };
        return this.deps.continuer.run(run.request, run.signal, onProgress, snippets);
      },
    );
  }

  /** The run's project context (logged with each snippet's file and lines); none when it cannot be had. */
  private async contextFor(run: BlockRun): Promise<readonly ContextSnippet[]> {
    const { projectContext, logger } = this.deps;
    if (!projectContext) return [];
    try {
      const snippets = await projectContext(run.document, run.position);
      const listed = snippets.map((s) => `${s.path}:${s.startLine + 1}-${s.endLine + 1} (${s.source})`).join(', ');
      if (snippets.length > 0) logger.info(`Continue This Block: context of ${snippets.length} snippets: ${listed}`);
      return snippets;
    } catch (error) {
      logger.debug(`Continue This Block: no project context: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** Says why the command cannot run now, if it cannot: no editor, a run already going, an excluded file, the budget. */
  private refused(editor: vscode.TextEditor | undefined): boolean {
    const { notifications } = this.deps;
    if (!editor) {
      void notifications.info(`Qwen Inline: ${t('open a file and put the cursor where the block should go on, then run Continue This Block.')}`);
      return true;
    }
    if (this.running) {
      void notifications.info(t('Qwen Inline is already continuing a block. Press Escape to stop it.'));
      return true;
    }
    const excluded = this.deps.exclusionOf(editor.document);
    if (excluded) {
      void notifications.info(`Qwen Inline: ${t('nothing was sent: {0}.', describeExclusion(excluded))}`);
      return true;
    }
    const undrawn = this.deps.settings(scopeOf(editor.document))['continueBlock.preview'] ? undrawnAt(editor.selection.active.character, this.deps.limitsOf(editor.document)) : undefined;
    if (undrawn) {
      const why = describeUndrawn(undrawn);
      void notifications.info(`Qwen Inline: ${t('nothing was sent: the preview could not be shown here ({0}). Turn off qwenInline.continueBlock.preview to write the block into the document.', why)}`);
      return true;
    }
    // An explicit command still respects the daily budget; the message says how to lift it.
    const budgetReached = this.deps.spending.budgetError();
    if (budgetReached) this.deps.reportError(budgetReached);
    return budgetReached !== undefined;
  }

  private report(summary: BlockRunSummary, outcome: BlockOutcome): void {
    const { settings, status, spending, logger } = this.deps;
    const model = settings().model;
    const recorded = outcome.rounds > 0 ? spending.record(model, outcome.usage, 'block', outcome.rounds) : undefined;
    const usage = recorded?.description ?? 'no request sent';
    const written = summary.preview ?? summary.inserted;
    const reason = inEnglish(() => stopReasonText(summary.reason));
    logger.info(
      `Continue This Block (${model}): ${reason}; ${outcome.rounds} request${outcome.rounds === 1 ? '' : 's'}, ` +
        `${written.length} chars in ${outcome.elapsedMs} ms; ${usage}`,
    );
    if (recorded) status.recordRun({ short: shortUsage(outcome.usage, recorded.cost), detail: `${stopReasonText(summary.reason)}; ${usage}` }, USAGE_SHOWN_MS);
    if (outcome.error) this.deps.reportError(outcome.error);
    else this.tellWhyNothingCame(summary.reason, written);
  }

  /** A run that wrote nothing, or was stopped by something other than the user's Escape, says so. */
  private tellWhyNothingCame(reason: BlockRunSummary['reason'], written: string): void {
    const { notifications } = this.deps;
    if (reason === 'excluded') void notifications.info(`Qwen Inline: ${t('nothing was sent: the text around the cursor holds a private key.')}`);
    else if (reason === 'typing') notifications.flash(`Qwen Inline: ${t('stopped continuing the block because the document changed')}`, 5000);
    else if (reason === 'editorGone') void notifications.info(`Qwen Inline: ${t('stopped continuing the block because its editor was closed; the text so far is kept.')}`);
    else if (written.trim() === '' && reason !== 'cancelled') void notifications.info(`Qwen Inline: ${t('the model had nothing to add here.')}`);
  }

  private showPreview(editor: vscode.TextEditor, version: number, position: vscode.Position, text: string): void {
    if (editor.document.version !== version || !editor.selection.active.isEqual(position)) {
      void this.deps.notifications.info(`Qwen Inline: ${t('the document changed while the block was prepared, so the preview was dropped.')}`);
      return;
    }
    if (!drawnWhole(text, position.character, this.deps.limitsOf(editor.document))) {
      void this.deps.notifications.info(`Qwen Inline: ${t('VS Code would not draw all of the preview on this long line, so it was dropped. Turn off qwenInline.continueBlock.preview to write the block into the document.')}`);
      return;
    }
    this.preview = { uri: editor.document.uri.toString(), version, position, text };
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  }

  dispose(): void {
    this.running?.stop('cancelled');
  }
}

/** Why a run stopped, in the display language (the status bar's tooltip; the log asks in English). */
function stopReasonText(reason: BlockRunSummary['reason']): string {
  switch (reason) {
    case 'blockEnd':
      return t('stopped at the end of the block');
    case 'modelStop':
      return t('the model finished');
    case 'roundLimit':
      return t('stopped at continueBlock.maxRounds');
    case 'tokenLimit':
      return t('stopped at continueBlock.maxTotalTokens');
    case 'cancelled':
      return t('cancelled');
    case 'error':
      return t('failed');
    case 'excluded':
      return t('nothing sent: the text holds a private key');
    case 'typing':
      return t('stopped: the document changed');
    case 'editorGone':
      return t('stopped: the editor was closed');
  }
}

/** The progress notification's line: "≈ 120 tokens, 4 lines (request 2)". */
function progressMessage(tokens: number, lines: number, round: number): string {
  const counted = lines === 1 ? t('≈ {0} tokens, 1 line', tokens) : t('≈ {0} tokens, {1} lines', tokens, lines);
  return round > 1 ? `${counted} ${t('(request {0})', round)}` : counted;
}

type RunStop = 'cancelled' | 'typing' | 'editorGone';

/**
 * One run of the command: where it started, how it is stopped (and by what first), and where its
 * text goes: written into the document as it streams, or kept for a preview.
 */
class BlockRun implements vscode.Disposable {
  readonly request: DocumentAtCursor;
  readonly document: vscode.TextDocument;
  readonly position: vscode.Position;
  readonly version: number;
  private readonly controller = new AbortController();
  private stoppedBy: RunStop | undefined;
  private readonly writer: StreamWriter | undefined;
  private readonly previewWatch: vscode.Disposable | undefined;

  constructor(editor: vscode.TextEditor, private readonly previewMode: boolean, logger: Logger) {
    const document = editor.document;
    this.document = document;
    this.position = editor.selection.active;
    this.version = document.version;
    this.request = documentAtCursor(document, this.position, editor);
    this.writer = previewMode ? undefined : new StreamWriter(editor, this.position, (reason) => this.stop(reason), logger);
    // A preview is only good for the text it was made for: any edit makes it stale, so stop paying for it.
    this.previewWatch = previewMode
      ? vscode.workspace.onDidChangeTextDocument((event) => {
          if (event.document === document && event.contentChanges.length > 0) this.stop('typing');
        })
      : undefined;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: RunStop): void {
    this.stoppedBy ??= reason;
    this.controller.abort();
  }

  show(text: string): void {
    this.writer?.show(text);
  }

  finishWriting(): Promise<void> {
    return this.writer?.finish() ?? Promise.resolve();
  }

  summary(outcome: BlockOutcome): BlockRunSummary {
    const stoppedBy = this.stoppedBy;
    return {
      reason: stoppedBy === 'typing' || stoppedBy === 'editorGone' ? stoppedBy : outcome.reason,
      inserted: this.writer?.written ?? '',
      preview: this.previewMode ? outcome.text : undefined,
    };
  }

  /** A preview is offered only for a run that ended on its own with something to show. */
  previewReady(outcome: BlockOutcome): boolean {
    return this.previewMode && !this.stoppedBy && !outcome.error && outcome.reason !== 'cancelled' && outcome.text.trim() !== '';
  }

  dispose(): void {
    this.writer?.dispose();
    this.previewWatch?.dispose();
  }
}

/**
 * Writes a growing text into the document at one point, as a single undo step, and stops as soon
 * as anything else changes the document, so a user's keystroke is never overwritten.
 */
class StreamWriter implements vscode.Disposable {
  /** What is in the document so far. */
  written = '';
  private wanted = '';
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The edit being applied, to tell it apart from the user's in the change event. */
  private ownEdit: { offset: number; text: string } | undefined;
  private readonly startOffset: number;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly editor: vscode.TextEditor,
    start: vscode.Position,
    private readonly stop: (reason: 'cancelled' | 'typing' | 'editorGone') => void,
    private readonly logger: Logger,
  ) {
    this.startOffset = editor.document.offsetAt(start);
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== editor.document || event.contentChanges.length === 0 || this.isOwn(event)) return;
      this.halt('typing');
    });
  }

  show(text: string): void {
    this.wanted = text;
    this.queue = this.queue.then(() => this.flush());
  }

  /** Waits for the last edit, then closes the undo step so the user's next typing is a step of its own. */
  async finish(): Promise<void> {
    await this.queue;
    if (this.written === '' || this.editor.document.isClosed) return;
    await Promise.resolve(this.editor.edit(() => undefined, { undoStopBefore: false, undoStopAfter: true })).catch(() => false);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private isOwn(event: vscode.TextDocumentChangeEvent): boolean {
    const own = this.ownEdit;
    const change = event.contentChanges[0];
    return own !== undefined && event.contentChanges.length === 1 && change.rangeLength === 0 && change.rangeOffset === own.offset && change.text === own.text;
  }

  private halt(reason: 'cancelled' | 'typing' | 'editorGone'): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stop(reason);
  }

  private async flush(): Promise<void> {
    if (this.stopped || this.wanted === this.written) return;
    if (!this.wanted.startsWith(this.written)) {
      // The core promises text that only grows; never rewrite what is already in the document.
      this.logger.error('Continue This Block: the streamed text changed behind the cursor; stopping');
      this.halt('cancelled');
      return;
    }
    const document = this.editor.document;
    const offset = this.startOffset + this.written.length;
    const delta = this.wanted.slice(this.written.length);
    const at = document.positionAt(offset);
    const selection = this.editor.selection;
    const cursorFollows = this.editor.selections.length === 1 && selection.isEmpty && selection.active.isEqual(at);
    this.ownEdit = { offset, text: delta };
    let applied: boolean;
    try {
      // No undo stop between the pieces: the whole insertion is one undo step.
      applied = await this.editor.edit((edit) => edit.insert(at, delta), { undoStopBefore: this.written === '', undoStopAfter: false });
    } catch {
      applied = false;
    } finally {
      this.ownEdit = undefined;
    }
    if (!applied) {
      // A closed editor, or a document version that moved on (the user typed first).
      this.halt(document.isClosed || !vscode.window.visibleTextEditors.includes(this.editor) ? 'editorGone' : 'typing');
      return;
    }
    this.written += delta;
    if (cursorFollows) {
      const end = document.positionAt(offset + delta.length);
      this.editor.selection = new vscode.Selection(end, end);
    }
  }
}

/** Which document's settings apply: its language's overrides count. */
function scopeOf(document: vscode.TextDocument): SettingsScope {
  return { uri: document.uri.toString(), languageId: document.languageId };
}
