import * as vscode from 'vscode';
import { ContentExclusion, type Exclusion } from './core/exclusion';
import type { Settings } from './core/settings';

/** Documents remembered; past this the memory starts over (a path match is microseconds). */
const MAX_REMEMBERED = 500;

/**
 * Which documents' text may never be sent: `qwenInline.exclude` matched on the workspace-relative
 * path. Remembered per document, since the provider asks on every keystroke.
 */
export class DocumentExclusion implements vscode.Disposable {
  private compiled: ContentExclusion;
  private readonly remembered = new Map<string, Exclusion | null>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly settings: () => Settings) {
    this.compiled = new ContentExclusion(settings().exclude);
    // Relative paths change with the workspace's folders.
    this.subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => this.remembered.clear());
  }

  of(document: vscode.TextDocument): Exclusion | undefined {
    return this.ofUri(document.uri, document.isUntitled);
  }

  /** A file's exclusion by its URI: project context asks for files that are not open as documents. */
  ofUri(uri: vscode.Uri, untitled = uri.scheme === 'untitled'): Exclusion | undefined {
    this.recompileIfChanged();
    const key = uri.toString();
    let exclusion = this.remembered.get(key);
    if (exclusion === undefined) {
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      // Untitled documents have no path to match; their text is still checked for private keys.
      const path = untitled ? '' : vscode.workspace.asRelativePath(uri, false);
      exclusion = this.compiled.excludedBy(path) ?? null;
      this.remembered.set(key, exclusion);
    }
    return exclusion ?? undefined;
  }

  /** A workspace-relative path's exclusion (not remembered): paths recorded earlier, checked again. */
  ofPath(path: string): Exclusion | undefined {
    this.recompileIfChanged();
    return this.compiled.excludedBy(path);
  }

  private recompileIfChanged(): void {
    const patterns = this.settings().exclude;
    if (patterns !== this.compiled.patterns) {
      this.compiled = new ContentExclusion(patterns);
      this.remembered.clear();
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
