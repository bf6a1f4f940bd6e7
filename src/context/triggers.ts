// When project context is gathered, and for which document: the editor events that schedule a
// gather, and the request a gather reads (the current document as the sources see it).
import * as vscode from 'vscode';
import type { ContextRequest, ProjectContext } from '../core/context/projectContext';
import type { TextLines } from '../core/document';
import type { Exclusion } from '../core/exclusion';
import { isLanguageEnabled, type SettingsScope, type SettingsSource } from '../core/settings';
import { workspacePathOf } from './workspaceAccess';

export interface ContextRequestDeps {
  readonly settings: SettingsSource;
  /** Why a document's text may never be sent (qwenInline.exclude), if it may not. */
  readonly exclusionOf: (document: vscode.TextDocument) => Exclusion | undefined;
}

/** The document's lines as they are when a source reads them (a gather is asynchronous). */
function liveLines(document: vscode.TextDocument): TextLines {
  return {
    get lineCount() {
      return document.lineCount;
    },
    lineAt: (line) => (line < document.lineCount ? document.lineAt(line).text : ''),
  };
}

function scopeOf(document: vscode.TextDocument): SettingsScope {
  return { languageId: document.languageId, uri: document.uri.toString() };
}

/**
 * The context request for a cursor line of a document, or undefined when the document may not have
 * any: not a workspace file, or excluded. (A snippet holding a private key is dropped by the core,
 * whichever file it comes from: the whole document is never scanned here, on a huge file that
 * would cost every pause.)
 */
export function contextRequestFor(document: vscode.TextDocument, cursorLine: number, deps: ContextRequestDeps): ContextRequest | undefined {
  const path = workspacePathOf(document.uri);
  if (path === undefined || deps.exclusionOf(document)) return undefined;
  return {
    // The provider's key for the document, so the engine's requests find this selection.
    documentKey: document.uri.toString(),
    query: { path, languageId: document.languageId, lines: liveLines(document), cursorLine },
    scope: scopeOf(document),
  };
}

/** The request for the active editor's cursor, when ghost text may be asked for there at all. */
export function requestForActiveEditor(deps: ContextRequestDeps): ContextRequest | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const settings = deps.settings(scopeOf(editor.document));
  if (!settings.enable || !settings['context.enable'] || !isLanguageEnabled(settings, editor.document.languageId)) return undefined;
  return contextRequestFor(editor.document, editor.selection.active.line, deps);
}

/**
 * Schedules a gather for the active editor whenever what it would find may have changed: another
 * editor, an edit or a cursor move in it, a save. Scheduling is cheap (a timer reset); the gather
 * runs once the events pause. A closed document's selection is forgotten.
 */
export function scheduleGathers(projectContext: ProjectContext, deps: ContextRequestDeps): vscode.Disposable[] {
  const schedule = () => projectContext.schedule(() => requestForActiveEditor(deps));
  const isActive = (document: vscode.TextDocument) => vscode.window.activeTextEditor?.document === document;
  schedule();
  return [
    vscode.window.onDidChangeActiveTextEditor(schedule),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0 && isActive(event.document)) schedule();
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => {
      if (event.textEditor === vscode.window.activeTextEditor) schedule();
    }),
    vscode.workspace.onDidSaveTextDocument(schedule),
    vscode.workspace.onDidCloseTextDocument((document) => projectContext.forget(document.uri.toString())),
  ];
}
