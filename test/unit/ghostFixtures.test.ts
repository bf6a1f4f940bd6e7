import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixtureRequest, readTextFixtures } from './helpers/fixtures';
import { accept, answer, makeEngine, ScriptedBackend } from './helpers/harness';

/**
 * Golden fixtures: a document with a cursor marker, the model's raw output, and the exact document
 * after Tab. Each runs through the engine, the same path the provider uses.
 */
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/ghost');

describe('splice fixtures (document + model output -> document after Tab)', () => {
  const fixtures = readTextFixtures(FIXTURES);

  it('has fixtures to run', () => assert.ok(fixtures.length >= 15, `only ${fixtures.length} fixtures`));

  for (const fixture of fixtures) {
    const expected = fixture.section('expected');
    it(`${fixture.name}: ${fixture.title}`, async () => {
      const { request, toEol } = fixtureRequest(fixture);
      const settings = {
        debounceMs: 0,
        ...(fixture.options.maxLines ? { maxLines: Number(fixture.options.maxLines) } : {}),
      };
      const { engine } = makeEngine(new ScriptedBackend([answer(fixture.section('model'))]), settings);
      const suggestion = await engine.complete(request, new AbortController().signal);
      if (expected === '(none)') {
        assert.equal(suggestion, undefined);
        return;
      }
      assert.ok(suggestion, 'expected a suggestion');
      assert.equal(accept(request.text, request.offset, suggestion), toEol(expected));
    });
  }
});
