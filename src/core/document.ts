/** The little a completion needs from a document: lines on demand, never the whole text. */
export interface TextLines {
  readonly lineCount: number;
  /** The text of one line, without its line ending. */
  lineAt(line: number): string;
}

export interface Position {
  readonly line: number;
  readonly character: number;
}

export type LineEnding = '\n' | '\r\n';

export interface IndentStyle {
  readonly useTabs: boolean;
  /** Columns per indentation level (the editor's tab size when tabs are used). */
  readonly size: number;
}

/** A TextLines over a plain string (tests, the simulator's oracle, the benchmark). */
export function linesOf(text: string): TextLines & { readonly eol: LineEnding } {
  const lines = text.split(/\r?\n/);
  return {
    lineCount: lines.length,
    lineAt: (line) => lines[line] ?? '',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}
