/**
 * A file's imports, read from its first lines, and the workspace files they bring in. What each
 * language writes and how it finds the file is one record per language (IMPORT_LANGUAGES), keyed by
 * VS Code languageId. Only imports that name workspace files count: a bare npm package, the Python
 * standard library or a Go module from elsewhere resolves to nothing and is dropped.
 */
import type { TextLines } from '../document';
import type { ProjectAccess, ProjectFile } from './types';

/** One name an import brings in: as the imported file declares it, and as this file uses it. */
export interface ImportBinding {
  /** 'default' for a default import. */
  readonly imported: string;
  readonly local: string;
}

/** An import statement as written. */
export interface ImportStatement {
  /** What names the file: './x', '.mod', 'pkg.mod', 'example.com/m/sub'. */
  readonly specifier: string;
  /** 0-based line of the statement's start. */
  readonly line: number;
  /** Names brought in one by one (`{ A, B as C }`, `from x import a, b`). */
  readonly bindings: readonly ImportBinding[];
  /**
   * The module as a whole under one name, its exports used as `qualifier.Name`: `* as ns`,
   * `import pkg.mod as m`, a Go package's name. Without it and without bindings (`export *`,
   * `import('./x')`, Go's dot import), every export may be used.
   */
  readonly qualifier?: string;
}

/** An import with the workspace files it brings in. */
export interface ResolvedImport extends ImportStatement {
  /** Workspace-relative paths; a Go package is all its files. */
  readonly paths: readonly string[];
  /** Go's own package: its other files, used without any import (line -1). */
  readonly samePackage?: boolean;
}

/** Lines of a file read for imports: they come first, and a 5 MB file is never read whole. */
export const IMPORT_HEAD_LINES = 300;

/** The workspace's files, each directory listed and each file read at most once per gather. */
export class WorkspaceFiles {
  private readonly listings = new Map<string, Promise<readonly string[]>>();
  private readonly reads = new Map<string, Promise<ProjectFile | undefined>>();

  constructor(private readonly access: ProjectAccess) {}

  /** A file, or undefined when missing, unreadable or excluded (never throws). */
  read(path: string): Promise<ProjectFile | undefined> {
    let read = this.reads.get(path);
    if (read === undefined) {
      read = this.access.readFile(path).catch(() => undefined);
      this.reads.set(path, read);
    }
    return read;
  }

  /** The files directly in a folder; [] when unknown. */
  list(directory: string): Promise<readonly string[]> {
    let listing = this.listings.get(directory);
    if (listing === undefined) {
      const filesIn = this.access.filesIn?.bind(this.access);
      listing = filesIn === undefined ? Promise.resolve([]) : filesIn(directory).catch(() => []);
      this.listings.set(directory, listing);
    }
    return listing;
  }

  /** Whether a file exists: its folder's listing says so, or (without a listing) it can be read. */
  async exists(path: string): Promise<boolean> {
    const listing = await this.list(dirname(path));
    if (listing.length > 0) return listing.includes(path);
    return (await this.read(path)) !== undefined;
  }

  /** The first of `paths` that exists. */
  async firstExisting(paths: readonly string[]): Promise<string | undefined> {
    for (const path of paths) if (await this.exists(path)) return path;
    return undefined;
  }
}

/** The folder of a workspace-relative path ('' for the root). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `relative` ('./x', '../y/z', 'a/b') joined to a folder; undefined when it climbs out of the workspace. */
export function joinPath(directory: string, relative: string): string | undefined {
  const parts = directory === '' ? [] : directory.split('/');
  for (const part of relative.split('/')) {
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

/** The folder and its ancestors up to the root (''), nearest first. */
function ancestors(directory: string): string[] {
  const out = [directory];
  for (let d = directory; d !== ''; ) {
    d = dirname(d);
    out.push(d);
  }
  return out;
}

/** Text of a file's first lines, and where each starts (to turn a match's index into a line). */
interface Head {
  readonly text: string;
  readonly starts: readonly number[];
}

function readHead(lines: TextLines, maxLines: number): Head {
  const parts: string[] = [];
  const starts: number[] = [];
  let at = 0;
  for (let i = 0; i < Math.min(lines.lineCount, maxLines); i++) {
    const line = lines.lineAt(i);
    starts.push(at);
    parts.push(line);
    at += line.length + 1;
  }
  return { text: parts.join('\n'), starts };
}

/** The 0-based line holding character `index` of the head. */
function lineOf(head: Head, index: number): number {
  let low = 0;
  let high = head.starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (head.starts[mid] <= index) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Every match of a global pattern, with its line. */
function* matches(head: Head, pattern: RegExp): Generator<{ groups: RegExpExecArray; line: number }> {
  for (const match of head.text.matchAll(pattern)) yield { groups: match as RegExpExecArray, line: lineOf(head, match.index ?? 0) };
}

/** 'a, b as c' (Python) or 'A, B as C, type D' (ES) as bindings. */
function bindingList(list: string): ImportBinding[] {
  const out: ImportBinding[] = [];
  for (const item of list.split(',')) {
    const words = item.replace(/^\s*type\s+/, '').trim().split(/\s+as\s+/);
    if (!/^[\w$]+$/.test(words[0])) continue;
    out.push({ imported: words[0], local: words[1]?.trim() || words[0] });
  }
  return out;
}

// ---------------------------------------------------------------- ES modules

/** `import D, * as ns from`, `import D, { A } from`, `import { A, B as C } from`. */
function esClause(clause: string): Pick<ImportStatement, 'bindings' | 'qualifier'> {
  const named = /\{([^}]*)\}/.exec(clause);
  const bindings = named === null ? [] : bindingList(named[1]);
  const namespace = /\*\s*as\s+([\w$]+)/.exec(clause)?.[1];
  const rest = clause.replace(/\{[^}]*\}/, '').replace(/\*\s*as\s+[\w$]+/, '');
  const defaultName = /^\s*(?:type\s+)?([\w$]+)\s*(?:,|$)/.exec(rest)?.[1];
  if (defaultName !== undefined) bindings.unshift({ imported: 'default', local: defaultName });
  return namespace === undefined ? { bindings } : { bindings, qualifier: namespace };
}

const ES_PATTERNS = {
  from: /\b(?:import|export)\s+(?:type\s+)?([\w$*{},\s]*?)\s*from\s*(['"])([^'"\n]+)\2/g,
  sideEffect: /\bimport\s*(['"])([^'"\n]+)\1/g,
  dynamic: /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  require: /(?:\b(?:const|let|var)\s+([\w$]+|\{[^}]*\})\s*=\s*)?\brequire\s*\(\s*(['"])([^'"\n]+)\2\s*\)/g,
};

function parseEs(head: Head): ImportStatement[] {
  const out: ImportStatement[] = [];
  for (const { groups, line } of matches(head, ES_PATTERNS.from)) {
    // `export { a } from` re-exports: this file uses nothing of it, but its readers may, so it counts.
    const clause = groups[1].trim();
    const parsed = clause === '*' ? { bindings: [] } : esClause(clause);
    out.push({ specifier: groups[3], line, ...parsed });
  }
  for (const { groups, line } of matches(head, ES_PATTERNS.sideEffect)) out.push({ specifier: groups[2], line, bindings: [] });
  for (const { groups, line } of matches(head, ES_PATTERNS.dynamic)) out.push({ specifier: groups[2], line, bindings: [] });
  for (const { groups, line } of matches(head, ES_PATTERNS.require)) {
    const target = groups[1];
    if (target === undefined) out.push({ specifier: groups[3], line, bindings: [] });
    else if (target.startsWith('{')) out.push({ specifier: groups[3], line, bindings: bindingList(target.slice(1, -1).replace(/:/g, ' as ')) });
    else out.push({ specifier: groups[3], line, bindings: [], qualifier: target });
  }
  return out.filter((i) => /^\.\.?(\/|$)/.test(i.specifier)).sort((a, b) => a.line - b.line);
}

/** Where './x' may be: as written, TypeScript's source for a '.js' name, then with each extension, then a folder's index. */
function esCandidates(base: string): string[] {
  const extensions = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
  const compiled = /\.(m|c)?jsx?$/.exec(base);
  const sources = compiled === null ? [] : [base.slice(0, compiled.index) + '.ts', base.slice(0, compiled.index) + '.tsx'];
  return [...sources, base, ...extensions.map((e) => base + e), ...extensions.map((e) => `${base}/index${e}`)];
}

async function resolveEs(fromPath: string, statement: ImportStatement, files: WorkspaceFiles): Promise<string[]> {
  const base = joinPath(dirname(fromPath), statement.specifier);
  if (base === undefined || base === '') return [];
  const found = await files.firstExisting(esCandidates(base));
  return found === undefined || found === fromPath ? [] : [found];
}

// ---------------------------------------------------------------- Python

const PYTHON_PATTERNS = {
  from: /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*(?:\\\n[^\n#;]*)*)/gm,
  import: /^[ \t]*import[ \t]+([^\n#;]+)/gm,
};

function parsePython(head: Head): ImportStatement[] {
  const out: ImportStatement[] = [];
  for (const { groups, line } of matches(head, PYTHON_PATTERNS.from)) {
    const names = groups[2].replace(/[()\\]/g, ' ');
    out.push({ specifier: groups[1], line, bindings: bindingList(names) });
  }
  for (const { groups, line } of matches(head, PYTHON_PATTERNS.import)) {
    for (const item of groups[1].split(',')) {
      const [module, alias] = item.trim().split(/\s+as\s+/);
      if (/^[\w.]+$/.test(module)) out.push({ specifier: module, line, bindings: [], qualifier: alias?.trim() || module });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Folders a module path is looked up from: `.mod` from this file's package (one more dot, one folder up); `pkg.mod` from every ancestor. */
function pythonRoots(fromPath: string, specifier: string): { roots: string[]; dotted: string } {
  const dots = /^\.*/.exec(specifier)![0].length;
  const dotted = specifier.slice(dots);
  if (dots === 0) return { roots: ancestors(dirname(fromPath)), dotted };
  let root: string | undefined = dirname(fromPath);
  for (let i = 1; i < dots && root !== undefined; i++) root = root === '' ? undefined : dirname(root);
  return { roots: root === undefined ? [] : [root], dotted };
}

/** `pkg/mod.py` or `pkg/mod/__init__.py` below the first root that has it; a bare `.` is the package's `__init__.py`. */
async function pythonModule(roots: readonly string[], dotted: string, files: WorkspaceFiles): Promise<string | undefined> {
  const relative = dotted.split('.').filter((p) => p !== '').join('/');
  for (const root of roots) {
    const base = relative === '' ? root : joinPath(root, relative);
    if (base === undefined) continue;
    const candidates = relative === '' ? [joinPath(base, '__init__.py')!] : [`${base}.py`, joinPath(base, '__init__.py')!];
    const found = await files.firstExisting(candidates);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `from pkg import a, b`: a name that is a submodule of the package is an import of that module
 * (its own entry, qualified by its local name); the others are names of `pkg` itself.
 */
async function resolvePythonFrom(fromPath: string, statement: ImportStatement, files: WorkspaceFiles): Promise<ResolvedImport[]> {
  const { roots, dotted } = pythonRoots(fromPath, statement.specifier);
  const out: ResolvedImport[] = [];
  const names: ImportBinding[] = [];
  for (const binding of statement.bindings) {
    const submodule = await pythonModule(roots, dotted === '' ? binding.imported : `${dotted}.${binding.imported}`, files);
    const specifier = statement.specifier.endsWith('.') ? statement.specifier + binding.imported : `${statement.specifier}.${binding.imported}`;
    if (submodule !== undefined) out.push({ specifier, line: statement.line, bindings: [], qualifier: binding.local, paths: [submodule] });
    else names.push(binding);
  }
  const module = names.length === 0 ? undefined : await pythonModule(roots, dotted, files);
  if (module !== undefined && module !== fromPath) out.unshift({ ...statement, bindings: names, paths: [module] });
  return out;
}

async function resolvePython(fromPath: string, statement: ImportStatement, files: WorkspaceFiles): Promise<ResolvedImport[]> {
  if (statement.qualifier === undefined) return resolvePythonFrom(fromPath, statement, files);
  const { roots, dotted } = pythonRoots(fromPath, statement.specifier);
  const module = await pythonModule(roots, dotted, files);
  return module === undefined || module === fromPath ? [] : [{ ...statement, paths: [module] }];
}

// ---------------------------------------------------------------- Go

const GO_PATTERNS = {
  single: /^import[ \t]+(?:([\w.]+)[ \t]+)?"([^"\n]+)"/gm,
  group: /^import[ \t]*\(([^)]*)\)/gm,
  groupItem: /^[ \t]*(?:([\w.]+)[ \t]+)?"([^"\n]+)"/gm,
};

/** A Go import: the alias, or the path's last element, qualifies its names; `.` imports them bare; `_` nothing. */
function goImport(alias: string | undefined, path: string, line: number): ImportStatement | undefined {
  if (alias === '_') return undefined;
  if (alias === '.') return { specifier: path, line, bindings: [] };
  return { specifier: path, line, bindings: [], qualifier: alias ?? path.slice(path.lastIndexOf('/') + 1) };
}

function parseGo(head: Head): ImportStatement[] {
  const out: (ImportStatement | undefined)[] = [];
  for (const { groups, line } of matches(head, GO_PATTERNS.single)) out.push(goImport(groups[1], groups[2], line));
  for (const { groups } of matches(head, GO_PATTERNS.group)) {
    const bodyStart = (groups.index ?? 0) + groups[0].indexOf('(') + 1;
    for (const item of groups[1].matchAll(GO_PATTERNS.groupItem)) {
      out.push(goImport(item[1], item[2], lineOf(head, bodyStart + (item.index ?? 0) + item[0].indexOf('"'))));
    }
  }
  return out.filter((i): i is ImportStatement => i !== undefined).sort((a, b) => a.line - b.line);
}

/** The nearest go.mod above the file: its folder and its module path. */
async function goModule(fromPath: string, files: WorkspaceFiles): Promise<{ directory: string; module: string } | undefined> {
  for (const directory of ancestors(dirname(fromPath))) {
    const path = directory === '' ? 'go.mod' : `${directory}/go.mod`;
    if (!(await files.exists(path))) continue;
    const module = /^\s*module\s+"?([^\s"]+)/m.exec((await files.read(path))?.text ?? '')?.[1];
    return module === undefined ? undefined : { directory, module };
  }
  return undefined;
}

/** A Go package's files: the folder's .go files, without tests. */
async function goPackageFiles(directory: string, files: WorkspaceFiles): Promise<string[]> {
  return (await files.list(directory)).filter((p) => p.endsWith('.go') && !p.endsWith('_test.go') && dirname(p) === directory);
}

async function resolveGo(fromPath: string, statement: ImportStatement, files: WorkspaceFiles): Promise<string[]> {
  const mod = await goModule(fromPath, files);
  if (mod === undefined) return [];
  const { module, directory } = mod;
  if (statement.specifier !== module && !statement.specifier.startsWith(`${module}/`)) return [];
  const folder = joinPath(directory, statement.specifier.slice(module.length + 1));
  return folder === undefined ? [] : goPackageFiles(folder, files);
}

/** Go's own package: the folder's other files, whose names this file uses with no import. */
async function goSamePackage(fromPath: string, files: WorkspaceFiles): Promise<ResolvedImport[]> {
  const paths = (await goPackageFiles(dirname(fromPath), files)).filter((p) => p !== fromPath);
  return paths.length === 0 ? [] : [{ specifier: '.', line: -1, bindings: [], paths, samePackage: true }];
}

// ---------------------------------------------------------------- the table

/** What one language writes to import, and how an import finds its files. */
interface ImportLanguage {
  readonly parse: (head: Head) => ImportStatement[];
  readonly resolve: (fromPath: string, statement: ImportStatement, files: WorkspaceFiles) => Promise<ResolvedImport[]>;
  /** Files used without any import statement. */
  readonly implicit?: (fromPath: string, files: WorkspaceFiles) => Promise<ResolvedImport[]>;
}

/** A resolver that yields paths, as one resolved import (none when nothing is found). */
function single(resolve: (fromPath: string, statement: ImportStatement, files: WorkspaceFiles) => Promise<string[]>): ImportLanguage['resolve'] {
  return async (fromPath, statement, files) => {
    const paths = await resolve(fromPath, statement, files);
    return paths.length === 0 ? [] : [{ ...statement, paths }];
  };
}

const ES: ImportLanguage = { parse: parseEs, resolve: single(resolveEs) };

const IMPORT_LANGUAGES: Readonly<Record<string, ImportLanguage>> = {
  typescript: ES,
  typescriptreact: ES,
  javascript: ES,
  javascriptreact: ES,
  python: { parse: parsePython, resolve: resolvePython },
  go: { parse: parseGo, resolve: single(resolveGo), implicit: goSamePackage },
};

/** Whether imports of this language are understood. */
export function readsImports(languageId: string): boolean {
  return IMPORT_LANGUAGES[languageId] !== undefined;
}

/** The import statements in a document's first `maxLines` lines; [] for a language without a record. */
export function parseImports(languageId: string, lines: TextLines, maxLines = IMPORT_HEAD_LINES): ImportStatement[] {
  const language = IMPORT_LANGUAGES[languageId];
  return language === undefined ? [] : language.parse(readHead(lines, maxLines));
}

/**
 * The workspace files the imports bring in (imports that resolve to nothing are dropped), then the
 * files used without import (Go's own package). Never throws: an import that fails is dropped.
 */
export async function resolveImports(
  fromPath: string,
  languageId: string,
  statements: readonly ImportStatement[],
  files: WorkspaceFiles,
): Promise<ResolvedImport[]> {
  const language = IMPORT_LANGUAGES[languageId];
  if (language === undefined) return [];
  const resolved = await Promise.all(statements.map((s) => language.resolve(fromPath, s, files).catch(() => [])));
  const implicit = (await language.implicit?.(fromPath, files).catch(() => [])) ?? [];
  return [...resolved.flat(), ...implicit];
}
