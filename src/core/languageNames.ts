// Language ids ("typescriptreact", "cpp") are what settings and VS Code's API speak; a person reads
// the names VS Code shows in its language picker. VS Code has no API for those names, so the common
// ones are listed here. Names of languages are the same in every display language (VS Code does not
// translate them either), so they do not go through t().

/** VS Code's language ids and the names its language picker shows for them. */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  bat: 'Batch',
  c: 'C',
  clojure: 'Clojure',
  coffeescript: 'CoffeeScript',
  cpp: 'C++',
  csharp: 'C#',
  css: 'CSS',
  cuda: 'CUDA C++',
  'cuda-cpp': 'CUDA C++',
  dart: 'Dart',
  diff: 'Diff',
  dockerfile: 'Docker',
  elixir: 'Elixir',
  erlang: 'Erlang',
  fsharp: 'F#',
  go: 'Go',
  graphql: 'GraphQL',
  groovy: 'Groovy',
  haskell: 'Haskell',
  html: 'HTML',
  ini: 'Ini',
  java: 'Java',
  javascript: 'JavaScript',
  javascriptreact: 'JavaScript React',
  json: 'JSON',
  jsonc: 'JSON with Comments',
  jsonl: 'JSON Lines',
  julia: 'Julia',
  kotlin: 'Kotlin',
  latex: 'LaTeX',
  less: 'Less',
  lua: 'Lua',
  makefile: 'Makefile',
  markdown: 'Markdown',
  'objective-c': 'Objective-C',
  'objective-cpp': 'Objective-C++',
  ocaml: 'OCaml',
  perl: 'Perl',
  php: 'PHP',
  plaintext: 'Plain Text',
  powershell: 'PowerShell',
  properties: 'Properties',
  python: 'Python',
  r: 'R',
  razor: 'Razor',
  ruby: 'Ruby',
  rust: 'Rust',
  scala: 'Scala',
  scminput: 'Source Control Input',
  scss: 'SCSS',
  shellscript: 'Shell Script',
  sql: 'SQL',
  svelte: 'Svelte',
  swift: 'Swift',
  tex: 'TeX',
  toml: 'TOML',
  typescript: 'TypeScript',
  typescriptreact: 'TypeScript React',
  vb: 'Visual Basic',
  vue: 'Vue',
  xml: 'XML',
  xsl: 'XSL',
  yaml: 'YAML',
  zig: 'Zig',
};

/**
 * The name a person knows a language by: "Python" for "python", "TypeScript React" for
 * "typescriptreact"; an id not listed gets a capital first letter ("nim" becomes "Nim").
 */
export function languageName(languageId: string): string {
  const known = Object.prototype.hasOwnProperty.call(LANGUAGE_NAMES, languageId) ? LANGUAGE_NAMES[languageId] : undefined;
  return known ?? languageId.charAt(0).toUpperCase() + languageId.slice(1);
}
