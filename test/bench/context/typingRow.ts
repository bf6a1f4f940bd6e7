// `npm run bench`'s row "correct suggestions with and without context": the typist writes stretches
// of multi-file projects (corpus.ts, loadProjectCorpus) against a context-dependent oracle, which
// gets a name declared in another file of the project right only when the prompt contains it.
// Context off, then on: a ProjectContext over the project's files, gathered as the extension does
// (at once when typing starts, then GATHER_DELAY_MS after the last keystroke).
import { QwenClient } from '../../../src/api/qwenClient';
import type { CompletionBackend } from '../../../src/core/backend';
import { systemClock, type Clock } from '../../../src/core/clock';
import type { ContextRequest } from '../../../src/core/context/projectContext';
import { RecentEdits } from '../../../src/core/context/recentEdits';
import type { ContextSnippet } from '../../../src/core/context/types';
import { CompletionEngine, DEFAULT_POLICY, type CompletionRequest, type EnginePolicy } from '../../../src/core/engine';
import { silentLogger } from '../../../src/core/logger';
import { DEFAULT_SETTINGS, settingsScope, type Settings } from '../../../src/core/settings';
import { SeededRandom, startSimulator, type SimulatorOptions } from '../../simulator/server';
import type { ProjectCorpusFile } from '../corpus';
import { typeStretch, type SessionResult } from '../typist';
import { FileCache, fsProjectAccess } from './access';
import { newProjectContext, settingsFor, contextSources } from './gather';
import { needableDefinitions, shuffle } from './points';

export type EngineFactory = (
  settings: Settings,
  backend: CompletionBackend,
  policy: EnginePolicy,
  clock: Clock,
  context?: (request: CompletionRequest) => readonly ContextSnippet[],
) => { engine: CompletionEngine; dispose(): void };

export interface ContextRowRun {
  readonly label: string;
  readonly sessions: readonly SessionResult[];
  readonly requests: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
}

interface RowOptions {
  readonly apiKey: string;
  readonly model: string;
  readonly latency: SimulatorOptions['latency'];
  readonly wrongShare: number;
  readonly newEngine: EngineFactory;
  /**
   * False: the oracle answers the true text whatever the prompt holds, so context on and off type
   * the same answers and pause at the same places: what context costs in latency alone.
   */
  readonly contextDependent?: boolean;
}

/**
 * The editor state while typing: the files declaring the names the stretch uses most are open
 * (someone writing code against them usually has them open; the imports source finds them without
 * that), plus two other files of the project; three edits at random lines of those tabs.
 */
function editorState(file: ProjectCorpusFile, seed: number): { tabs: string[]; edits: RecentEdits } {
  const random = new SeededRandom(seed);
  const definitions = needableDefinitions(file.project);
  const uses = new Map<string, number>();
  for (const word of file.text.slice(file.start, file.end).match(/[A-Za-z_$][\w$]*/g) ?? []) {
    for (const declaring of definitions.get(word) ?? []) if (declaring !== file.relative) uses.set(declaring, (uses.get(declaring) ?? 0) + 1);
  }
  const defining = [...uses].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2).map(([path]) => path);
  const others = shuffle([...file.project.files.keys()].filter((p) => p !== file.relative && !defining.includes(p)), random).slice(0, 2);
  const tabs = shuffle([...defining, ...others], random);
  const edits = new RecentEdits();
  for (let i = 0; i < 3; i++) {
    const path = tabs[Math.floor(random.next() * tabs.length)];
    const line = Math.floor(random.next() * (file.project.files.get(path)?.split('\n').length ?? 1));
    edits.record({ path, languageId: file.languageId, startLine: line, endLine: line, at: i });
  }
  return { tabs, edits };
}

/** Wraps the engine's entry points so that every edit records itself and schedules a gather, as the extension's listeners do. */
function withGathers(engine: CompletionEngine, file: ProjectCorpusFile, seed: number): (request: CompletionRequest) => readonly ContextSnippet[] {
  const { tabs, edits } = editorState(file, seed);
  const all = new Set(contextSources(edits).map((s) => s.name));
  const context = newProjectContext(fsProjectAccess(new FileCache(file.project.root), tabs), edits, settingsFor(all, DEFAULT_SETTINGS['context.maxChars']));
  const toContext = (request: CompletionRequest): ContextRequest => ({
    documentKey: request.documentKey,
    query: { path: file.relative, languageId: request.languageId, lines: request.lines, cursorLine: request.position.line },
    scope: settingsScope(request),
  });
  let latest: CompletionRequest | undefined;
  const complete = engine.complete.bind(engine);
  engine.complete = (request, signal) => {
    if (latest === undefined) void context.gather(toContext(request));
    else context.schedule(() => toContext(latest!));
    latest = request;
    edits.record({ path: file.relative, languageId: file.languageId, startLine: request.position.line, endLine: request.position.line, at: systemClock.now() });
    return complete(request, signal);
  };
  return (request) => context.ready(request.documentKey, settingsScope(request));
}

async function typeOne(file: ProjectCorpusFile, contextOn: boolean, seed: number, options: RowOptions): Promise<Omit<ContextRowRun, 'label' | 'sessions'> & { session: SessionResult }> {
  const definitions = Object.fromEntries([...needableDefinitions(file.project)].map(([name, paths]) => [name, paths.map((p) => `${file.project.root}/${p}`)]));
  const files = Object.fromEntries([...file.project.files].map(([p, text]) => [`${file.project.root}/${p}`, text]));
  const dependent = options.contextDependent !== false ? { definitions } : {};
  const simulator = await startSimulator({ apiKeys: [options.apiKey], latency: options.latency, oracle: { files, maxLines: 8, wrongShare: options.wrongShare, ...dependent }, recentRequestsForCache: 50 });
  try {
    const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: simulator.baseUrl, model: options.model };
    const client = new QwenClient({ baseURL: simulator.baseUrl, apiKey: options.apiKey, logger: silentLogger });
    let ready: ((request: CompletionRequest) => readonly ContextSnippet[]) | undefined;
    const { engine, dispose } = options.newEngine(settings, client, DEFAULT_POLICY, systemClock, (request) => ready?.(request) ?? []);
    if (contextOn) ready = withGathers(engine, file, seed);
    const session = await typeStretch(file, engine, seed);
    dispose();
    await Promise.race([Promise.all(simulator.requests.map((record) => simulator.settled(record))), new Promise((resolve) => setTimeout(resolve, 5000))]);
    const records = simulator.requests.filter((record) => record.path.endsWith('/chat/completions') && record.prompt);
    const sum = (pick: (prompt: { tokens: number; cachedTokens: number }) => number) => records.reduce((total, record) => total + pick(record.prompt!), 0);
    return { session, requests: records.length, promptTokens: sum((p) => p.tokens), cachedTokens: sum((p) => p.cachedTokens) };
  } finally {
    await simulator.close();
  }
}

/** Every file typed at once (as the main rows do), context off or on, from the same seeds. */
export async function runContextRow(files: readonly ProjectCorpusFile[], contextOn: boolean, options: RowOptions): Promise<ContextRowRun> {
  const runs = await Promise.all(files.map((file, i) => typeOne(file, contextOn, 2000 + i, options)));
  const sum = (pick: (run: (typeof runs)[number]) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    label: contextOn ? 'context on' : 'context off',
    sessions: runs.map((run) => run.session),
    requests: sum((r) => r.requests),
    promptTokens: sum((r) => r.promptTokens),
    cachedTokens: sum((r) => r.cachedTokens),
  };
}

/** Last keystroke to suggestion on screen, over the pauses that showed one: context is read, never waited for. */
function latency(run: ContextRowRun, share: number): string {
  const sorted = run.sessions.flatMap((s) => s.pauses.map((p) => p.latencyMs)).filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
  return sorted.length === 0 ? '–' : sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))].toFixed(0);
}

/** The row and what goes with it, in markdown; `control`: the same with an oracle that ignores context (latency alone). */
export function contextRowTable(runs: readonly ContextRowRun[], files: readonly ProjectCorpusFile[], control: readonly ContextRowRun[] = []): string {
  const pauses = (run: ContextRowRun) => run.sessions.flatMap((s) => s.pauses);
  const shareOf = (run: ContextRowRun, shown: string) => pauses(run).filter((p) => p.shown === shown).length / Math.max(1, pauses(run).length);
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const cells = (pick: (run: ContextRowRun) => string) => `| ${runs.map(pick).join(' | ')} |`;
  const needing = files.map((f) => `${f.source}: ${f.linesNeedingContext} lines`).join('; ');
  return [
    `Project context, typing stretches whose lines use names declared in other files of their project (${needing}), against an oracle that gets such a name right only when the prompt contains it:`,
    '',
    `|  | ${runs.map((r) => r.label).join(' | ')} |`,
    `| --- | ${runs.map(() => '---:').join(' | ')} |`,
    `| correct suggestions with and without context (pauses showing one) ${cells((r) => `${percent(shareOf(r, 'correct'))} of ${pauses(r).length}`)}`,
    `| pauses showing a wrong suggestion ${cells((r) => percent(shareOf(r, 'wrong')))}`,
    `| pause to ghost text p50 / p95 ${cells((r) => `${latency(r, 0.5)} / ${latency(r, 0.95)} ms`)}`,
    ...(control.length === runs.length
      ? [`| pause to ghost text p50 / p95, the same answers (an oracle that ignores context, no jitter) | ${control.map((r) => `${latency(r, 0.5)} / ${latency(r, 0.95)} ms`).join(' | ')} |`]
      : []),
    `| typed / accepted characters ${cells((r) => `${r.sessions.reduce((t, s) => t + s.typedChars, 0)} / ${r.sessions.reduce((t, s) => t + s.acceptedChars, 0)}`)}`,
    `| requests ${cells((r) => String(r.requests))}`,
    `| prompt tokens per request ${cells((r) => (r.promptTokens / Math.max(1, r.requests)).toFixed(0))}`,
    `| prompt tokens cached ${cells((r) => percent(r.cachedTokens / Math.max(1, r.promptTokens)))}`,
  ].join('\n');
}
