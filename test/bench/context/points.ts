// Completion points whose true next line uses an identifier declared in another file of the same
// project, each with a seeded, realistic editor state (open tabs, recent edits).
import type { EditRecord } from '../../../src/core/context/types';
import { SeededRandom } from '../../simulator/server';
import { builtinNames } from './builtins';
import { buildIndex, declarationsOf, declaredOn, type Declaration, type DefinitionIndex } from './declarations';
import { codeLines, declaredBy, importBoundNames, SELF_NAMES, usesOn, type Use } from './uses';
import type { Project } from './projects';

export type Site = Declaration & { readonly path: string };

/** An identifier the next line uses, and where the project declares it (never the current file). */
export interface Need {
  readonly name: string;
  readonly sites: readonly Site[];
}

/** How the identifier's file relates to the tabs: the three cases are drawn about equally often. */
export type Scenario = 'defining file open' | 'a file using it open' | 'neither open';

export interface Point {
  readonly project: Project;
  readonly path: string;
  readonly languageId: string;
  /**
   * The cursor: at the start of the code of line `line` (after its indentation), the line itself
   * not typed yet. This is where the typist is after Enter and auto-indent, the moment a suggestion
   * for the whole line is asked for; the identifier is not in the prefix yet, so what the sources
   * find is all the model could know of it (a cursor mid-line, after the identifier was typed,
   * would be easier for similarity and no different for imports and definitions).
   */
  readonly line: number;
  readonly indent: string;
  readonly trueLine: string;
  readonly needs: readonly Need[];
  readonly scenario: Scenario;
  /** Open tabs, most recent first (never the current file). */
  readonly openTabs: readonly string[];
  /** Recent edits, oldest first; one may be the declaration's own line (editedDefinition). */
  readonly edits: readonly EditRecord[];
  readonly editedDefinition: boolean;
}

/** An identifier declared in more files than this is ambiguous (`run`, `parse`): not a need. */
const MAX_DEFINING_FILES = 3;
const MAX_POINTS_PER_FILE = 3;
/**
 * Blank lines, comments, imports (TS's `export import X = A.X` too) and the items of an import or
 * export list (`type X as X,`): no code to complete.
 */
const SKIPPED_LINE = /^\s*($|\/\/|\/\*|\*|#|import\b|from\s+\S+\s+import\b|export\s+(\*|\{[^}]*\}\s*from)|export\s+import\b|package\b|(type\s+)?[\w$]+\s+as\s+[\w$]+,?\s*$)|\brequire\(/;

/**
 * Names a file declares for itself, anywhere in it: what the index's patterns read (its classes,
 * functions, methods) and its locals (uses.ts declaredBy: parameters, `const x`, destructuring,
 * loop and assignment targets, `as x`). A use of one of these in the file is a use of its own,
 * even when another file declares the same name: shadowing an imported name is rare, a parameter
 * `request` in a file of a project that also has a `def request` is common.
 */
function ownNames(text: string, languageId: string): Set<string> {
  const own = new Set(declarationsOf(text, languageId).map((d) => d.name));
  const code = codeLines(text, languageId);
  let at = 0;
  text.split('\n').forEach((line, i) => {
    if (code[i]) for (const name of declaredBy(text, at, languageId)) own.add(name);
    at += line.length + 1;
  });
  return own;
}

/**
 * Whether a use can reach a declaration of another file: a top-level one by its bare name (once
 * imported) or as `module.Name` (when exported); a method only when called as `obj.name(…)`; a getter or Python
 * property as `obj.name` too; a nested function never. So `this.allowUncaught` (a field) is not
 * Mocha's `allowUncaught()` method, and a bare `data` (a local) is not urllib's `data` property.
 */
function reaches(use: Use, site: Site, languageId: string, objects: ObjectNames): boolean {
  if (site.kind === 'top') return !use.member || (exported(site, languageId) && mayBeModule(use.object, objects));
  if (site.kind === 'nested' || !use.member) return false;
  return use.call || site.kind === 'property';
}

/** A file's own names and the names its imports bind: which receivers can be a module. */
interface ObjectNames {
  readonly own: ReadonlySet<string>;
  readonly imported: ReadonlySet<string>;
}

/**
 * Whether the receiver of `receiver.Name` may be a module: not `this`/`self`, and not one of the
 * file's own locals or parameters unless an import binds it. So `this.project` and `test.type`
 * (a parameter) are properties, not stryker's `export const project` or mocha's `exports.type`.
 */
function mayBeModule(receiver: string | undefined, objects: ObjectNames): boolean {
  if (receiver === undefined) return true;
  if (SELF_NAMES.has(receiver)) return false;
  return !objects.own.has(receiver) || objects.imported.has(receiver);
}

/**
 * Whether `module.Name` can reach a top-level declaration: in Python any; in TS/JS an exported one
 * (`export …`, `exports.X =`), so `suite.title` is not tap.js's private `function title`; in Go
 * a capitalized one.
 */
function exported(site: Site, languageId: string): boolean {
  if (languageId === 'python') return true;
  if (languageId === 'go') return /^[A-Z]/.test(site.name);
  return /^\s*(?:export\b|(?:module\.)?exports\.)/.test(site.text);
}

/**
 * The needs of a line of code (the caller checks it is one: codeLines). A name is a need when
 * - the line is not skipped (SKIPPED_LINE) and declares nothing itself (a `def`, a method, a class);
 * - the name is used, not declared by the line (a parameter, a target, an object key, a keyword
 *   argument: uses.ts usesOn);
 * - it has 3 characters or more, is not a dunder, not one of the file's own names (ownNames) and
 *   not a name of the language's runtime or standard library (builtins.ts);
 * - another file of the project declares it, and at most MAX_DEFINING_FILES files do;
 * - the use can reach one of those declarations (reaches); those are the need's sites.
 */
function needsOf(line: string, languageId: string, index: DefinitionIndex, path: string, objects: ObjectNames): Need[] {
  const { own } = objects;
  if (SKIPPED_LINE.test(line) || declaredOn(line, languageId) !== undefined) return [];
  const builtins = builtinNames(languageId);
  const needs = new Map<string, Need>();
  for (const use of usesOn(line, languageId)) {
    const { name } = use;
    if (needs.has(name) || name.length < 3 || name.startsWith('__') || own.has(name) || builtins.has(name)) continue;
    const elsewhere = (index.get(name) ?? []).filter((site) => site.path !== path);
    if (new Set(elsewhere.map((s) => s.path)).size > MAX_DEFINING_FILES) continue;
    const sites = elsewhere.filter((site) => reaches(use, site, languageId, objects));
    if (sites.length > 0) needs.set(name, { name, sites });
  }
  return [...needs.values()];
}

/**
 * The names that can be needs, each with the files declaring it (more than 0, at most
 * MAX_DEFINING_FILES): what the context-dependent oracle of `npm run bench` is told.
 */
export function needableDefinitions(project: Project): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, sites] of buildIndex(project.files, project.languageId)) {
    const paths = [...new Set(sites.map((site) => site.path))];
    if (name.length >= 3 && !name.startsWith('__') && paths.length <= MAX_DEFINING_FILES) out.set(name, paths);
  }
  return out;
}

/** The 0-based lines of the project's file `path` whose code needs declarations of other files, with the names. */
export function linesNeedingOtherFiles(project: Project, path: string): Map<number, string[]> {
  const text = project.files.get(path) ?? '';
  const index = buildIndex(project.files, project.languageId);
  const objects = { own: ownNames(text, project.languageId), imported: importBoundNames(text, project.languageId) };
  const code = codeLines(text, project.languageId);
  const lines = new Map<number, string[]>();
  text.split('\n').forEach((line, i) => {
    if (!code[i]) return;
    const needs = needsOf(line, project.languageId, index, path, objects);
    if (needs.length > 0) lines.set(i, needs.map((need) => need.name));
  });
  return lines;
}

interface Candidate {
  readonly path: string;
  readonly line: number;
  readonly text: string;
  readonly needs: Need[];
}

function candidatesOf(project: Project, index: DefinitionIndex): Candidate[] {
  const out: Candidate[] = [];
  for (const [path, text] of project.files) {
    const objects = { own: ownNames(text, project.languageId), imported: importBoundNames(text, project.languageId) };
    const code = codeLines(text, project.languageId);
    text.split('\n').forEach((line, i) => {
      if (i < 3 || !code[i]) return;
      const needs = needsOf(line, project.languageId, index, path, objects);
      if (needs.length > 0) out.push({ path, line: i, text: line, needs });
    });
  }
  return out;
}

export function shuffle<T>(items: readonly T[], random: SeededRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function pickOne<T>(items: readonly T[], random: SeededRandom): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random.next() * items.length)];
}

/** Up to `perProject` points of each project, at most MAX_POINTS_PER_FILE per file, from `seed`. */
export function choosePoints(projects: readonly Project[], perProject: number, seed: number): Point[] {
  const random = new SeededRandom(seed);
  const points: Point[] = [];
  for (const project of projects) {
    const perFile = new Map<string, number>();
    let taken = 0;
    for (const candidate of shuffle(candidatesOf(project, buildIndex(project.files, project.languageId)), random)) {
      if (taken >= perProject) break;
      if ((perFile.get(candidate.path) ?? 0) >= MAX_POINTS_PER_FILE) continue;
      perFile.set(candidate.path, (perFile.get(candidate.path) ?? 0) + 1);
      points.push(withEditorState(project, candidate, random));
      taken++;
    }
  }
  return points;
}

/** Files other than the current one whose text mentions none of `names`. */
function unrelatedFiles(project: Project, exclude: ReadonlySet<string>, names: readonly string[]): string[] {
  const words = names.map((name) => new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`));
  return [...project.files].filter(([path, text]) => !exclude.has(path) && !words.some((w) => w.test(text))).map(([path]) => path);
}

function withEditorState(project: Project, candidate: Candidate, random: SeededRandom): Point {
  const need = candidate.needs[0];
  const definingPaths = new Set(candidate.needs.flatMap((n) => n.sites.map((s) => s.path)));
  const draw = random.next();
  let scenario: Scenario = draw < 1 / 3 ? 'defining file open' : draw < 2 / 3 ? 'a file using it open' : 'neither open';
  let related: string | undefined = scenario === 'defining file open' ? need.sites[0].path : undefined;
  if (scenario === 'a file using it open') {
    const word = new RegExp(`\\b${need.name.replace(/\$/g, '\\$')}\\b`);
    const users = [...project.files].filter(([path, text]) => path !== candidate.path && !definingPaths.has(path) && word.test(text));
    related = pickOne(users, random)?.[0];
    if (related === undefined) scenario = 'neither open';
  }
  const exclude = new Set([candidate.path, ...definingPaths, ...(related ? [related] : [])]);
  const unrelated = shuffle(unrelatedFiles(project, exclude, candidate.needs.map((n) => n.name)), random).slice(0, 2);
  const openTabs = shuffle([...(related ? [related] : []), ...unrelated], random);
  const { edits, editedDefinition } = editsFor(project, openTabs, need, random);
  const indent = /^\s*/.exec(candidate.text)![0];
  return {
    project, path: candidate.path, languageId: project.languageId, line: candidate.line, indent, trueLine: candidate.text,
    needs: candidate.needs, scenario, openTabs, edits, editedDefinition,
  };
}

/** Three edits at random lines of the tabs; a quarter of the time one of them is the declaration's line. */
function editsFor(project: Project, tabs: readonly string[], need: Need, random: SeededRandom): { edits: EditRecord[]; editedDefinition: boolean } {
  const edits: EditRecord[] = [];
  const files = tabs.length > 0 ? tabs : [...project.files.keys()];
  for (let i = 0; i < 3; i++) {
    const path = pickOne(files, random)!;
    const lineCount = project.files.get(path)?.split('\n').length ?? 1;
    const startLine = Math.floor(random.next() * lineCount);
    edits.push({ path, languageId: project.languageId, startLine, endLine: startLine, at: i });
  }
  const editedDefinition = random.next() < 0.25;
  if (editedDefinition) {
    const site = need.sites[0];
    edits.splice(Math.floor(random.next() * 3), 1, { path: site.path, languageId: project.languageId, startLine: site.line, endLine: site.line, at: 0 });
  }
  return { edits: edits.map((edit, i) => ({ ...edit, at: i })), editedDefinition };
}
