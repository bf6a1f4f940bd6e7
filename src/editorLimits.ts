import * as vscode from 'vscode';
import { isLargeFileMode, type RenderingLimits } from './core/visibility';

/** VS Code's default for editor.stopRenderingLineAfter. */
const DEFAULT_STOP_RENDERING_LINE_AFTER = 10_000;

/**
 * What VS Code will draw in a document (see core/visibility.ts). The editor settings are read once
 * per language and re-read when they change; large-file mode once per document, as VS Code decides
 * it once when the file is opened, which also keeps its length lookup off the keystroke path.
 */
export class EditorLimits implements vscode.Disposable {
  private readonly largeFile = new WeakMap<vscode.TextDocument, boolean>();
  private readonly settingsByLanguage = new Map<string, { readonly stopRenderingLineAfter: number; readonly largeFileOptimizations: boolean }>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('editor.stopRenderingLineAfter') || event.affectsConfiguration('editor.largeFileOptimizations')) {
        this.settingsByLanguage.clear();
      }
    });
  }

  of(document: vscode.TextDocument): RenderingLimits {
    const settings = this.settingsFor(document);
    let largeFileMode = this.largeFile.get(document);
    if (largeFileMode === undefined) {
      const length = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
      largeFileMode = isLargeFileMode(document.lineCount, length, settings.largeFileOptimizations);
      this.largeFile.set(document, largeFileMode);
    }
    return { stopRenderingLineAfter: settings.stopRenderingLineAfter, largeFileMode };
  }

  private settingsFor(document: vscode.TextDocument) {
    let settings = this.settingsByLanguage.get(document.languageId);
    if (!settings) {
      const editor = vscode.workspace.getConfiguration('editor', document);
      const limit = editor.get<number>('stopRenderingLineAfter', DEFAULT_STOP_RENDERING_LINE_AFTER);
      settings = {
        stopRenderingLineAfter: typeof limit === 'number' && Number.isFinite(limit) ? limit : DEFAULT_STOP_RENDERING_LINE_AFTER,
        largeFileOptimizations: editor.get<boolean>('largeFileOptimizations', true) !== false,
      };
      this.settingsByLanguage.set(document.languageId, settings);
    }
    return settings;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
