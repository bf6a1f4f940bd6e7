import * as vscode from 'vscode';
import type { CompletionEngine } from '../core/engine';
import type { Exclusion } from '../core/exclusion';
import { describeSkip, skipReason } from '../core/gate';
import type { Logger } from '../core/logger';
import type { Settings } from '../core/settings';
import type { StatusModel } from '../core/status';
import { drawnWhole, undrawnAt, type RenderingLimits } from '../core/visibility';
import { cursorContext } from '../cursorContext';

/** What the provider needs from Continue This Block: a finished preview, and when to keep quiet. */
export interface BlockPreviewSource {
  /** The previewed block for this exact document version and cursor, if any. */
  previewAt(document: vscode.TextDocument, position: vscode.Position): string | undefined;
  /** A block is streaming into (or being prepared for) this document. */
  isContinuing(document: vscode.TextDocument): boolean;
}

/** Run by VS Code after a suggestion was accepted (its item's command), with the document's URI. */
export const SUGGESTION_ACCEPTED_COMMAND = 'qwenInline.suggestionAccepted';

/** Adapts VS Code's inline completion API to the core engine: gate, then engine, then an item. */
export class QwenInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly engine: CompletionEngine,
    private readonly settings: () => Settings,
    private readonly status: StatusModel,
    private readonly logger: Logger,
    private readonly blocks: BlockPreviewSource,
    private readonly exclusionOf: (document: vscode.TextDocument) => Exclusion | undefined,
    private readonly limitsOf: (document: vscode.TextDocument) => RenderingLimits,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    // Continue This Block comes first: its preview was asked for, and while it streams, ghost text would be in the way.
    const preview = this.blocks.previewAt(document, position);
    if (preview !== undefined) return [new vscode.InlineCompletionItem(preview, new vscode.Range(position, position))];
    if (this.blocks.isContinuing(document)) return undefined;

    const editor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor : undefined;
    if (this.skipped(document, position, editor, context.selectedCompletionInfo !== undefined)) return undefined;

    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const suggestion = await this.engine.complete(
        { documentKey: document.uri.toString(), ...cursorContext(document, position, editor) },
        controller.signal,
      );
      if (!suggestion || token.isCancellationRequested) return undefined;
      if (!drawnWhole(suggestion.insertText, position.character, this.limitsOf(document))) {
        this.logger.trace('no suggestion: VS Code would not draw all of its first line (editor.stopRenderingLineAfter)');
        return undefined;
      }
      const range = new vscode.Range(position, position.translate(0, suggestion.replaceLength));
      const item = new vscode.InlineCompletionItem(suggestion.insertText, range);
      item.command = { command: SUGGESTION_ACCEPTED_COMMAND, title: 'Suggestion accepted', arguments: [document.uri.toString()] };
      return [item];
    } finally {
      subscription.dispose();
    }
  }

  /** After an accept, the next suggestion is asked for at once, so it is ready when VS Code asks. */
  accepted(documentUri: string): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== documentUri || this.skipped(editor.document, editor.selection.active, editor, false)) return;
    this.engine.prefetch({ documentKey: documentUri, ...cursorContext(editor.document, editor.selection.active, editor) });
  }

  private skipped(document: vscode.TextDocument, position: vscode.Position, editor: vscode.TextEditor | undefined, suggestWidgetOpen: boolean): boolean {
    const reason = skipReason({
      settings: this.settings(),
      languageId: document.languageId,
      excluded: this.exclusionOf(document),
      snoozed: this.status.isSnoozed(),
      hasSelection: editor !== undefined && !editor.selection.isEmpty,
      suggestWidgetOpen,
      undrawn: undrawnAt(position.character, this.limitsOf(document)),
    });
    if (reason) this.logger.trace(`no suggestion: ${describeSkip(reason)}`);
    return reason !== undefined;
  }
}
