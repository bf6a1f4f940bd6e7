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
