// `npm run bench:context`: how well project context finds what the next line needs, what it costs
// in the prompt and in time, over real multi-file projects found on this machine (see projects.ts).
// Prints markdown tables for CONTRIBUTING.md. Never fails on a number; CI does not run it.
//
//   npm run bench:context [-- --points N] [--seed S]    (N points per project, default 40)
//       [--misses M]      also print M of the points all sources missed (what was needed, what was chosen)
//       [--recall-only]   only the recall tables (no typing row, no keystroke CPU): for development
//       [--budgets a,b,…] the budgets of the sweep (default 1000,2000,4000,8000,16000)
//       [--all-only]      no source alone, only all of them
//       [--misses-budget B] the misses of the sweep's budget B (default: the default budget)
//       [--only path:line,…] only these points (as `--misses` names them), and print what was sent there
import { RecentEdits } from '../../../src/core/context/recentEdits';
import type { ContextSourceName } from '../../../src/core/context/types';
import { renderContext } from '../../../src/core/prompt';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { measureCpu, cpuTable } from './cpu';
import { contextSources } from './gather';
import { choosePoints, type Point } from './points';
import { missesReport } from './misses';
import { findProjects } from './projects';
import { byScenario, languageServiceFor, measure, share, type Configuration, type ConfigurationResult, type PointResult } from './recall';
import { fixed, header, mean, percent, percentile, row } from './stats';
import { measureTyping, typingTable } from './typing';

const DEFAULT_BUDGETS = [1000, 2000, 4000, 8000, 16000];

function budgets(): number[] {
  const at = process.argv.indexOf('--budgets');
  return at < 0 ? DEFAULT_BUDGETS : process.argv[at + 1].split(',').map(Number);
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** Each source alone, then all together at the default budget and the sweep. */
function configurations(): Configuration[] {
  const names = contextSources(new RecentEdits()).map((source) => source.name);
  const budget = DEFAULT_SETTINGS['context.maxChars'];
  const all = new Set<ContextSourceName>(names);
  return [
    ...(process.argv.includes('--all-only') ? [] : names.map((name) => ({ label: name, sources: new Set<ContextSourceName>([name]), budget }))),
    { label: `all (${names.join(' + ')})`, sources: all, budget },
    ...budgets().filter((b) => b !== budget).map((b) => ({ label: `all, budget ${b}`, sources: all, budget: b })),
  ];
}

/** The language families the recall is split by. */
function familyOf(languageId: string): string {
  if (languageId === 'typescript' || languageId === 'javascript') return 'TS/JS';
  if (languageId === 'python') return 'Python';
  return languageId === 'go' ? 'Go' : languageId;
}

function recallTable(results: readonly ConfigurationResult[]): string {
  const families = [...new Set(results[0].points.map((p) => familyOf(p.point.languageId)))];
  const count = (family: string): number => results[0].points.filter((p) => familyOf(p.point.languageId) === family).length;
  const recallIn = (points: readonly PointResult[], family: string): string =>
    percent(share(points.filter((p) => familyOf(p.point.languageId) === family), (p) => p.recalled));
  const lines = header([
    'sources', 'budget (chars)', 'context recall', ...families.map((f) => `${f} (${count(f)})`), 'chars p50 / mean', 'tokens p50 / mean', 'gather p50 / p95',
  ]);
  for (const { configuration, points } of results) {
    const chars = points.map((p) => p.chars);
    const tokens = points.map((p) => p.tokens);
    const ms = points.map((p) => p.gatherMs);
    lines.push(
      row([
        configuration.label,
        String(configuration.budget),
        percent(share(points, (p) => p.recalled)),
        ...families.map((family) => recallIn(points, family)),
        `${fixed(percentile(chars, 0.5))} / ${fixed(mean(chars))}`,
        `${fixed(percentile(tokens, 0.5))} / ${fixed(mean(tokens))}`,
        `${fixed(percentile(ms, 0.5), 2)} / ${fixed(percentile(ms, 0.95), 2)} ms`,
      ]),
    );
  }
  return lines.join('\n');
}

function scenarioTable(results: readonly ConfigurationResult[]): string {
  const groups = results.map((r) => byScenario(r.points));
  const keys = [...groups[0].keys()].sort();
  const lines = header(['editor state', 'points', ...results.map((r) => r.configuration.label)]);
  for (const key of keys) {
    lines.push(row([key, String(groups[0].get(key)!.length), ...groups.map((g) => percent(share(g.get(key) ?? [], (p) => p.recalled)))]));
  }
  return lines.join('\n');
}

function describe(points: readonly Point[]): string {
  const perProject = new Map<string, number>();
  for (const point of points) perProject.set(point.project.name, (perProject.get(point.project.name) ?? 0) + 1);
  return [...perProject].map(([name, count]) => `${name}: ${count}`).join('; ');
}

async function main(): Promise<void> {
  const perProject = argument('--points', 40);
  const seed = argument('--seed', 7);
  const { projects, missing } = findProjects();
  for (const name of missing) console.log(`bench:context: skipped, not on this machine: ${name}`);
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
  const points = choosePoints(projects, perProject, seed).filter((p) => !only || only.includes(`${p.path}:${p.line + 1}`));
  console.log(`bench:context: ${points.length} points in ${projects.length} projects (${describe(points)})`);
  console.log(
    "bench:context: definitions come from TypeScript's language service, for TS/JS points only (Python has no language server here: its definitions recall is 0 by construction).",
  );
  for (const project of projects) {
    const service = points.some((p) => p.project === project) ? languageServiceFor(project) : undefined;
    if (service) console.log(`bench:context: language service for ${project.name} warmed before measuring (program built, one request answered): ${fixed(service.warm())} ms`);
  }
  const results: ConfigurationResult[] = [];
  for (const configuration of configurations()) {
    results.push(await measure(points, configuration));
    console.log(`bench:context: measured ${configuration.label} (${configuration.budget} chars)`);
  }
  const recallOnly = process.argv.includes('--recall-only');
  const typing = recallOnly ? undefined : await measureTyping(points, seed);
  const cpu = recallOnly ? undefined : await measureCpu(points);
  console.log(`\n${recallTable(results)}\n`);
  const atDefault = results.filter((r) => r.configuration.budget === DEFAULT_SETTINGS['context.maxChars']);
  console.log(`Context recall by editor state (budget ${DEFAULT_SETTINGS['context.maxChars']}):\n\n${scenarioTable(atDefault)}\n`);
  const requests = projects.flatMap((project) => languageServiceFor(project)?.requestMs ?? []);
  if (requests.length > 0) {
    const p = (q: number): string => fixed(percentile(requests, q), 1);
    console.log(`Language service (TS/JS, warmed): ${requests.length} definition + type-definition requests, p50 ${p(0.5)} / p95 ${p(0.95)} / max ${p(1)} ms each.\n`);
  }
  if (typing) console.log(`${typingTable(typing)}\n`);
  if (cpu) console.log(cpuTable(cpu));
  const misses = argument('--misses', 0);
  const missesBudget = argument('--misses-budget', DEFAULT_SETTINGS['context.maxChars']);
  const all = results.find((r) => r.configuration.label.startsWith('all') && r.configuration.budget === missesBudget);
  if (misses > 0 && all) console.log(`\n${missesReport(all, misses, seed)}`);
  if (only && all) for (const result of all.points) console.log(`\n${result.point.path}:${result.point.line + 1} (${result.recalled ? 'recalled' : 'missed'}):\n${renderContext(result.selected)}`);
}

main().catch((error) => {
  console.error('bench:context: failed:', error);
  process.exitCode = 1;
});
