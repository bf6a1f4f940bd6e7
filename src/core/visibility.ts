// Ghost text the user cannot see must not be offered: Tab accepts VS Code's suggestion state, not
// what is drawn (inlineCompletionContextKeys.ts). VS Code leaves part of a suggestion undrawn in two
// cases, measured in code-server 1.139 with test/bench/editor/largeFiles.ts:
//  - past `editor.stopRenderingLineAfter` characters of a line (default 10,000), nothing is drawn,
//    the ghost text included: at column 9,990 only its first ten characters showed;
//  - in large-file mode (`editor.largeFileOptimizations`, on by default, for a file over 300,000
//    lines or 20 MiB when opened), the ghost text on the cursor's line is not drawn at all, while
//    the lines below it are (viewModelImpl.ts: the identity lines collection has no injected text).

import { t } from './l10n';

/** VS Code's large-file thresholds (textModel.ts: LARGE_FILE_LINE_COUNT_THRESHOLD, LARGE_FILE_SIZE_THRESHOLD). */
export const LARGE_FILE_LINE_COUNT = 300_000;
export const LARGE_FILE_SIZE_CHARS = 20 * 1024 * 1024;

/** What VS Code will draw in one document. */
export interface RenderingLimits {
  /** Characters of a line drawn (`editor.stopRenderingLineAfter`); negative: all of them. */
  readonly stopRenderingLineAfter: number;
  /** VS Code's large-file mode is on for the document. */
  readonly largeFileMode: boolean;
}

export function isLargeFileMode(lineCount: number, lengthChars: number, largeFileOptimizations: boolean): boolean {
  return largeFileOptimizations && (lineCount > LARGE_FILE_LINE_COUNT || lengthChars > LARGE_FILE_SIZE_CHARS);
}

/** Why no ghost text would be drawn at a cursor, so none is asked for there. */
export type Undrawn =
  | { readonly kind: 'largeFile' }
  | { readonly kind: 'pastRenderedColumns'; readonly limit: number };

/**
 * Checked before asking. In large-file mode the cursor's line never shows ghost text, so the whole
 * file is skipped (most suggestions start on that line). At or past the last drawn column nothing
 * on the line is drawn (and on a minified megabyte line this keeps the per-keystroke work at nothing).
 */
export function undrawnAt(column: number, limits: RenderingLimits): Undrawn | undefined {
  if (limits.largeFileMode) return { kind: 'largeFile' };
  const limit = limits.stopRenderingLineAfter;
  return limit >= 0 && column >= limit ? { kind: 'pastRenderedColumns', limit } : undefined;
}

/** Why, in the display language, as the middle of a sentence. */
export function describeUndrawn(undrawn: Undrawn): string {
  return undrawn.kind === 'largeFile'
    ? t("VS Code's large-file mode draws no ghost text on the cursor's line")
    : t('the cursor is past the {0} characters of a line VS Code draws (editor.stopRenderingLineAfter)', undrawn.limit.toLocaleString('en'));
}

/**
 * Checked on the answer: the part of the suggestion drawn on the cursor's line must fit within the
 * drawn columns, or the user would accept characters they never saw.
 */
export function drawnWhole(insertText: string, column: number, limits: RenderingLimits): boolean {
  if (undrawnAt(column, limits)) return false;
  const lineEnd = insertText.search(/\r?\n/);
  const firstLineLength = lineEnd < 0 ? insertText.length : lineEnd;
  const limit = limits.stopRenderingLineAfter;
  return limit < 0 || column + firstLineLength <= limit;
}
