// Prints, per fixture category, how many ghost-text fixtures there are and how many come out exactly
// right through Qwen Inline's pipeline and through a naive splice (the raw model output pasted at the
// cursor), as a Markdown table. Run with `npm run fixtures:report`.
import { CATEGORIES, expectedResult, fixtureCategories, naiveSplice, readGhostFixtures, runGhostFixture } from './unit/helpers/ghostFixtures';

interface Tally {
  fixtures: number;
  pipelineRight: number;
  naiveRight: number;
}

async function main(): Promise<void> {
  const tallies = new Map<string, Tally>(CATEGORIES.map((category) => [category, { fixtures: 0, pipelineRight: 0, naiveRight: 0 }]));
  const all: Tally = { fixtures: 0, pipelineRight: 0, naiveRight: 0 };
  for (const fixture of readGhostFixtures()) {
    const expected = expectedResult(fixture);
    const pipelineRight = (await runGhostFixture(fixture)) === expected;
    const naiveRight = naiveSplice(fixture) === expected;
    for (const tally of [all, ...fixtureCategories(fixture).map((category) => tallies.get(category)!)]) {
      tally.fixtures++;
      if (pipelineRight) tally.pipelineRight++;
      if (naiveRight) tally.naiveRight++;
    }
  }
  const share = (right: number, of: number) => (of === 0 ? '-' : `${right}/${of} (${Math.round((100 * right) / of)} %)`);
  const rows = [...tallies.entries(), ['all fixtures', all] as const];
  console.log('| category | fixtures | Qwen Inline right | naive splice right |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [category, tally] of rows) {
    console.log(`| ${category} | ${tally.fixtures} | ${share(tally.pipelineRight, tally.fixtures)} | ${share(tally.naiveRight, tally.fixtures)} |`);
  }
}

void main();
