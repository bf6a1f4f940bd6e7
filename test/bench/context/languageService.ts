// A real language server for TS/JS in Node: TypeScript's language service (node_modules/typescript)
// over a project's files, answering ProjectAccess.definitions as VS Code's definition and
// type-definition providers do in the extension (src/context/), so the definitions source is
// measured here too. Python and Go have none here: their points get no `definitions`.
import * as path from 'node:path';
import * as ts from 'typescript';
import type { ContextQuery, DefinitionSite } from '../../../src/core/context/types';
import type { FileCache } from './access';
import type { Project } from './projects';

/** The languages this service answers for. */
export function hasLanguageService(languageId: string): boolean {
  return languageId === 'typescript' || languageId === 'javascript';
}

/**
 * Lenient options that resolve the packages' own imports: `./x`, `./x.js` meaning `./x.ts`
 * (bundler resolution), `require('./x')` in JS; no emit, no automatic @types (each would be
 * loaded into every program), lib.d.ts checked no further than a definition request needs.
 */
const OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: [],
  jsx: ts.JsxEmit.Preserve,
};

/**
 * One language service per project, reused across points: the project's files are read from the
 * FileCache (unchanged), except the current document, whose text is the query's (the file with
 * the point's line blanked). Moving to another point changes that one snapshot, so the next
 * program reuses every other file's parse (incremental, as tsserver is after the first load).
 */
export class ProjectLanguageService {
  private readonly service: ts.LanguageService;
  private readonly root: string;
  private readonly fileNames: string[];
  /** The current document: absolute path, text, and the TextLines it was built from. */
  private current: { file: string; text: string; lines: ContextQuery['lines'] } | undefined;
  private readonly versions = new Map<string, number>();
  /** Bumped by cancel(): requests queued before it answer [] without working (a gather that timed out). */
  private generation = 0;
  /** Each request's time, in ms (what one definition + type-definition request costs). */
  readonly requestMs: number[] = [];

  constructor(project: Project, private readonly cache: FileCache) {
    this.root = path.resolve(project.root);
    this.fileNames = [...project.files.keys()].map((file) => path.join(this.root, file));
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => this.fileNames,
      getScriptVersion: (file) => String(this.versions.get(file) ?? 0),
      getScriptSnapshot: (file) => {
        const text = this.textOf(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => this.root,
      getCompilationSettings: () => OPTIONS,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (file) => this.textOf(file) !== undefined,
      readFile: (file) => this.textOf(file),
      readDirectory: (dir, extensions, exclude, include, depth) => ts.sys.readDirectory(dir, extensions, exclude, include, depth),
      directoryExists: (dir) => ts.sys.directoryExists(dir),
      getDirectories: (dir) => ts.sys.getDirectories(dir),
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /**
   * Builds the program and answers one request (at the first identifier of the project's first
   * file), as a language server has done by the time the user types: the first request of a
   * project takes seconds, which the gather's 750 ms would cut. Returns how long that took.
   */
  warm(): number {
    const started = performance.now();
    const first = this.fileNames[0];
    const text = this.textOf(first) ?? '';
    const at = Math.max(0, text.search(/[A-Za-z_$][\w$]*\s*\(/));
    this.service.getDefinitionAtPosition(first, at);
    return performance.now() - started;
  }

  /** Drops the requests still queued (their gather is over). */
  cancel(): void {
    this.generation++;
  }

  /** ProjectAccess.definitions: answered on a later turn of the event loop, as a server's answer comes. */
  async definitions(query: ContextQuery, line: number, character: number): Promise<readonly DefinitionSite[]> {
    const generation = this.generation;
    await new Promise((resolve) => setImmediate(resolve));
    if (generation !== this.generation) return [];
    const started = performance.now();
    try {
      return this.sitesAt(query, line, character);
    } finally {
      this.requestMs.push(performance.now() - started);
    }
  }

  private sitesAt(query: ContextQuery, line: number, character: number): DefinitionSite[] {
    const file = path.join(this.root, query.path);
    this.setCurrent(file, query.lines);
    const text = this.current!.text;
    let position = 0;
    for (let i = 0; i < line && i < query.lines.lineCount; i++) position += query.lines.lineAt(i).length + 1;
    position = Math.min(position + character, text.length);
    const found = [...(this.service.getDefinitionAtPosition(file, position) ?? []), ...(this.service.getTypeDefinitionAtPosition(file, position) ?? [])];
    const program = this.service.getProgram();
    const sites: DefinitionSite[] = [];
    const seen = new Set<string>();
    for (const info of found) {
      const relative = this.inside(info.fileName);
      const source = program?.getSourceFile(info.fileName);
      if (relative === undefined || source === undefined) continue;
      const site = { path: relative, line: source.getLineAndCharacterOfPosition(info.textSpan.start).line };
      const key = `${site.path}:${site.line}`;
      if (!seen.has(key)) seen.add(key), sites.push(site);
    }
    return sites;
  }

  /** The document at the point becomes the current file's text; the previous current file is itself again. */
  private setCurrent(file: string, lines: ContextQuery['lines']): void {
    if (this.current?.file === file && this.current.lines === lines) return;
    const text = Array.from({ length: lines.lineCount }, (_, i) => lines.lineAt(i)).join('\n');
    if (this.current !== undefined && this.current.file !== file) this.bump(this.current.file);
    if (this.current?.file !== file || this.current.text !== text) this.bump(file);
    this.current = { file, text, lines };
  }

  private bump(file: string): void {
    this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
  }

  private textOf(file: string): string | undefined {
    if (this.current?.file === file) return this.current.text;
    const relative = this.inside(file);
    if (relative !== undefined) return this.cache.read(relative)?.text;
    return ts.sys.readFile(file);
  }

  /** The workspace-relative path of a file inside the project's root and not in a node_modules; else undefined. */
  private inside(file: string): string | undefined {
    const relative = path.relative(this.root, path.resolve(this.root, file));
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    if (relative.split(path.sep).includes('node_modules')) return undefined;
    return relative.split(path.sep).join('/');
  }
}
