// What project context is made of, and what the core needs from a workspace to gather it. The
// extension implements ProjectAccess over VS Code (src/context/), the benchmark over plain files.
import type { TextLines } from '../document';

/** Where a snippet came from; each has its own switch (qwenInline.context.*) and its own recall in the benchmark. */
export type ContextSourceName = 'definitions' | 'imports' | 'openTabs' | 'recentEdits';

/** A file of the workspace, readable as text. */
export interface ProjectFile {
  /** Workspace-relative path with '/' separators: the file's identity, and the label the model sees. */
  readonly path: string;
  readonly languageId: string;
  /** The whole text, with '\n' line endings. */
  readonly text: string;
}

/** A piece of another file (or a far part of this one) put in the prompt. */
export interface ContextSnippet {
  readonly source: ContextSourceName;
  /** Workspace-relative path with '/' separators. */
  readonly path: string;
  /** 0-based first and last line of the file the snippet shows (for the log, and stable ordering). */
  readonly startLine: number;
  readonly endLine: number;
  /** What is sent: whole lines (a signature summary may leave lines out between start and end). */
  readonly text: string;
  /** Relevance; higher is better. Decides what fits the budget, never the order in the prompt. */
  readonly score: number;
  /** A summary (signatures, bodies left out) rather than the file's own lines from start to end. */
  readonly summary?: true;
}

/** A definition a language server points at. */
export interface DefinitionSite {
  /** Workspace-relative path; sites outside the workspace are never reported. */
  readonly path: string;
  /** 0-based line of the definition's name. */
  readonly line: number;
}

/** Where the cursor is, as the sources see it. */
export interface ContextQuery {
  /** The current document's workspace-relative path (or its name when untitled). */
  readonly path: string;
  readonly languageId: string;
  readonly lines: TextLines;
  readonly cursorLine: number;
}

/**
 * The workspace, as project context reads it. Every file it hands out is inside the workspace, not
 * excluded (qwenInline.exclude, private keys) and below the size limit: the sources never see
 * anything else, so nothing else can reach a prompt.
 */
export interface ProjectAccess {
  /** Open tabs, then recently visited files, most recent first, without the current document. */
  recentFiles(): readonly ProjectFile[];
  /** A workspace file by its workspace-relative path, or undefined (missing, excluded, too large, outside). */
  readFile(path: string): Promise<ProjectFile | undefined>;
  /**
   * Where the language server says the identifier at (line, character) of the current document is
   * defined, and where its type is (definition and type-definition providers, merged). Absent, or
   * resolving to [], when no provider answers; may be slow: callers time-limit it.
   */
  definitions?(query: ContextQuery, line: number, character: number): Promise<readonly DefinitionSite[]>;
  /** Workspace-relative paths of the files directly in a workspace folder ('' is the root); [] when unknown. */
  filesIn?(directory: string): Promise<readonly string[]>;
}

/** An edit the user made, as recorded when it happened (cheap), turned into a hunk only at gather time. */
export interface EditRecord {
  readonly path: string;
  readonly languageId: string;
  /** 0-based lines of the document after the edit that it touched. */
  readonly startLine: number;
  readonly endLine: number;
  /** When it happened (the clock's time). */
  readonly at: number;
}

/**
 * One source of snippets. `candidates` returns what it found for the query, any order, each with a
 * score comparable within the source; it stops early when the signal aborts (the gather's time
 * limit) and returns what it has.
 */
export interface ContextSource {
  readonly name: ContextSourceName;
  candidates(query: ContextQuery, access: ProjectAccess, signal: AbortSignal): Promise<readonly ContextSnippet[]>;
}
