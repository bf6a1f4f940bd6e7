import * as assert from 'node:assert/strict';
import {
  FIM_GARBAGE,
  SIMULATOR_DEFAULTS,
  THINKING_PREFIX,
  parseFimPrompt,
  promptPrefixOf,
  startSimulator,
  type Dialect,
  type Simulator,
  type SimulatorOptions,
} from '../simulator/server';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

const PREFIX = 'function add(a: number, b: number) {\n  ';
const CONTINUATION = 'return a + b;\n}';
const FENCED = `Here is the completed code:\n\n\`\`\`typescript\n${PREFIX}${CONTINUATION}\n\`\`\`\n`;
const SCRIPT: SimulatorOptions['script'] = [{ prefixEndsWith: PREFIX, completion: CONTINUATION }];

function fim(prefix: string, suffix = '\n'): string {
  return `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
}

/** A chat body whose last message is the assistant's prefix; `extra` writes it in some dialect. */
function chatBody(model: string, extra: Record<string, unknown> = {}, last: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model,
    messages: [
      { role: 'system', content: 'You complete code.' },
      { role: 'user', content: 'Complete the function.' },
      { role: 'assistant', content: PREFIX, ...last },
    ],
    ...extra,
  };
}

/** Splits an SSE body into its `data:` payloads. */
function events(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.length > 0)
    .map((e) => {
      assert.ok(e.startsWith('data: '), e);
      return e.slice('data: '.length);
    });
}

describe('simulator dialects', function () {
  this.timeout(5000);
  let sim: Simulator;

  async function request(method: string, path: string, body?: unknown, key: string | null = null): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const response = await fetch(sim.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  const api = (path: string) => new URL(sim.baseUrl).pathname + path;
  const chat = (body: unknown, key: string | null = null) => request('POST', api('/chat/completions'), body, key);
  const completions = (body: unknown, key: string | null = null) => request('POST', api('/completions'), body, key);
  const content = (reply: Reply): string => {
    assert.equal(reply.status, 200, reply.text);
    return reply.body.choices[0].message?.content ?? reply.body.choices[0].text;
  };

  function use(dialect: Dialect, options: Partial<SimulatorOptions> = {}): void {
    sim.configure({ ...SIMULATOR_DEFAULTS, dialect, script: SCRIPT, ...options });
  }

  before(async () => {
    sim = await startSimulator({ dialect: 'vllm' });
  });

  after(async () => {
    await sim.close();
  });

  beforeEach(() => {
    sim.reset();
  });

  describe('routes and base URL', () => {
    it('starts in a dialect; baseUrl follows the dialect', () => {
      use('vllm');
      assert.equal(sim.baseUrl, `${sim.url}/v1`);
      use('dashscope');
      assert.equal(sim.baseUrl, `${sim.url}/compatible-mode/v1`);
      for (const dialect of ['sglang', 'llama.cpp', 'ollama', 'lmstudio'] as const) {
        use(dialect);
        assert.equal(sim.baseUrl, `${sim.url}/v1`);
      }
    });

    it('serves only its own prefix; /infill only for llama.cpp', async () => {
      use('vllm');
      assert.equal((await request('POST', '/compatible-mode/v1/chat/completions', chatBody('Qwen/Qwen3-Coder-30B-A3B-Instruct'))).status, 404);
      assert.equal((await request('POST', '/infill', { input_prefix: 'a', input_suffix: '' })).status, 404);
      use('dashscope');
      assert.equal((await request('POST', '/v1/chat/completions', chatBody('qwen3-coder-plus'), 'sk-sim-test')).status, 404);
      use('llama.cpp');
      assert.equal((await request('POST', '/infill', { input_prefix: 'a', input_suffix: '' })).status, 200);
    });

    it('the control API sets the dialect and refuses unknown ones', async () => {
      use('dashscope');
      assert.equal((await request('POST', '/_simulator/configure', { dialect: 'ollama' })).status, 200);
      assert.equal(sim.baseUrl, `${sim.url}/v1`);
      assert.equal((await request('POST', '/_simulator/configure', { dialect: 'tgi' })).status, 400);
      assert.equal(sim.baseUrl, `${sim.url}/v1`);
    });
  });

  describe('keys', () => {
    it('local dialects need no key by default', async () => {
      for (const [dialect, model] of [
        ['vllm', 'Qwen/Qwen3-Coder-30B-A3B-Instruct'],
        ['sglang', 'Qwen/Qwen3-Coder-30B-A3B-Instruct'],
        ['llama.cpp', 'anything'],
        ['ollama', 'qwen3-coder:30b'],
        ['lmstudio', 'qwen/qwen3-coder-30b'],
      ] as const) {
        use(dialect);
        assert.equal((await chat(chatBody(model))).status, 200, dialect);
        assert.equal((await chat(chatBody(model), 'whatever')).status, 200, dialect);
      }
    });

    it('requireKey: each server answers a missing or wrong key in its own shape', async () => {
      const cases: Array<[Dialect, string, unknown]> = [
        ['vllm', 'Qwen/Qwen3-Coder-30B-A3B-Instruct', { error: 'Unauthorized' }],
        ['llama.cpp', 'x', { error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' } }],
        ['ollama', 'qwen3-coder:30b', { error: { message: 'Invalid API key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }],
        ['lmstudio', 'qwen/qwen3-coder-30b', { error: { message: 'Invalid API key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }],
      ];
      for (const [dialect, model, shape] of cases) {
        use(dialect, { apiKeys: ['local-key'], requireKey: true });
        const missing = await chat(chatBody(model));
        assert.equal(missing.status, 401, dialect);
        assert.deepEqual(missing.body, shape, dialect);
        assert.equal((await chat(chatBody(model), 'wrong')).status, 401, dialect);
        assert.equal((await chat(chatBody(model), 'local-key')).status, 200, dialect);
      }
      use('vllm', { apiKeys: ['local-key'], requireKey: true, keyless: true });
      assert.equal((await chat(chatBody('Qwen/Qwen3-Coder-30B-A3B-Instruct'))).status, 200, 'keyless wins');
    });
  });

  describe('models', () => {
    it('lists the served models with each server’s owned_by', async () => {
      const expected: Array<[Dialect, string, string[]]> = [
        ['vllm', 'vllm', ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'Qwen/Qwen3-8B']],
        ['sglang', 'sglang', ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'Qwen/Qwen3-8B']],
        ['llama.cpp', 'llamacpp', ['qwen2.5-coder-7b-instruct-q8_0.gguf']],
        ['ollama', 'library', ['qwen3-coder:30b', 'qwen2.5-coder:7b', 'qwen3:8b']],
        ['lmstudio', 'organization_owner', ['qwen/qwen3-coder-30b', 'qwen2.5-coder-7b-instruct']],
      ];
      for (const [dialect, owner, ids] of expected) {
        use(dialect);
        const reply = await request('GET', api('/models'));
        assert.equal(reply.status, 200);
        assert.equal(reply.body.object, 'list');
        assert.deepEqual(reply.body.data.map((m: any) => m.id), ids, dialect);
        assert.ok(reply.body.data.every((m: any) => m.owned_by === owner && m.object === 'model'), dialect);
      }
      use('vllm', { servedModels: ['qwen3-coder'] });
      assert.deepEqual((await request('GET', api('/models'))).body.data.map((m: any) => m.id), ['qwen3-coder']);
      use('dashscope');
      const dash = await request('GET', api('/models'), undefined, 'sk-sim-test');
      assert.ok(dash.body.data.some((m: any) => m.id === 'qwen2.5-coder-7b-instruct' && m.owned_by === 'system'));
    });

    it('answers an unknown model in each server’s shape; llama.cpp serves any model name', async () => {
      use('vllm');
      let reply = await chat(chatBody('qwen3-coder-plus'));
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: { message: 'The model `qwen3-coder-plus` does not exist.', type: 'NotFoundError', param: 'model', code: 404 } });
      use('sglang');
      reply = await chat(chatBody('qwen3-coder-plus'));
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { object: 'error', message: 'The model `qwen3-coder-plus` does not exist.', type: 'BadRequestError', param: null, code: 400 });
      use('ollama');
      reply = await chat(chatBody('qwen3-coder'));
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: { message: 'model "qwen3-coder" not found, try pulling it first', type: 'not_found_error', param: null, code: null } });
      use('lmstudio');
      reply = await chat(chatBody('qwen3-coder'));
      assert.equal(reply.status, 404);
      assert.equal(reply.body.error.code, 'model_not_found');
      assert.equal(reply.body.error.param, 'model');
      assert.match(reply.body.error.message, /^Model "qwen3-coder" not found/);
      use('llama.cpp');
      reply = await chat(chatBody('gpt-3.5-turbo'));
      assert.equal(content(reply), CONTINUATION);
      assert.equal(reply.body.model, 'gpt-3.5-turbo');
    });
  });

  describe('chat continuation', () => {
    const VLLM = 'Qwen/Qwen3-Coder-30B-A3B-Instruct';

    it('vLLM continues with continue_final_message and add_generation_prompt false; otherwise restarts', async () => {
      use('vllm');
      assert.equal(content(await chat(chatBody(VLLM, { continue_final_message: true, add_generation_prompt: false }))), CONTINUATION);
      assert.equal(content(await chat(chatBody(VLLM))), FENCED, 'no fields: a new turn');
      assert.equal(content(await chat(chatBody(VLLM, {}, { partial: true }))), FENCED, 'DashScope partial is ignored');
      assert.equal(content(await chat(chatBody(VLLM, { add_generation_prompt: false }))), FENCED);
    });

    it('vLLM refuses continue_final_message with the default add_generation_prompt, or without a final assistant message', async () => {
      use('vllm');
      for (const extra of [{ continue_final_message: true }, { continue_final_message: true, add_generation_prompt: true }]) {
        const reply = await chat(chatBody(VLLM, extra));
        assert.equal(reply.status, 400);
        assert.deepEqual(Object.keys(reply.body), ['error']);
        assert.equal(reply.body.error.type, 'BadRequestError');
        assert.equal(reply.body.error.code, 400);
        assert.match(reply.body.error.message, /continue_final_message.*add_generation_prompt/);
      }
      const userLast = await chat({ model: VLLM, messages: [{ role: 'user', content: PREFIX }], continue_final_message: true, add_generation_prompt: false });
      assert.equal(userLast.status, 400);
    });

    it('SGLang continues with continue_final_message (add_generation_prompt is not its field); otherwise restarts', async () => {
      use('sglang');
      assert.equal(content(await chat(chatBody(VLLM, { continue_final_message: true }))), CONTINUATION);
      assert.equal(content(await chat(chatBody(VLLM, { continue_final_message: true, add_generation_prompt: false }))), CONTINUATION);
      assert.equal(content(await chat(chatBody(VLLM))), FENCED);
      assert.equal(content(await chat(chatBody(VLLM, {}, { partial: true }))), FENCED);
      const bad = await chat(chatBody(VLLM, { max_tokens: 0 }));
      assert.equal(bad.status, 400);
      assert.equal(bad.body.object, 'error', 'SGLang errors are flat');
    });

    it('llama.cpp, Ollama and LM Studio continue a final assistant message whatever else the body says', async () => {
      for (const [dialect, model] of [
        ['llama.cpp', 'qwen'],
        ['ollama', 'qwen3-coder:30b'],
        ['lmstudio', 'qwen/qwen3-coder-30b'],
      ] as const) {
        use(dialect);
        assert.equal(content(await chat(chatBody(model))), CONTINUATION, dialect);
        assert.equal(content(await chat(chatBody(model, { continue_final_message: true }, { partial: true }))), CONTINUATION, dialect);
        const userLast = await chat({ model, messages: [{ role: 'user', content: 'Hello' }] });
        assert.equal(content(userLast), '', `${dialect}: a fresh turn is not a continuation`);
      }
    });

    it('DashScope restarts when the final assistant message is not partial, and continues when it is', async () => {
      use('dashscope');
      assert.equal(content(await chat(chatBody('qwen3-coder-plus'), 'sk-sim-test')), FENCED);
      assert.equal(content(await chat(chatBody('qwen3-coder-plus', { continue_final_message: true, add_generation_prompt: false }), 'sk-sim-test')), FENCED);
      assert.equal(content(await chat(chatBody('qwen3-coder-plus', {}, { partial: true }), 'sk-sim-test')), CONTINUATION);
    });

    it('restarts use the oracle too', async () => {
      use('vllm', { script: [], oracle: { files: { 'a.ts': `${PREFIX}${CONTINUATION}\n` } } });
      assert.equal(content(await chat(chatBody(VLLM))), `Here is the completed code:\n\n\`\`\`typescript\n${PREFIX}${CONTINUATION}\n\n\`\`\`\n`);
      assert.equal(content(await chat(chatBody(VLLM, { continue_final_message: true, add_generation_prompt: false }))), `${CONTINUATION}\n`);
    });
  });

  describe('thinking (hybrid Qwen3)', () => {
    const cont = { continue_final_message: true, add_generation_prompt: false };

    it('vLLM and SGLang: thinks unless chat_template_kwargs.enable_thinking is false; DashScope’s enable_thinking is not read', async () => {
      for (const dialect of ['vllm', 'sglang'] as const) {
        use(dialect);
        assert.equal(content(await chat(chatBody('Qwen/Qwen3-8B', cont))), THINKING_PREFIX + CONTINUATION, dialect);
        assert.equal(content(await chat(chatBody('Qwen/Qwen3-8B', { ...cont, enable_thinking: false }))), THINKING_PREFIX + CONTINUATION, dialect);
        assert.equal(content(await chat(chatBody('Qwen/Qwen3-8B', { ...cont, chat_template_kwargs: { enable_thinking: false } }))), CONTINUATION, dialect);
        assert.equal(content(await chat(chatBody('Qwen/Qwen3-Coder-30B-A3B-Instruct', cont))), CONTINUATION, `${dialect}: coder models do not think`);
      }
    });

    it('Ollama: thinks unless think is false', async () => {
      use('ollama');
      assert.equal(content(await chat(chatBody('qwen3:8b'))), THINKING_PREFIX + CONTINUATION);
      assert.equal(content(await chat(chatBody('qwen3:8b', { think: false }))), CONTINUATION);
    });

    it('llama.cpp: a hybrid model refuses prefill while thinking; thinks on a new turn', async () => {
      use('llama.cpp', { servedModels: ['Qwen3-8B-Q4_K_M.gguf'] });
      const refused = await chat(chatBody('x'));
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, { error: { code: 400, message: 'Assistant response prefill is incompatible with enable_thinking.', type: 'invalid_request_error' } });
      assert.equal(content(await chat(chatBody('x', { chat_template_kwargs: { enable_thinking: false } }))), CONTINUATION);
      assert.equal(content(await chat({ model: 'x', messages: [{ role: 'user', content: 'hi' }] })), THINKING_PREFIX);
    });
  });

  describe('usage', () => {
    const streamed = (model: string, extra: Record<string, unknown> = {}, lines = 30) => ({
      ...chatBody(model, { stream: true, stream_options: { include_usage: true }, ...extra }),
      messages: [{ role: 'assistant', content: `${'const value = compute(1, 2, 3);\n'.repeat(lines)}${PREFIX}` }],
    });

    it('vLLM and SGLang report cached_tokens by blocks of 16, without a 256-token minimum', async () => {
      for (const dialect of ['vllm', 'sglang'] as const) {
        use(dialect);
        const extra = { continue_final_message: true, add_generation_prompt: false };
        const body = (tail: string) => ({ model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', messages: [{ role: 'user', content: `short ${tail}` }] });
        const first = await chat(body('one'));
        assert.deepEqual(first.body.usage.prompt_tokens_details, { cached_tokens: 0 }, dialect);
        assert.deepEqual(Object.keys(first.body.usage).sort(), ['completion_tokens', 'prompt_tokens', 'prompt_tokens_details', 'total_tokens']);
        await chat(streamed('Qwen/Qwen3-Coder-30B-A3B-Instruct', extra, 5));
        const second = await chat(streamed('Qwen/Qwen3-Coder-30B-A3B-Instruct', extra, 5));
        const usage = JSON.parse(events(second.text).at(-2)!).usage;
        const cached = usage.prompt_tokens_details.cached_tokens;
        assert.ok(cached > 0 && cached < 256 && cached % 16 === 0, `${dialect}: ${cached}`);
        assert.ok(cached < usage.prompt_tokens);
      }
    });

    it('llama.cpp: plain usage, and timings (cache_n, prompt_n) on the chunk with finish_reason', async () => {
      use('llama.cpp');
      await chat(streamed('m'));
      const reply = await chat(streamed('m'));
      const chunks = events(reply.text);
      assert.equal(chunks.at(-1), '[DONE]');
      const parsed = chunks.slice(0, -1).map((c) => JSON.parse(c));
      const usageChunk = parsed.at(-1);
      assert.deepEqual(usageChunk.choices, []);
      assert.deepEqual(Object.keys(usageChunk.usage), ['prompt_tokens', 'completion_tokens', 'total_tokens']);
      const last = parsed.at(-2);
      assert.equal(last.choices[0].finish_reason, 'stop');
      const { timings } = last;
      assert.deepEqual(Object.keys(timings).sort(), ['cache_n', 'predicted_ms', 'predicted_n', 'prompt_ms', 'prompt_n']);
      assert.ok(timings.cache_n > 0);
      assert.equal(timings.cache_n + timings.prompt_n, usageChunk.usage.prompt_tokens);
      assert.equal(timings.predicted_n, usageChunk.usage.completion_tokens);
      assert.ok(parsed.slice(0, -2).every((c) => c.timings === undefined), 'only the last content chunk has timings');
      const plain = await chat(chatBody('m'));
      assert.equal(plain.body.timings.cache_n + plain.body.timings.prompt_n, plain.body.usage.prompt_tokens);
    });

    it('Ollama and LM Studio: prompt_tokens, completion_tokens, total_tokens only', async () => {
      for (const [dialect, model] of [
        ['ollama', 'qwen3-coder:30b'],
        ['lmstudio', 'qwen/qwen3-coder-30b'],
      ] as const) {
        use(dialect);
        const reply = await chat(streamed(model));
        const usage = JSON.parse(events(reply.text).at(-2)!).usage;
        assert.deepEqual(Object.keys(usage), ['prompt_tokens', 'completion_tokens', 'total_tokens'], dialect);
        assert.deepEqual(Object.keys((await chat(chatBody(model))).body.usage), ['prompt_tokens', 'completion_tokens', 'total_tokens']);
      }
    });
  });

  describe('FIM on /completions', () => {
    it('parses FIM prompts: file-level, repo-level; wrong order or extra text is no FIM prompt', () => {
      assert.deepEqual(parseFimPrompt(fim('a', 'b')), { prefix: 'a', suffix: 'b' });
      const repo = `<|repo_name|>demo\n<|file_sep|>util.ts\nexport const x = 1;\n<|file_sep|>main.ts\n${fim('a', 'b')}`;
      assert.deepEqual(parseFimPrompt(repo), { prefix: 'a', suffix: 'b' });
      assert.equal(parseFimPrompt('<|fim_suffix|>b<|fim_prefix|>a<|fim_middle|>'), undefined);
      assert.equal(parseFimPrompt(`${fim('a', 'b')}more`), undefined);
      assert.equal(parseFimPrompt(`${fim('a<|fim_prefix|>', 'b')}`), undefined);
      assert.equal(parseFimPrompt(`junk ${fim('a', 'b')}`), undefined);
      assert.equal(parseFimPrompt('<|fim_prefix|>a<|fim_suffix|>'), undefined);
      assert.deepEqual(parseFimPrompt('<|fim_prefix|>a<|fim_suffix|>', true), { prefix: 'a', suffix: '' });
    });

    it('a valid FIM prompt gets the continuation of its prefix; a broken one gets garbage', async () => {
      for (const [dialect, model] of [
        ['vllm', 'Qwen/Qwen3-Coder-30B-A3B-Instruct'],
        ['sglang', 'Qwen/Qwen3-Coder-30B-A3B-Instruct'],
        ['llama.cpp', 'anything'],
        ['lmstudio', 'qwen2.5-coder-7b-instruct'],
      ] as const) {
        use(dialect);
        const ok = await completions({ model, prompt: fim(PREFIX), max_tokens: 64 });
        assert.equal(ok.body.object, 'text_completion', dialect);
        assert.equal(content(ok), CONTINUATION, dialect);
        assert.equal(ok.body.choices[0].finish_reason, 'stop');
        const swapped = await completions({ model, prompt: `<|fim_suffix|>\n<|fim_prefix|>${PREFIX}<|fim_middle|>`, max_tokens: 64 });
        assert.equal(content(swapped), FIM_GARBAGE, dialect);
        const chatty = await completions({ model, prompt: `Complete this code:\n${PREFIX}`, max_tokens: 64 });
        assert.equal(content(chatty), FIM_GARBAGE, dialect);
      }
    });

    it('streams text_completion chunks, finish_reason on the last, then usage and [DONE]; stop and max_tokens apply', async () => {
      use('vllm');
      const reply = await completions({
        model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
        prompt: fim(PREFIX),
        max_tokens: 64,
        stream: true,
        stream_options: { include_usage: true },
      });
      assert.equal(reply.status, 200);
      const chunks = events(reply.text);
      assert.equal(chunks.at(-1), '[DONE]');
      const parsed = chunks.slice(0, -1).map((c) => JSON.parse(c));
      const usage = parsed.at(-1);
      assert.deepEqual(usage.choices, []);
      assert.equal(usage.usage.completion_tokens > 0, true);
      assert.ok('prompt_tokens_details' in usage.usage);
      const textChunks = parsed.slice(0, -1);
      for (const c of textChunks) {
        assert.equal(c.object, 'text_completion');
        assert.match(c.id, /^cmpl-/);
        assert.equal(c.model, 'Qwen/Qwen3-Coder-30B-A3B-Instruct');
        assert.equal(typeof c.created, 'number');
        assert.deepEqual(Object.keys(c.choices[0]), ['index', 'text', 'logprobs', 'finish_reason']);
      }
      assert.equal(textChunks.map((c) => c.choices[0].text).join(''), CONTINUATION);
      assert.ok(textChunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null));
      assert.equal(textChunks.at(-1).choices[0].finish_reason, 'stop');

      const stopped = await completions({ model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', prompt: fim(PREFIX), max_tokens: 64, stop: ['\n'] });
      assert.equal(content(stopped), 'return a + b;');
      const cut = await completions({ model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', prompt: fim(PREFIX), max_tokens: 2 });
      assert.equal(cut.body.choices[0].finish_reason, 'length');
      sim.configure({ script: [{ prefixEndsWith: PREFIX, completion: 'x '.repeat(40) }] });
      const defaulted = await completions({ model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', prompt: fim(PREFIX) });
      assert.equal(defaulted.body.usage.completion_tokens, 16, 'vLLM defaults max_tokens to 16');
      assert.equal(defaulted.body.choices[0].finish_reason, 'length');
      const suffix = await completions({ model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', prompt: PREFIX, suffix: '\n' });
      assert.equal(suffix.status, 400, 'vLLM does not support suffix');
    });

    it('DashScope serves FIM for qwen2.5-coder models only', async () => {
      use('dashscope');
      const refused = await completions({ model: 'qwen3-coder-plus', prompt: fim(PREFIX) }, 'sk-sim-test');
      assert.equal(refused.status, 404);
      assert.match(refused.body.error.message, /does not support this API/);
      const served = await completions({ model: 'qwen2.5-coder-32b-instruct', prompt: fim(PREFIX) }, 'sk-sim-test');
      assert.equal(content(served), CONTINUATION);
      assert.deepEqual(served.body.usage.prompt_tokens_details, { cache_type: 'implicit', cached_tokens: 0 });
      const prefixOnly = await completions({ model: 'qwen2.5-coder-7b-instruct', prompt: `<|fim_prefix|>${PREFIX}<|fim_suffix|>` }, 'sk-sim-test');
      assert.equal(content(prefixOnly), CONTINUATION, 'the documented prefix-only form');
      assert.equal((await completions({ model: 'qwen2.5-coder-32b-instruct', prompt: fim(PREFIX) })).status, 401);
    });

    it('Ollama writes the FIM tokens itself from prompt and suffix; a raw FIM prompt is chat-templated', async () => {
      use('ollama');
      assert.equal(content(await completions({ model: 'qwen2.5-coder:7b', prompt: PREFIX, suffix: '\n' })), CONTINUATION);
      assert.equal(content(await completions({ model: 'qwen2.5-coder:7b', prompt: fim(PREFIX) })), FENCED);
      assert.equal(content(await completions({ model: 'qwen2.5-coder:7b', prompt: fim(PREFIX), suffix: '' })), FIM_GARBAGE);
      const noInsert = await completions({ model: 'qwen3:8b', prompt: PREFIX, suffix: '\n' });
      assert.equal(noInsert.status, 400);
      assert.equal(noInsert.body.error.type, 'invalid_request_error');
    });

    it('promptIncludes matches the whole prompt; promptPrefixOf gives the FIM prefix', async () => {
      use('vllm', { script: [{ promptIncludes: 'export const x', prefixEndsWith: 'x + ', completion: '1;' }] });
      const repo = `<|repo_name|>demo\n<|file_sep|>util.ts\nexport const x = 1;\n<|file_sep|>main.ts\n${fim('const y = x + ')}`;
      assert.equal(content(await completions({ model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', prompt: repo })), '1;');
      assert.equal(promptPrefixOf(sim.requests.at(-1)!), 'const y = x + ');
    });
  });

  describe('llama.cpp /infill', () => {
    beforeEach(() => use('llama.cpp'));

    it('streams {content, stop:false} events, then a final stop:true event with timings; no [DONE]', async () => {
      const reply = await request('POST', '/infill', { input_prefix: PREFIX, input_suffix: '\n', stream: true, cache_prompt: true, n_predict: 64 });
      assert.equal(reply.status, 200);
      const parsed = events(reply.text).map((e) => JSON.parse(e));
      const final = parsed.at(-1);
      const pieces = parsed.slice(0, -1);
      assert.ok(pieces.length > 1);
      for (const p of pieces) {
        assert.equal(p.stop, false);
        assert.equal(p.id_slot, 0);
        assert.equal(p.index, 0);
      }
      assert.equal(pieces.map((p) => p.content).join(''), CONTINUATION);
      assert.equal(final.stop, true);
      assert.equal(final.content, '');
      assert.equal(final.stop_type, 'eos');
      assert.equal(typeof final.model, 'string');
      assert.ok(final.tokens_predicted > 0 && final.tokens_evaluated > 0);
      for (const key of ['prompt_n', 'cache_n', 'predicted_n', 'prompt_ms', 'predicted_ms']) assert.equal(typeof final.timings[key], 'number', key);
      assert.equal(promptPrefixOf(sim.requests.at(-1)!), PREFIX);

      const limited = await request('POST', '/infill', { input_prefix: PREFIX, input_suffix: '', n_predict: 2 });
      assert.equal(limited.body.stop, true);
      assert.equal(limited.body.stop_type, 'limit');
      assert.equal(limited.body.tokens_predicted, 2);
    });

    it('validates input_extra and input_prefix in llama.cpp’s error shape; input_extra texts count for promptIncludes', async () => {
      let reply = await request('POST', '/infill', { input_prefix: 'a', input_suffix: '', input_extra: 'util.ts' });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, {
        error: { code: 400, message: '"input_extra" must be an array of {"filename": string, "text": string}', type: 'invalid_request_error' },
      });
      reply = await request('POST', '/infill', { input_prefix: 'a', input_extra: [{ filename: 'util.ts', content: 'x' }] });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error.type, 'invalid_request_error');
      reply = await request('POST', '/infill', { input_suffix: '' });
      assert.equal(reply.status, 400);

      sim.configure({ script: [{ promptIncludes: 'export const helper', completion: 'helper();' }] });
      const extra = [{ filename: 'util.ts', text: 'export const helper = () => 1;\n' }];
      assert.equal((await request('POST', '/infill', { input_prefix: 'const v = ', input_suffix: '', input_extra: extra })).body.content, 'helper();');
      assert.equal((await request('POST', '/infill', { input_prefix: 'const v = ', input_suffix: '' })).body.content, '');
    });

    it('scripted errors and faults apply to /infill and /completions', async () => {
      sim.configure({ script: [{ prefixEndsWith: 'boom', error: { status: 503, code: 'busy', message: 'Loading model' } }] });
      const busy = await request('POST', '/infill', { input_prefix: 'boom', input_suffix: '' });
      assert.equal(busy.status, 503);
      assert.deepEqual(busy.body, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
      sim.configure({ script: [{ prefixEndsWith: PREFIX, completion: CONTINUATION, fault: { kind: 'truncate', afterChunks: 1 } }] });
      const cut = await completions({ model: 'm', prompt: fim(PREFIX), stream: true });
      const parsed = events(cut.text);
      assert.equal(parsed.length, 1);
      assert.notEqual(parsed[0], '[DONE]');
    });

    it('latency applies and a client abort is recorded', async () => {
      sim.configure({ latency: { firstTokenMs: 2000 } });
      const controller = new AbortController();
      const pending = fetch(`${sim.url}/infill`, {
        method: 'POST',
        body: JSON.stringify({ input_prefix: PREFIX, input_suffix: '', stream: true }),
        signal: controller.signal,
      }).catch(() => undefined);
      const record = await sim.nextRequest();
      setTimeout(() => controller.abort(), 50);
      await pending;
      const settled = await sim.settled(record);
      assert.equal(settled.aborted, true);
      assert.equal(settled.completion, '');
      assert.ok(settled.prompt && settled.prompt.tokens > 0, 'the prompt was counted');
    });
  });
});
