import { blockAtCursor, dialectOf, findBlockEnd, keepCloserOnOwnLine, type BlockAtCursor, type Dialect } from './blockEnd';
import type { DocumentAtCursor, IndentStyle, LineEnding } from './document';
import { indentColumns, indentUnit, leadingWhitespace, finishLines, matchIndentation, rebaseFirstLine, rescaleIndentation } from './indentation';
import { isSuggestionSpot, overAutoClosed } from './cleanup/autoClosed';
import { cleanModelOutput } from './cleanup/modelNoise';
import { removeEcho, repetitionCut } from './cleanup/repetition';

/** What the inline item does: replace `replaceLength` characters after the cursor with `insertText`. */
export interface Suggestion {
  readonly insertText: string;
  readonly replaceLength: number;
}

/**
 * 'line': the rest of the cursor's line (or, after a finished line, the next one). 'block': several
 * lines, up to the end of the block.
 */
type SuggestionShape = 'line' | 'block';

/** Everything known at the cursor that decides what a suggestion may be; computed once per request. */
export interface SuggestionSpot {
  readonly shape: SuggestionShape;
  readonly block: BlockAtCursor;
  /** The text after the cursor on its line: empty, or closers and punctuation. */
  readonly lineSuffix: string;
  /** The last few non-blank lines above the cursor's line, to spot a model repeating them. */
  readonly linesAbove: readonly string[];
  /** The most lines a block suggestion may have (a line suggestion is cut at its line anyway). */
  readonly maxLines: number;
  readonly eol: LineEnding;
  readonly indent: IndentStyle;
  /** The document's indentation step in columns, read from the prefix (the editor's when it shows none). */
  readonly indentUnit: number;
}

/** A line ending in one of these opens a block whose body comes on the next lines. */
const BLOCK_OPENER: Readonly<Record<Dialect, RegExp>> = {
  python: /:$/,
  js: /(?:[{[(]|=>)$/,
  go: /[{[(]$/,
  rust: /(?:[{[(]|=>)$/,
  c: /[{[(]$/,
  shell: /(?:[{(]|\b(?:then|do|else|in))$/,
  // `key:` opens a mapping, a lone `-` a list item, `key: |` a block of text.
  yaml: /(?:[{[:]|:\s*[|>][-+]?\d*|^\s*-)$/,
  // Ruby (`do |x|`), Perl, R, TOML, Makefiles ...
  hash: /(?:[{[(:]|\bdo|\bdo\s*\|[^|]*\|)$/,
  markdown: /:$/,
  plain: /:$/,
};

/**
 * A cheap guess, from the cursor's line alone, that a block starts here (a blank line, or a line
 * ending in an opener); `suggestionShape` decides for real once a request is due.
 */
export function likelyBlockStart(cursorLine: string, dialect: Dialect): boolean {
  return cursorLine.trim() === '' || BLOCK_OPENER[dialect].test(cursorLine);
}

/** In these dialects an opener inside brackets opens no block: Python's `:` in a dict or a slice. */
const OPENER_ONLY_OUTSIDE_BRACKETS: ReadonlySet<Dialect> = new Set(['python']);
/** In these dialects fences are the document's content, not the model's wrapping: a README holds code blocks. */
const FENCES_ARE_CONTENT: ReadonlySet<Dialect> = new Set(['markdown']);

const EMPTY_BODY_CLOSER: Readonly<Record<string, string>> = { '{': '}', '[': ']' };
/** A model that echoes the lines above a blank cursor line repeats a block's header and a line or two of it. */
const ECHO_LINES_LOOKED_AT = 3;

/**
 * Where a suggestion fits and what shape it takes, or why none should be shown here:
 * - mid-line only before closers and punctuation;
 * - one line in a comment or a string, and in the middle or at the end of a statement;
 * - a block on a blank line (a block body starts, or between statements), right after an opener
 *   (`:` `{` `=>` `do` ...), and in an empty body between auto-closed braces (`{█}`).
 */
function suggestionShape(block: BlockAtCursor, lineSuffix: string): SuggestionShape | { skip: string } {
  if (!isSuggestionSpot(lineSuffix)) return { skip: 'in the middle of a line' };
  if (block.start.mode !== 'code') return 'line';
  const before = block.cursorLine;
  const after = lineSuffix.trim();
  if (after !== '') return after[0] === EMPTY_BODY_CLOSER[before.trimEnd().slice(-1)] ? 'block' : 'line';
  if (before.trim() === '') return 'block';
  if (OPENER_ONLY_OUTSIDE_BRACKETS.has(block.dialect) && block.start.stack.length > 0) return 'line';
  // After an opener and a space (`name: █`), the value comes on the same line.
  return BLOCK_OPENER[block.dialect].test(before) ? 'block' : 'line';
}

/** The context for shaping a suggestion at the cursor, or why none is wanted there. */
export function suggestionSpot(request: DocumentAtCursor, prefix: string, suffix: string, maxLines: number): SuggestionSpot | { skip: string } {
  const block = blockAtCursor(dialectOf(request.languageId), prefix, suffix, request.indent.size);
  const lineSuffix = suffix.split('\n', 1)[0];
  const shape = suggestionShape(block, lineSuffix);
  if (typeof shape !== 'string') return shape;
  const prefixLines = prefix.split('\n');
  return {
    shape,
    block,
    lineSuffix,
    linesAbove: prefixLines
      .slice(0, -1)
      .filter((line) => line.trim() !== '')
      .slice(-ECHO_LINES_LOOKED_AT),
    maxLines,
    eol: request.eol,
    indent: request.indent,
    indentUnit: indentUnit(prefixLines, request.indent.size) ?? request.indent.size,
  };
}

interface ShapedGhostText {
  /** The model has written all the suggestion needs: stop reading (and abort) the stream. */
  readonly ended: boolean;
  /** Once ended or final: what to show, or undefined when nothing useful is left. */
  readonly suggestion?: Suggestion;
  /**
   * Once ended: what the model wrote after the suggestion ('\n' line endings, its own indentation),
   * its guess of what follows once the suggestion is accepted; undefined after a repetition loop.
   */
  readonly rest?: string;
}

/**
 * Turns the model's raw continuation into the suggestion shown at the cursor: without fences, think
 * blocks, an echo of the lines before the cursor or a repetition loop; cut at the end of its line or
 * block, before anything the document already has after the cursor, and at `maxLines`; without
 * trailing whitespace, in the document's indentation and line endings; with a range over the
 * auto-closed characters it writes itself, so that Tab leaves one of each. Called on every chunk
 * (`final` false) to know when to stop, and on the whole text at the end.
 */
export function shapeGhostText(raw: string, context: SuggestionSpot, final: boolean): ShapedGhostText {
  const cleaned = cleanModelOutput(raw, FENCES_ARE_CONTENT.has(context.block.dialect));
  if (!final && cleaned.undecided) return { ended: false };
  let complete = final || cleaned.fenceClosed;
  const { cursorLine, tabSize } = context.block;
  const answer = cleaned.restarted ? rebaseFirstLine(cleaned.text, cursorLine, tabSize) : cleaned.text;
  let text = removeEcho(answer, { cursorLine, linesAbove: context.linesAbove, tabSize }, complete);
  if (text === undefined) return { ended: false };
  // Every cut below keeps a prefix of this: what is left after it is the model's next guess.
  const whole = text;

  const loop = repetitionCut(text, complete, leadingWhitespace(cursorLine));
  if (loop >= 0) [text, complete] = [text.slice(0, loop), true];
  let trim = true;
  if (isOneLine(text, context)) {
    const lineEnd = endOfLine(text, context);
    if (lineEnd >= 0) [text, complete] = [text.slice(0, lineEnd), true];
    // Mid-line, the auto-closed characters are matched by `toSuggestion`; at the end of a line, the
    // block rules still stop a next line that repeats the document's.
    if (context.lineSuffix.trim() === '') {
      const end = findBlockEnd(text, nextLineMayDedent(context.block), complete);
      if (end.ended) [text, complete] = [text.slice(0, end.at), true];
    }
  } else {
    const end = findBlockEnd(text, context.block, complete);
    if (end.ended) [text, complete, trim] = [text.slice(0, end.at), true, end.trim];
    const lines = text.split('\n');
    if (lines.length > context.maxLines) [text, complete, trim] = [lines.slice(0, context.maxLines).join('\n'), true, true];
  }
  if (!complete) return { ended: false };
  const suggestion = toSuggestion(text, trim, context);
  return loop >= 0 ? { ended: true, suggestion } : { ended: true, suggestion, rest: whole.slice(text.length) };
}

/**
 * The complete lines of a block still streaming, as they will be in the final suggestion
 * (progressive ghost text): nothing while an echo or a fence is undecided, nothing past what the
 * block rules hold back, and nothing from a line that repeats one of the four above it on (a loop
 * in the making: the final suggestion keeps only the first copy). Undefined when nothing is sure yet.
 */
export function streamingLines(raw: string, context: SuggestionSpot): Suggestion | undefined {
  if (context.shape !== 'block') return undefined;
  const cleaned = cleanModelOutput(raw, FENCES_ARE_CONTENT.has(context.block.dialect));
  if (cleaned.undecided) return undefined;
  const { cursorLine, tabSize } = context.block;
  const answer = cleaned.restarted ? rebaseFirstLine(cleaned.text, cursorLine, tabSize) : cleaned.text;
  const text = removeEcho(answer, { cursorLine, linesAbove: context.linesAbove, tabSize }, false);
  if (text === undefined || repetitionCut(text, false, leadingWhitespace(cursorLine)) >= 0) return undefined;
  const end = findBlockEnd(text, context.block, false);
  if (end.ended) return undefined;
  const lines = text.slice(0, end.safe).split('\n').slice(0, -1);
  const repeat = lines.findIndex((line, i) => line.trim() !== '' && lines.slice(Math.max(0, i - LOOP_GROUP_LINES), i).includes(line));
  const kept = lines.slice(0, repeat < 0 ? Math.min(lines.length, context.maxLines) : Math.min(repeat, context.maxLines));
  return kept.join('').trim() === '' ? undefined : toSuggestion(kept.join('\n'), true, context);
}

/** The longest group of lines repetitionCut sees as a loop. */
const LOOP_GROUP_LINES = 4;

/**
 * A one-line suggestion after a finished line is the next line, which may leave the block (after an
 * accepted `if` body comes the `return` below it): its own indentation sets the level. A header line
 * (`if x:`) keeps the level of its body.
 */
function nextLineMayDedent(block: BlockAtCursor): BlockAtCursor {
  const header = block.blockIndent !== undefined && block.blockIndent > indentColumns(leadingWhitespace(block.cursorLine), block.tabSize);
  return header ? block : { ...block, blockIndent: undefined };
}

/**
 * Whether the suggestion is one line: always for the 'line' shape; for an empty body between
 * auto-closed brackets (`{█}`), when the model closes them on the cursor's line (` x: 1 };`).
 */
function isOneLine(text: string, context: SuggestionSpot): boolean {
  if (context.shape === 'line') return true;
  if (context.lineSuffix.trim() === '') return false;
  const newline = text.indexOf('\n');
  return findBlockEnd(newline < 0 ? text : text.slice(0, newline), context.block, true).ended;
}

/**
 * Where a one-line suggestion ends: after the rest of the cursor's line, or, when the model starts a
 * new line, after that line. With text after the cursor, only the cursor's line counts.
 */
function endOfLine(text: string, context: SuggestionSpot): number {
  if (context.lineSuffix.trim() !== '') return text.indexOf('\n');
  const content = text.search(/\S/);
  return content < 0 ? -1 : text.indexOf('\n', content);
}

function toSuggestion(cut: string, trim: boolean, context: SuggestionSpot): Suggestion | undefined {
  const cursorIndent = leadingWhitespace(context.block.cursorLine);
  const blankLine = context.block.cursorLine.trim() === '';
  let text = keepCloserOnOwnLine(finishLines(cut, trim), context.block);
  if (text.trim() === '') return undefined;
  const firstLineColumns = indentColumns(blankLine ? cursorIndent + leadingWhitespace(text) : cursorIndent, context.indent.size);
  text = matchIndentation(rescaleIndentation(text, firstLineColumns, context.indentUnit, context.indent.size), context.indent);

  const { text: inserted, replaceLength } = overAutoClosed(text, context.lineSuffix);
  return { insertText: inserted.split('\n').join(context.eol), replaceLength };
}
