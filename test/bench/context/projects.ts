// Real multi-file projects nobody here wrote, found on this machine at run time: TypeScript and
// JavaScript sources shipped in npm packages pinned by package-lock.json (so a clean clone after
// `npm ci` has them), packages of Debian's Python standard library, and Go's sources when installed.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Project {
  /** For the report. */
  readonly name: string;
  readonly languageId: string;
  /** The workspace folder: paths are relative to it (Python's stdlib root, so `email.utils` resolves). */
  readonly root: string;
  /** The project's files, root-relative with '/' separators, LF line endings. */
  readonly files: ReadonlyMap<string, string>;
}

const REPO = path.resolve(__dirname, '../../../..');
/** Files larger than this are left out (generated tables, vendored bundles). */
const MAX_FILE_BYTES = 300_000;
const PYTHON_PACKAGES = ['email', 'json', 'http', 'asyncio', 'importlib', 'urllib', 'logging'];
const GO_PACKAGES = ['net/http', 'go/types', 'encoding/json'];

interface Candidate {
  readonly name: string;
  readonly languageId: string;
  readonly root: string;
  readonly dir: string;
  readonly extension: RegExp;
  /** Go packages are one folder each; the others include their subfolders. */
  readonly recursive: boolean;
}

function npm(name: string, dir: string, languageId: string, extension: RegExp): Candidate {
  return { name: `npm ${name} (${dir}/)`, languageId, root: path.join(REPO, 'node_modules', name), dir, extension, recursive: true };
}

/** The newest /usr/lib/python3.N holding the stdlib (Debian's, not a pyenv one: the same on every machine). */
function pythonRoot(): string | undefined {
  const base = '/usr/lib';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((name) => /^python3\.\d+$/.test(name)) : [];
  versions.sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
  return versions.map((v) => path.join(base, v)).find((dir) => fs.existsSync(path.join(dir, 'email', '__init__.py')));
}

/** /usr/lib/go*\/src or /usr/share/go*\/src, newest first. */
export function goRoot(): string | undefined {
  for (const base of ['/usr/lib', '/usr/share']) {
    if (!fs.existsSync(base)) continue;
    const found = fs.readdirSync(base).filter((name) => /^go(-[\d.]+)?$/.test(name)).sort().reverse();
    for (const name of found) if (fs.existsSync(path.join(base, name, 'src', 'net', 'http'))) return path.join(base, name, 'src');
  }
  return undefined;
}

function candidates(): { list: Candidate[]; missing: string[] } {
  const TS = /(?<!\.d)\.ts$/;
  const list = [
    npm('openai', 'src', 'typescript', TS),
    npm('@stryker-mutator/core', 'src', 'typescript', TS),
    npm('rxjs', 'src/internal', 'typescript', TS),
    npm('mocha', 'lib', 'javascript', /\.js$/),
  ];
  const missing: string[] = [];
  const python = pythonRoot();
  if (python) for (const pkg of PYTHON_PACKAGES) list.push({ name: `Python ${path.basename(python)} ${pkg}/`, languageId: 'python', root: python, dir: pkg, extension: /\.py$/, recursive: true });
  else missing.push("Python's standard library (/usr/lib/python3.*: apt-get install python3)");
  const go = goRoot();
  if (go) for (const pkg of GO_PACKAGES) list.push({ name: `Go ${pkg}`, languageId: 'go', root: go, dir: pkg, extension: /(?<!_test)\.go$/, recursive: false });
  else missing.push('Go sources (/usr/lib/go*/src, /usr/share/go*/src: apt-get install golang-go)');
  return { list, missing };
}

function walk(root: string, dir: string, candidate: Candidate, out: Map<string, string>): void {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory() && candidate.recursive && entry.name !== 'node_modules' && entry.name !== '__pycache__') walk(root, relative, candidate, out);
    else if (entry.isFile() && candidate.extension.test(entry.name)) {
      const file = path.join(root, relative);
      if (fs.statSync(file).size <= MAX_FILE_BYTES) out.set(relative, fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n'));
    }
  }
}

/** The projects on this machine, and what was looked for and not found. */
export function findProjects(): { projects: Project[]; missing: string[] } {
  const { list, missing } = candidates();
  const projects: Project[] = [];
  for (const candidate of list) {
    if (!fs.existsSync(path.join(candidate.root, candidate.dir))) {
      missing.push(candidate.name);
      continue;
    }
    const files = new Map<string, string>();
    walk(candidate.root, candidate.dir, candidate, files);
    if (files.size >= 3) projects.push({ name: candidate.name, languageId: candidate.languageId, root: candidate.root, files });
    else missing.push(`${candidate.name} (fewer than 3 files)`);
  }
  return { projects, missing };
}

export function languageOf(file: string): string {
  if (/\.tsx?$/.test(file)) return 'typescript';
  if (/\.[cm]?js$/.test(file)) return 'javascript';
  if (file.endsWith('.py')) return 'python';
  if (file.endsWith('.go')) return 'go';
  return 'plaintext';
}
