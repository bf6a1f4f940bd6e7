import type { IndentStyle, LineEnding } from './document';

export interface SpliceContext {
  /** Text after the cursor on its line (auto-closed brackets and quotes, or nothing). */
  readonly lineSuffix: string;
  /** Whether a multi-line suggestion may be shown here (the rest of the line is empty). */
  readonly multiline: boolean;
  readonly maxLines: number;
  /** The first non-blank line after the cursor's line, if any: a completion must not re-create it. */
  readonly nextLine?: string;
  readonly eol: LineEnding;
  readonly indent: IndentStyle;
}

/** What the inline item does: replace `replaceLength` characters after the cursor with `insertText`. */
export interface Suggestion {
  readonly insertText: string;
  readonly replaceLength: number;
}

const CLOSERS = ')]}';
const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const QUOTES = `"'\``;
/** The rest of a line after which a mid-line suggestion still makes sense: closers and punctuation. */
const CLOSERS_AND_PUNCTUATION = /^[\s)\]}"'`;:,.>]*$/;

export function isSuggestionSpot(lineSuffix: string): boolean {
  return CLOSERS_AND_PUNCTUATION.test(lineSuffix);
}

/** Removes `<think>` blocks and markdown fences that chat-tuned models sometimes add. */
export function stripModelNoise(raw: string): string {
  return cleanModelOutput(raw).text;
}

/**
 * The model's text without `<think>` blocks and markdown fences; `fenceClosed` when a closing
 * fence came, which means the model has finished its code whatever else follows.
 */
export function cleanModelOutput(raw: string): { text: string; fenceClosed: boolean } {
  let text = raw.replace(/\r\n/g, '\n');
  text = text.replace(/<think>[\s\S]*?<\/think>\n?/g, '');
  const unclosedThink = text.indexOf('<think>');
  if (unclosedThink >= 0) text = text.slice(0, unclosedThink);
  // An opening fence at the very start: drop that line, and the output ends at the closing fence.
  const opening = /^\n?```[\w+#.-]*[^\S\n]*\n/.exec(text);
  if (opening) text = text.slice(opening[0].length);
  const closing = /(^|\n)```/.exec(text);
  if (closing) return { text: text.slice(0, closing.index), fenceClosed: true };
  return { text, fenceClosed: false };
}

/** Keeps at most `maxLines` lines, and only the first for a single-line spot. */
export function limitLines(text: string, multiline: boolean, maxLines: number): string {
  const lines = text.split('\n');
  return lines.slice(0, multiline ? maxLines : 1).join('\n');
}

/** Re-indents continuation lines to the document's style (tabs or spaces). */
export function matchIndentation(text: string, indent: IndentStyle): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const match = /^[ \t]*/.exec(lines[i])!;
    const leading = match[0];
    if (leading === '') continue;
    const columns = [...leading].reduce((col, ch) => (ch === '\t' ? col + indent.size - (col % indent.size) : col + 1), 0);
    const wanted = indent.useTabs
      ? '\t'.repeat(Math.floor(columns / indent.size)) + ' '.repeat(columns % indent.size)
      : ' '.repeat(columns);
    lines[i] = wanted + lines[i].slice(leading.length);
  }
  return lines.join('\n');
}

/**
 * Models often run on and write the line that already follows the cursor (typically the closing
 * brace the editor auto-inserted). Cut the completion where it reaches that line, indentation
 * included, so an inner `}` at a deeper level is kept.
 */
export function cutAtExistingLine(text: string, nextLine: string | undefined): string {
  if (nextLine === undefined || nextLine.trim() === '') return text;
  const lines = text.split('\n');
  const at = lines.findIndex((line, index) => index > 0 && line === nextLine.trimEnd());
  return at < 0 ? text : lines.slice(0, at).join('\n').replace(/\n+$/, '');
}

/**
 * How many leading characters of `closers` (the auto-closed text after the cursor) the completion
 * already writes itself: a closer or punctuation mark counts when the completion reaches it outside
 * any bracket or string the completion opened.
 */
export function coveredSuffixLength(completion: string, closers: string): number {
  let covered = 0;
  const stack: string[] = [];
  // When the cursor sits inside a string, its closing quote comes first among the closers and
  // everything up to it is string content, brackets included.
  let ownString: string | undefined;
  let inCursorString = QUOTES.includes(closers[0] ?? '');
  let escaped = false;
  for (const ch of completion) {
    if (covered === closers.length) break;
    if (inCursorString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === closers[0]) {
        inCursorString = false;
        covered++;
      }
      continue;
    }
    if (ownString !== undefined) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === ownString) ownString = undefined;
      continue;
    }
    if (stack.length === 0 && ch === closers[covered]) {
      covered++;
      continue;
    }
    if (QUOTES.includes(ch)) ownString = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (CLOSERS.includes(ch) && stack[stack.length - 1] === OPENER_OF[ch]) stack.pop();
  }
  return covered;
}

/**
 * Turns the model's raw continuation into the suggestion shown at the cursor, or undefined when
 * nothing useful is left. Applying the suggestion leaves each auto-closed character exactly once.
 */
export function toSuggestion(raw: string, context: SpliceContext): Suggestion | undefined {
  let text = stripModelNoise(raw);
  text = limitLines(text, context.multiline, context.maxLines);
  text = text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
  text = cutAtExistingLine(matchIndentation(text, context.indent), context.nextLine);
  if (text.trim() === '') return undefined;

  const closers = context.lineSuffix.replace(/\s+$/, '');
  let insertText = text;
  let replaceLength = 0;
  if (closers !== '' && !text.includes('\n')) {
    // Replace the auto-closed characters; re-append those the completion does not write itself.
    replaceLength = closers.length;
    insertText = text + closers.slice(coveredSuffixLength(text, closers));
  }
  return { insertText: insertText.split('\n').join(context.eol), replaceLength };
}
