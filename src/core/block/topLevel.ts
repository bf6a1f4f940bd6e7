import { indentColumns, leadingWhitespace } from '../indentation';
import { endAt, type BlockEnd, type BlockRule, type ScanPoint } from './scanner';

/**
 * At the top level (no bracket open at the cursor, no indentation rule), the block is the first
 * construct that spans lines: it ends at the line break after the bracket that closes it, unless the
 * next line goes on with it (a deeper line such as `: member(x)` or `.then(`, an Allman brace on its
 * own line, Rust's `where`). After an arrow at the end of the cursor's line (`=>`), the arrow's body
 * is the construct, even on one line.
 */
export class TopLevelRule implements BlockRule {
  /** A line break inside brackets happened, so closing them ends a construct. */
  private spansLines = false;
  /** Just after the closer that ended a construct: the rest of its line is still to be judged. */
  private closedAfter: number | undefined;
  /** The construct ended with `}`: a `{` on the next line starts another one (a second JSON object). */
  private braceEnded = false;
  /** The line break after a construct, which ends it unless the next line goes on. */
  private constructEnd: number | undefined;
  /** The indentation of the first line written: a deeper line continues a construct. */
  private firstIndent: number | undefined;

  constructor(
    /** The cursor follows `=>`. */
    private readonly arrowBody: boolean,
    private readonly tabSize: number,
  ) {}

  lineContent(at: number, point: ScanPoint): BlockEnd | undefined {
    const indent = indentColumns(leadingWhitespace(point.lineBefore(at)), this.tabSize);
    this.firstIndent ??= indent;
    if (this.constructEnd === undefined) return undefined;
    const { text } = point;
    const rest = text.slice(at, at + 6);
    const goesOn = (text[at] === '{' && !this.braceEnded) || indent > this.firstIndent || /^where\b/.test(rest);
    if (goesOn) {
      this.constructEnd = undefined;
      return undefined;
    }
    // The stream may stop in the middle of `where`.
    if (at + rest.length === text.length && 'where'.startsWith(rest)) return { ended: false, safe: this.constructEnd };
    return endAt(this.constructEnd);
  }

  bracketClosed(closerAt: number, after: number, depth: number, point: ScanPoint): undefined {
    if (this.closedAfter === undefined && depth === 0 && this.spansLines) [this.closedAfter, this.braceEnded] = [after, point.text[closerAt] === '}'];
  }

  lineEnd(at: number, point: ScanPoint): undefined {
    const { lexer } = point;
    // A closer's line that opens a new bracket (`}).then(() => {`) goes on.
    if (this.closedAfter !== undefined && lexer.depth === 0) this.constructEnd = at;
    this.closedAfter = undefined;
    if (lexer.depth > 0) this.spansLines = true;
    if (this.arrowBody && this.constructEnd === undefined && this.firstIndent !== undefined && lexer.depth === 0 && lexer.inCode) this.constructEnd = at;
  }

  heldBack(): number | undefined {
    return this.closedAfter ?? this.constructEnd;
  }
}
