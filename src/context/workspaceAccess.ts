// The workspace as project context reads it, over VS Code: open tabs and recently visited editors,
// files by workspace-relative path, the language servers' definitions, folder listings. Every file
// it hands out is inside a workspace folder, allowed by qwenInline.exclude, free of private keys and
// under MAX_CONTEXT_FILE_SIZE: the sources in core/context/ never see anything else.
import * as vscode from 'vscode';
import type { DefinitionSite, ContextQuery, ProjectAccess, ProjectFile } from '../core/context/types';
import { textExclusion, type Exclusion } from '../core/exclusion';
import type { Logger } from '../core/logger';
import { languageIdOfPath, MAX_CONTEXT_FILE_SIZE, normalizeLineEndings, relativePathSegments } from './files';

/** Recently active editors remembered: about what a person keeps in mind; the open-tabs source looks at 20 files. */
const MAX_RECENT_EDITORS = 20;
/** Files read from disk kept in memory: the tabs and recent editors, with room for imported files (~1 MB each at worst, usually a few KB). */
const MAX_CACHED_FILES = 100;

/** What the access needs to know of qwenInline.exclude (DocumentExclusion). */
export interface PathExclusion {
  ofUri(uri: vscode.Uri): Exclusion | undefined;
  ofPath(path: string): Exclusion | undefined;
}

/** A file read from disk, remembered while its modification time and size stay the same. */
interface DiskEntry {
  readonly mtime: number;
  readonly size: number;
  /** Undefined: too large, or holds a private key. */
  readonly file: ProjectFile | undefined;
}

/** An open document's file, remembered for one version (the same object lets the sources cache by identity). */
interface DocumentEntry {
  readonly version: number;
  readonly file: ProjectFile | undefined;
}

/** The workspace folder of a URI, when the URI is one of the folder's own files (same scheme and authority). */
function folderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  if (uri.scheme === 'untitled') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== uri.scheme || folder.uri.authority !== uri.authority) return undefined;
  return folder;
}

/** The workspace-relative path of a workspace file, '/' separators; undefined outside every folder. */
export function workspacePathOf(uri: vscode.Uri): string | undefined {
  const folder = folderOf(uri);
  if (!folder) return undefined;
  // URI paths are normalised and '/'-separated on every OS: a prefix test is the whole relation.
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) && uri.path.length > base.length ? uri.path.slice(base.length) : undefined;
}

/** A TabInputText's URI (text tabs only: diffs, notebooks and webviews are no files to read). */
function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
}

/** ProjectAccess over VS Code. Cheap to ask: recentFiles() reads no file; files not open are read in the background. */
export class WorkspaceAccess implements ProjectAccess, vscode.Disposable {
  /** The documents of the editors the user visited, most recent first. */
  private recent: vscode.Uri[] = [];
  private readonly documents = new Map<string, DocumentEntry>();
  private readonly disk = new Map<string, DiskEntry>();
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly exclusion: PathExclusion,
    private readonly logger: Logger,
  ) {
    this.visited(vscode.window.activeTextEditor);
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((editor) => this.visited(editor)),
      vscode.window.tabGroups.onDidChangeTabs(() => this.refreshSoon()),
      // A tab whose document VS Code unloads is read from disk from then on.
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.documents.delete(document.uri.toString());
        this.refreshSoon();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.clear()),
    ];
    this.refreshSoon();
  }

  recentFiles(): readonly ProjectFile[] {
    const current = vscode.window.activeTextEditor?.document.uri.toString();
    const loaded = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
    const files: ProjectFile[] = [];
    for (const uri of this.recentUris()) {
      const key = uri.toString();
      if (key === current || !folderOf(uri) || this.exclusion.ofUri(uri)) continue;
      const document = loaded.get(key);
      const file = document ? this.fromDocument(document) : this.disk.get(key)?.file;
      if (file) files.push(file);
    }
    return files;
  }

  async readFile(relativePath: string): Promise<ProjectFile | undefined> {
    const segments = relativePathSegments(relativePath);
    if (!segments || segments.length === 0) return undefined;
    for (const folder of this.foldersCurrentFirst()) {
      const file = await this.readUri(vscode.Uri.joinPath(folder.uri, ...segments));
      if (file) return file;
    }
    return undefined;
  }

  async definitions(query: ContextQuery, line: number, character: number): Promise<readonly DefinitionSite[]> {
    const document = this.documentAt(query.path);
    if (!document) return [];
    const position = new vscode.Position(line, character);
    const ask = (command: string) =>
      Promise.resolve(vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>(command, document.uri, position)).then(
        (found) => found ?? [],
        (error: unknown) => {
          this.logger.debug(`context: ${command} failed: ${error instanceof Error ? error.message : String(error)}`);
          return [];
        },
      );
    const found = (await Promise.all([ask('vscode.executeDefinitionProvider'), ask('vscode.executeTypeDefinitionProvider')])).flat();
    const sites = new Map<string, DefinitionSite>();
    for (const target of found) {
      const [uri, range] = 'targetUri' in target ? [target.targetUri, target.targetSelectionRange ?? target.targetRange] : [target.uri, target.range];
      const sitePath = workspacePathOf(uri);
      if (sitePath === undefined || this.exclusion.ofUri(uri)) continue;
      sites.set(`${sitePath}:${range.start.line}`, { path: sitePath, line: range.start.line });
    }
    return [...sites.values()];
  }

  async filesIn(directory: string): Promise<readonly string[]> {
    const segments = relativePathSegments(directory);
    const folder = this.foldersCurrentFirst()[0];
    if (!segments || !folder) return [];
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(folder.uri, ...segments));
    } catch {
      return [];
    }
    const prefix = segments.length === 0 ? '' : `${segments.join('/')}/`;
    return entries
      .filter(([, type]) => (type & vscode.FileType.File) !== 0)
      .map(([name]) => `${prefix}${name}`)
      .filter((file) => !this.exclusion.ofPath(file));
  }

  /** Forgets every file read: the workspace's folders changed what the relative paths mean. */
  clear(): void {
    this.documents.clear();
    this.disk.clear();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.clear();
  }

  private visited(editor: vscode.TextEditor | undefined): void {
    if (!editor) return;
    const uri = editor.document.uri;
    this.recent = [uri, ...this.recent.filter((other) => other.toString() !== uri.toString())].slice(0, MAX_RECENT_EDITORS);
    this.refreshSoon();
  }

  /** Open tabs the user visited (most recent first), the other open tabs, then visited files no longer open. */
  private recentUris(): vscode.Uri[] {
    const tabs = new Map<string, vscode.Uri>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const uri = tabUri(tab);
        if (uri) tabs.set(uri.toString(), uri);
      }
    }
    const visitedTabs = this.recent.filter((uri) => tabs.has(uri.toString()));
    const visited = new Set(this.recent.map((uri) => uri.toString()));
    const otherTabs = [...tabs.values()].filter((uri) => !visited.has(uri.toString()));
    const closed = this.recent.filter((uri) => !tabs.has(uri.toString()));
    return [...visitedTabs, ...otherTabs, ...closed];
  }

  /** The current document's folder first (a relative path most likely means that one), then the others. */
  private foldersCurrentFirst(): vscode.WorkspaceFolder[] {
    const folders = [...(vscode.workspace.workspaceFolders ?? [])];
    const active = vscode.window.activeTextEditor?.document.uri;
    const current = active && folderOf(active);
    return current ? [current, ...folders.filter((folder) => folder.index !== current.index)] : folders;
  }

  /** The open document at a workspace-relative path: the active editor's when it is that one. */
  private documentAt(relativePath: string): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor?.document;
    if (active && workspacePathOf(active.uri) === relativePath) return active;
    return vscode.workspace.textDocuments.find((document) => workspacePathOf(document.uri) === relativePath);
  }

  /** An open document as a ProjectFile, remembered per version; undefined when too large or holding a private key. */
  private fromDocument(document: vscode.TextDocument): ProjectFile | undefined {
    const key = document.uri.toString();
    const remembered = this.documents.get(key);
    if (remembered?.version === document.version) return remembered.file;
    const relative = workspacePathOf(document.uri);
    if (relative === undefined) return undefined;
    // The end's offset, without copying a text that may be too large to want.
    const size = document.offsetAt(new vscode.Position(document.lineCount, 0));
    const text = size > MAX_CONTEXT_FILE_SIZE ? undefined : normalizeLineEndings(document.getText());
    const file = text === undefined || textExclusion(text) ? undefined : { path: relative, languageId: document.languageId, text };
    this.documents.set(key, { version: document.version, file });
    return file;
  }

  /** A workspace file by URI: the open document's text, else the disk's (remembered by mtime and size). */
  private async readUri(uri: vscode.Uri): Promise<ProjectFile | undefined> {
    if (!folderOf(uri) || this.exclusion.ofUri(uri)) return undefined;
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString());
    if (document) return this.fromDocument(document);
    return (await this.readDisk(uri))?.file;
  }

  private async readDisk(uri: vscode.Uri): Promise<DiskEntry | undefined> {
    const relative = workspacePathOf(uri);
    if (relative === undefined) return undefined;
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return undefined;
    }
    if ((stat.type & vscode.FileType.File) === 0) return undefined;
    const key = uri.toString();
    const cached = this.disk.get(key);
    if (cached && cached.mtime === stat.mtime && cached.size === stat.size) return cached;
    let file: ProjectFile | undefined;
    if (stat.size <= MAX_CONTEXT_FILE_SIZE) {
      const text = normalizeLineEndings(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      file = textExclusion(text) ? undefined : { path: relative, languageId: languageIdOfPath(relative), text };
    }
    const entry = { mtime: stat.mtime, size: stat.size, file };
    this.disk.delete(key);
    this.disk.set(key, entry);
    if (this.disk.size > MAX_CACHED_FILES) this.disk.delete(this.disk.keys().next().value as string);
    return entry;
  }

  /** Reads, in the background, the tabs and recent files that have no open document (one run at a time). */
  private refreshSoon(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.refreshUnloaded().finally(() => {
      this.refreshing = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.refreshSoon();
      }
    });
  }

  private async refreshUnloaded(): Promise<void> {
    const loaded = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
    for (const uri of this.recentUris()) {
      if (loaded.has(uri.toString()) || !folderOf(uri) || this.exclusion.ofUri(uri)) continue;
      await this.readDisk(uri).catch((error: unknown) => {
        this.logger.debug(`context: could not read ${workspacePathOf(uri)}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }
}
