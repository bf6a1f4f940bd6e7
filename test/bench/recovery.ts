// Recovery after an outage, in real time: the simulator answers every request with 429 and no
// Retry-After for STORM_MS, then serves again, while a person types in bursts and pauses. Measured:
// how long after the server is fine the first suggestion shows, and how many requests the storm saw,
// for Qwen Inline (backoff with a half-open probe) and for backoff alone (the behaviour before).
import { QwenClient } from '../../src/api/qwenClient';
import type { Clock } from '../../src/core/clock';
import type { CompletionBackend } from '../../src/core/backend';
import { DEFAULT_POLICY, type CompletionEngine, type EnginePolicy } from '../../src/core/engine';
import { silentLogger } from '../../src/core/logger';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { startSimulator } from '../simulator/server';

/** As the issue measured it: a 20 s run of 429s without Retry-After. */
export const STORM_MS = 20_000;
/** A burst of BURST keystrokes KEY_MS apart, then a pause of PAUSE_MS: someone writing and reading. */
const BURST = 4;
const KEY_MS = 120;
const PAUSE_MS = 900;
/** Give up waiting for a suggestion this long after the storm. */
const GIVE_UP_MS = 60_000;
const API_KEY = 'sk-bench-recovery';

/** Trials per policy, each starting to type at another phase of the burst cycle (0, 280, … ms late). */
const TRIALS = 5;
const PHASE_STEP_MS = 280;

export interface RecoveryResult {
  readonly name: string;
  /** From the server being fine to the first suggestion shown, per trial; null when none came within GIVE_UP_MS. */
  readonly recoveryMs: ReadonlyArray<number | null>;
  /** The median and the worst trial (null: one gave up). */
  readonly medianMs: number | null;
  readonly worstMs: number | null;
  /** Requests the server saw during the storm, per trial. */
  readonly requestsDuringStorm: readonly number[];
}

type EngineFactory = (settings: Settings, backend: CompletionBackend, policy: EnginePolicy, clock: Clock) => { engine: CompletionEngine; dispose(): void };

export const RECOVERY_POLICIES: ReadonlyArray<{ readonly name: string; readonly policy: EnginePolicy }> = [
  { name: 'Qwen Inline (probe every 2 s)', policy: DEFAULT_POLICY },
  { name: 'backoff only (2, 4, 8, 16 s…)', policy: { ...DEFAULT_POLICY, probeIntervalMs: Infinity } },
];

/**
 * How long recovery takes depends on where the storm's end falls in the backoff schedule, so each
 * policy runs TRIALS storms side by side, the typing starting at a different phase in each.
 */
export async function measureRecovery(name: string, policy: EnginePolicy, newEngine: EngineFactory, clock: Clock): Promise<RecoveryResult> {
  const trials = await Promise.all(Array.from({ length: TRIALS }, (_, i) => recoveryTrial(policy, newEngine, clock, i * PHASE_STEP_MS)));
  const times = trials.map((trial) => trial.recoveryMs);
  const sorted = times.filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  const gaveUp = sorted.length < times.length;
  return {
    name,
    recoveryMs: times,
    medianMs: sorted.length > TRIALS / 2 ? sorted[Math.floor(TRIALS / 2)] : null,
    worstMs: gaveUp ? null : sorted[sorted.length - 1],
    requestsDuringStorm: trials.map((trial) => trial.requestsDuringStorm),
  };
}

async function recoveryTrial(
  policy: EnginePolicy,
  newEngine: EngineFactory,
  clock: Clock,
  phaseMs: number,
): Promise<{ recoveryMs: number | null; requestsDuringStorm: number }> {
  const simulator = await startSimulator({
    apiKeys: [API_KEY],
    inferredBehaviour: false,
    latency: { firstTokenMs: 250, perChunkMs: 10 },
    script: [{ error: { status: 429, code: 'limit_requests', message: 'Requests rate limit exceeded, please try again later.' } }],
  });
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: simulator.baseUrl };
  const { engine, dispose } = newEngine(settings, new QwenClient({ baseURL: simulator.baseUrl, apiKey: API_KEY, logger: silentLogger }), policy, clock);
  try {
    const started = clock.now();
    await sleep(phaseMs);
    let line = 'total = ';
    let requestsDuringStorm = 0;
    let fineAt: number | undefined;
    for (let burst = 0; ; burst++) {
      if (fineAt === undefined && clock.now() - started >= STORM_MS) {
        requestsDuringStorm = simulator.requests.length;
        simulator.configure({ script: [], defaultCompletion: 'first + second' });
        fineAt = clock.now();
      }
      if (fineAt !== undefined && clock.now() - fineAt > GIVE_UP_MS) return { recoveryMs: null, requestsDuringStorm };
      for (let key = 0; key < BURST; key++) {
        line += String.fromCharCode(97 + ((burst * BURST + key) % 26));
        await sleep(KEY_MS);
      }
      // Each pause asks for the suggestion at a new spot, so no cached answer can serve it.
      const shown = await Promise.race([engine.complete(request(line), new AbortController().signal), sleep(PAUSE_MS).then(() => undefined)]);
      if (shown && fineAt !== undefined) return { recoveryMs: clock.now() - fineAt, requestsDuringStorm };
    }
  } finally {
    dispose();
    await simulator.close();
  }
}

function request(line: string) {
  return {
    documentKey: 'file:///recovery.py',
    languageId: 'python',
    fileName: 'recovery.py',
    lines: { lineCount: 1, lineAt: () => line },
    position: { line: 0, character: line.length },
    eol: '\n' as const,
    indent: { useTabs: false, size: 4 },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
