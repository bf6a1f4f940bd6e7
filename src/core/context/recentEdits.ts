import { textLines, type TextLines } from '../document';
import type { ContextQuery, ContextSnippet, ContextSource, EditRecord, ProjectAccess } from './types';

/** Edits remembered: the last few minutes of work; older ones say little about what comes next. */
const MAX_EDITS = 50;
/** Hunks sent at most: llama.vscode's ring holds 16 chunks; edits are smaller, and the budget decides. */
const MAX_HUNKS = 8;
/** Lines shown around an edit, so the hunk reads as code and not as a fragment. */
const CONTEXT_LINES = 2;
/** A hunk longer than this shows its first lines only (a paste of a whole file is not an edit to recall). */
const MAX_HUNK_LINES = 12;
/** Edits this close to the cursor in the current file are in the prompt's own text already. */
const NEAR_CURSOR_LINES = 150;

/**
 * The user's latest edits, recorded as they happen at the cost of a line range; their text is read
 * only when context is gathered. Consecutive edits of the same lines merge into one.
 */
export class RecentEdits {
  private readonly edits: EditRecord[] = [];

  record(edit: EditRecord): void {
    const last = this.edits[this.edits.length - 1];
    if (last && last.path === edit.path && edit.startLine <= last.endLine + 1 && edit.endLine >= last.startLine - 1) {
      this.edits[this.edits.length - 1] = {
        ...edit,
        startLine: Math.min(last.startLine, edit.startLine),
        endLine: Math.max(last.endLine, edit.endLine),
      };
      return;
    }
    this.edits.push(edit);
    if (this.edits.length > MAX_EDITS) this.edits.shift();
  }

  /** Forgets a file's edits (closed, deleted or excluded). */
  forget(path: string): void {
    for (let i = this.edits.length - 1; i >= 0; i--) if (this.edits[i].path === path) this.edits.splice(i, 1);
  }

  /** Most recent first, one per line range. */
  latest(): readonly EditRecord[] {
    return [...this.edits].reverse();
  }
}

function isNearCursor(edit: EditRecord, query: ContextQuery): boolean {
  return edit.path === query.path && Math.abs(edit.startLine - query.cursorLine) < NEAR_CURSOR_LINES;
}

/** The hunk of one edit: its lines and a little around them, from the file as it is now. */
function hunkOf(edit: EditRecord, lines: TextLines, rank: number): ContextSnippet | undefined {
  const startLine = Math.max(0, edit.startLine - CONTEXT_LINES);
  const endLine = Math.min(lines.lineCount - 1, edit.endLine + CONTEXT_LINES, startLine + MAX_HUNK_LINES - 1);
  if (startLine > endLine) return undefined;
  const kept: string[] = [];
  for (let line = startLine; line <= endLine; line++) kept.push(lines.lineAt(line));
  const text = kept.join('\n');
  if (text.trim() === '') return undefined;
  // The latest edit scores 1, the next 1/2, then 1/3…: recency is all this source knows.
  return { source: 'recentEdits', path: edit.path, startLine, endLine, text, score: 1 / (1 + rank) };
}

/** The latest edits in other files (and far from the cursor in this one), as small hunks. */
export function recentEditsSource(edits: RecentEdits): ContextSource {
  return {
    name: 'recentEdits',
    async candidates(query: ContextQuery, access: ProjectAccess, signal: AbortSignal): Promise<readonly ContextSnippet[]> {
      const hunks: ContextSnippet[] = [];
      const texts = new Map<string, TextLines | undefined>();
      for (const edit of edits.latest()) {
        if (hunks.length >= MAX_HUNKS || signal.aborted) break;
        if (isNearCursor(edit, query)) continue;
        if (!texts.has(edit.path)) texts.set(edit.path, await linesOf(edit.path, query, access));
        const lines = texts.get(edit.path);
        const hunk = lines && hunkOf(edit, lines, hunks.length);
        if (hunk) hunks.push(hunk);
      }
      return hunks;
    },
  };
}

async function linesOf(path: string, query: ContextQuery, access: ProjectAccess): Promise<TextLines | undefined> {
  if (path === query.path) return query.lines;
  const text = (await access.readFile(path))?.text;
  return text === undefined ? undefined : textLines(text);
}
