import * as assert from 'node:assert/strict';
import { streamCounted } from '../../src/core/countedStream';
import { buildFimPrompt, FIM } from '../../src/core/fim';
import { buildMessages, buildRequestBody } from '../../src/core/prompt';
import { infillUrlOf, SERVER_KINDS, type ServerKind, type WireStyle } from '../../src/core/servers';
import { apiKeySlot, DEFAULT_SETTINGS, normalizeSettings, serverOf } from '../../src/core/settings';
import { answer, ScriptedBackend } from './helpers/harness';

const messages = () => buildMessages('python', 'add.py', 'def add(a, b):\n    return a', '\n');
const snippet = { path: 'src/util.py', startLine: 0, endLine: 1, text: 'def mul(a, b):\n    return a * b', source: 'imports', score: 1 } as const;

describe('servers: each dialect writes the continuation the way its server documents', () => {
  it('DashScope: the last message carries partial:true, and no other server field', () => {
    const body = buildRequestBody('qwen3-coder-plus', messages(), 64, 0.1, 'dashscope');
    assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: 'def add(a, b):\n    return a', partial: true });
    assert.equal(body.continue_final_message, undefined);
    assert.equal(body.add_generation_prompt, undefined);
  });

  for (const server of ['vllm', 'sglang'] as const) {
    it(`${server}: continue_final_message with add_generation_prompt:false (it defaults to true), no partial flag`, () => {
      const body = buildRequestBody('Qwen/Qwen3-Coder-30B-A3B-Instruct', messages(), 64, 0.1, server);
      assert.equal(body.continue_final_message, true);
      assert.equal(body.add_generation_prompt, false);
      assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: 'def add(a, b):\n    return a' });
      assert.equal(body.enable_thinking, undefined);
      assert.equal(body.chat_template_kwargs, undefined, 'a coder model is not hybrid');
    });
  }

  for (const server of ['llama.cpp', 'ollama', 'lmstudio'] as const) {
    it(`${server}: a plain final assistant message (a prefill), no extra fields`, () => {
      const body = buildRequestBody('qwen3-coder:30b', messages(), 64, 0.1, server);
      assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: 'def add(a, b):\n    return a' });
      assert.deepEqual(Object.keys(body).sort(), ['max_tokens', 'messages', 'model', 'stream', 'stream_options', 'temperature']);
    });
  }

  it('a hybrid Qwen3 model gets each server’s own switch for thinking off', () => {
    const thinking = (server: ServerKind, model: string) => {
      const { model: _m, messages: _s, stream: _t, stream_options: _o, max_tokens: _x, temperature: _p, continue_final_message: _c, add_generation_prompt: _a, ...rest } = buildRequestBody(model, messages(), 8, 0, server);
      return rest;
    };
    assert.deepEqual(thinking('dashscope', 'qwen-plus'), { enable_thinking: false });
    assert.deepEqual(thinking('vllm', 'Qwen/Qwen3-8B'), { chat_template_kwargs: { enable_thinking: false } });
    assert.deepEqual(thinking('sglang', 'Qwen/Qwen3-8B'), { chat_template_kwargs: { enable_thinking: false } });
    assert.deepEqual(thinking('llama.cpp', 'Qwen/Qwen3-8B'), { chat_template_kwargs: { enable_thinking: false } });
    assert.deepEqual(thinking('ollama', 'qwen3-8b'), { think: false });
    assert.deepEqual(thinking('lmstudio', 'qwen3-8b'), {});
  });
});

describe('servers: fill-in-the-middle', () => {
  it('the file-level prompt is prefix, suffix, middle in that order', () => {
    const prompt = buildFimPrompt({ prefix: 'def add(a, b):\n    return a', suffix: '\n\nprint(add(1, 2))\n', fileName: 'add.py', context: [] });
    assert.equal(prompt, '<|fim_prefix|>def add(a, b):\n    return a<|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>');
  });

  it('other files come first as repository-level sections, the current file last, then the FIM part', () => {
    const prompt = buildFimPrompt({ prefix: 'x = ', suffix: '', fileName: 'main.py', projectName: 'shop', context: [snippet] });
    assert.equal(
      prompt,
      `${FIM.repoName}shop\n${FIM.fileSep}src/util.py\ndef mul(a, b):\n    return a * b\n${FIM.fileSep}main.py\n${FIM.prefix}x = ${FIM.suffix}${FIM.middle}`,
    );
  });

  it('a file outside any workspace folder still gets a repository name', () => {
    const prompt = buildFimPrompt({ prefix: 'x', suffix: '', fileName: 'a.py', context: [snippet] });
    assert.ok(prompt.startsWith('<|repo_name|>project\n<|file_sep|>src/util.py\n'));
  });

  const sent = async (wire: WireStyle, model = 'qwen2.5-coder-32b-instruct') => {
    const backend = new ScriptedBackend([answer(' + b')]);
    const counted = await streamCounted(backend, {
      languageId: 'python', fileName: 'add.py', projectName: 'shop', wire, prefix: 'def add(a, b):\n    return a', suffix: '\n', context: [snippet],
      model, maxTokens: 32, temperature: 0, timeoutMs: 1000, signal: new AbortController().signal, onText: () => true,
    });
    assert.equal(counted.kind, 'answered');
    return backend.calls[0] as unknown as { endpoint?: string; body: Record<string, unknown> };
  };

  it('partial style goes to the chat API whatever the server', async () => {
    for (const server of SERVER_KINDS) assert.equal((await sent({ server, promptStyle: 'partial' })).endpoint, 'chat');
  });

  it('vLLM, SGLang, LM Studio and DashScope get a raw FIM prompt on /completions, with the FIM stop strings', async () => {
    for (const server of ['dashscope', 'vllm', 'sglang', 'lmstudio'] as const) {
      const call = await sent({ server, promptStyle: 'fim' });
      assert.equal(call.endpoint, 'completions');
      assert.match(String(call.body.prompt), /^<\|repo_name\|>shop\n<\|file_sep\|>src\/util\.py\n[\s\S]*<\|fim_prefix\|>def add\(a, b\):\n {4}return a<\|fim_suffix\|>\n<\|fim_middle\|>$/);
      // A model that runs past the middle starts another file or FIM section: cut there.
      assert.deepEqual(call.body.stop, ['<|endoftext|>', '<|file_sep|>', '<|fim_prefix|>', '<|repo_name|>', '<|im_end|>']);
      assert.equal(call.body.messages, undefined);
    }
  });

  it('Ollama gets prompt and suffix on /completions: it writes the FIM tokens itself', async () => {
    const call = await sent({ server: 'ollama', promptStyle: 'fim' }, 'qwen2.5-coder:7b');
    assert.equal(call.endpoint, 'completions');
    assert.equal(call.body.prompt, 'def add(a, b):\n    return a');
    assert.equal(call.body.suffix, '\n');
  });

  it('llama.cpp gets /infill with input_prefix, input_suffix and the other files as input_extra', async () => {
    const call = await sent({ server: 'llama.cpp', promptStyle: 'fim' });
    assert.equal(call.endpoint, 'infill');
    assert.deepEqual(call.body, {
      input_prefix: 'def add(a, b):\n    return a',
      input_suffix: '\n',
      input_extra: [{ filename: 'src/util.py', text: 'def mul(a, b):\n    return a * b' }],
      n_predict: 32,
      temperature: 0,
      stream: true,
      cache_prompt: true,
    });
  });

  it("/infill is at the server's root, beside /v1", () => {
    assert.equal(infillUrlOf('http://localhost:8080/v1'), 'http://localhost:8080/infill');
    assert.equal(infillUrlOf('http://localhost:8080/v1/'), 'http://localhost:8080/infill');
    assert.equal(infillUrlOf('http://gpu-box:8080'), 'http://gpu-box:8080/infill');
  });
});

describe('servers: settings, addresses and keys', () => {
  it('server and promptStyle are read with their defaults, and unknown values fall back', () => {
    const read = (values: Record<string, unknown>) => normalizeSettings((key) => values[key]);
    assert.equal(read({}).server, 'dashscope');
    assert.equal(read({}).promptStyle, 'partial');
    assert.equal(read({ server: 'vllm', promptStyle: 'fim' }).server, 'vllm');
    assert.equal(read({ server: 'vllm', promptStyle: 'fim' }).promptStyle, 'fim');
    assert.equal(read({ server: 'tgi', promptStyle: 'spm' }).server, 'dashscope');
    assert.equal(read({ server: 'tgi', promptStyle: 'spm' }).promptStyle, 'partial');
  });

  it('a self-hosted server with no base URL is at its documented local address', () => {
    const at = (server: ServerKind) => serverOf({ ...DEFAULT_SETTINGS, server }).baseUrl;
    assert.equal(at('vllm'), 'http://localhost:8000/v1');
    assert.equal(at('sglang'), 'http://localhost:30000/v1');
    assert.equal(at('llama.cpp'), 'http://localhost:8080/v1');
    assert.equal(at('ollama'), 'http://localhost:11434/v1');
    assert.equal(at('lmstudio'), 'http://localhost:1234/v1');
    assert.equal(at('dashscope'), 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
    assert.equal(serverOf({ ...DEFAULT_SETTINGS, server: 'vllm', baseUrl: 'http://gpu:9000/v1' }).baseUrl, 'http://gpu:9000/v1');
  });

  it('a self-hosted server has its own key slot per origin: a DashScope key is never its key', () => {
    assert.equal(apiKeySlot({ ...DEFAULT_SETTINGS, server: 'vllm' }), 'custom:http://localhost:8000');
    assert.equal(apiKeySlot({ ...DEFAULT_SETTINGS, server: 'vllm', baseUrl: 'https://llm.corp.example/v1' }), 'custom:https://llm.corp.example');
    assert.equal(apiKeySlot({ ...DEFAULT_SETTINGS }), 'singapore');
  });
});
