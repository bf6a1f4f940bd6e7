// What project context adds to a keystroke: the engine's request path reading the ready selection
// and rendering it into the prompt, plus recording the edit and scheduling a gather (the gather
// itself runs later, off the keystroke: see the gather times). The harness is bench.ts's
// cpuPerKeystroke: typing 400 characters 90% down a 5 KB and a 5 MB document on a fake clock, every
// request answered at once, context off and on with a filled selection.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionBackend, StreamOutcome, StreamRequest } from '../../../src/core/backend';
import type { ProjectContext } from '../../../src/core/context/projectContext';
import type { RecentEdits } from '../../../src/core/context/recentEdits';
import { CompletionEngine, type CompletionRequest } from '../../../src/core/engine';
import { silentLogger } from '../../../src/core/logger';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/core/settings';
import { SpendingTracker } from '../../../src/core/spending';
import { StatusModel } from '../../../src/core/status';
import { FakeClock } from '../../unit/helpers/fakeClock';
import { memoryStore } from '../../unit/helpers/harness';
import { fsProjectAccess } from './access';
import { contextSources, documentAt, newProjectContext, recentEditsOf, requestAt, settingsFor } from './gather';
import type { Point } from './points';
import { cacheFor } from './recall';
import { fixed, header, row } from './stats';

const DOCUMENT_KEY = 'file:///cpu';
const SIZES = [5_000, 5_000_000];
const RUNS = 3;

export interface CpuResult {
  readonly documentChars: number;
  readonly contextChars: number;
  readonly keystrokes: number;
  readonly off: { syncMs: number; cpuMs: number };
  readonly on: { syncMs: number; cpuMs: number };
}

class InstantBackend implements CompletionBackend {
  async stream(request: StreamRequest): Promise<StreamOutcome> {
    const text = 'value + 1;\n';
    request.onText?.(text);
    return { text, finishReason: 'stop', stoppedEarly: false, totalMs: 0, usage: { promptTokens: 1000, completionTokens: 5, cachedTokens: 0 } };
  }
}

function newEngine(clock: FakeClock, context?: (request: CompletionRequest) => ReturnType<ProjectContext['ready']>): { engine: CompletionEngine; dispose(): void } {
  const settings: Settings = { ...DEFAULT_SETTINGS, model: 'qwen3-coder-plus' };
  const status = new StatusModel(clock);
  status.setHasKey(true);
  const spending = new SpendingTracker({ settings: () => settings, clock, store: memoryStore(), logger: silentLogger });
  const engine = new CompletionEngine({
    settings: () => settings, backend: () => new InstantBackend(), endpoint: () => settings.baseUrl, clock, logger: silentLogger,
    status, spending, reportError: () => undefined, context,
  });
  return { engine, dispose: () => (engine.reset(), spending.dispose(), status.dispose()) };
}

/** A ProjectContext whose selection for DOCUMENT_KEY is the fullest of the first points' (default budget, all sources). */
async function filledContext(points: readonly Point[]): Promise<{ context: ProjectContext; edits: RecentEdits; chars: number }> {
  let best: { context: ProjectContext; edits: RecentEdits; chars: number } | undefined;
  for (const point of points.slice(0, 40)) {
    const edits = recentEditsOf(point);
    const all = new Set(contextSources(edits).map((s) => s.name));
    const context = newProjectContext(fsProjectAccess(cacheFor(point.project.root), point.openTabs), edits, settingsFor(all, DEFAULT_SETTINGS['context.maxChars']), new FakeClock());
    const selection = await context.gather(requestAt(point, documentAt(point).text, DOCUMENT_KEY));
    if (!best || selection.chars > best.chars) best = { context, edits, chars: selection.chars };
  }
  return best!;
}

function documentOf(size: number): string[] {
  const runner = fs.readFileSync(path.resolve(__dirname, '../../../../node_modules/mocha/lib/runner.js'), 'utf8');
  return runner.repeat(Math.ceil(size / runner.length)).slice(0, size).split('\n');
}

async function typeInto(lines: string[], withContext?: { context: ProjectContext; edits: RecentEdits }): Promise<{ syncMs: number; cpuMs: number; keystrokes: number }> {
  const clock = new FakeClock();
  const scope = { languageId: 'javascript', uri: DOCUMENT_KEY };
  const { engine, dispose } = newEngine(clock, withContext && ((request) => withContext.context.ready(request.documentKey, scope)));
  const cursorLine = Math.floor(lines.length * 0.9);
  const toType = lines.slice(cursorLine + 1).join('\n').slice(0, 400);
  lines.splice(cursorLine, 0, '');
  let line = cursorLine;
  let syncMs = 0;
  const started = process.cpuUsage();
  for (const char of toType) {
    if (char === '\n') lines.splice(++line, 0, '');
    else lines[line] += char;
    const before = performance.now();
    withContext?.edits.record({ path: 'runner.js', languageId: 'javascript', startLine: line, endLine: line, at: clock.now() });
    withContext?.context.schedule(() => undefined);
    void engine.complete(requestOf(lines, line), new AbortController().signal);
    syncMs += performance.now() - before;
    await clock.tick(150);
  }
  const used = process.cpuUsage(started);
  dispose();
  return { syncMs: syncMs / toType.length, cpuMs: (used.user + used.system) / 1000 / toType.length, keystrokes: toType.length };
}

function requestOf(lines: string[], line: number): CompletionRequest {
  return {
    documentKey: DOCUMENT_KEY, languageId: 'javascript', fileName: 'runner.js',
    lines: { lineCount: lines.length, lineAt: (at) => lines[at] ?? '' },
    position: { line, character: lines[line].length }, eol: '\n', indent: { useTabs: false, size: 2 },
  };
}

/** The median of RUNS runs (the machine may be busy). */
async function median(run: () => Promise<{ syncMs: number; cpuMs: number; keystrokes: number }>): Promise<{ syncMs: number; cpuMs: number; keystrokes: number }> {
  const runs: { syncMs: number; cpuMs: number; keystrokes: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run());
  return runs.sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(RUNS / 2)];
}

export async function measureCpu(points: readonly Point[]): Promise<CpuResult[]> {
  const filled = await filledContext(points);
  // One untimed run of each first: the first to run would otherwise pay the JIT for both.
  await typeInto(documentOf(SIZES[0]));
  await typeInto(documentOf(SIZES[0]), filled);
  const results: CpuResult[] = [];
  for (const size of SIZES) {
    const off = await median(() => typeInto(documentOf(size)));
    const on = await median(() => typeInto(documentOf(size), filled));
    results.push({ documentChars: size, contextChars: filled.chars, keystrokes: off.keystrokes, off, on });
  }
  return results;
}

export function cpuTable(results: readonly CpuResult[]): string {
  const lines = header(['provider CPU per keystroke', 'context off', `context on (${results[0]?.contextChars ?? 0} chars ready)`]);
  for (const r of results) {
    const kb = `${(r.documentChars / 1000).toLocaleString('en')} KB`;
    lines.push(row([`${kb}: on the keystroke itself`, `${fixed(r.off.syncMs, 3)} ms`, `${fixed(r.on.syncMs, 3)} ms`]));
    lines.push(row([`${kb}: in all, with the answers`, `${fixed(r.off.cpuMs, 3)} ms`, `${fixed(r.on.cpuMs, 3)} ms`]));
  }
  return lines.join('\n');
}
