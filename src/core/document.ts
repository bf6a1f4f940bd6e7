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
