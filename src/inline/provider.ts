import * as path from 'path';
import * as vscode from 'vscode';
import type { IndentStyle, TextLines } from '../core/document';
import type { CompletionEngine } from '../core/engine';
import { skipReason } from '../core/gate';
import type { Logger } from '../core/logger';
import type { Settings } from '../core/settings';
import type { StatusModel } from '../core/status';

/** Adapts VS Code's inline completion API to the core engine: gate, then engine, then an item. */
export class QwenInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly engine: CompletionEngine,
    private readonly settings: () => Settings,
    private readonly status: StatusModel,
    private readonly logger: Logger,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const editor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor : undefined;
    const reason = skipReason({
      settings: this.settings(),
      languageId: document.languageId,
      snoozed: this.status.isSnoozed(),
      hasSelection: editor !== undefined && !editor.selection.isEmpty,
      suggestWidgetOpen: context.selectedCompletionInfo !== undefined,
      lineSuffix: document.lineAt(position.line).text.slice(position.character),
    });
    if (reason) {
      this.logger.trace(`no suggestion: ${reason}`);
      return undefined;
    }

    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const suggestion = await this.engine.complete(
        {
          documentKey: document.uri.toString(),
          languageId: document.languageId,
          fileName: path.basename(document.fileName),
          lines: linesOf(document),
          position: { line: position.line, character: position.character },
          eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
          indent: indentOf(editor),
        },
        controller.signal,
      );
      if (!suggestion || token.isCancellationRequested) return undefined;
      const range = new vscode.Range(position, position.translate(0, suggestion.replaceLength));
      return [new vscode.InlineCompletionItem(suggestion.insertText, range)];
    } finally {
      subscription.dispose();
    }
  }
}

function linesOf(document: vscode.TextDocument): TextLines {
  return { lineCount: document.lineCount, lineAt: (line) => document.lineAt(line).text };
}

function indentOf(editor: vscode.TextEditor | undefined): IndentStyle {
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 4;
  return { useTabs: editor?.options.insertSpaces === false, size: tabSize };
}
