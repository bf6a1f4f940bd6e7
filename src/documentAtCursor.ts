import * as vscode from 'vscode';
import type { DocumentAtCursor } from './core/document';

/** Adapts a VS Code document and cursor to what the core reads: lines on demand, line endings, indentation. */
export function documentAtCursor(document: vscode.TextDocument, position: vscode.Position, editor: vscode.TextEditor | undefined): DocumentAtCursor {
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 4;
  return {
    languageId: document.languageId,
    uri: document.uri.toString(),
    // The URI's last segment: '/' on every OS, and no Node `path` (the web build has none).
    fileName: document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1),
    projectName: vscode.workspace.getWorkspaceFolder(document.uri)?.name,
    lines: { lineCount: document.lineCount, lineAt: (line) => document.lineAt(line).text },
    position: { line: position.line, character: position.character },
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
    indent: { useTabs: editor?.options.insertSpaces === false, size: tabSize },
  };
}
