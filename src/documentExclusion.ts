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
    const patterns = this.settings().exclude;
    if (patterns !== this.compiled.patterns) {
      this.compiled = new ContentExclusion(patterns);
      this.remembered.clear();
    }
    const key = document.uri.toString();
    let exclusion = this.remembered.get(key);
    if (exclusion === undefined) {
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      // Untitled documents have no path to match; their text is still checked for private keys.
      const path = document.isUntitled ? '' : vscode.workspace.asRelativePath(document.uri, false);
      exclusion = this.compiled.excludedBy(path) ?? null;
      this.remembered.set(key, exclusion);
    }
    return exclusion ?? undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
