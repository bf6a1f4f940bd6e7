/** The little a completion needs from a document: lines on demand, never the whole text. */
export interface TextLines {
  readonly lineCount: number;
  /** The text of one line, without its line ending. */
  lineAt(line: number): string;
}

/** The lines of a text that is already in memory ('\n' line endings). */
export function textLines(text: string): TextLines {
  const lines = text.split('\n');
  return { lineCount: lines.length, lineAt: (line) => lines[line] };
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

/** A document as the completion pipeline sees it: the lines around a cursor and how to write into them. */
export interface DocumentAtCursor {
  readonly languageId: string;
  /** The document's URI, for the settings of its folder (absent in tests that need none). */
  readonly uri?: string;
  readonly fileName: string;
  /** The workspace folder's name, when the file is in one (a FIM prompt's repository name). */
  readonly projectName?: string;
  readonly lines: TextLines;
  readonly position: Position;
  readonly eol: LineEnding;
  readonly indent: IndentStyle;
}
