import { LANGUAGES, TEMPLATE_LITERAL, type Dialect, type LanguageInfo, type StringStart } from './languages';

/**
 * A small lexer that knows just enough of each language family (its record in `LANGUAGES`) to
 * follow bracket depth: brackets, strings, comments and keyword pairs.
 */

const OPENERS = '([{';
const CLOSER_TO_OPENER: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
/** On the bracket stack: a JavaScript template literal's `${`, closed by `}` back into the template. */
const TEMPLATE_EXPRESSION = '${';

type Mode = 'code' | 'lineComment' | 'blockComment' | 'string';

/** Everything the lexer knows at one point of the text; plain data, so it can be copied. */
export interface LexState {
  readonly stack: readonly string[];
  readonly mode: Mode;
  /** In a string: the text that ends it. */
  readonly closeWith: string;
  readonly escapes: boolean;
  /** Whether the string survives a line break (Python triple quotes, templates, raw strings). */
  readonly multiline: boolean;
  /** A JavaScript template literal: `${` opens code. */
  readonly template: boolean;
  /** Rust block comments nest. */
  readonly commentDepth: number;
}

const INITIAL_LEX_STATE: LexState = {
  stack: [],
  mode: 'code',
  closeWith: '',
  escapes: false,
  multiline: false,
  template: false,
  commentDepth: 0,
};

/** A mutable lexer over one dialect; `advance` consumes one token and reports bracket changes. */
export class Lexer {
  private readonly s: { -readonly [K in keyof LexState]: LexState[K] } & { stack: string[] };
  private readonly language: LanguageInfo;
  /** Set by `advance` when the token closed a bracket: the depth after closing. */
  closedToDepth: number | undefined;

  constructor(dialect: Dialect, state: LexState = INITIAL_LEX_STATE) {
    this.language = LANGUAGES[dialect];
    this.s = { ...state, stack: [...state.stack] };
  }

  get depth(): number {
    return this.s.stack.length;
  }

  get inCode(): boolean {
    return this.s.mode === 'code';
  }

  /** Inside a string that goes on past the line (a here-document, a docstring): its lines are text, not code. */
  get inMultilineString(): boolean {
    return this.s.mode === 'string' && this.s.multiline;
  }

  get state(): LexState {
    return { ...this.s, stack: [...this.s.stack] };
  }

  /** Whether the token at `i` starts a comment (in code). */
  startsComment(text: string, i: number): boolean {
    return this.commentAt(text, i) !== undefined;
  }

  private commentAt(text: string, i: number): 'lineComment' | 'blockComment' | undefined {
    const { lineComment, blockComment, commentStartsWord } = this.language;
    if (blockComment !== undefined && text.startsWith('/*', i)) return 'blockComment';
    if (lineComment === undefined || !text.startsWith(lineComment, i)) return undefined;
    return !commentStartsWord || i === 0 || /[\s;]/.test(text[i - 1]) ? 'lineComment' : undefined;
  }

  /** Consumes the token at `i` and returns the index after it. */
  advance(text: string, i: number): number {
    this.closedToDepth = undefined;
    switch (this.s.mode) {
      case 'lineComment':
        if (text[i] === '\n') this.s.mode = 'code';
        return i + 1;
      case 'blockComment':
        return this.advanceInBlockComment(text, i);
      case 'string':
        return this.advanceInString(text, i);
      case 'code':
        return this.advanceInCode(text, i);
    }
  }

  private advanceInBlockComment(text: string, i: number): number {
    if (text.startsWith('*/', i)) {
      this.s.commentDepth--;
      if (this.s.commentDepth === 0) this.s.mode = 'code';
      return i + 2;
    }
    if (this.language.blockComment === 'nested' && text.startsWith('/*', i)) {
      this.s.commentDepth++;
      return i + 2;
    }
    return i + 1;
  }

  private advanceInString(text: string, i: number): number {
    const ch = text[i];
    if (this.s.escapes && ch === '\\') return i + 2;
    if (this.s.template && text.startsWith('${', i)) {
      this.s.stack.push(TEMPLATE_EXPRESSION);
      this.s.mode = 'code';
      return i + 2;
    }
    if (text.startsWith(this.s.closeWith, i)) {
      this.s.mode = 'code';
      return i + this.s.closeWith.length;
    }
    // An unterminated one-line string ends with its line, so one stray quote cannot swallow the file.
    if (ch === '\n' && !this.s.multiline) this.s.mode = 'code';
    return i + 1;
  }

  private advanceInCode(text: string, i: number): number {
    const comment = this.commentAt(text, i);
    if (comment !== undefined) {
      this.s.mode = comment;
      if (comment === 'lineComment') return i + 1;
      this.s.commentDepth = 1;
      return i + 2;
    }
    for (const read of this.language.literals) {
      const literal = read(text, i);
      if (literal === undefined) continue;
      if (literal.string !== undefined) this.enterString(literal.string);
      return i + literal.length;
    }
    const keywordLength = this.keyword(text, i);
    if (keywordLength > 0) return i + keywordLength;
    this.bracket(text[i]);
    return i + 1;
  }

  /** Follows the keyword of a keyword pair (shell's `if`, `fi` ...) that starts a word at `i`; returns its length, or 0. */
  private keyword(text: string, i: number): number {
    const blocks = this.language.keywordBlocks;
    if (blocks === undefined || (i > 0 && !blocks.after.test(text[i - 1]))) return 0;
    blocks.pattern.lastIndex = i;
    const keyword = blocks.pattern.exec(text)?.[0];
    if (keyword === undefined) return 0;
    this.closeOrOpen(blocks.closerToOpener[keyword], keyword);
    return keyword.length;
  }

  private bracket(ch: string): void {
    if (OPENERS.includes(ch)) {
      this.s.stack.push(ch);
      return;
    }
    const opener = CLOSER_TO_OPENER[ch];
    if (opener === undefined) return;
    if (ch === '}' && this.s.stack[this.s.stack.length - 1] === TEMPLATE_EXPRESSION) {
      this.s.stack.pop();
      this.enterString({ ...TEMPLATE_LITERAL, closeWith: '`' });
      return;
    }
    this.closeOrOpen(opener, ch);
  }

  /**
   * With `opener` (the token is a closer): closes it. A closer without its opener (opened before
   * the scanned text, or a typo) is ignored; one that skips unclosed openers closes them too.
   * Without: the token opens a block.
   */
  private closeOrOpen(opener: string | undefined, token: string): void {
    if (opener === undefined) {
      this.s.stack.push(token);
      return;
    }
    const at = this.s.stack.lastIndexOf(opener);
    if (at >= 0) {
      this.s.stack.length = at;
      this.closedToDepth = at;
    }
  }

  private enterString(string: StringStart): void {
    this.s.mode = 'string';
    this.s.closeWith = string.closeWith;
    this.s.escapes = string.escapes;
    this.s.multiline = string.multiline;
    this.s.template = string.template ?? false;
  }
}
