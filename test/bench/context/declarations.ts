// Where identifiers are declared, by simple per-language line patterns: the benchmark's own ground
// truth, independent of the product code (src/core/context/) that it measures.

/**
 * What a declaration can be reached as from another file, which decides what use of its name is a
 * need (points.ts): `top` is a module-level class, function, type or constant (used by its bare
 * name once imported, or as `module.Name`); `method` only as `obj.name(…)`; `property` (a getter
 * or setter, a Python @property) as `obj.name` without a call too; `nested` (a function inside a
 * function) not at all.
 */
export type DeclarationKind = 'top' | 'method' | 'property' | 'nested';

/** A declaration: its name, 0-based line, the line's text and what it is. */
export interface Declaration {
  readonly name: string;
  readonly line: number;
  readonly text: string;
  readonly kind: DeclarationKind;
}

const ID = '([A-Za-z_$][\\w$]*)';
const TS_MODIFIERS = '(?:(?:public|private|protected|static|async|override|readonly|abstract|get|set|declare)\\s+)*';
/** Words that open a block like a method does (`if (x) {`): never a method's name. */
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'constructor', 'super', 'elif', 'else']);

/**
 * TS/JS: `function X`, `class X`, `interface X`, `type X =`, `enum X`, top-level (unindented)
 * `const/let/var X`, `a.b.X = function` or `= (…) =>` (mocha's prototype and exports style), and methods: an indented
 * `X(…) {` whose parameters hold no parentheses (so a call taking a callback is not one).
 */
const TS_PATTERNS: readonly RegExp[] = [
  new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${ID}`),
  new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?class\\s+${ID}`),
  new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?interface\\s+${ID}`),
  new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?type\\s+${ID}\\s*(?:<.*>)?\\s*=`),
  new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?(?:const\\s+)?enum\\s+${ID}`),
  new RegExp(`^(?:export\\s+)?(?:declare\\s+)?(?:const|let|var)\\s+${ID}`),
  new RegExp(`^\\s*(?:[\\w$]+\\.)+${ID}\\s*=\\s*(?:async\\s+)?(?:function\\b|\\([^()]*\\)\\s*=>|[\\w$]+\\s*=>)`),
  new RegExp(`^\\s+${TS_MODIFIERS}\\*?${ID}\\s*(?:<[^>()]*>)?\\s*\\([^()]*\\)\\s*(?::\\s*[^={};()]+)?\\{\\s*$`),
];

/** Python: `def X` (functions and methods, async too) and `class X`. */
const PY_PATTERNS: readonly RegExp[] = [/^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/, /^\s*class\s+([A-Za-z_]\w*)/];

/** Go: `func X`, `func (r T) X` and `type X`. */
const GO_PATTERNS: readonly RegExp[] = [/^func\s+([A-Za-z_]\w*)/, /^func\s*\([^)]*\)\s*([A-Za-z_]\w*)/, /^type\s+([A-Za-z_]\w*)/];

export function patternsFor(languageId: string): readonly RegExp[] {
  if (languageId === 'python') return PY_PATTERNS;
  if (languageId === 'go') return GO_PATTERNS;
  return TS_PATTERNS;
}

/** The name a line declares, or undefined. */
export function declaredOn(line: string, languageId: string): string | undefined {
  return declarationOn(line, languageId)?.name;
}

/** A Python decorator that makes the method below it read as an attribute. */
const PROPERTY_DECORATOR = /^\s*@(?:[\w.]+\.setter|[\w.]*property)\s*$/;

/**
 * The name a line declares and its kind (DeclarationKind); `previous` is the line above (a Python
 * decorator). The kind follows the pattern and the indentation: TS/JS functions are top-level
 * unindented or exported (an indented plain `function` is nested), `a.prototype.X = function` is a
 * method and `exports.X = function` top-level, a `get`/`set` method is a property; Python's `def`
 * is top-level unindented and a method indented (a property under `@property`), classes are
 * top-level at any depth; Go's receiver functions are methods.
 */
export function declarationOn(line: string, languageId: string, previous = ''): { name: string; kind: DeclarationKind } | undefined {
  const patterns = patternsFor(languageId);
  for (let i = 0; i < patterns.length; i++) {
    const name = patterns[i].exec(line)?.[1];
    if (name === undefined || KEYWORDS.has(name)) continue;
    return { name, kind: kindOf(line, languageId, patterns[i], previous) };
  }
  return undefined;
}

function kindOf(line: string, languageId: string, pattern: RegExp, previous: string): DeclarationKind {
  const indented = /^\s/.test(line);
  if (languageId === 'python') {
    if (/^\s*class\b/.test(line) || !indented) return 'top';
    return PROPERTY_DECORATOR.test(previous) ? 'property' : 'method';
  }
  if (languageId === 'go') return pattern === GO_PATTERNS[1] ? 'method' : 'top';
  if (pattern === TS_PATTERNS[0]) return !indented || /^\s*export\b/.test(line) ? 'top' : 'nested';
  if (pattern === TS_PATTERNS[6]) return /\.prototype\./.test(line) ? 'method' : 'top';
  if (pattern === TS_PATTERNS[7]) return /^\s*(?:\w+\s+)*(?:get|set)\s+[\w$]+\s*\(/.test(line) ? 'property' : 'method';
  return 'top';
}

/** Every declaration of a file's text, in line order. */
export function declarationsOf(text: string, languageId: string): Declaration[] {
  const out: Declaration[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const found = declarationOn(line, languageId, index > 0 ? lines[index - 1] : '');
    if (found !== undefined) out.push({ name: found.name, line: index, text: line, kind: found.kind });
  });
  return out;
}

/** A project's declarations: name -> where (path, line, text), over all its files. */
export type DefinitionIndex = ReadonlyMap<string, readonly (Declaration & { readonly path: string })[]>;

export function buildIndex(files: ReadonlyMap<string, string>, languageId: string): DefinitionIndex {
  const index = new Map<string, (Declaration & { path: string })[]>();
  for (const [path, text] of files) {
    for (const declaration of declarationsOf(text, languageId)) {
      const sites = index.get(declaration.name) ?? [];
      sites.push({ ...declaration, path });
      index.set(declaration.name, sites);
    }
  }
  return index;
}

/** The identifiers a line of code uses, outside string literals and trailing comments. */
export function identifiersUsed(line: string, languageId: string): string[] {
  const comment = languageId === 'python' ? /#.*$/ : /\/\/.*$/;
  const code = line.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""').replace(comment, '');
  return [...new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? [])];
}
