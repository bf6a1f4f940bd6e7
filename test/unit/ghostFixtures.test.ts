import * as assert from 'node:assert/strict';
import { STREAM_SPLITS } from '../helpers/qwenTokens';
import { CATEGORIES, expectedResult, fixtureCategories, readGhostFixtures, runGhostFixture } from './helpers/ghostFixtures';

/**
 * Golden fixtures: a document with a cursor marker, the model's raw output (with Qwen's habits), and
 * the exact document after Tab. Each runs through the engine, the same path the provider uses, streamed
 * at every split: chunks of 1, 2, 3, 4, 7 and 17 characters, whole, and by real Qwen3 tokens.
 */
describe('ghost-text fixtures (document + model output -> document after Tab)', () => {
  const fixtures = readGhostFixtures();

  it('has at least 80 fixtures, and some in every category', () => {
    assert.ok(fixtures.length >= 80, `only ${fixtures.length} fixtures`);
    const counts = new Map<string, number>();
    for (const fixture of fixtures) for (const category of fixtureCategories(fixture)) counts.set(category, (counts.get(category) ?? 0) + 1);
    const missing = CATEGORIES.filter((category) => !counts.has(category));
    assert.deepEqual(missing, [], 'categories without a fixture');
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: ${fixture.title}`, async () => {
      assert.ok(fixture.options.language, 'every fixture names its language');
      for (const split of STREAM_SPLITS) assert.equal(await runGhostFixture(fixture, split), expectedResult(fixture), split.name);
    });
  }
});
