import type { LineEnding, Position, TextLines } from '../../src/core/document';

/** The cursor marker used in every text fixture. */
export const CURSOR = '█';

export interface CursorText {
  readonly text: string;
  readonly lines: TextLines & { readonly eol: LineEnding };
  readonly position: Position;
  readonly offset: number;
}

/** Splits a fixture written with one cursor marker into the text and the cursor position. */
export function parseCursor(marked: string): CursorText {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0 || marked.indexOf(CURSOR, offset + 1) >= 0) throw new Error(`fixture needs exactly one ${CURSOR}`);
  const text = marked.slice(0, offset) + marked.slice(offset + CURSOR.length);
  const before = text.slice(0, offset).split(/\r?\n/);
  return {
    text,
    lines: linesOf(text),
    offset,
    position: { line: before.length - 1, character: before[before.length - 1].length },
  };
}

/** Removes the common indentation of a template literal, so fixtures can be written indented. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** A TextLines over a plain string. */
export function linesOf(text: string): TextLines & { readonly eol: LineEnding } {
  const lines = text.split(/\r?\n/);
  return {
    lineCount: lines.length,
    lineAt: (line) => lines[line] ?? '',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}
