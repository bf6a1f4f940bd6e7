// Records the user's edits for the recent-edits source: a line range per change, nothing else, so a
// keystroke costs a map lookup and a count of the inserted text's line breaks.
import * as vscode from 'vscode';
import type { Clock } from '../core/clock';
import type { RecentEdits } from '../core/context/recentEdits';
import type { Exclusion } from '../core/exclusion';
import { isUnder, lineBreaksIn } from './files';
import { workspacePathOf } from './workspaceAccess';

/** What the tracker needs to know of qwenInline.exclude (DocumentExclusion: remembered per document). */
export interface EditExclusion {
  of(document: vscode.TextDocument): Exclusion | undefined;
  ofPath(path: string): Exclusion | undefined;
}

/**
 * Feeds RecentEdits from VS Code's change events: workspace files only, never an excluded one; a
 * file's edits are forgotten when it is deleted or renamed, or when it becomes excluded.
 */
export class EditTracker implements vscode.Disposable {
  /** Each document's workspace-relative path, or null when its edits are not recorded (untitled, outside). */
  private paths = new WeakMap<vscode.TextDocument, string | null>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly edits: RecentEdits,
    private readonly exclusion: EditExclusion,
    private readonly clock: Clock,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => this.changed(event)),
      vscode.workspace.onDidDeleteFiles((event) => this.forgetUnder(event.files)),
      vscode.workspace.onDidRenameFiles((event) => this.forgetUnder(event.files.map((file) => file.oldUri))),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.forgetAll()),
    ];
  }

  /** Forgets the edits of files the exclusion patterns now exclude (call when the settings change). */
  forgetExcluded(): void {
    for (const path of this.recordedPaths()) if (this.exclusion.ofPath(path)) this.edits.forget(path);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const document = event.document;
    const path = this.pathOf(document);
    if (path === null || this.exclusion.of(document)) return;
    const at = this.clock.now();
    for (const change of event.contentChanges) {
      const startLine = change.range.start.line;
      this.edits.record({ path, languageId: document.languageId, startLine, endLine: startLine + lineBreaksIn(change.text), at });
    }
  }

  private pathOf(document: vscode.TextDocument): string | null {
    let path = this.paths.get(document);
    if (path === undefined) {
      path = workspacePathOf(document.uri) ?? null;
      this.paths.set(document, path);
    }
    return path;
  }

  /** Forgets the edits of deleted or renamed files, and of every file under a deleted folder. */
  private forgetUnder(uris: readonly vscode.Uri[]): void {
    const gone = uris.map(workspacePathOf).filter((path): path is string => path !== undefined);
    for (const path of this.recordedPaths()) if (gone.some((other) => isUnder(path, other))) this.edits.forget(path);
  }

  /** The workspace's folders changed: every recorded path may mean another file now. */
  private forgetAll(): void {
    this.paths = new WeakMap();
    for (const path of this.recordedPaths()) this.edits.forget(path);
  }

  private recordedPaths(): Set<string> {
    return new Set(this.edits.latest().map((edit) => edit.path));
  }
}
