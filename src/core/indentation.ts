import type { IndentStyle } from './document';

/** The spaces and tabs a line starts with. */
export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Visual width of leading whitespace, tabs advancing to the next stop. */
export function indentColumns(whitespace: string, tabSize: number): number {
  let columns = 0;
  for (const ch of whitespace) columns = ch === '\t' ? columns + tabSize - (columns % tabSize) : columns + 1;
  return columns;
}

/** Re-indents continuation lines to the document's style (tabs or spaces). */
export function matchIndentation(text: string, indent: IndentStyle): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const leading = leadingWhitespace(lines[i]);
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
  // A single line has no step: indentUnit gives undefined and the text is returned as it is.
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

/**
 * A first line written with its full indentation (after an echo, or at the start of a fenced answer)
 * loses the columns a blank cursor line already has.
 */
export function rebaseFirstLine(text: string, cursorLine: string, tabSize: number): string {
  if (cursorLine.trim() !== '') return text;
  const columns = indentColumns(cursorLine, tabSize);
  let i = 0;
  // Past the end text[i] is undefined, which is no whitespace.
  while ((text[i] === ' ' || text[i] === '\t') && indentColumns(text.slice(0, i + 1), tabSize) <= columns) i++;
  return text.slice(i);
}

/** Strips trailing whitespace from every line; from the end too when `trim`, else keeps the last line's indentation. */
export function finishLines(text: string, trim: boolean): string {
  const lines = text.split('\n');
  const last = lines.length - 1;
  const body = lines.map((line, index) => (index === last && !trim ? line : line.replace(/[ \t]+$/, ''))).join('\n');
  return trim ? body.replace(/\s+$/, '') : body;
}
