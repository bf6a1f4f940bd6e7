// Where identifiers are declared, by simple per-language line patterns: the benchmark's own ground
// truth, independent of the product code (src/core/context/) that it measures.

/** A declaration: its name, 0-based line and the line's text. */
export interface Declaration {
  readonly name: string;
  readonly line: number;
  readonly text: string;
}

const ID = '([A-Za-z_$][\\w$]*)';
const TS_MODIFIERS = '(?:(?:public|private|protected|static|async|override|readonly|abstract|get|set|declare)\\s+)*';
/** Words that open a block like a method does (`if (x) {`): never a method's name. */
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'constructor', 'super', 'elif', 'else']);

/**
 * TS/JS: `function X`, `class X`, `interface X`, `type X =`, `enum X`, top-level (unindented)
 * `const/let/var X`, `a.b.X = function` (mocha's prototype style), and methods: an indented
 * `X(…) {` whose parameters hold no parentheses (so a call taking a callback is not one).
 */
const TS_PATTERNS: readonly RegExp[] = [
  new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${ID}`),
  new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?class\\s+${ID}`),
  new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?interface\\s+${ID}`),
  new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?type\\s+${ID}\\s*(?:<.*>)?\\s*=`),
  new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?(?:const\\s+)?enum\\s+${ID}`),
  new RegExp(`^(?:export\\s+)?(?:declare\\s+)?(?:const|let|var)\\s+${ID}`),
  new RegExp(`^\\s*(?:[\\w$]+\\.)+${ID}\\s*=\\s*(?:async\\s+)?function\\b`),
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
  for (const pattern of patternsFor(languageId)) {
    const name = pattern.exec(line)?.[1];
    if (name !== undefined && !KEYWORDS.has(name)) return name;
  }
  return undefined;
}

/** Every declaration of a file's text, in line order. */
export function declarationsOf(text: string, languageId: string): Declaration[] {
  const out: Declaration[] = [];
  text.split('\n').forEach((line, index) => {
    const name = declaredOn(line, languageId);
    if (name !== undefined) out.push({ name, line: index, text: line });
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
