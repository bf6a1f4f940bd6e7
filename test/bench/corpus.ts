// Real source files nobody here wrote, from packages this machine installs anyway: npm packages
// pinned by package-lock.json, and Debian packages that every Node machine of ours has.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linesNeedingOtherFiles } from './context/points';
import { findProjects, type Project } from './context/projects';

export interface CorpusFile {
  /** Where it came from, for the report. */
  readonly source: string;
  readonly path: string;
  readonly languageId: string;
  /** The whole file, LF line endings. */
  readonly text: string;
  /** The stretch the typist writes: text[start, end) is removed, then typed back. */
  readonly start: number;
  readonly end: number;
  readonly useTabs: boolean;
}

const ROOT = path.resolve(__dirname, '../../..');

interface Candidate {
  readonly source: string;
  readonly languageId: string;
  readonly find: () => string | undefined;
}

const CANDIDATES: readonly Candidate[] = [
  { source: 'npm openai (src/client.ts)', languageId: 'typescript', find: () => inRoot('node_modules/openai/src/client.ts') },
  { source: 'npm mocha (lib/runner.js)', languageId: 'javascript', find: () => inRoot('node_modules/mocha/lib/runner.js') },
  { source: "Python's standard library (textwrap.py)", languageId: 'python', find: pythonStdlib('textwrap.py') },
  { source: 'Debian gzip (/usr/bin/zgrep)', languageId: 'shellscript', find: () => existing('/usr/bin/zgrep') },
  { source: 'Debian perl-modules (Text/Wrap.pm)', languageId: 'perl', find: perlModule('Text/Wrap.pm') },
];

/**
 * The files to type, each with a stretch of about `chars` characters of whole lines starting a
 * little before the middle of the file (so the prefix is longer than the prompt window). A
 * candidate missing on this machine is skipped and named in `missing`.
 */
export function loadCorpus(chars: number): { files: CorpusFile[]; missing: string[] } {
  const files: CorpusFile[] = [];
  const missing: string[] = [];
  for (const candidate of CANDIDATES) {
    const file = candidate.find();
    if (!file) {
      missing.push(candidate.source);
      continue;
    }
    const text = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    const { start, end } = stretch(text, chars);
    const indented = text.split('\n').filter((line) => /^[ \t]/.test(line));
    const useTabs = indented.filter((line) => line.startsWith('\t')).length > indented.length / 2;
    files.push({ source: candidate.source, path: file, languageId: candidate.languageId, text, start, end, useTabs });
  }
  return { files, missing };
}

/** Whole lines from the first line start past 45% of the file, about `chars` long, ending before a line break. */
function stretch(text: string, chars: number): { start: number; end: number } {
  let start = text.indexOf('\n', Math.floor(text.length * 0.45)) + 1;
  // Begin on a line with code, not in a run of blank lines.
  while (start < text.length && text[start] === '\n') start++;
  let end = text.indexOf('\n', Math.min(text.length - 1, start + chars));
  if (end < 0) end = text.length;
  return { start, end };
}

function inRoot(relative: string): string | undefined {
  return existing(path.join(ROOT, relative));
}

function existing(file: string): string | undefined {
  return fs.existsSync(file) ? file : undefined;
}

function pythonStdlib(name: string): () => string | undefined {
  return () => {
    try {
      const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
      return existing(path.join(stdlib, name));
    } catch {
      return undefined;
    }
  };
}

function perlModule(name: string): () => string | undefined {
  return () => {
    const base = '/usr/share/perl';
    if (!fs.existsSync(base)) return undefined;
    for (const version of fs.readdirSync(base).sort().reverse()) {
      const file = existing(path.join(base, version, name));
      if (file) return file;
    }
    return undefined;
  };
}

/**
 * A typed file with the project it belongs to, for the row "correct suggestions with and without
 * context". The files above are single files of unrelated projects: nothing in one is declared in
 * another, so project context could not matter there. These are files of multi-file projects,
 * each typed over the stretch where its lines use the most names declared in other files of the
 * project (read at run time, like the files above).
 */
export interface ProjectCorpusFile extends CorpusFile {
  readonly project: Project;
  /** The file's path in its project (`path` is absolute). */
  readonly relative: string;
  /** Lines of the stretch using a name declared in another file of the project and absent from the 6000 characters before the stretch. */
  readonly linesNeedingContext: number;
}

/** Project (by the start of its name in projects.ts) and the file typed in it. */
const PROJECT_FILES: readonly (readonly [project: string, file: string])[] = [
  ['npm openai', 'src/client.ts'],
  ['npm mocha', 'lib/runner.js'],
  ['Python', 'email/feedparser.py'],
];

export function loadProjectCorpus(chars: number): { files: ProjectCorpusFile[]; missing: string[] } {
  const { projects } = findProjects();
  const files: ProjectCorpusFile[] = [];
  const missing: string[] = [];
  for (const [name, relative] of PROJECT_FILES) {
    const project = projects.find((p) => p.name.startsWith(name) && p.files.has(relative));
    if (!project) {
      missing.push(`${name} (${relative})`);
      continue;
    }
    const text = project.files.get(relative)!;
    const needing = linesNeedingOtherFiles(project, relative);
    const { start, end, count } = busiestStretch(text, needing, chars);
    const source = `${project.name} ${relative}`;
    files.push({ source, path: path.join(project.root, relative), languageId: project.languageId, text, start, end, useTabs: false, project, relative, linesNeedingContext: count });
  }
  return { files, missing };
}

/**
 * Whole lines, about `chars` long, starting at a line that needs context past 25% of the file: the
 * stretch with the most lines using a name that the 6000 characters before it (the prompt window
 * at its start) do not hold, so that context can matter.
 */
function busiestStretch(text: string, needing: ReadonlyMap<number, readonly string[]>, chars: number): { start: number; end: number; count: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  let best = { ...stretch(text, chars), count: 0 };
  for (const line of needing.keys()) {
    const start = starts[line];
    if (start < text.length * 0.25) continue;
    let end = text.indexOf('\n', Math.min(text.length - 1, start + chars));
    if (end < 0) end = text.length;
    const before = text.slice(Math.max(0, start - 6000), start);
    const unseen = (name: string) => !new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(before);
    const count = [...needing].filter(([other, names]) => starts[other] >= start && starts[other] < end && names.some(unseen)).length;
    if (count > best.count) best = { start, end, count };
  }
  return best;
}
