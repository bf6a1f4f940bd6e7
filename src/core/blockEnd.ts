/**
 * Where does the block at the cursor end? A small lexer that knows just enough of each language
 * family (brackets, strings, comments, shell's `if`/`fi` keywords) to follow bracket depth, plus the
 * indentation rule of Python and YAML.
 * Used on the stream of a continuation: the prefix gives the state at the cursor, the model's text
 * is scanned from there.
 */

/** Language families that share comment, string and bracket rules. */
export type Dialect = 'python' | 'js' | 'go' | 'rust' | 'c' | 'shell' | 'yaml' | 'hash' | 'markdown' | 'plain';

const DIALECTS: Readonly<Record<string, Dialect>> = {
  python: 'python',
  javascript: 'js',
  javascriptreact: 'js',
  typescript: 'js',
  typescriptreact: 'js',
  vue: 'js',
  svelte: 'js',
  go: 'go',
  rust: 'rust',
  c: 'c',
  cpp: 'c',
  'cuda-cpp': 'c',
  objc: 'c',
  objcpp: 'c',
  java: 'c',
  csharp: 'c',
  kotlin: 'c',
  swift: 'c',
  scala: 'c',
  dart: 'c',
  php: 'c',
  groovy: 'c',
  css: 'c',
  scss: 'c',
  less: 'c',
  jsonc: 'c',
  json: 'c',
  shellscript: 'shell',
  ruby: 'hash',
  perl: 'hash',
  r: 'hash',
  yaml: 'yaml',
  toml: 'hash',
  makefile: 'hash',
  dockerfile: 'hash',
  powershell: 'hash',
  elixir: 'hash',
  julia: 'hash',
  markdown: 'markdown',
};

export function dialectOf(languageId: string): Dialect {
  return DIALECTS[languageId] ?? 'plain';
}

const OPENERS = '([{';
/** Shell's keyword blocks, followed like brackets: `if` ... `fi`, `do` ... `done`, `case` ... `esac`. */
const SHELL_KEYWORD = /^(?:if|fi|do|done|case|esac)(?=$|[\s;&|)<>])/;
const SHELL_CLOSER_TO_OPENER: Readonly<Record<string, string>> = { fi: 'if', done: 'do', esac: 'case' };
const CLOSER_TO_OPENER: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
/** On the bracket stack: a JavaScript template literal's `${`, closed by `}` back into the template. */
const TEMPLATE_EXPRESSION = '${';
const RUST_CHAR_LITERAL = /^'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)|[^\\'\n])'/;

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

export const INITIAL_LEX_STATE: LexState = {
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
  /** Set by `advance` when the token closed a bracket: the depth after closing. */
  closedToDepth: number | undefined;

  constructor(private readonly dialect: Dialect, state: LexState = INITIAL_LEX_STATE) {
    this.s = { ...state, stack: [...state.stack] };
  }

  get depth(): number {
    return this.s.stack.length;
  }

  get inCode(): boolean {
    return this.s.mode === 'code';
  }

  get state(): LexState {
    return { ...this.s, stack: [...this.s.stack] };
  }

  /** Whether the token at `i` starts a comment (in code). */
  startsComment(text: string, i: number): boolean {
    const ch = text[i];
    if (this.dialect === 'python' || this.dialect === 'hash') return ch === '#';
    // In shell and YAML a comment starts a word: `$#` and `a#b` are not comments.
    if (this.dialect === 'shell' || this.dialect === 'yaml') return ch === '#' && (i === 0 || /[\s;]/.test(text[i - 1]));
    if (this.dialect === 'plain' || this.dialect === 'markdown') return false;
    return ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*');
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
      if (this.s.commentDepth <= 0) {
        this.s.commentDepth = 0;
        this.s.mode = 'code';
      }
      return i + 2;
    }
    if (this.dialect === 'rust' && text.startsWith('/*', i)) {
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
    const ch = text[i];
    if (this.startsComment(text, i)) {
      if (ch === '/' && text[i + 1] === '*') {
        this.s.mode = 'blockComment';
        this.s.commentDepth = 1;
        return i + 2;
      }
      this.s.mode = 'lineComment';
      return i + 1;
    }
    const stringLength = this.startString(text, i);
    if (stringLength > 0) return i + stringLength;
    if (this.dialect === 'shell' && (i === 0 || /[\s;&|(]/.test(text[i - 1]))) {
      const keyword = SHELL_KEYWORD.exec(text.slice(i, i + 6))?.[0];
      if (keyword !== undefined) {
        this.closeOrOpen(SHELL_CLOSER_TO_OPENER[keyword], keyword);
        return i + keyword.length;
      }
    }
    if (OPENERS.includes(ch)) {
      this.s.stack.push(ch);
      return i + 1;
    }
    const opener = CLOSER_TO_OPENER[ch];
    if (opener !== undefined) {
      const top = this.s.stack[this.s.stack.length - 1];
      if (ch === '}' && top === TEMPLATE_EXPRESSION) {
        this.s.stack.pop();
        this.enterString('`', { escapes: true, multiline: true, template: true });
        return i + 1;
      }
      this.closeOrOpen(opener, ch);
    }
    return i + 1;
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

  /** Enters a string when one starts at `i`; returns the length of its opening delimiter, or 0. */
  private startString(text: string, i: number): number {
    const ch = text[i];
    switch (this.dialect) {
      case 'python':
        if (text.startsWith('"""', i) || text.startsWith("'''", i)) return this.enterString(text.slice(i, i + 3), { escapes: true, multiline: true }, 3);
        if (ch === '"' || ch === "'") return this.enterString(ch, { escapes: true, multiline: false });
        return 0;
      case 'js':
        if (ch === '`') return this.enterString('`', { escapes: true, multiline: true, template: true });
        if (ch === '"' || ch === "'") return this.enterString(ch, { escapes: true, multiline: false });
        return 0;
      case 'go':
        if (ch === '`') return this.enterString('`', { escapes: false, multiline: true });
        if (ch === '"' || ch === "'") return this.enterString(ch, { escapes: true, multiline: false });
        return 0;
      case 'rust': {
        const raw = /^b?r(#*)"/.exec(text.slice(i, i + 40));
        if (raw && !isIdentifierChar(text[i - 1])) return this.enterString(`"${raw[1]}`, { escapes: false, multiline: true }, raw[0].length);
        if (ch === '"') return this.enterString('"', { escapes: true, multiline: true });
        if (ch === "'") {
          // A char literal is skipped whole; a quote before a name starts a lifetime ('a, 'static).
          const literal = RUST_CHAR_LITERAL.exec(text.slice(i, i + 16));
          if (literal) return literal[0].length;
          // Otherwise it is a char literal whose closing quote has not streamed yet ('} so far).
          if (!isIdentifierChar(text[i + 1])) return this.enterString("'", { escapes: true, multiline: false });
          return 1;
        }
        return 0;
      }
      case 'c': {
        // A C++ raw string R"delim( ... )delim" may span lines and holds anything.
        const raw = /^(?:u8|[uUL])?R"([^()\\\s]{0,16})\(/.exec(text.slice(i, i + 24));
        if (raw && !isIdentifierChar(text[i - 1])) return this.enterString(`)${raw[1]}"`, { escapes: false, multiline: true }, raw[0].length);
        if (ch === '"' || ch === "'") return this.enterString(ch, { escapes: true, multiline: false });
        return 0;
      }
      case 'shell': {
        // A here-document's text, up to its delimiter line, is a string.
        const heredoc = /^<<-?[ \t]*(['"]?)([A-Za-z_]\w*)\1/.exec(text.slice(i, i + 40));
        if (heredoc) return this.enterString(`\n${heredoc[2]}`, { escapes: false, multiline: true }, heredoc[0].length);
        if (ch === '"' || ch === "'") return this.enterString(ch, { escapes: true, multiline: false });
        return 0;
      }
      case 'yaml':
      case 'hash':
        if (ch === '"' || ch === "'") return this.enterString(ch, { escapes: true, multiline: false });
        return 0;
      case 'markdown':
      case 'plain':
        return 0;
    }
  }

  /** Enters a string that `closeWith` ends; returns `openLength`, the length of its opening delimiter. */
  private enterString(closeWith: string, kind: { escapes: boolean; multiline: boolean; template?: boolean }, openLength = 1): number {
    this.s.mode = 'string';
    this.s.closeWith = closeWith;
    this.s.escapes = kind.escapes;
    this.s.multiline = kind.multiline;
    this.s.template = kind.template ?? false;
    return openLength;
  }
}

function isIdentifierChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\w$]/.test(ch);
}

/** The spaces and tabs a line starts with. */
export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Visual width of leading whitespace, tabs advancing to the next stop. */
export function indentColumns(whitespace: string, tabSize: number): number {
  let columns = 0;
  for (const ch of whitespace) columns = ch === '\t' ? columns + tabSize - (columns % tabSize) : columns + 1;
  return columns;
}

/** The line with its indentation written as spaces, so that tab and space indentation compare equal. */
function columnIndent(line: string, tabSize: number): string {
  const indent = leadingWhitespace(line);
  return ' '.repeat(indentColumns(indent, tabSize)) + line.slice(indent.length);
}

/** What is known at the cursor, computed once per continuation from the text around it. */
export interface BlockContext {
  readonly dialect: Dialect;
  /** The lexer's state at the cursor. */
  readonly start: LexState;
  /**
   * Python and YAML outside brackets: a line indented less than this ends the block. Undefined when the
   * cursor's line is blank: then the first line the model writes sets the level.
   */
  readonly blockIndent: number | undefined;
  /** The text before the cursor on its line. */
  readonly cursorLine: string;
  readonly tabSize: number;
  /**
   * Whether the text after the cursor already closes the enclosing bracket (the editor
   * auto-closed it, or the user wrote it): on the cursor's own line, on a later line, or not at all.
   */
  readonly suffixCloses: 'sameLine' | 'laterLine' | 'no';
  /** The first non-blank line below the cursor's line: the continuation must not write it again. */
  readonly nextLine?: string;
}

export function blockContext(dialect: Dialect, prefix: string, suffix: string, tabSize: number): BlockContext {
  const lexer = new Lexer(dialect);
  let commentAt = 0;
  for (let i = 0; i < prefix.length; ) {
    if (lexer.inCode && lexer.startsComment(prefix, i)) commentAt = i;
    i = lexer.advance(prefix, i);
  }
  const start = lexer.state;

  const lineStart = prefix.lastIndexOf('\n') + 1;
  const cursorLine = prefix.slice(lineStart);
  let blockIndent: number | undefined;
  if (cursorLine.trim() !== '') {
    blockIndent = indentColumns(leadingWhitespace(cursorLine), tabSize);
    // At the end of a header line (`def f():`), the block is the body below it; a colon that ends
    // a comment (`# Steps:`) or sits in a string is no header.
    const code = start.mode === 'lineComment' ? prefix.slice(lineStart, commentAt) : start.mode === 'code' ? cursorLine : '';
    // In YAML a list may sit at its key's own indentation: the first line written sets the level.
    if (/:[ \t]*$/.test(code)) blockIndent = dialect === 'yaml' ? undefined : blockIndent + 1;
  }

  return {
    dialect,
    start,
    blockIndent,
    cursorLine,
    tabSize,
    suffixCloses: suffixClosesBlock(dialect, start, suffix),
    nextLine: suffix
      .split('\n')
      .slice(1)
      .find((line) => line.trim() !== '')
      ?.replace(/\s+$/, ''),
  };
}

/** Scans the text after the cursor up to its first token that is not blank or a comment. */
function suffixClosesBlock(dialect: Dialect, start: LexState, suffix: string): BlockContext['suffixCloses'] {
  if (start.stack.length === 0 || start.mode !== 'code') return 'no';
  const lexer = new Lexer(dialect, start);
  let crossedLine = false;
  for (let i = 0; i < suffix.length; ) {
    const ch = suffix[i];
    if (lexer.inCode && !/\s/.test(ch) && !lexer.startsComment(suffix, i)) {
      i = lexer.advance(suffix, i);
      if (lexer.closedToDepth !== undefined && lexer.closedToDepth < start.stack.length) return crossedLine ? 'laterLine' : 'sameLine';
      return 'no';
    }
    if (ch === '\n') crossedLine = true;
    i = lexer.advance(suffix, i);
  }
  return 'no';
}

/**
 * The scan of a continuation so far: either still open, with how much of it is safe to show (a
 * line whose fate is undecided is held back), or ended at `at`. `trim` says whether whitespace
 * before `at` goes too; it stays when the text after the cursor supplies the closer on the same
 * line, so that closer keeps its own line and indentation.
 */
export type BlockEnd = { readonly ended: false; readonly safe: number } | { readonly ended: true; readonly at: number; readonly trim: boolean };

/**
 * Finds where the block at the cursor ends in `text` (the continuation, '\n' line endings):
 * - inside brackets, where the enclosing bracket closes (with the rest of its line, unless the
 *   line opens a new block such as `} else {`: then up to its shallowest point), or just before
 *   that closer when the document already has it after the cursor;
 * - in Python and YAML outside brackets, before the first line indented less than the block;
 * - at the top level, after the first construct that spans lines (a deeper next line, an Allman
 *   brace or a `where` clause still belongs to it), or after the body of an arrow the cursor follows;
 * - anywhere, before a line that repeats the line already below the cursor.
 * With `final` (the model stopped), an unfinished last line counts as complete.
 */
export function findBlockEnd(text: string, context: BlockContext, final: boolean): BlockEnd {
  if (final) {
    const result = scan(`${text}\n`, context);
    return result.ended ? { ...result, at: Math.min(result.at, text.length) } : { ended: false, safe: text.length };
  }
  return scan(text, context);
}

function scan(text: string, context: BlockContext): BlockEnd {
  const lexer = new Lexer(context.dialect, context.start);
  const baseDepth = context.start.stack.length;
  const indentRule = (context.dialect === 'python' || context.dialect === 'yaml') && baseDepth === 0;
  let blockIndent = context.blockIndent;
  // The model may indent with spaces where the document has tabs: compare lines by columns.
  const nextLine = context.nextLine === undefined ? undefined : columnIndent(context.nextLine, context.tabSize);
  let lineStart = 0;
  let lineIndex = 0;
  let lineHasContent = false;
  /** Python at the top level: a deeper line was seen, so the next top-level line starts something new. */
  let sawDeeperLine = false;
  /** At the top level: a line break happened inside brackets, so closing them ends a construct. */
  let spansLines = false;
  /** Python at the top level: the last top-level line was a decorator, so the definition below is its own. */
  let decorated = false;
  /** Just after the closer that ended the block: the rest of its line is still to be judged. */
  let closedAfter: number | undefined;
  /** The depth at `closedAfter`: a later closer on that line going lower moves it (`}).then(`). */
  let closedDepth = 0;
  /** At the top level: the line break after a construct, which ends it unless the next line goes on. */
  let constructEnd: number | undefined;
  /** The construct ended with `}`: a `{` on the next line starts another one (a second JSON object). */
  let braceEnded = false;
  /** The indentation of the first line written: at the top level, a deeper line continues a construct. */
  let firstIndent: number | undefined;
  /** At the top level after `=>`: the arrow's body is the construct, even when it fits on one line. */
  const arrowBody = baseDepth === 0 && !indentRule && context.start.mode === 'code' && /=>[ \t]*$/.test(context.cursorLine);
  const indentAt = (i: number) =>
    indentColumns(leadingWhitespace(lineIndex === 0 ? context.cursorLine + text.slice(0, i) : text.slice(lineStart, i)), context.tabSize);

  for (let i = 0; i < text.length; ) {
    const ch = text[i];
    if (ch === '\n') {
      if (closedAfter !== undefined) {
        const reopened = lexer.depth >= Math.max(baseDepth, 1);
        if (baseDepth > 0) return { ended: true, at: reopened ? closedAfter : i, trim: true };
        if (!reopened) constructEnd = i;
        closedAfter = undefined;
      }
      if (lineIndex > 0 && nextLine !== undefined && columnIndent(text.slice(lineStart, i).replace(/\s+$/, ''), context.tabSize) === nextLine) {
        return { ended: true, at: lineStart, trim: true };
      }
      if (baseDepth === 0 && lexer.depth > 0) spansLines = true;
      if (arrowBody && constructEnd === undefined && firstIndent !== undefined && lexer.depth === 0 && lexer.inCode) constructEnd = i;
      i = lexer.advance(text, i);
      lineStart = i;
      lineIndex++;
      lineHasContent = false;
      continue;
    }

    if (!lineHasContent && ch !== ' ' && ch !== '\t') {
      lineHasContent = true;
      firstIndent ??= indentAt(i);
      if (constructEnd !== undefined) {
        // The construct goes on in a deeper line (`: member(x)`, `.then(`), a brace on its own line
        // (Allman style) or Rust's `where`; anything else starts the next one.
        const rest = text.slice(i, i + 6);
        if ((ch !== '{' || braceEnded) && indentAt(i) <= firstIndent && !/^where\b/.test(rest)) {
          if (i + rest.length === text.length && 'where'.startsWith(rest)) return { ended: false, safe: constructEnd };
          return { ended: true, at: constructEnd, trim: true };
        }
        constructEnd = undefined;
      }
      if (indentRule && lexer.inCode && lexer.depth === 0 && !lexer.startsComment(text, i)) {
        const leading = lineIndex === 0 ? context.cursorLine + text.slice(0, i) : text.slice(lineStart, i);
        const columns = indentColumns(leading, context.tabSize);
        if (blockIndent === undefined) {
          blockIndent = columns;
        } else if (lineIndex > 0) {
          const newTopLevelStatement = blockIndent === 0 && (sawDeeperLine || spansLines) && columns === 0 && !decorated;
          if (columns < blockIndent || newTopLevelStatement) return { ended: true, at: lineStart, trim: true };
          if (columns > blockIndent) sawDeeperLine = true;
        }
        // A decorator, however many lines its arguments take, belongs to the definition below it.
        if (columns === 0) decorated = ch === '@';
      }
    }

    const closerAt = i;
    i = lexer.advance(text, i);
    const closed = lexer.closedToDepth;
    if (closed === undefined) continue;
    if (closedAfter !== undefined) {
      // `}).catch((err) => {` reopens after `})`: the line is cut where it is shallowest.
      if (closed < closedDepth) [closedAfter, closedDepth, braceEnded] = [i, closed, text[closerAt] === '}'];
      continue;
    }
    if (baseDepth > 0 && closed < baseDepth) {
      const closerStartsLine = text.slice(lineStart, closerAt).trim() === '';
      if (context.suffixCloses === 'sameLine') return { ended: true, at: closerAt, trim: false };
      if (context.suffixCloses === 'laterLine') return { ended: true, at: closerStartsLine ? lineStart : closerAt, trim: true };
      [closedAfter, closedDepth] = [i, closed];
    } else if (baseDepth === 0 && closed === 0 && spansLines && !indentRule) {
      [closedAfter, closedDepth, braceEnded] = [i, 0, text[closerAt] === '}'];
    }
  }

  // Still open: hold back what is undecided (the rest of a closing line, a line that may turn out
  // to repeat the next line of the document).
  if (closedAfter !== undefined) return { ended: false, safe: closedAfter };
  if (constructEnd !== undefined) return { ended: false, safe: constructEnd };
  const partialLine = text.slice(lineStart);
  if (lineIndex > 0 && nextLine !== undefined && partialLine.trim() !== '' && nextLine.startsWith(columnIndent(partialLine, context.tabSize))) {
    return { ended: false, safe: lineStart };
  }
  return { ended: false, safe: text.length };
}

/**
 * When the document closes the block on the cursor's line (`{█}`) and a multi-line continuation
 * stopped without reaching that closer, a line break before it keeps the closer on its own line.
 */
export function keepCloserOnOwnLine(text: string, context: BlockContext): string {
  if (context.suffixCloses !== 'sameLine' || !text.includes('\n') || /\n[ \t]*$/.test(text)) return text;
  return `${text}\n${leadingWhitespace(context.cursorLine)}`;
}
