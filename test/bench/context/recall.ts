// Recall, size and gather time of project context at every point, for one set of sources and a budget.
import { renderContext } from '../../../src/core/prompt';
import type { ContextSnippet, ContextSourceName } from '../../../src/core/context/types';
import { countTokens } from '../../simulator/server';
import { FileCache, fsProjectAccess } from './access';
import { documentAt, newProjectContext, recalled, recentEditsOf, requestAt, settingsFor } from './gather';
import { hasLanguageService, ProjectLanguageService } from './languageService';
import type { Point, Scenario } from './points';
import type { Project } from './projects';

export interface Configuration {
  readonly label: string;
  readonly sources: ReadonlySet<ContextSourceName>;
  readonly budget: number;
}

export interface PointResult {
  readonly point: Point;
  readonly recalled: boolean;
  /** What the selection costs against the budget (snippetCost: text, path and label). */
  readonly chars: number;
  /** Tokens of the rendered context (renderContext), by the simulator's tokenizer. */
  readonly tokens: number;
  readonly gatherMs: number;
  readonly snippets: number;
  /** What the gather selected (for `--misses`). */
  readonly selected: readonly ContextSnippet[];
}

export interface ConfigurationResult {
  readonly configuration: Configuration;
  readonly points: readonly PointResult[];
}

/** One file cache per project root, shared by every configuration (an editor's documents stay loaded). */
const caches = new Map<string, FileCache>();

export function cacheFor(root: string): FileCache {
  let cache = caches.get(root);
  if (!cache) caches.set(root, (cache = new FileCache(root)));
  return cache;
}

/** One language service per TS/JS project, shared by every configuration; undefined for the others. */
const services = new Map<Project, ProjectLanguageService>();

export function languageServiceFor(project: Project): ProjectLanguageService | undefined {
  if (!hasLanguageService(project.languageId)) return undefined;
  let service = services.get(project);
  if (!service) services.set(project, (service = new ProjectLanguageService(project, cacheFor(project.root))));
  return service;
}

async function atPoint(point: Point, configuration: Configuration): Promise<PointResult> {
  const language = configuration.sources.has('definitions') ? languageServiceFor(point.project) : undefined;
  const access = fsProjectAccess(cacheFor(point.project.root), point.openTabs, language);
  const context = newProjectContext(access, recentEditsOf(point), settingsFor(configuration.sources, configuration.budget));
  const { text } = documentAt(point);
  const started = performance.now();
  const selection = await context.gather(requestAt(point, text));
  const gatherMs = performance.now() - started;
  context.dispose();
  // Requests the time limit left queued are dropped, not answered during the next point's gather.
  language?.cancel();
  const rendered = renderContext(selection.snippets);
  return {
    point,
    recalled: recalled(selection.snippets, point),
    chars: selection.chars,
    tokens: rendered === '' ? 0 : countTokens(rendered),
    gatherMs,
    snippets: selection.snippets.length,
    selected: selection.snippets,
  };
}

export async function measure(points: readonly Point[], configuration: Configuration): Promise<ConfigurationResult> {
  const results: PointResult[] = [];
  for (const point of points) results.push(await atPoint(point, configuration));
  return { configuration, points: results };
}

export function share(results: readonly PointResult[], test: (r: PointResult) => boolean): number {
  return results.length === 0 ? 0 : results.filter(test).length / results.length;
}

export function byScenario(results: readonly PointResult[]): Map<Scenario | 'declaration edited', PointResult[]> {
  const groups = new Map<Scenario | 'declaration edited', PointResult[]>();
  for (const result of results) {
    const keys: (Scenario | 'declaration edited')[] = [result.point.scenario];
    if (result.point.editedDefinition) keys.push('declaration edited');
    for (const key of keys) groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return groups;
}
