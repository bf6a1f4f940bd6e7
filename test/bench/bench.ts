// `npm run bench`: replays a person typing real source files against the DashScope simulator in
// oracle mode, with a realistic latency model, through the real openai-SDK client and the same
// CompletionEngine the provider drives, for Qwen Inline's policy and, in the same run, a naive one.
// Prints a table, writes media/benchmark.json and media/benchmark.svg. Never fails on a number.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QwenClient } from '../../src/api/qwenClient';
import type { CompletionBackend, StreamOutcome, StreamRequest } from '../../src/core/backend';
import { systemClock, type Clock } from '../../src/core/clock';
import type { Position, TextLines } from '../../src/core/document';
import type { ContextSnippet } from '../../src/core/context/types';
import { adaptiveDebounceMs } from '../../src/core/debounce';
import { CompletionEngine, DEFAULT_POLICY, type CompletionRequest, type EnginePolicy } from '../../src/core/engine';
import { silentLogger } from '../../src/core/logger';
import { costOf, priceOf } from '../../src/core/pricing';
import type { Prefix } from '../../src/core/prompt';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { SpendingTracker } from '../../src/core/spending';
import { StatusModel } from '../../src/core/status';
import { countTokens, startSimulator, type Simulator } from '../simulator/server';
import { FakeClock } from '../unit/helpers/fakeClock';
import { memoryStore } from '../unit/helpers/harness';
import { CHROMIUM, launchBrowser } from '../vscode/browser';
import { renderChart } from './chart';
import { measureRecovery, RECOVERY_POLICIES, STORM_MS, type RecoveryResult } from './recovery';
import { contextRowTable, runContextRow, type ContextRowRun } from './context/typingRow';
import { loadCorpus, loadProjectCorpus, type CorpusFile, type ProjectCorpusFile } from './corpus';
import { typeStretch, type SessionResult } from './typist';
import { typingLoadPerUser, typingLoadTable, type TypingLoadPerUser } from './typingLoad';

const API_KEY = 'sk-bench-0000';
const MODEL = 'qwen3-coder-plus';
/** First token after 250 ms + 60 ms per 1000 uncached prompt tokens + up to 150 ms jitter; then 10 ms per token. */
const LATENCY = { firstTokenMs: 250, prefillMsPerKTokens: 60, jitterMs: 150, perChunkMs: 20, tokensPerChunk: 2 };
type Latency = typeof LATENCY;

/** A model under load, or a big one self-hosted: the first token after 2-3 s. Where following a request beats restarting it. */
const SLOW_LATENCY: Latency = { ...LATENCY, firstTokenMs: 2000, jitterMs: 1000 };

interface LatencyScenario {
  readonly name: string;
  readonly latency: Latency;
  /** The policies this scenario compares (all of them for the typical one). */
  readonly policies: readonly string[];
}

const SCENARIOS: readonly LatencyScenario[] = [
  { name: 'a typical model (first token 250-400 ms)', latency: LATENCY, policies: ['Qwen Inline', 'no speculation on show', 'previous release', 'naive'] },
  { name: 'a slow model (first token 2-3 s)', latency: SLOW_LATENCY, policies: ['Qwen Inline', 'previous release', 'naive'] },
];

interface ScenarioResult {
  readonly scenario: LatencyScenario;
  readonly results: PolicyResult[];
}

/**
 * The physical limit of a pause: what the simulated model needs to write the true next line when
 * asked the moment the pause begins: its first token (mean jitter, prompt cached) and that line's
 * tokens. No policy can show the line sooner.
 */
function limitOf(latency: Latency): (line: string) => number {
  return (line) => latency.firstTokenMs + latency.jitterMs / 2 + Math.ceil(countTokens(line) / latency.tokensPerChunk) * latency.perChunkMs;
}
/** The share of the simulated model's answers that are wrong (their first word changed): no model is always right. */
const WRONG_SHARE = 0.35;
const OUT = path.resolve(__dirname, '../../../media');

interface PolicyUnderTest {
  readonly name: string;
  readonly description: string;
  readonly policy: EnginePolicy;
  readonly settings: Partial<Settings>;
}

/** The last `maxChars` characters before the cursor: the window slides with every keystroke. */
function slidingWindow(doc: TextLines, position: Position, maxChars: number): Prefix {
  const lines: string[] = [doc.lineAt(position.line).slice(0, position.character)];
  let length = lines[0].length;
  let line = position.line - 1;
  for (; line >= 0 && length < maxChars; line--) {
    lines.unshift(doc.lineAt(line));
    length += lines[0].length + 1;
  }
  const text = lines.join('\n');
  return { text: text.slice(Math.max(0, text.length - maxChars)), startLine: line + 1 };
}

const POLICIES: readonly PolicyUnderTest[] = [
  {
    name: 'Qwen Inline',
    description:
      'adaptive debounce (0.7 of the typing rhythm\'s gap, at most 250 ms, 50-600 ms), cache keyed by prefix and suffix with typing through, a request in flight followed from before its first token, the model\'s next line read ahead and cached, speculation on show and after accept, a slow block shown by its first lines, line-anchored prompt window',
    policy: DEFAULT_POLICY,
    settings: {},
  },
  {
    name: 'no speculation on show',
    description: 'Qwen Inline without asking for the next suggestion while one is on screen (only after Tab): what speculation costs',
    policy: { ...DEFAULT_POLICY, speculateOnShow: false },
    settings: {},
  },
  {
    name: 'previous release',
    description: 'Qwen Inline before following silent requests, reading ahead, speculation on show, progressive blocks and the typing-rhythm wait: a request that has streamed nothing is replaced at every keystroke',
    policy: {
      ...DEFAULT_POLICY,
      followSilent: false,
      speculateOnShow: false,
      progressive: false,
      readAhead: false,
      debounceMs: (input, settings) => adaptiveDebounceMs({ ...input, typingGapMs: undefined }, settings),
    },
    settings: {},
  },
  {
    name: 'naive',
    description: 'fixed 350 ms debounce, no cache, no reuse, no speculation, a sliding prompt window',
    policy: { ...DEFAULT_POLICY, cacheSize: 0, reuseInFlight: false, followSilent: false, speculate: false, speculateOnShow: false, progressive: false, readAhead: false, prefixWindow: slidingWindow },
    settings: { debounceMs: 350, minDebounceMs: 350, maxDebounceMs: 350 },
  },
];

interface PolicyResult {
  readonly name: string;
  readonly description: string;
  readonly typedChars: number;
  readonly acceptedChars: number;
  readonly keystrokes: number;
  readonly requests: number;
  /** Per 100 characters of the files written, typed or accepted: the same stretches for every policy. */
  readonly requestsPer100Chars: number;
  readonly requestsPer100TypedChars: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly completionTokens: number;
  readonly cachedShare: number;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  /** The physical limit of the pauses that showed a suggestion, p50 (see limitOf). */
  readonly limitP50Ms: number | null;
  /** Pause to ghost text over the pause's limit, p50 and p95. */
  readonly limitRatioP50: number | null;
  readonly limitRatioP95: number | null;
  /** Tab to the next suggestion on screen, over the pauses after an accept that showed one. */
  readonly acceptToNextP50Ms: number | null;
  readonly acceptToNextP95Ms: number | null;
  readonly pauses: number;
  readonly correctShare: number;
  readonly wrongShare: number;
  readonly costUsd: number;
  readonly costPer1000AcceptedUsd: number | null;
  /** Per typist per minute of their typing: what a self-hosted server is sized by. */
  readonly load: TypingLoadPerUser;
  readonly sessions: readonly SessionResult[];
}

async function runPolicy(subject: PolicyUnderTest, files: readonly CorpusFile[], latency: Latency): Promise<PolicyResult> {
  const simulator = await startSimulator({
    apiKeys: [API_KEY],
    latency,
    oracle: { files: Object.fromEntries(files.map((file) => [file.path, file.text])), maxLines: 8, wrongShare: WRONG_SHARE },
    recentRequestsForCache: 50,
  });
  try {
    const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: simulator.baseUrl, model: MODEL, ...subject.settings };
    const client = new QwenClient({ baseURL: simulator.baseUrl, apiKey: API_KEY, logger: silentLogger });
    const { engine, dispose } = newEngine(settings, client, subject.policy, systemClock);
    // Every file is typed at once, as in several editors: the run takes as long as the longest file.
    // Each typist's time is on the clock it waits on (real timers, performance.now()).
    const typingMs: number[] = [];
    const sessions = await Promise.all(
      files.map(async (file, i) => {
        const started = performance.now();
        const session = await typeStretch(file, engine, 1000 + i, undefined, limitOf(latency));
        typingMs.push(performance.now() - started);
        console.log(`bench: ${subject.name}: typed ${file.source}`);
        return session;
      }),
    );
    // What is still in flight once the last file is written is of no use: abort it, let the server see it end.
    dispose();
    await Promise.race([Promise.all(simulator.requests.map((record) => simulator.settled(record))), sleep(5000)]);
    return summarize(subject, sessions, simulator, settings, typingMs);
  } finally {
    await simulator.close();
  }
}

function newEngine(
  settings: Settings,
  backend: CompletionBackend,
  policy: EnginePolicy,
  clock: Clock,
  context?: (request: CompletionRequest) => readonly ContextSnippet[],
): { engine: CompletionEngine; dispose(): void } {
  const status = new StatusModel(clock);
  status.setHasKey(true);
  const spending = new SpendingTracker({ settings: () => settings, clock, store: memoryStore(), logger: silentLogger });
  const engine = new CompletionEngine({
    settings: () => settings,
    backend: () => backend,
    endpoint: () => settings.baseUrl,
    clock,
    logger: silentLogger,
    status,
    spending,
    reportError: (error) => console.error(`bench: ${error.message}`),
    policy,
    context,
  });
  return {
    engine,
    dispose: () => {
      engine.reset();
      spending.dispose();
      status.dispose();
    },
  };
}

function summarize(subject: PolicyUnderTest, sessions: SessionResult[], simulator: Simulator, settings: Settings, typingMs: readonly number[]): PolicyResult {
  const sum = (pick: (s: SessionResult) => number) => sessions.reduce((total, s) => total + pick(s), 0);
  const typedChars = sum((s) => s.typedChars);
  const acceptedChars = sum((s) => s.acceptedChars);
  // What the server bills: the prompt of every request it received, and the output it streamed before the end or an abort.
  const records = simulator.requests.filter((record) => record.path.endsWith('/chat/completions') && record.prompt);
  const promptTokens = records.reduce((total, record) => total + record.prompt!.tokens, 0);
  const cachedTokens = records.reduce((total, record) => total + record.prompt!.cachedTokens, 0);
  const completionTokens = records.reduce((total, record) => total + countTokens(record.completion), 0);
  const price = priceOf(MODEL, { ...settings, baseUrl: '', region: 'singapore' })!;
  const costUsd = costOf({ promptTokens, cachedTokens, completionTokens }, price).amount;
  const pauses = sessions.flatMap((s) => s.pauses);
  const latencies = pauses.flatMap((p) => (p.latencyMs === undefined ? [] : [p.latencyMs])).sort((a, b) => a - b);
  const measured = pauses.filter((p) => p.latencyMs !== undefined && p.limitMs !== undefined && p.limitMs > 0);
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const ratios = sorted(measured.map((p) => p.latencyMs! / p.limitMs!));
  const afterAccept = sorted(pauses.filter((p) => p.afterAccept && p.latencyMs !== undefined).map((p) => p.latencyMs!));
  return {
    name: subject.name,
    description: subject.description,
    typedChars,
    acceptedChars,
    keystrokes: sum((s) => s.keystrokes),
    requests: records.length,
    requestsPer100Chars: (records.length / (typedChars + acceptedChars)) * 100,
    requestsPer100TypedChars: (records.length / typedChars) * 100,
    promptTokens,
    cachedTokens,
    completionTokens,
    cachedShare: promptTokens === 0 ? 0 : cachedTokens / promptTokens,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
    limitP50Ms: percentile(sorted(measured.map((p) => p.limitMs!)), 0.5),
    limitRatioP50: percentile(ratios, 0.5),
    limitRatioP95: percentile(ratios, 0.95),
    acceptToNextP50Ms: percentile(afterAccept, 0.5),
    acceptToNextP95Ms: percentile(afterAccept, 0.95),
    pauses: pauses.length,
    correctShare: pauses.filter((p) => p.shown === 'correct').length / Math.max(1, pauses.length),
    wrongShare: pauses.filter((p) => p.shown === 'wrong').length / Math.max(1, pauses.length),
    costUsd,
    costPer1000AcceptedUsd: acceptedChars === 0 ? null : (costUsd / acceptedChars) * 1000,
    load: typingLoadPerUser({ requests: records.length, promptTokens, cachedTokens, completionTokens }, typingMs),
    sessions,
  };
}

/**
 * The chart as PNG for CONTRIBUTING.md (PNG, as the Marketplace refuses SVG images in README), drawn by Debian's Chromium
 * when it is installed (test/vscode/provision.sh); false without it.
 */
async function renderPng(svgFile: string, pngFile: string): Promise<boolean> {
  if (!fs.existsSync(CHROMIUM)) return false;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 690, height: 420 }, deviceScaleFactor: 2 });
    await page.goto(`file://${svgFile}`);
    await page.locator('svg').screenshot({ path: pngFile });
    return true;
  } finally {
    await browser.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function percentile(sorted: readonly number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

/** Answers at once with a short line: only the engine's own work is left to measure. */
class InstantBackend implements CompletionBackend {
  async stream(request: StreamRequest): Promise<StreamOutcome> {
    const text = 'value + 1;\n';
    request.onText?.(text);
    return { text, finishReason: 'stop', stoppedEarly: false, totalMs: 0, usage: { promptTokens: 1000, completionTokens: 5, cachedTokens: 0 } };
  }
}

interface CpuResult {
  readonly documentChars: number;
  readonly keystrokes: number;
  /** All the process did per keystroke: the engine's work on it and on its requests' answers, and the fake clock's. */
  readonly cpuMsPerKeystroke: number;
  /** What the keystroke itself costs before the engine yields (prompt window, cache, request in flight): typing waits on this. */
  readonly syncMsPerKeystroke: number;
}

/**
 * The provider's work per keystroke on a document of `size` characters (the real runner.js,
 * repeated): typing 400 characters of it deep in the document, with a keystroke every 150 ms of a
 * fake clock, requests answered at once. CPU time of the whole loop over the keystrokes.
 */
async function cpuPerKeystroke(source: CorpusFile, size: number): Promise<CpuResult> {
  const copies = Math.max(1, Math.ceil(size / source.text.length));
  const text = source.text.repeat(copies).slice(0, size);
  const lines = text.split('\n');
  const clock = new FakeClock();
  const settings: Settings = { ...DEFAULT_SETTINGS, model: MODEL };
  const { engine, dispose } = newEngine(settings, new InstantBackend(), DEFAULT_POLICY, clock);
  // Type over a blank line 90% down the document, writing the text that follows it.
  const cursorLine = Math.floor(lines.length * 0.9);
  const toType = lines.slice(cursorLine + 1).join('\n').slice(0, 400);
  lines.splice(cursorLine, 0, '');
  let line = cursorLine;
  const keystrokes = toType.length;
  let syncMs = 0;
  const started = process.cpuUsage();
  for (const char of toType) {
    if (char === '\n') lines.splice(++line, 0, '');
    else lines[line] += char;
    const before = performance.now();
    void engine.complete(
      {
        documentKey: 'file:///cpu',
        languageId: 'javascript',
        fileName: 'runner.js',
        lines: { lineCount: lines.length, lineAt: (at) => lines[at] ?? '' },
        position: { line, character: lines[line].length },
        eol: '\n',
        indent: { useTabs: false, size: 2 },
      },
      new AbortController().signal,
    );
    syncMs += performance.now() - before;
    await clock.tick(150);
  }
  const used = process.cpuUsage(started);
  dispose();
  return {
    documentChars: text.length,
    keystrokes,
    cpuMsPerKeystroke: (used.user + used.system) / 1000 / keystrokes,
    syncMsPerKeystroke: syncMs / keystrokes,
  };
}

function row(label: string, values: readonly string[]): string {
  return `| ${label} | ${values.join(' | ')} |`;
}

const fixed = (value: number | null, digits: number) => (value === null ? 'n/a' : value.toFixed(digits));
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function table(results: readonly PolicyResult[], cpu: readonly CpuResult[]): string {
  const lines = [
    row('', results.map((r) => r.name)),
    row('---', results.map(() => '---:')),
    row('requests per 100 characters written (typed or accepted)', results.map((r) => fixed(r.requestsPer100Chars, 2))),
    row('requests per 100 typed characters', results.map((r) => fixed(r.requestsPer100TypedChars, 2))),
    row('requests', results.map((r) => String(r.requests))),
    row('prompt tokens sent (cached)', results.map((r) => `${r.promptTokens.toLocaleString('en')} (${r.cachedTokens.toLocaleString('en')})`)),
    row('completion tokens received', results.map((r) => r.completionTokens.toLocaleString('en'))),
    row('keystroke to suggestion, p50', results.map((r) => `${fixed(r.latencyP50Ms, 0)} ms`)),
    row('keystroke to suggestion, p95', results.map((r) => `${fixed(r.latencyP95Ms, 0)} ms`)),
    row('physical limit (first token + the true first line), p50', results.map((r) => `${fixed(r.limitP50Ms, 0)} ms`)),
    row('keystroke to suggestion / limit, p50 (goal ≤ 1.2)', results.map((r) => `${fixed(r.limitRatioP50, 2)} ×`)),
    row('keystroke to suggestion / limit, p95 (goal ≤ 1.5)', results.map((r) => `${fixed(r.limitRatioP95, 2)} ×`)),
    row('Tab to the next suggestion, p50 / p95 (goal p50 < 50 ms)', results.map((r) => `${fixed(r.acceptToNextP50Ms, 0)} / ${fixed(r.acceptToNextP95Ms, 0)} ms`)),
    row('pauses showing a correct suggestion', results.map((r) => `${percent(r.correctShare)} of ${r.pauses}`)),
    row('pauses showing a wrong suggestion', results.map((r) => percent(r.wrongShare))),
    row('prompt tokens cached', results.map((r) => percent(r.cachedShare))),
    row('typed / accepted characters', results.map((r) => `${r.typedChars} / ${r.acceptedChars}`)),
    row('estimated cost per 1000 accepted characters', results.map((r) => `$${fixed(r.costPer1000AcceptedUsd, 4)}`)),
  ];
  const cpuLines = cpu.map(
    (c) =>
      `- provider CPU per keystroke, ${(c.documentChars / 1000).toLocaleString('en')} KB document: ${c.syncMsPerKeystroke.toFixed(3)} ms on the keystroke itself, ` +
      `${c.cpuMsPerKeystroke.toFixed(3)} ms in all with the requests' answers (${c.keystrokes} keystrokes)`,
  );
  return [...lines, '', ...cpuLines].join('\n');
}

function recoveryTable(results: readonly RecoveryResult[]): string {
  const seconds = (ms: number | null) => (ms === null ? 'none within 60 s' : `${(ms / 1000).toFixed(1)} s`);
  return [
    `After a ${STORM_MS / 1000} s run of 429s without Retry-After (a burst of typing and a pause, about every 1.4 s; ${results[0]?.recoveryMs.length ?? 0} storms per policy, typing at different phases):`,
    '',
    row('', results.map((r) => r.name)),
    row('---', results.map(() => '---:')),
    row('first suggestion after the server is fine, median', results.map((r) => seconds(r.medianMs))),
    row('… worst', results.map((r) => seconds(r.worstMs))),
    row('… each storm', results.map((r) => r.recoveryMs.map((ms) => (ms === null ? '-' : (ms / 1000).toFixed(1))).join(' / '))),
    row('requests each storm saw', results.map((r) => r.requestsDuringStorm.join(' / '))),
  ].join('\n');
}

/** The row "correct suggestions with and without context" (see context/typingRow.ts): both runs at once. */
async function contextRow(files: readonly ProjectCorpusFile[], missing: readonly string[]): Promise<{ runs: ContextRowRun[]; control: ContextRowRun[] }> {
  if (missing.length > 0) console.log(`bench: project context row: not on this machine, skipped: ${missing.join('; ')}`);
  if (files.length === 0) return { runs: [], control: [] };
  console.log(`bench: project context row: typing ${files.map((f) => `${f.source} [${f.end - f.start} chars]`).join('; ')}, context off and on`);
  const options = { apiKey: API_KEY, model: MODEL, latency: LATENCY, wrongShare: WRONG_SHARE, newEngine };
  const runs = await Promise.all([runContextRow(files, false, options), runContextRow(files, true, options)]);
  // Then the latency control: the same typing with answers that do not depend on context, and no
  // jitter (±150 ms at random hides a 10 ms difference in 60 pauses): what context itself costs.
  const control = { ...options, latency: { ...LATENCY, jitterMs: 0 }, contextDependent: false };
  return { runs, control: await Promise.all([runContextRow(files, false, control), runContextRow(files, true, control)]) };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const { files, missing } = loadCorpus(quick ? 300 : 600);
  console.log(`bench: typing ${files.length} files${quick ? ' (quick)' : ''}: ${files.map((f) => `${f.source} [${f.end - f.start} chars]`).join('; ')}`);
  if (missing.length > 0) console.log(`bench: not on this machine, skipped: ${missing.join('; ')}`);
  const started = performance.now();
  // The recovery runs take real time of their own (a 20 s storm), so they run beside the typing.
  // --typing-only: the typing scenarios alone, for development (no recovery, CPU or context row, nothing written).
  const typingOnly = process.argv.includes('--typing-only');
  const [scenarios, recovery] = await Promise.all([
    Promise.all(
      SCENARIOS.map(async (scenario): Promise<ScenarioResult> => {
        const subjects = POLICIES.filter((p) => scenario.policies.includes(p.name));
        return { scenario, results: await Promise.all(subjects.map((subject) => runPolicy(subject, files, scenario.latency))) };
      }),
    ),
    typingOnly ? Promise.resolve([]) : Promise.all(RECOVERY_POLICIES.map(({ name, policy }) => measureRecovery(name, policy, newEngine, systemClock))),
  ]);
  if (typingOnly) {
    for (const { scenario, results: r } of scenarios) console.log(`\nWith ${scenario.name}:\n\n${table(r, [])}\n\n${typingLoadTable(r)}`);
    return;
  }
  const results = scenarios[0].results;
  // The chart compares the product with the naive extension, as it always has.
  const charted = results.filter((r) => r.name === 'Qwen Inline' || r.name === 'naive');
  const runner = files.find((file) => file.languageId === 'javascript') ?? files[0];
  console.log('bench: provider CPU per keystroke on a 5 KB and a 5 MB document');
  const cpu = [await cpuPerKeystroke(runner, 5_000), await cpuPerKeystroke(runner, 5_000_000)];
  // Run after the rows above, so that their numbers stay what they were without it.
  const projectCorpus = loadProjectCorpus(quick ? 300 : 600);
  const { runs: contextRuns, control: controlRuns } = await contextRow(projectCorpus.files, projectCorpus.missing);
  console.log(`bench: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  const tables = scenarios.map(({ scenario, results: r }, i) => `With ${scenario.name}:\n\n${table(r, i === 0 ? cpu : [])}\n\n${typingLoadTable(r)}`).join('\n\n');
  console.log(tables);
  console.log(`\n${recoveryTable(recovery)}`);
  if (contextRuns.length > 0) console.log(`\n${contextRowTable(contextRuns, projectCorpus.files, controlRuns)}`);

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    model: MODEL,
    latency: LATENCY,
    slowLatency: SLOW_LATENCY,
    wrongShare: WRONG_SHARE,
    files: files.map((f) => ({ source: f.source, path: f.path, languageId: f.languageId, typedStretchChars: f.end - f.start, fileChars: f.text.length })),
    missing,
    policies: results,
    slowModel: scenarios[1].results,
    cpu,
    recovery: { stormMs: STORM_MS, results: recovery },
    projectContext: {
      files: projectCorpus.files.map((f) => ({ source: f.source, typedStretchChars: f.end - f.start, linesNeedingContext: f.linesNeedingContext })),
      runs: contextRuns.map(({ sessions, ...run }) => ({ ...run, pauses: sessions.flatMap((s) => s.pauses) })),
      latencyControl: controlRuns.map(({ sessions, ...run }) => ({ ...run, pauses: sessions.flatMap((s) => s.pauses) })),
    },
  };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'benchmark.json'), JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(path.join(OUT, 'benchmark.svg'), renderChart(charted, cpu));
  fs.writeFileSync(path.join(OUT, 'benchmark.md'), `${tables}\n\n${recoveryTable(recovery)}\n`);
  const png = await renderPng(path.join(OUT, 'benchmark.svg'), path.join(OUT, 'benchmark.png'));
  console.log(`\nbench: wrote media/benchmark.json, .svg, .md${png ? ' and .png' : ' (no .png: no Chromium here)'}`);
}

main().catch((error) => {
  // A number never fails the run; a crash is a bug and does.
  console.error('bench: failed:', error);
  process.exitCode = 1;
});
