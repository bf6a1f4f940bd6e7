// Pure helpers of the VS Code adapters of project context: what a file's path and text must look
// like before a source may see it. No vscode import, so the unit tests run them in Node.

/**
 * Files larger than this are never read for context: 1 MB is about 25,000 lines of code, more than
 * any hand-written file; what is larger is generated, minified or data, says little a signature
 * would not, and splitting it on every gather would eat the gather's 750 ms. (Open documents are
 * measured in characters, files on disk in bytes; a file under the byte limit is under it in
 * characters too.)
 */
export const MAX_CONTEXT_FILE_SIZE = 1_000_000;

/**
 * Language ids of the files most projects hold, by extension: for files read from disk, which have
 * no open document to say. VS Code's own ids (https://code.visualstudio.com/docs/languages/identifiers).
 */
const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  scala: 'scala',
  cs: 'csharp',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  cu: 'cuda-cpp',
  m: 'objective-c',
  mm: 'objective-cpp',
  swift: 'swift',
  rb: 'ruby',
  php: 'php',
  lua: 'lua',
  dart: 'dart',
  sh: 'shellscript',
  bash: 'shellscript',
  sql: 'sql',
  vue: 'vue',
  svelte: 'svelte',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  md: 'markdown',
  html: 'html',
  css: 'css',
  scss: 'scss',
};

/** The language id of a file by its extension; 'plaintext' when the table does not know it. */
export function languageIdOfPath(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'plaintext';
  return LANGUAGE_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? 'plaintext';
}

/** '\n' line endings, as ProjectFile promises (CRLF and lone CR files alike). */
export function normalizeLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * The segments of a workspace-relative path ('' is the folder itself), or undefined when the path
 * could leave the folder (absolute, '..', a drive letter): a source asking for `../../.ssh/id_rsa`
 * gets nothing.
 */
export function relativePathSegments(path: string): string[] | undefined {
  const normalized = path.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) return undefined;
  const segments = normalized.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.includes('..') ? undefined : segments;
}

/** Line breaks in an inserted text: how many lines an edit added below its start. */
export function lineBreaksIn(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Whether `path` is `directory` or lies under it (both workspace-relative, '/' separators). */
export function isUnder(path: string, directory: string): boolean {
  return path === directory || path.startsWith(`${directory}/`);
}
