// `--misses N`: a sample of the points that the selection with all sources missed, printed so a
// reader can judge whether each one really needed another file (and why the sources missed it).
import { SeededRandom } from '../../simulator/server';
import { showsDefinition } from './gather';
import { shuffle } from './points';
import type { ConfigurationResult } from './recall';

export function missesReport(result: ConfigurationResult, count: number, seed: number): string {
  const missed = result.points.filter((p) => !p.recalled);
  const sample = shuffle(missed, new SeededRandom(seed)).slice(0, count);
  const out = [`${missed.length} misses of ${result.points.length} points (${result.configuration.label}); ${sample.length} of them:`];
  for (const { point, selected } of sample) {
    out.push('', `${point.project.name} ${point.path}:${point.line + 1} [${point.scenario}${point.editedDefinition ? ', declaration edited' : ''}]`);
    out.push(`  line:   ${point.trueLine.trim()}`);
    for (const need of point.needs) {
      const shown = showsDefinition(selected, need, point.languageId) ? 'shown' : 'MISSED';
      const sites = need.sites.map((s) => `${s.path}:${s.line + 1} ${s.text.trim().slice(0, 80)}`).join(' | ');
      out.push(`  need:   ${need.name} (${shown}) <- ${sites}`);
    }
    const snippets = selected.map((s) => `${s.source} ${s.path}:${s.startLine + 1}-${s.endLine + 1}`);
    out.push(`  chosen: ${snippets.join(', ') || '(nothing)'}`);
  }
  return out.join('\n');
}
