// One gather at a point, as the extension runs it: ProjectContext.gather over the point's editor
// state with a real clock, and whether what it selected shows the definitions the next line needs.
import { systemClock } from '../../../src/core/clock';
import type { TextLines } from '../../../src/core/document';
import { silentLogger } from '../../../src/core/logger';
import { definitionsSource, importsSource } from '../../../src/core/context/definitions';
import { openTabsSource } from '../../../src/core/context/openTabs';
import { ProjectContext, type ContextRequest } from '../../../src/core/context/projectContext';
import { RecentEdits, recentEditsSource } from '../../../src/core/context/recentEdits';
import type { ContextSnippet, ContextSource, ContextSourceName, ProjectAccess } from '../../../src/core/context/types';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/core/settings';
import { declaredOn } from './declarations';
import type { Need, Point } from './points';

/**
 * The sources measured, in one place: each gets a row alone, and all of them together the rows
 * with budgets. `edits` feeds the recent-edits source.
 */
export function contextSources(edits: RecentEdits): ContextSource[] {
  return [
    openTabsSource,
    recentEditsSource(edits),
    importsSource,
    // ProjectAccess.definitions is TypeScript's language service for TS/JS points (languageService.ts)
    // and absent for the others: this source finds nothing at Python points.
    definitionsSource,
  ];
}

/** The settings with only `enabled` sources on and `budget` characters of context. */
export function settingsFor(enabled: ReadonlySet<ContextSourceName>, budget: number): Settings {
  return {
    ...DEFAULT_SETTINGS,
    'context.enable': true,
    'context.maxChars': budget,
    'context.definitions': enabled.has('definitions'),
    'context.imports': enabled.has('imports'),
    'context.openTabs': enabled.has('openTabs'),
    'context.recentEdits': enabled.has('recentEdits'),
  };
}

/** The document at the point: the file with the point's line reduced to its indentation. */
export function documentAt(point: Point): { lines: string[]; text: TextLines } {
  const lines = point.project.files.get(point.path)!.split('\n');
  lines[point.line] = point.indent;
  return { lines, text: { lineCount: lines.length, lineAt: (line) => lines[line] } };
}

export function requestAt(point: Point, lines: TextLines, documentKey = `bench:${point.path}`): ContextRequest {
  return { documentKey, query: { path: point.path, languageId: point.languageId, lines, cursorLine: point.line }, scope: { languageId: point.languageId } };
}

export function recentEditsOf(point: Point): RecentEdits {
  const edits = new RecentEdits();
  for (const edit of point.edits) edits.record(edit);
  return edits;
}

export function newProjectContext(access: ProjectAccess, edits: RecentEdits, settings: Settings, clock = systemClock): ProjectContext {
  return new ProjectContext({ access, sources: contextSources(edits), settings: () => settings, clock, logger: silentLogger });
}

/** A line that starts (after modifiers) with `name` then `(`, `:`, `?`, `<` or ` =`: a member's signature as a summary may show it. */
function signatureLine(line: string, name: string): boolean {
  const escaped = name.replace(/\$/g, '\\$');
  return new RegExp(`^\\s*(?:(?:export|public|private|protected|static|async|readonly|abstract|declare|def|func|function|class|interface|type|const|let|var|get|set)\\s+)*\\*?${escaped}\\s*(?:\\(|:|\\?|<|=)`).test(line);
}

/**
 * Context recall for one identifier: some selected snippet comes from a file that declares it and
 * shows the declaration: its text contains the declaration's line (trimmed), or a line that the
 * index's patterns read as declaring it, or a line starting (after modifiers) with the identifier
 * followed by `(`, `:`, `?`, `<` or `=` (how a signature summary may shorten a declaration).
 */
export function showsDefinition(snippets: readonly ContextSnippet[], need: Need, languageId: string): boolean {
  return snippets.some((snippet) =>
    need.sites.some((site) => {
      if (site.path !== snippet.path) return false;
      if (snippet.text.includes(site.text.trim())) return true;
      return snippet.text.split('\n').some((line) => declaredOn(line, languageId) === need.name || signatureLine(line, need.name));
    }),
  );
}

/** Recall for a point: every identifier the next line needs has its definition shown. */
export function recalled(snippets: readonly ContextSnippet[], point: Point): boolean {
  return point.needs.every((need) => showsDefinition(snippets, need, point.languageId));
}
