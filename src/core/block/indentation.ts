import { indentColumns } from '../indentation';
import { endAt, type BlockEnd, type BlockRule, type ScanPoint } from './scanner';

/**
 * Python and YAML outside brackets: the block ends before the first line of code indented less than
 * the block. At the top level (level 0), a statement at column 0 after a construct spanning lines
 * (a deeper line, or a line break inside brackets) starts the next one; a decorator, however many
 * lines it takes, belongs to the definition below it.
 * Lines inside brackets, strings (docstrings) and comments do not count.
 */
export class IndentationRule implements BlockRule {
  /** Set by the first line of code when the cursor's line is blank. */
  private blockIndent: number | undefined;
  /** At the top level: a deeper line was seen, so the next top-level line starts something new. */
  private sawDeeperLine = false;
  /** At the top level: a line break happened inside brackets, so the construct spans lines. */
  private spansLines = false;
  /** At the top level: the last top-level line was a decorator, so the definition below is its own. */
  private decorated = false;

  constructor(
    blockIndent: number | undefined,
    private readonly tabSize: number,
  ) {
    this.blockIndent = blockIndent;
  }

  lineContent(at: number, point: ScanPoint): BlockEnd | undefined {
    const { lexer } = point;
    if (!lexer.inCode || lexer.depth > 0 || lexer.startsComment(point.text, at)) return undefined;
    const columns = indentColumns(point.lineBefore(at), this.tabSize);
    if (this.blockIndent === undefined) {
      this.blockIndent = columns;
    } else if (point.lineIndex > 0) {
      if (columns < this.blockIndent || this.startsNextStatement(columns)) return endAt(point.lineStart);
      if (columns > this.blockIndent) this.sawDeeperLine = true;
    }
    if (columns === 0) this.decorated = point.text[at] === '@';
    return undefined;
  }

  /** At the top level: in a deeper block, a line at column 0 is less indented, so it has already ended it. */
  private startsNextStatement(columns: number): boolean {
    return columns === 0 && (this.sawDeeperLine || this.spansLines) && !this.decorated;
  }

  lineEnd(_at: number, point: ScanPoint): undefined {
    if (point.lexer.depth > 0) this.spansLines = true;
  }
}
