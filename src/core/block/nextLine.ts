import { indentColumns, leadingWhitespace } from '../indentation';
import { endAt, type BlockEnd, type BlockRule, type ScanPoint } from './scanner';

/** The line with its indentation written as spaces, so that tab and space indentation compare equal. */
function columnIndent(line: string, tabSize: number): string {
  const indent = leadingWhitespace(line);
  return ' '.repeat(indentColumns(indent, tabSize)) + line.slice(indent.length);
}

/**
 * Anywhere, the block ends before a line that repeats the document's first non-blank line below the
 * cursor's (the model ran into text that is already there). A line that may still become it is held
 * back. The first line continues the cursor's line, so it never counts, and neither does a line of a
 * string that goes on past it (`}` in a here-document's JSON).
 */
export class NextLineRule implements BlockRule {
  /** The line below, in columns: the model may indent with spaces where the document has tabs. */
  private readonly nextLine: string;

  constructor(
    nextLine: string,
    private readonly tabSize: number,
  ) {
    this.nextLine = columnIndent(nextLine, tabSize);
  }

  lineEnd(at: number, point: ScanPoint): BlockEnd | undefined {
    if (point.lexer.inMultilineString) return undefined;
    const line = point.text.slice(point.lineStart, at).replace(/\s+$/, '');
    return point.lineIndex > 0 && columnIndent(line, this.tabSize) === this.nextLine ? endAt(point.lineStart) : undefined;
  }

  heldBack(point: ScanPoint): number | undefined {
    const partialLine = point.text.slice(point.lineStart);
    const mayRepeat = point.lineIndex > 0 && !point.lexer.inMultilineString && partialLine.trim() !== '' && this.nextLine.startsWith(columnIndent(partialLine, this.tabSize));
    return mayRepeat ? point.lineStart : undefined;
  }
}
