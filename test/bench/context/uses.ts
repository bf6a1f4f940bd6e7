// How a line of code uses names, read with simple per-language rules (the benchmark's ground truth,
// independent of the product code): which lines are code a completion could be asked for, which
// names a line declares itself (parameters, targets, keys), and how it uses the others (bare, or
// as a member, called or not). points.ts turns these into needs.

/** One use of a name on a line. */
export interface Use {
  readonly name: string;
  /** After a `.`: `obj.name`, `module.Name`. */
  readonly member: boolean;
  /** Followed by `(` (or `?.(`): a call. */
  readonly call: boolean;
  /** For a member, the identifier before the dot (`this` in `this.name`, `ns` in `ns.Name`); undefined after `)` or `]`. */
  readonly object?: string;
}

const ID = /[A-Za-z_$][\w$]*/g;

/**
 * Which lines are code a completion could be asked for: not inside a block comment, a template
 * literal or a Python triple-quoted string (a docstring's words are prose, not uses), and not the
 * items of a multi-line import or export list (`import {` … `} from`, `export {` … `}`, Python's
 * `from x import (` … `)`) or of a multi-line destructuring (`const {` … `} = require(…)`): those
 * are bindings, never completed with help from the declaring file's text.
 */
export function codeLines(text: string, languageId: string): boolean[] {
  const lines = text.split('\n');
  const code = languageId === 'python' ? pythonLineStarts(lines) : jsLineStarts(lines);
  const opens = languageId === 'python' ? /^\s*from\s+\S+\s+import\s*\([^)]*$/ : /^\s*(?:import|export|const|let|var)\s+(?:type\s+)?\{[^}]*$/;
  const closes = languageId === 'python' ? ')' : '}';
  for (let i = 0; i < lines.length; i++) {
    if (!code[i] || !opens.test(lines[i])) continue;
    let j = i + 1;
    for (; j < lines.length && !lines[j].includes(closes); j++) code[j] = false;
    if (j < lines.length) code[j] = false;
    i = j;
  }
  return code;
}

/** JS/TS: whether each line starts in code (not in a block comment or a template literal). */
function jsLineStarts(lines: readonly string[]): boolean[] {
  let state: 'code' | 'block' | 'template' = 'code';
  return lines.map((line) => {
    const starts = state === 'code';
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (state === 'block') {
        if (c === '*' && line[i + 1] === '/') (state = 'code'), i++;
      } else if (state === 'template') {
        if (c === '\\') i++;
        else if (c === '`') state = 'code';
      } else if (c === '/' && line[i + 1] === '/') break;
      else if (c === '/' && line[i + 1] === '*') (state = 'block'), i++;
      else if (c === '`') state = 'template';
      else if (c === '"' || c === "'") {
        // A plain string ends on its line.
        for (i++; i < line.length && line[i] !== c; i++) if (line[i] === '\\') i++;
      }
    }
    return starts;
  });
}

/** Python: whether each line starts in code (not in a triple-quoted string), and is not a docstring's first line. */
function pythonLineStarts(lines: readonly string[]): boolean[] {
  let open: string | undefined;
  return lines.map((line) => {
    const starts = open === undefined && !/^\s*[rRbBuUfF]{0,2}("""|''')/.test(line);
    for (let i = 0; i < line.length; i++) {
      const three = line.slice(i, i + 3);
      if (open !== undefined) {
        if (line[i] === '\\') i++;
        else if (three === open) (open = undefined), (i += 2);
      } else if (line[i] === '#') break;
      else if (three === '"""' || three === "'''") (open = three), (i += 2);
      else if (line[i] === '"' || line[i] === "'") {
        const quote = line[i];
        for (i++; i < line.length && line[i] !== quote; i++) if (line[i] === '\\') i++;
      }
    }
    return starts;
  });
}

const blank = (s: string): string => ' '.repeat(s.length);

/**
 * A line's code, columns kept: strings blanked (an unclosed Python triple quote or JS template to
 * the end of the line), comments blanked.
 */
export function codeOf(line: string, languageId: string): string {
  const quoted = (s: string): string => `${s[0]}${blank(s.slice(2))}${s[0]}`;
  if (languageId === 'python') {
    const triples = line.replace(/("""|''')[^]*?\1/g, blank).replace(/("""|''').*$/, blank);
    return triples.replace(/(['"])(?:\\.|(?!\1).)*\1/g, quoted).replace(/#.*$/, blank);
  }
  const strings = line.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, quoted);
  return strings.replace(/`.*$/, blank).replace(/\/\*.*?(\*\/|$)/g, blank).replace(/\/\/.*$/, blank);
}

/** The text between the `(` at `open` of `text` and its matching `)` (to the end when unmatched). */
function parenthesized(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/**
 * The names a parameter list binds: identifiers at a binding position (first, or after `,` `{` `[`
 * `(` `*` `...`), not types after `:` nor default values after `=`.
 */
export function parameterNames(list: string): string[] {
  const out: string[] = [];
  for (const match of list.matchAll(/(?:^|[,{[(*]|\.\.\.)\s*([A-Za-z_$][\w$]*)/g)) out.push(match[1]);
  return out;
}

const JS_PARAMETER_LISTS = [
  /\bfunction\s*\*?\s*[\w$]*\s*(?:<[^>]*>)?\s*\(/g, // function f(…), function (…)
  /^\s*(?!(?:if|for|while|switch|with|return|catch)\b)(?:(?:public|private|protected|static|async|override|readonly|abstract|get|set)\s+)*\*?[\w$]+\s*(?:<[^>]*>)?\s*\((?=[^()]*\)\s*(?::[^{]*)?\{\s*$)/g, // a method
  /\bcatch\s*\(/g,
];

/**
 * The names a line of code declares for itself: parameters of a function, method or arrow
 * (`(pkg) =>`, `x =>`, Python's `def f(x)` and `lambda x:`), `catch (e)`, destructuring targets
 * (`const { a, b } =`), `const/let/var x`, loop variables (`for x in`, `for (const x of`),
 * Python's assignment targets (`x =`, `a, b =`, `x: T =`), `with … as x` and `except … as x`. Any
 * of these names anywhere in a file is a local of that file (points.ts). `text` is the whole file
 * (parameter lists may span lines); `at` is the line's offset in it.
 */
export function declaredBy(text: string, at: number, languageId: string): string[] {
  const end = text.indexOf('\n', at);
  const line = codeOf(text.slice(at, end < 0 ? text.length : end), languageId);
  const out: string[] = [];
  const paramsAt = (re: RegExp): void => {
    for (const match of line.matchAll(re)) {
      const open = (match.index ?? 0) + match[0].length - 1;
      out.push(...parameterNames(codeOf(parenthesized(text.slice(at), open), languageId)));
    }
  };
  if (languageId === 'python') {
    paramsAt(/\bdef\s+\w+\s*\(/g);
    for (const match of line.matchAll(/\blambda\b([^:]*):/g)) out.push(...parameterNames(`,${match[1]}`));
    const target = /^\s*\(?\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*,?\s*\)?\s*(?::[^=]*)?=(?!=)/.exec(line);
    if (target) out.push(...target[1].split(',').map((name) => name.trim()));
    for (const match of line.matchAll(/\bfor\s+\(?([\w\s,]+?)\)?\s+in\b/g)) out.push(...match[1].split(',').map((name) => name.trim()));
    for (const match of line.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) out.push(match[1]);
  } else {
    for (const re of JS_PARAMETER_LISTS) paramsAt(new RegExp(re.source, re.flags));
    for (const match of line.matchAll(/\(([^()]*)\)\s*(?::\s*[^=()]+)?=>/g)) out.push(...parameterNames(`(${match[1]}`));
    for (const match of line.matchAll(/(?:^|[^\w$.])([A-Za-z_$][\w$]*)\s*=>/g)) out.push(match[1]);
    for (const match of line.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) out.push(match[1]);
    // Destructuring, but not `const { a } = require('./x')`: that is an import of a, not a local.
    for (const match of line.matchAll(/\b(?:const|let|var)\s*([{[].*?[}\]])\s*(?::[^=]*)?=(?![=>])(?!\s*require\()/g)) {
      out.push(...parameterNames(match[1].replace(/:\s*/g, ',')));
    }
  }
  return out.filter((name) => name !== '');
}

/**
 * The uses of names on a line of code, without the names it declares itself (declaredBy) and
 * without object-literal and type-member keys (`error: …`, `name?: T`, a class field
 * `private log: Logger`), keyword arguments (`f(name=…)`) and attributes being set
 * (`self.stream = …`): those name a property or a parameter, not something of another file.
 */
export function usesOn(line: string, languageId: string): Use[] {
  const code = codeOf(line, languageId);
  const declared = new Set(declaredBy(line, 0, languageId));
  const out: Use[] = [];
  for (const match of code.matchAll(ID)) {
    const name = match[0];
    const start = match.index ?? 0;
    const before = code.slice(0, start);
    const after = code.slice(start + name.length);
    if (declared.has(name)) continue;
    const key = /(?:^|[{,(])\s*(?:(?:public|private|protected|static|readonly|declare|override|abstract)\s+)*$/.test(before) && /^\s*[?!]?\s*:(?!:)/.test(after);
    const keywordArgument = /[(,]\s*$/.test(before) && /^\s*=(?![=>])/.test(after);
    const member = /\.\s*$/.test(before) && !/\.\.\.\s*$/.test(before);
    // `self.stream = …`, `this.name = …`: an attribute being set, the object's own.
    const attributeTarget = member && /^\s*=(?![=>])/.test(after);
    if (key || keywordArgument || attributeTarget) continue;
    const object = member ? /([A-Za-z_$][\w$]*)\s*\??\.\s*$/.exec(before)?.[1] : undefined;
    out.push({ name, member, call: /^\s*(?:\?\.)?\(/.test(after), ...(object === undefined ? {} : { object }) });
  }
  return out;
}

/** The receivers that are an object, never a module: `this.name` is a member, not an export of another file. */
export const SELF_NAMES: ReadonlySet<string> = new Set(['this', 'self', 'cls', 'super']);

/**
 * The names a file's imports bind (`import * as ns`, `import D from`, `const m = require(…)`,
 * Python's `import a.b as m`, `import a`, `from p import m`): what `name.X` may be a module's export
 * through. Read over the whole text with simple patterns.
 */
export function importBoundNames(text: string, languageId: string): Set<string> {
  const out = new Set<string>();
  const add = (list: string): void => {
    for (const item of list.replace(/[(){}\\]/g, ' ').split(',')) {
      const words = item.trim().split(/\s+as\s+/);
      const name = (words[1] ?? words[0]).trim().split('.')[0];
      if (/^[A-Za-z_$][\w$]*$/.test(name)) out.add(name);
    }
  };
  if (languageId === 'python') {
    for (const m of text.matchAll(/^[ \t]*import[ \t]+([^\n#;]+)/gm)) add(m[1]);
    for (const m of text.matchAll(/^[ \t]*from[ \t]+\S+[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)/gm)) add(m[1]);
    return out;
  }
  for (const m of text.matchAll(/\bimport\s+(?:type\s+)?([\w$*{},\s]+?)\s+from\b/g)) add(m[1].replace(/\*\s*as\s+/, ''));
  for (const m of text.matchAll(/\b(?:const|let|var|import)\s+([A-Za-z_$][\w$]*)\s*=\s*require\s*\(/g)) out.add(m[1]);
  return out;
}
