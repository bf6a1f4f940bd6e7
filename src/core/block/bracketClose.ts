import { endAt, type BlockEnd, type BlockRule, type ScanPoint } from './scanner';

/** Whether the text after the cursor already closes the enclosing bracket: on the cursor's own line, on a later line, or not at all. */
export type SuffixCloses = 'sameLine' | 'laterLine' | 'no';

/**
 * Inside brackets, the block ends where the bracket enclosing the cursor closes:
 * - when the document already has that closer on the cursor's line (`{█}`), just before the
 *   model's closer, keeping the whitespace before it (the closer keeps its own line);
 * - when the document has it on a later line, before the line of the model's closer (or just
 *   before the closer, when code precedes it on its line);
 * - otherwise after the closer's line, unless that line opens a new block (`} else {`): then just
 *   after the closer, where the line is shallowest (`}).catch(() => {` after `})`).
 */
export class BracketCloseRule implements BlockRule {
  /** Just after the closer that ended the block: the rest of its line is still to be judged. */
  private closedAfter: number | undefined;
  /** The depth at `closedAfter`: a later closer on that line going lower moves it (`}).then(`). */
  private closedDepth = 0;

  /** `baseDepth`: the brackets open at the cursor (at least one). */
  constructor(
    private readonly baseDepth: number,
    private readonly suffixCloses: SuffixCloses,
  ) {}

  bracketClosed(closerAt: number, after: number, depth: number, point: ScanPoint): BlockEnd | undefined {
    if (this.closedAfter !== undefined) {
      if (depth < this.closedDepth) [this.closedAfter, this.closedDepth] = [after, depth];
      return undefined;
    }
    if (depth >= this.baseDepth) return undefined;
    if (this.suffixCloses === 'sameLine') return { ended: true, at: closerAt, trim: false };
    if (this.suffixCloses === 'laterLine') return endAt(point.text.slice(point.lineStart, closerAt).trim() === '' ? point.lineStart : closerAt);
    [this.closedAfter, this.closedDepth] = [after, depth];
    return undefined;
  }

  lineEnd(at: number, point: ScanPoint): BlockEnd | undefined {
    if (this.closedAfter === undefined) return undefined;
    // The closer's line reopens a block (`} else {`) when it ends as deep as the cursor was.
    return endAt(point.lexer.depth >= this.baseDepth ? this.closedAfter : at);
  }

  heldBack(): number | undefined {
    return this.closedAfter;
  }
}
