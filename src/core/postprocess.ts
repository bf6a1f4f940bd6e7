import { indentColumns, leadingWhitespace } from './indentation';
import type { IndentStyle } from './document';

const CLOSERS = ')]}';
const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const QUOTES = `"'\``;
/** The rest of a line after which a mid-line suggestion still makes sense: closers and punctuation. */
const CLOSERS_AND_PUNCTUATION = /^[\s)\]}"'`;:,.>?]*$/;

export function isSuggestionSpot(lineSuffix: string): boolean {
  return CLOSERS_AND_PUNCTUATION.test(lineSuffix);
}

/** Until its line is complete, an opening fence (or a `<think>` tag) cannot be told apart from code. */
const MAYBE_NOISE_START = /^(?:\n?`{1,3}[\w+#.-]*[^\S\n]*|<(?:t(?:h(?:i(?:n(?:k)?)?)?)?)?)$/;

export interface CleanedOutput {
  readonly text: string;
  /** A closing fence came: the model has finished its code, whatever else follows. */
  readonly fenceClosed: boolean;
  /**
   * The answer starts afresh after an opening fence or a think block, so its first line may carry
   * the full indentation of its line.
   */
  readonly restarted: boolean;
  /** So far the text may still turn into an opening fence or a think tag: wait for more. */
  readonly undecided: boolean;
}

/**
 * The model's text without `<think>` blocks (and the blank lines after them) and without the
 * markdown fence wrapped around code. In a Markdown document, fences are content: only a
 * ```markdown fence around the whole answer is removed.
 */
export function cleanModelOutput(raw: string, fencesAreContent = false): CleanedOutput {
  let text = raw.replace(/\r\n/g, '\n');
  const thinking = text.includes('<think>');
  // Qwen3 closes its reasoning with `</think>` and a blank line; a line break past those is the answer's own.
  text = text.replace(/<think>[\s\S]*?<\/think>[ \t]*\n?\n?/g, '');
  const unclosedThink = text.indexOf('<think>');
  if (unclosedThink >= 0) text = text.slice(0, unclosedThink);
  if (MAYBE_NOISE_START.test(text)) return { text: '', fenceClosed: false, restarted: false, undecided: true };
  // An opening fence at the very start: drop that line, and the output ends at the closing fence.
  const opening = (fencesAreContent ? /^\n?```(?:markdown|md)[^\S\n]*\n/ : /^\n?```[\w+#.-]*[^\S\n]*\n/).exec(text);
  if (opening) text = text.slice(opening[0].length);
  const restarted = opening !== null || thinking;
  const closing = fencesAreContent && !opening ? undefined : closingFenceAt(text);
  // A bare fence still on its line is held back: it closes the answer, or opens a block once a language comes.
  if (closing) return { text: text.slice(0, closing.at), fenceClosed: closing.lineComplete, restarted, undecided: false };
  return { text, fenceClosed: false, restarted, undecided: false };
}

/**
 * Where the fence that closes the answer starts, if one does. A fence line naming a language opens a
 * block inside the answer (a Markdown answer holding code); a bare fence closes the innermost one,
 * but only once its line is complete: Qwen3 streams "```" and "bash" as two tokens.
 */
function closingFenceAt(text: string): { at: number; lineComplete: boolean } | undefined {
  let depth = 0;
  const fence = /(^|\n)```([^\n`]*)/g;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    if (match[2].trim() !== '') depth++;
    else if (depth > 0) depth--;
    else return { at: match.index, lineComplete: match.index + match[0].length < text.length };
  }
  return undefined;
}

/** Re-indents continuation lines to the document's style (tabs or spaces). */
export function matchIndentation(text: string, indent: IndentStyle): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const leading = leadingWhitespace(lines[i]);
    if (leading === '') continue;
    const columns = indentColumns(leading, indent.size);
    const wanted = indent.useTabs
      ? '\t'.repeat(Math.floor(columns / indent.size)) + ' '.repeat(columns % indent.size)
      : ' '.repeat(columns);
    lines[i] = wanted + lines[i].slice(leading.length);
  }
  return lines.join('\n');
}

/**
 * The indentation step of some lines: the most common increase between consecutive non-blank lines,
 * if one is. Increases of one column are alignment (` * ` in a doc comment), not indentation.
 */
export function indentUnit(lines: readonly string[], tabSize: number): number | undefined {
  const counts = new Map<number, number>();
  let previous: number | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const columns = indentColumns(leadingWhitespace(line), tabSize);
    const step = previous === undefined ? 0 : columns - previous;
    if (step > 1) counts.set(step, (counts.get(step) ?? 0) + 1);
    previous = columns;
  }
  // A tie (heredoc or usage text beside code) says nothing.
  let best: number | undefined;
  let tied = false;
  for (const [step, count] of counts) {
    if (best === undefined || count > counts.get(best)!) [best, tied] = [step, false];
    else if (count === counts.get(best)!) tied = true;
  }
  return tied ? undefined : best;
}

/**
 * Models sometimes indent by another step than the document (4 spaces in a 2-space file). When every
 * line of `text` sits a whole number of the model's steps away from its first line (which starts at
 * column `firstLineColumns`), rewrite those steps in the document's unit. Leaves anything else
 * (alignment, mixed steps) alone.
 */
export function rescaleIndentation(text: string, firstLineColumns: number, documentUnit: number, tabSize: number): string {
  const lines = text.split('\n');
  if (lines.length < 2) return text;
  const base = firstLineColumns;
  const modelUnit = indentUnit([`${' '.repeat(base)}_`, ...lines.slice(1)], tabSize);
  if (modelUnit === undefined || modelUnit === documentUnit) return text;
  const columnsOf = (line: string) => indentColumns(leadingWhitespace(line), tabSize);
  const body = lines.slice(1).filter((line) => line.trim() !== '');
  if (!body.every((line) => (columnsOf(line) - base) % modelUnit === 0)) return text;
  return [
    lines[0],
    ...lines.slice(1).map((line) => {
      if (line.trim() === '') return line;
      const columns = Math.max(0, base + ((columnsOf(line) - base) / modelUnit) * documentUnit);
      return ' '.repeat(columns) + line.trimStart();
    }),
  ].join('\n');
}

/** Strips trailing whitespace from every line; from the end too when `trim`, else keeps the last line's indentation. */
export function finishLines(text: string, trim: boolean): string {
  const lines = text.split('\n');
  const last = lines.length - 1;
  const body = lines.map((line, index) => (index === last && !trim ? line : line.replace(/[ \t]+$/, ''))).join('\n');
  return trim ? body.replace(/\s+$/, '') : body;
}

export interface EchoContext {
  /** The text before the cursor on its line. */
  readonly cursorLine: string;
  /** The last few non-blank lines above the cursor's line. */
  readonly linesAbove: readonly string[];
  readonly tabSize: number;
}

/**
 * Partial-mode models sometimes start again at the beginning of the cursor's line, or repeat the
 * lines above a blank cursor line, before they continue. Drops that echo. Until the model has
 * finished (`final`), returns undefined while the text so far may still turn out to be one.
 */
export function removeEcho(text: string, context: EchoContext, final: boolean): string | undefined {
  const typed = context.cursorLine.trim();
  if (typed !== '') {
    if (wordCharacters(typed) < 3) return text;
    const restarted = text.replace(/^[ \t]+/, '');
    if (restarted.startsWith(typed)) {
      const rest = restarted.slice(typed.length);
      return /\s$/.test(context.cursorLine) ? rest.replace(/^[ \t]+/, '') : rest;
    }
    return !final && restarted.length < typed.length && typed.startsWith(restarted) ? undefined : text;
  }

  const lines = text.split('\n');
  for (let count = context.linesAbove.length; count >= 1; count--) {
    const echoed = context.linesAbove.slice(-count);
    if (wordCharacters(echoed.join('')) < 4) continue;
    const match = matchLeadingLines(lines, echoed, final);
    if (match === 'maybe') return undefined;
    if (match === 'match') return rebaseFirstLine(lines.slice(count).join('\n'), context.cursorLine, context.tabSize);
  }
  return text;
}

function wordCharacters(text: string): number {
  return text.replace(/\W/g, '').length;
}

/** Whether `lines` starts with `expected` (ignoring indentation), or may still once more text comes. */
function matchLeadingLines(lines: readonly string[], expected: readonly string[], final: boolean): 'match' | 'maybe' | 'no' {
  for (let i = 0; i < expected.length; i++) {
    if (i >= lines.length) return final ? 'no' : 'maybe';
    const got = lines[i].trim();
    const wanted = expected[i].trim();
    const complete = final || i < lines.length - 1;
    if (!complete) return wanted.startsWith(got) ? 'maybe' : 'no';
    if (got !== wanted) return 'no';
  }
  // The echo is whole only with the line break after it, or when nothing else comes.
  return lines.length > expected.length || final ? 'match' : 'maybe';
}

/**
 * A first line written with its full indentation (after an echo, or at the start of a fenced answer)
 * loses the columns a blank cursor line already has.
 */
export function rebaseFirstLine(text: string, cursorLine: string, tabSize: number): string {
  if (cursorLine.trim() !== '') return text;
  const columns = indentColumns(cursorLine, tabSize);
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t') && indentColumns(text.slice(0, i + 1), tabSize) <= columns) i++;
  return text.slice(i);
}

/** A line-long unit repeated this many times in a row is a loop. */
const REPEATED_LINES = 3;
/** Within a line, a short unit repeated this many times in a row is a loop (data tables stay below). */
const REPEATED_UNITS = 16;
const LOOP_IN_LINE = new RegExp(`(.{1,24}?)\\1{${REPEATED_UNITS - 1},}`);
/** Rulers such as `// ======` or `-----` repeat one symbol on purpose. */
const RULER = /^([-=*#_~+/.\s])\1*$/;

/**
 * Where the model starts going round in a loop, or -1: a group of up to four lines written three
 * times in a row (the first copy is kept), or a line that repeats a short piece over and over (the
 * whole line goes). Lines still streaming count only for the in-line check until `final`. The first
 * line is compared as if it had `firstLineIndent`, the indentation already on the cursor's line.
 */
export function repetitionCut(text: string, final: boolean, firstLineIndent = ''): number {
  const lines = text.split('\n');
  const compared = [firstLineIndent + lines[0], ...lines.slice(1)];
  const complete = final ? lines.length : lines.length - 1;
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const loop = LOOP_IN_LINE.exec(lines[i]);
    if (loop && !RULER.test(loop[1])) return starts[i];
    for (let size = 1; size <= 4; size++) {
      if (i + REPEATED_LINES * size > complete) break;
      const group = compared.slice(i, i + size);
      if (wordCharacters(group.join('')) === 0) continue;
      let repeats = 1;
      while (repeats < REPEATED_LINES && compared.slice(i + repeats * size, i + (repeats + 1) * size).every((line, k) => line === group[k])) repeats++;
      if (repeats === REPEATED_LINES) return starts[i + size] - 1;
    }
  }
  return -1;
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
    if (stack.length === 0) {
      // Spaces among the closers (`{ █ }`) are the document's: the completion need not write them.
      let next = covered;
      while (next < closers.length && /\s/.test(closers[next]) && ch !== closers[next]) next++;
      if (ch === closers[next]) {
        covered = next + 1;
        continue;
      }
    }
    if (QUOTES.includes(ch)) ownString = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (CLOSERS.includes(ch) && stack[stack.length - 1] === OPENER_OF[ch]) stack.pop();
  }
  return covered;
}
