/**
 * The characters an editor closed by itself after the cursor (`)` `]` `}` quotes, then `;` `,` ...):
 * where a mid-line suggestion may go, and which of them a completion writes itself.
 */

const QUOTES: ReadonlySet<string> = new Set(['"', "'", '`']);
const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const OPENERS: ReadonlySet<string> = new Set(Object.values(OPENER_OF));
/** The rest of a line after which a mid-line suggestion still makes sense: closers and punctuation. */
const CLOSERS_AND_PUNCTUATION = /^[\s)\]}"'`;:,.>?]*$/;

export function isSuggestionSpot(lineSuffix: string): boolean {
  return CLOSERS_AND_PUNCTUATION.test(lineSuffix);
}

/**
 * A one-line suggestion before auto-closed characters: it replaces them, and gets back those it does
 * not write itself, so that Tab leaves one of each.
 */
export function overAutoClosed(text: string, lineSuffix: string): { text: string; replaceLength: number } {
  const closers = lineSuffix.replace(/\s+$/, '');
  if (text.includes('\n')) return { text, replaceLength: 0 };
  return { text: text + closers.slice(coveredSuffixLength(text, closers)), replaceLength: closers.length };
}

/** Where the completion is while it is read: how many closers it has covered, its open brackets and string. */
interface Scan {
  covered: number;
  readonly brackets: string[];
  /** The string the completion is in: the cursor's own (its quote is the first closer) or one it opened. */
  string: { readonly quote: string; readonly isCursors: boolean } | undefined;
  escaped: boolean;
}

/**
 * How many leading characters of `closers` (the auto-closed text after the cursor) the completion
 * already writes itself: a closer or punctuation mark counts when the completion reaches it outside
 * any bracket or string the completion opened.
 */
function coveredSuffixLength(completion: string, closers: string): number {
  // When the cursor sits inside a string, its closing quote comes first among the closers and
  // everything up to it is string content, brackets included.
  const cursorString = QUOTES.has(closers[0]) ? { quote: closers[0], isCursors: true } : undefined;
  const scan: Scan = { covered: 0, brackets: [], string: cursorString, escaped: false };
  for (const ch of completion) {
    if (scan.covered === closers.length) break;
    if (scan.string) readStringContent(scan, ch);
    else if (!coversNextCloser(scan, ch, closers)) readCode(scan, ch);
  }
  return scan.covered;
}

/** In a string only its unescaped closing quote counts; the cursor's string's quote is a closer covered. */
function readStringContent(scan: Scan, ch: string): void {
  if (scan.escaped) scan.escaped = false;
  else if (ch === '\\') scan.escaped = true;
  else if (ch === scan.string!.quote) {
    if (scan.string!.isCursors) scan.covered++;
    scan.string = undefined;
  }
}

/**
 * Outside the completion's own brackets, a character equal to the next closer covers it. Spaces among
 * the closers (`{ █ }`) are the document's: the completion need not write them, and a space it writes
 * covers none (`{ █ }` and `2, 3` leave `{ 2, 3 }`); a closer it reaches past them covers them.
 */
function coversNextCloser(scan: Scan, ch: string, closers: string): boolean {
  if (scan.brackets.length > 0) return false;
  let next = scan.covered;
  // `closers` ends in a non-space (trailing spaces are cut), so the walk stops at one.
  while (/\s/.test(closers[next])) next++;
  if (ch !== closers[next]) return false;
  scan.covered = next + 1;
  return true;
}

/** Code the completion writes: a quote opens a string, brackets nest (a closer pops only its own opener). */
function readCode(scan: Scan, ch: string): void {
  if (QUOTES.has(ch)) scan.string = { quote: ch, isCursors: false };
  else if (OPENERS.has(ch)) scan.brackets.push(ch);
  else if (scan.brackets[scan.brackets.length - 1] === OPENER_OF[ch]) scan.brackets.pop();
}
