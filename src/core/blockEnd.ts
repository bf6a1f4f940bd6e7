/**
 * Where does the block at the cursor end? The text before the cursor gives the state there (a
 * `BlockAtCursor`); the model's continuation is then scanned from it by `block/scanner.ts`, which
 * tells one rule object per way a block ends (`block/*.ts`) what it meets.
 * Used on the stream of a continuation, for ghost text and Continue This Block.
 */
import { BracketCloseRule, type SuffixCloses } from './block/bracketClose';
import { IndentationRule } from './block/indentation';
import { LANGUAGES, type Dialect } from './block/languages';
import { Lexer, type LexState } from './block/lexer';
import { NextLineRule } from './block/nextLine';
import { scanBlock, type BlockEnd, type BlockRule } from './block/scanner';
import { TopLevelRule } from './block/topLevel';
import { indentColumns, leadingWhitespace } from './indentation';

export { dialectOf, type Dialect } from './block/languages';
export type { BlockEnd } from './block/scanner';

/** What is known at the cursor, computed once per continuation from the text around it. */
export interface BlockAtCursor {
  readonly dialect: Dialect;
  /** The lexer's state at the cursor. */
  readonly start: LexState;
  /**
   * Python and YAML outside brackets: a line indented less than this ends the block. Undefined when the
   * cursor's line is blank: then the first line the model writes sets the level.
   */
  readonly blockIndent: number | undefined;
  /** The text before the cursor on its line. */
  readonly cursorLine: string;
  readonly tabSize: number;
  /** Whether the text after the cursor already closes the enclosing bracket (auto-closed, or written by the user). */
  readonly suffixCloses: SuffixCloses;
  /** The first non-blank line below the cursor's line: the continuation must not write it again. */
  readonly nextLine?: string;
}

export function blockAtCursor(dialect: Dialect, prefix: string, suffix: string, tabSize: number): BlockAtCursor {
  const lexer = new Lexer(dialect);
  let commentAt = 0;
  for (let i = 0; i < prefix.length; ) {
    if (lexer.inCode && lexer.startsComment(prefix, i)) commentAt = i;
    i = lexer.advance(prefix, i);
  }
  const start = lexer.state;
  const lineStart = prefix.lastIndexOf('\n') + 1;
  const cursorLine = prefix.slice(lineStart);
  // A colon that ends a comment (`# Steps:`) or sits in a string is no header.
  const code = start.mode === 'lineComment' ? prefix.slice(lineStart, commentAt) : start.mode === 'code' ? cursorLine : '';
  return {
    dialect,
    start,
    blockIndent: indentAtCursor(dialect, cursorLine, code, tabSize),
    cursorLine,
    tabSize,
    suffixCloses: suffixClosesBlock(dialect, start, suffix),
    nextLine: suffix
      .split('\n')
      .slice(1)
      .find((line) => line.trim() !== '')
      ?.replace(/\s+$/, ''),
  };
}

/**
 * The indentation of the block at a cursor on a non-blank line: the line's own, or one deeper at the
 * end of a header line (`def f():`); in YAML a list may sit at its key's own indentation, so there
 * the first line written sets the level.
 */
function indentAtCursor(dialect: Dialect, cursorLine: string, code: string, tabSize: number): number | undefined {
  if (cursorLine.trim() === '') return undefined;
  const columns = indentColumns(leadingWhitespace(cursorLine), tabSize);
  if (!/:[ \t]*$/.test(code)) return columns;
  return LANGUAGES[dialect].indentBlocks === 'firstLine' ? undefined : columns + 1;
}

/**
 * Scans the text after the cursor up to its first token that is not blank or a comment. Nothing
 * was read before it, so a closer there always closes the enclosing bracket (with none open, the
 * lexer ignores it).
 */
function suffixClosesBlock(dialect: Dialect, start: LexState, suffix: string): SuffixCloses {
  if (start.mode !== 'code') return 'no';
  const lexer = new Lexer(dialect, start);
  let crossedLine = false;
  for (let i = 0; i < suffix.length; ) {
    const ch = suffix[i];
    if (lexer.inCode && !/\s/.test(ch) && !lexer.startsComment(suffix, i)) {
      lexer.advance(suffix, i);
      if (lexer.closedToDepth === undefined) return 'no';
      return crossedLine ? 'laterLine' : 'sameLine';
    }
    if (ch === '\n') crossedLine = true;
    i = lexer.advance(suffix, i);
  }
  return 'no';
}

/**
 * The rules that may end the block at this cursor, in the order they decide:
 * - inside brackets, where the enclosing bracket closes (`BracketCloseRule`);
 * - in Python and YAML outside brackets, before the first line indented less than the block
 *   (`IndentationRule`);
 * - elsewhere at the top level, after the first construct that spans lines, or after the body of an
 *   arrow the cursor follows (`TopLevelRule`);
 * - anywhere, before a line that repeats the line already below the cursor (`NextLineRule`).
 */
function rulesAt(block: BlockAtCursor): BlockRule[] {
  const rules: BlockRule[] = [];
  const baseDepth = block.start.stack.length;
  if (baseDepth > 0) rules.push(new BracketCloseRule(baseDepth, block.suffixCloses));
  else if (LANGUAGES[block.dialect].indentBlocks !== undefined) rules.push(new IndentationRule(block.blockIndent, block.tabSize));
  else rules.push(new TopLevelRule(block.start.mode === 'code' && /=>[ \t]*$/.test(block.cursorLine), block.tabSize));
  if (block.nextLine !== undefined) rules.push(new NextLineRule(block.nextLine, block.tabSize));
  return rules;
}

/**
 * Finds where the block at the cursor ends in `text` (the continuation, '\n' line endings), or how
 * much of it is safe to show while it is open. With `final` (the model stopped), an unfinished last
 * line counts as complete.
 */
export function findBlockEnd(text: string, block: BlockAtCursor, final: boolean): BlockEnd {
  const scan = (scanned: string) => scanBlock(scanned, new Lexer(block.dialect, block.start), block.cursorLine, rulesAt(block));
  if (!final) return scan(text);
  const result = scan(`${text}\n`);
  return result.ended ? { ...result, at: Math.min(result.at, text.length) } : { ended: false, safe: text.length };
}

/**
 * When the document closes the block on the cursor's line (`{█}`) and a multi-line continuation
 * stopped without reaching that closer, a line break before it keeps the closer on its own line.
 */
export function keepCloserOnOwnLine(text: string, block: BlockAtCursor): string {
  if (block.suffixCloses !== 'sameLine' || !text.includes('\n') || /\n[ \t]*$/.test(text)) return text;
  return `${text}\n${leadingWhitespace(block.cursorLine)}`;
}
