import * as vscode from 'vscode';
import type { CompletionEngine, CompletionRequest } from '../core/engine';
import type { Exclusion } from '../core/exclusion';
import { describeSkip, type Completion } from '../core/gate';
import type { Logger } from '../core/logger';
import type { RenderingLimits } from '../core/visibility';
import { documentAtCursor } from '../documentAtCursor';

/** What the provider needs from Continue This Block: a finished preview, and when to keep quiet. */
export interface BlockPreviewSource {
  /** The previewed block for this exact document version and cursor, if any. */
  previewAt(document: vscode.TextDocument, position: vscode.Position): string | undefined;
  /** A block is streaming into (or being prepared for) this document. */
  isContinuing(document: vscode.TextDocument): boolean;
}

/** Run by VS Code after a suggestion was accepted (its item's command), with the document's URI. */
export const SUGGESTION_ACCEPTED_COMMAND = 'qwenInline.suggestionAccepted';

/** Adapts VS Code's inline completion API to the core engine: a document and editor in, an item or the reason for none out. */
export class QwenInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly engine: CompletionEngine,
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
    const completion = await this.completionAt(document, position, context.selectedCompletionInfo !== undefined, token);
    if (completion.kind === 'skipped') {
      this.logger.debug(`no suggestion: ${describeSkip(completion.reason)}`);
      return undefined;
    }
    const { suggestion } = completion;
    const range = new vscode.Range(position, position.translate(0, suggestion.replaceLength));
    const item = new vscode.InlineCompletionItem(suggestion.insertText, range);
    item.command = { command: SUGGESTION_ACCEPTED_COMMAND, title: 'Suggestion accepted', arguments: [document.uri.toString()] };
    return [item];
  }

  /** After an accept, the next suggestion is asked for at once, so it is ready when VS Code asks. */
  accepted(documentUri: string): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== documentUri) return;
    const refused = this.engine.prefetch(this.requestAt(editor.document, editor.selection.active, editor, false));
    if (refused) this.logger.debug(`no speculative request: ${describeSkip(refused)}`);
  }

  private async completionAt(
    document: vscode.TextDocument,
    position: vscode.Position,
    suggestWidgetOpen: boolean,
    token: vscode.CancellationToken,
  ): Promise<Completion> {
    if (this.blocks.isContinuing(document)) return { kind: 'skipped', reason: { kind: 'continuing' } };
    const editor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor : undefined;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const completion = await this.engine.suggest(this.requestAt(document, position, editor, suggestWidgetOpen), controller.signal);
      return token.isCancellationRequested ? { kind: 'skipped', reason: { kind: 'cancelled' } } : completion;
    } finally {
      subscription.dispose();
    }
  }

  private requestAt(document: vscode.TextDocument, position: vscode.Position, editor: vscode.TextEditor | undefined, suggestWidgetOpen: boolean): CompletionRequest {
    return {
      documentKey: document.uri.toString(),
      ...documentAtCursor(document, position, editor),
      editor: {
        excluded: this.exclusionOf(document),
        hasSelection: editor !== undefined && !editor.selection.isEmpty,
        suggestWidgetOpen,
        limits: this.limitsOf(document),
      },
    };
  }
}
