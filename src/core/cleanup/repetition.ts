/**
 * What a model writes that the document already has or that it has just written: an echo of the
 * lines before the cursor, and loops.
 */
import { rebaseFirstLine } from '../indentation';

/**
 * A typed cursor line shorter than this (in word characters: `i = `, `x.`) is too little to tell an
 * echo from a continuation that happens to start the same way.
 */
const ECHOED_LINE_MIN_WORD_CHARACTERS = 3;
/** Lines above a blank cursor line count as echoed only with this many word characters: closers (`}`, `end`) repeat on their own. */
const ECHOED_LINES_MIN_WORD_CHARACTERS = 4;

interface TextAboveCursor {
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
export function removeEcho(text: string, context: TextAboveCursor, final: boolean): string | undefined {
  return context.cursorLine.trim() === '' ? removeEchoedLines(text, context, final) : removeRestartedLine(text, context.cursorLine, final);
}

/** The model starts again at the beginning of the typed cursor line (with or without its indentation). */
function removeRestartedLine(text: string, cursorLine: string, final: boolean): string | undefined {
  const typed = cursorLine.trim();
  if (wordCharacters(typed) < ECHOED_LINE_MIN_WORD_CHARACTERS) return text;
  const restarted = text.replace(/^[ \t]+/, '');
  if (restarted.startsWith(typed)) {
    const rest = restarted.slice(typed.length);
    return /\s$/.test(cursorLine) ? rest.replace(/^[ \t]+/, '') : rest;
  }
  // Not yet the whole typed line, but its start: the rest may still come.
  return !final && typed.startsWith(restarted) ? undefined : text;
}

/** The model repeats the last lines above a blank cursor line (the most lines first). */
function removeEchoedLines(text: string, context: TextAboveCursor, final: boolean): string | undefined {
  const lines = text.split('\n');
  for (let count = context.linesAbove.length; count >= 1; count--) {
    const echoed = context.linesAbove.slice(-count);
    if (wordCharacters(echoed.join('')) < ECHOED_LINES_MIN_WORD_CHARACTERS) continue;
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
  // Every expected line was read whole (`complete`: a line break after it, or nothing else comes).
  return 'match';
}

/**
 * A group of lines written this many times in a row is a loop; the first copy is kept. Three, as code
 * now and then writes the same line twice on purpose (`next();` `next();`, two `break;` in a switch).
 */
const REPEATED_LINES = 3;
/**
 * The longest group of lines looked for. A loop of longer groups needs 15 lines for its third copy,
 * far past a suggestion's usual length (maxLines is 6 by default): the line limit stops it first.
 */
const MAX_GROUP_LINES = 4;
/**
 * Within a line, a short piece (up to 24 characters) repeated this many times in a row is a loop:
 * data tables (`0, 0, 0, 0,` a row of a CRC table) stay well below 16 identical pieces.
 */
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
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (loopsWithinLine(lines[i])) return start;
    const size = repeatedGroupSize(compared, i, complete);
    if (size > 0) return start + lines.slice(i, i + size).join('\n').length;
    start += lines[i].length + 1;
  }
  return -1;
}

function loopsWithinLine(line: string): boolean {
  const loop = LOOP_IN_LINE.exec(line);
  return loop !== null && !RULER.test(loop[1]);
}

/** The size of the group of lines at `i` that the next lines (of the first `complete`) repeat enough to be a loop, or 0. */
function repeatedGroupSize(lines: readonly string[], i: number, complete: number): number {
  for (let size = 1; size <= MAX_GROUP_LINES && i + REPEATED_LINES * size <= complete; size++) {
    const group = lines.slice(i, i + size);
    // Blank lines and lines of closers (`}` `});`) repeat in ordinary code.
    if (wordCharacters(group.join('')) === 0) continue;
    let repeats = 1;
    while (repeats < REPEATED_LINES && lines.slice(i + repeats * size, i + (repeats + 1) * size).every((line, k) => line === group[k])) repeats++;
    if (repeats === REPEATED_LINES) return size;
  }
  return 0;
}
