import type { Lexer } from './lexer';

/**
 * The scan of a continuation so far: either still open, with how much of it is safe to show (a
 * line whose fate is undecided is held back), or ended at `at`. `trim` says whether whitespace
 * before `at` goes too; it stays when the text after the cursor supplies the closer on the same
 * line, so that closer keeps its own line and indentation.
 */
export type BlockEnd = { readonly ended: false; readonly safe: number } | { readonly ended: true; readonly at: number; readonly trim: boolean };

/** Where the scan is: the text, the lexer, and the line being read (line 0 continues the cursor's line). */
export interface ScanPoint {
  readonly text: string;
  readonly lexer: Lexer;
  readonly lineStart: number;
  readonly lineIndex: number;
  /** The text of the current line before `at`; on line 0 it starts with the cursor's line. */
  lineBefore(at: number): string;
}

/**
 * One way a block ends, with its own state, told what the scanner meets. A handler that returns a
 * `BlockEnd` decides the scan (ended, or open with a final `safe`); undefined lets it go on.
 */
export interface BlockRule {
  /** The first token of a line that is not a space or a tab, at `at` (the lexer has not read it yet). */
  lineContent?(at: number, point: ScanPoint): BlockEnd | undefined;
  /** The token at `closerAt`, ending at `after`, closed brackets down to `depth`. */
  bracketClosed?(closerAt: number, after: number, depth: number, point: ScanPoint): BlockEnd | undefined;
  /** A line break at `at` (the lexer has not read it yet). */
  lineEnd?(at: number, point: ScanPoint): BlockEnd | undefined;
  /** At the end of the text, nothing decided: how far is safe to show, when this rule holds some back. */
  heldBack?(point: ScanPoint): number | undefined;
}

/** An end at `at` that takes the whitespace before it. */
export function endAt(at: number): BlockEnd {
  return { ended: true, at, trim: true };
}

/**
 * Reads `text` token by token with `lexer` and tells `rules` of line contents, closed brackets and
 * line ends, in order; the first rule to decide wins. At the end, the first rule holding text back
 * says how much is safe.
 */
export function scanBlock(text: string, lexer: Lexer, cursorLine: string, rules: readonly BlockRule[]): BlockEnd {
  const point = {
    text,
    lexer,
    lineStart: 0,
    lineIndex: 0,
    lineBefore: (at: number) => (point.lineIndex === 0 ? cursorLine + text.slice(0, at) : text.slice(point.lineStart, at)),
  };
  const decide = (event: (rule: BlockRule) => BlockEnd | undefined) => {
    for (const rule of rules) {
      const decided = event(rule);
      if (decided !== undefined) return decided;
    }
    return undefined;
  };
  let lineHasContent = false;
  for (let i = 0; i < text.length; ) {
    const at = i;
    let decided: BlockEnd | undefined;
    if (text[at] === '\n') {
      decided = decide((rule) => rule.lineEnd?.(at, point));
      lineHasContent = false;
    } else if (!lineHasContent && text[at] !== ' ' && text[at] !== '\t') {
      lineHasContent = true;
      decided = decide((rule) => rule.lineContent?.(at, point));
    }
    if (decided !== undefined) return decided;
    i = lexer.advance(text, at);
    const depth = lexer.closedToDepth;
    if (depth !== undefined) decided = decide((rule) => rule.bracketClosed?.(at, i, depth, point));
    if (decided !== undefined) return decided;
    if (text[at] === '\n') [point.lineStart, point.lineIndex] = [i, point.lineIndex + 1];
  }
  for (const rule of rules) {
    const safe = rule.heldBack?.(point);
    if (safe !== undefined) return { ended: false, safe };
  }
  return { ended: false, safe: text.length };
}
