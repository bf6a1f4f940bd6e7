import * as path from 'node:path';
import { CURSOR } from '../../helpers/cursor';
import { fixtureRequest, readTextFixtures, type TextFixture } from './fixtures';
import { accept, answerInPieces, makeEngine, ScriptedBackend } from './harness';
import { STREAM_SPLITS, type StreamSplit } from '../../helpers/qwenTokens';

/** Ghost-text fixtures: a document with a cursor marker, the model's raw output, the document after Tab. */
export const GHOST_FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/ghost');

/** The expected section of a fixture where no suggestion should be shown. */
export const NO_SUGGESTION = '(none)';

export function readGhostFixtures(): TextFixture[] {
  return readTextFixtures(GHOST_FIXTURES);
}

const LANGUAGE_CATEGORY: Readonly<Record<string, string>> = {
  python: 'Python',
  typescript: 'TypeScript and JavaScript',
  typescriptreact: 'TypeScript and JavaScript',
  javascript: 'TypeScript and JavaScript',
  javascriptreact: 'TypeScript and JavaScript',
  go: 'Go',
  rust: 'Rust',
  java: 'Java',
  c: 'C and C++',
  cpp: 'C and C++',
  json: 'JSON',
  jsonc: 'JSON',
  yaml: 'YAML',
  markdown: 'Markdown',
  shellscript: 'shell',
};

/** Every category the issue asks fixtures for, in the order of the report. */
export const CATEGORIES: readonly string[] = [
  ...new Set(Object.values(LANGUAGE_CATEGORY)),
  'tab-indented',
  'CRLF',
  'auto-closed brackets and quotes',
  'mid-line',
  'end of file',
  'empty file',
  'very long line',
];

/** The categories a fixture belongs to, read from the fixture itself so that no label can lie. */
export function fixtureCategories(fixture: TextFixture): string[] {
  const categories: string[] = [];
  const language = LANGUAGE_CATEGORY[fixture.options.language ?? ''];
  if (language) categories.push(language);
  const marked = fixture.section('document');
  const [before, after] = marked.split(CURSOR);
  const lineSuffix = after.split('\n', 1)[0];
  if (fixture.options.indent?.startsWith('tabs')) categories.push('tab-indented');
  if (fixture.options.eol === 'crlf') categories.push('CRLF');
  if (/^[)\]}"'`]/.test(lineSuffix)) categories.push('auto-closed brackets and quotes');
  if (lineSuffix.trim() !== '') categories.push('mid-line');
  if (before.trim() === '' && after.trim() === '') categories.push('empty file');
  else if (after.trim() === '') categories.push('end of file');
  if (marked.split('\n').some((line) => line.length >= 1000)) categories.push('very long line');
  return categories;
}

/**
 * Runs a fixture through the engine, the path the provider takes: returns the document after Tab,
 * or NO_SUGGESTION when nothing is shown.
 */
export async function runGhostFixture(fixture: TextFixture, split: StreamSplit = STREAM_SPLITS[2]): Promise<string> {
  const { request } = fixtureRequest(fixture);
  const settings = {
    debounceMs: 0,
    ...(fixture.options.maxLines ? { maxLines: Number(fixture.options.maxLines) } : {}),
  };
  const { engine } = makeEngine(new ScriptedBackend([answerInPieces(split.pieces(fixture.section('model')))]), settings);
  const signal = new AbortController().signal;
  // A block shows line by line while it streams (progressive ghost text): ask again, as VS Code does
  // when told it grew, until the answer is whole. What was on screen must stay: each step extends the last.
  let completion = await engine.suggest(request, signal);
  const shown: string[] = [];
  while (completion.kind === 'shown' && completion.streaming) {
    shown.push(completion.suggestion.insertText);
    await new Promise((resolve) => setTimeout(resolve, 0));
    completion = await engine.suggest(request, signal);
  }
  const final = completion.kind === 'shown' ? completion.suggestion : undefined;
  const changed = shown.find((text) => !final || !final.insertText.startsWith(text));
  if (changed !== undefined) throw new Error(`the lines shown while streaming changed: ${JSON.stringify(changed)} -> ${JSON.stringify(final?.insertText)}`);
  return final ? accept(request.text, request.offset, final) : NO_SUGGESTION;
}

/** The expected result in the document's line endings. */
export function expectedResult(fixture: TextFixture): string {
  const expected = fixture.section('expected');
  return expected === NO_SUGGESTION ? expected : fixtureRequest(fixture).toEol(expected);
}

/** What a naive extension would leave: the raw model output (LF, as models write) pasted at the cursor. */
export function naiveSplice(fixture: TextFixture): string {
  const { request } = fixtureRequest(fixture);
  const raw = fixture.section('model');
  if (raw.trim() === '') return NO_SUGGESTION;
  return request.text.slice(0, request.offset) + raw + request.text.slice(request.offset);
}
