import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { accept, answer, makeEngine, requestFor, ScriptedBackend } from './helpers/harness';

/**
 * Golden fixtures: a document with a cursor marker, the model's raw output, and the exact document
 * after Tab. Each runs through the engine, the same path the provider uses.
 */
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/splice');

interface SpliceFixture {
  readonly name: string;
  readonly title: string;
  readonly document: string;
  readonly model: string;
  readonly expected: string | undefined;
  readonly options: Record<string, string>;
}

function readFixture(file: string): SpliceFixture {
  const source = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  const sections = source.split(/^=== (document|model|expected)\n/m);
  const header = sections[0].split('\n').filter(Boolean);
  const options: Record<string, string> = {};
  for (const line of header.slice(1)) {
    const [key, ...value] = line.split(':');
    options[key.trim()] = value.join(':').trim();
  }
  const section = (name: string) => {
    const index = sections.indexOf(name);
    if (index < 0) throw new Error(`${file}: missing === ${name}`);
    return sections[index + 1].replace(/\n$/, '');
  };
  const expected = section('expected');
  return {
    name: file.replace(/\.txt$/, ''),
    title: header[0].replace(/^#\s*/, ''),
    document: section('document'),
    model: section('model'),
    expected: expected === '(none)' ? undefined : expected,
    options,
  };
}

describe('splice fixtures (document + model output -> document after Tab)', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();

  it('has fixtures to run', () => assert.ok(files.length >= 15, `only ${files.length} fixtures`));

  for (const file of files) {
    const fixture = readFixture(file);
    it(`${fixture.name}: ${fixture.title}`, async () => {
      const crlf = fixture.options.eol === 'crlf';
      const toEol = (text: string) => (crlf ? text.replace(/\n/g, '\r\n') : text);
      const [indentKind, indentSize] = (fixture.options.indent ?? 'spaces 4').split(/\s+/);
      const request = requestFor(toEol(fixture.document), {
        eol: crlf ? '\r\n' : '\n',
        useTabs: indentKind === 'tabs',
        indentSize: Number(indentSize),
      });
      const settings = {
        debounceMs: 0,
        ...(fixture.options.maxLines ? { maxLines: Number(fixture.options.maxLines) } : {}),
      };
      const { engine } = makeEngine(new ScriptedBackend([answer(fixture.model)]), settings);
      const suggestion = await engine.complete(request, new AbortController().signal);
      if (fixture.expected === undefined) {
        assert.equal(suggestion, undefined);
        return;
      }
      assert.ok(suggestion, 'expected a suggestion');
      assert.equal(accept(request.text, request.offset, suggestion), toEol(fixture.expected));
    });
  }
});
