import * as fs from 'node:fs';
import * as path from 'node:path';
import { requestFor } from './harness';

/**
 * A golden fixture file: a `# title` line, `key: value` options, then `=== name` sections such as
 * `document` (with the cursor marker), `model` (the raw model output) and `expected`.
 */
export interface TextFixture {
  readonly name: string;
  readonly title: string;
  readonly options: Readonly<Record<string, string>>;
  section(name: string): string;
}

export function readTextFixtures(dir: string): TextFixture[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => parseTextFixture(file.replace(/\.txt$/, ''), fs.readFileSync(path.join(dir, file), 'utf8')));
}

export function parseTextFixture(name: string, source: string): TextFixture {
  const parts = source.split(/^=== ([\w-]+)\n/m);
  const header = parts[0].split('\n').filter(Boolean);
  const options: Record<string, string> = {};
  for (const line of header.slice(1)) {
    const [key, ...value] = line.split(':');
    options[key.trim()] = value.join(':').trim();
  }
  const sections = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) sections.set(parts[i], parts[i + 1].replace(/\n$/, ''));
  return {
    name,
    title: (header[0] ?? '').replace(/^#\s*/, ''),
    options,
    section(section) {
      const text = sections.get(section);
      if (text === undefined) throw new Error(`${name}: missing === ${section}`);
      return text;
    },
  };
}

/**
 * The fixture's document as a request, with its options `eol: crlf`, `indent: tabs 4` (default
 * `spaces 4`) and `language`; `toEol` writes an expected text in the document's line endings.
 */
export function fixtureRequest(fixture: TextFixture): { request: ReturnType<typeof requestFor>; toEol: (text: string) => string } {
  const crlf = fixture.options.eol === 'crlf';
  const toEol = (text: string) => (crlf ? text.replace(/\n/g, '\r\n') : text);
  const [indentKind, indentSize] = (fixture.options.indent ?? 'spaces 4').split(/\s+/);
  const request = requestFor(toEol(fixture.section('document')), {
    eol: crlf ? '\r\n' : '\n',
    useTabs: indentKind === 'tabs',
    indentSize: Number(indentSize),
    languageId: fixture.options.language,
  });
  return { request, toEol };
}
