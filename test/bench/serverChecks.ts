// npm run bench:servers: what Check Server reports for each server the simulator can act as, asked
// in the server's own dialect and in a wrong one, through the real client and the openai SDK.
// CONTRIBUTING.md's "npm run bench:servers" quotes its output.
import { QwenClient } from '../../src/api/qwenClient';
import { silentLogger } from '../../src/core/logger';
import { checkServer } from '../../src/core/serverCheck';
import { describeReport } from '../../src/core/serverCheckReport';
import type { PromptStyle, ServerKind } from '../../src/core/servers';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { SIMULATOR_DEFAULTS, startSimulator, type Dialect } from '../simulator/server';
import { SERVED_MODEL } from '../helpers/servedModels';

const MODEL = SERVED_MODEL;

/** [the simulator acts as, qwenInline.server, qwenInline.promptStyle] */
const CASES: ReadonlyArray<[Dialect, ServerKind, PromptStyle]> = [
  ['dashscope', 'dashscope', 'partial'],
  ['vllm', 'vllm', 'partial'],
  ['vllm', 'dashscope', 'partial'],
  ['vllm', 'vllm', 'fim'],
  ['sglang', 'sglang', 'partial'],
  ['sglang', 'ollama', 'partial'],
  ['llama.cpp', 'llama.cpp', 'partial'],
  ['llama.cpp', 'llama.cpp', 'fim'],
  ['ollama', 'ollama', 'partial'],
  ['ollama', 'ollama', 'fim'],
  ['lmstudio', 'lmstudio', 'partial'],
  ['dashscope', 'dashscope', 'fim'],
];

async function main(): Promise<void> {
  const sim = await startSimulator();
  for (const [dialect, server, promptStyle] of CASES) {
    sim.reset();
    sim.configure({
      ...SIMULATOR_DEFAULTS,
      dialect,
      requireKey: false,
      servedModels: null,
      latency: { firstTokenMs: 120, perChunkMs: 15 },
      script: [{ prefixEndsWith: 'def add(a, b):\n    return a', completion: ' + b\n' }],
    });
    const client = new QwenClient({ baseURL: sim.baseUrl, apiKey: dialect === 'dashscope' ? SIMULATOR_DEFAULTS.apiKeys[0] : undefined, logger: silentLogger });
    const settings = { ...DEFAULT_SETTINGS, server, promptStyle, model: MODEL[dialect] };
    const probe = { backend: client, listModels: (signal: AbortSignal) => client.listModels(signal) };
    const report = await checkServer({ settings, endpoint: sim.baseUrl, probe, signal: new AbortController().signal, now: Date.now });
    console.log(`\n**Simulator as ${dialect}; qwenInline.server \`${server}\`, promptStyle \`${promptStyle}\`**\n`);
    for (const line of describeReport(report, settings.model)) console.log(`- ${line.replace(sim.url, 'http://HOST')}`);
  }
  await sim.close();
}

void main();
