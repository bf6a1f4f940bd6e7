import * as assert from 'node:assert/strict';
import { QwenClient } from '../../src/api/qwenClient';
import { ApiError } from '../../src/core/backend';
import { streamCounted, type CountedOutcome } from '../../src/core/countedStream';
import { checkServer } from '../../src/core/serverCheck';
import { SERVER_KINDS, type PromptStyle, type ServerKind } from '../../src/core/servers';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { silentLogger } from '../../src/core/logger';
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from '../simulator/server';
import { SERVED_MODEL } from '../helpers/servedModels';

const PREFIX = 'def add(a, b):\n    return a';
const snippet = { path: 'src/util.py', startLine: 0, endLine: 1, text: 'def mul(a, b):\n    return a * b', source: 'imports', score: 1 } as const;

const MODEL = SERVED_MODEL;
const FIM_MODEL: Readonly<Record<ServerKind, string>> = { ...MODEL, dashscope: 'qwen2.5-coder-32b-instruct' };

/** The real openai SDK, through our client and the core's request writer, against each simulated server. */
describe('every server, end to end through the openai SDK', function () {
  this.timeout(10000);
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  function serve(server: ServerKind, options: Parameters<Simulator['configure']>[0] = {}): QwenClient {
    sim.reset();
    sim.configure({ ...SIMULATOR_DEFAULTS, dialect: server, requireKey: false, servedModels: null, script: [{ prefixEndsWith: PREFIX, completion: ' + b\n' }], ...options });
    // A local server gets no key at all (no Authorization header); DashScope gets the simulator's.
    return new QwenClient({ baseURL: sim.baseUrl, apiKey: server === 'dashscope' ? 'sk-sim-test' : undefined, logger: silentLogger });
  }

  function complete(client: QwenClient, server: ServerKind, promptStyle: PromptStyle, model = MODEL[server]): Promise<CountedOutcome> {
    return streamCounted(client, {
      languageId: 'python', fileName: 'add.py', projectName: 'shop', wire: { server, promptStyle }, prefix: PREFIX, suffix: '\n', context: [snippet],
      model, maxTokens: 32, temperature: 0, timeoutMs: 5000, signal: new AbortController().signal, onText: () => true,
    });
  }

  for (const server of SERVER_KINDS) {
    it(`${server}: partial mode continues the text, with no key where the server needs none, and usage is read`, async () => {
      const client = serve(server);
      const counted = await complete(client, server, 'partial');
      assert.equal(counted.kind, 'answered', JSON.stringify(counted));
      if (counted.kind !== 'answered') return;
      assert.equal(counted.outcome.text, ' + b\n');
      assert.equal(counted.usage.estimated, false, 'the server reported usage');
      const record = sim.requests[0];
      assert.equal(record.authorization, server === 'dashscope' ? record.authorization : '', 'no Authorization header to a keyless server');
      assert.match(record.path, /\/chat\/completions$/);
    });

    it(`${server}: fill-in-the-middle reaches the model as FIM`, async () => {
      const client = serve(server);
      const counted = await complete(client, server, 'fim', FIM_MODEL[server]);
      assert.equal(counted.kind, 'answered', JSON.stringify(counted));
      if (counted.kind !== 'answered') return;
      assert.equal(counted.outcome.text, ' + b\n');
      assert.match(sim.requests[0].path, server === 'llama.cpp' ? /^\/infill$/ : /\/completions$/);
    });
  }

  it('the wrong dialect is not silent: vLLM asked DashScope’s way restarts, and Check Server names the fix', async () => {
    const client = serve('vllm');
    const counted = await complete(client, 'dashscope', 'partial', MODEL.vllm);
    assert.equal(counted.kind, 'answered');
    if (counted.kind === 'answered') assert.match(counted.outcome.text, /```/);
    const report = await checkServer({
      settings: { ...DEFAULT_SETTINGS, server: 'dashscope', model: MODEL.vllm },
      endpoint: sim.baseUrl,
      probe: { backend: client, listModels: (signal) => client.listModels(signal) },
      signal: new AbortController().signal,
      now: Date.now,
    });
    assert.equal(report.detected, 'vllm');
    assert.equal(report.modelFound, true);
    assert.equal(report.answer?.verdict, 'restarted');
    assert.deepEqual(report.fixes, [{ kind: 'setServer', server: 'vllm' }]);
  });

  it('cached tokens as each server reports them: vLLM/SGLang in prompt_tokens_details, llama.cpp in timings.cache_n', async () => {
    for (const server of ['vllm', 'sglang', 'llama.cpp'] as const) {
      const client = serve(server, { defaultCompletion: ' + b' });
      const long = { ...snippet, text: 'x = 1\n'.repeat(400) };
      const ask = () => streamCounted(client, {
        languageId: 'python', fileName: 'add.py', wire: { server, promptStyle: 'partial' }, prefix: PREFIX, suffix: '\n', context: [long],
        model: MODEL[server], maxTokens: 8, temperature: 0, timeoutMs: 5000, signal: new AbortController().signal, onText: () => true,
      });
      await ask();
      const second = await ask();
      assert.equal(second.kind, 'answered');
      assert.ok(second.usage.cachedTokens > 100, `${server}: ${JSON.stringify(second.usage)}`);
    }
  });

  it('error bodies of every shape reach the user as the server’s words', async () => {
    const cases: Array<[ServerKind, RegExp]> = [
      ['vllm', /does not exist/],
      ['sglang', /does not exist/],
      ['ollama', /not found/],
    ];
    for (const [server, message] of cases) {
      const client = serve(server);
      const counted = await complete(client, server, 'partial', 'no-such-model');
      assert.equal(counted.kind, 'failed');
      if (counted.kind !== 'failed') continue;
      assert.ok(counted.error instanceof ApiError);
      assert.match(counted.error.failure.message ?? '', message, `${server}: ${JSON.stringify(counted.error.failure)}`);
    }
  });

  it('a self-hosted server started with a key refuses a request without it (401)', async () => {
    const client = serve('vllm', { requireKey: true, apiKeys: ['local-key'] });
    const counted = await complete(client, 'vllm', 'partial');
    assert.equal(counted.kind, 'failed');
    if (counted.kind === 'failed') assert.equal((counted.error as ApiError).failure.status, 401);
    const keyed = new QwenClient({ baseURL: sim.baseUrl, apiKey: 'local-key', logger: silentLogger });
    assert.equal((await complete(keyed, 'vllm', 'partial')).kind, 'answered');
  });

  it('the model list names the server software (owned_by)', async () => {
    const owners: Partial<Record<ServerKind, string>> = { vllm: 'vllm', sglang: 'sglang', 'llama.cpp': 'llamacpp', ollama: 'library', lmstudio: 'organization_owner' };
    for (const [server, owner] of Object.entries(owners) as Array<[ServerKind, string]>) {
      const listing = await serve(server).listModels(new AbortController().signal);
      assert.equal(listing.kind, 'listed');
      if (listing.kind === 'listed') assert.equal(listing.models[0]?.ownedBy, owner);
    }
  });
});
