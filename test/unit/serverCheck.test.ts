import * as assert from 'node:assert/strict';
import { ApiError, type StreamOutcome, type StreamRequest } from '../../src/core/backend';
import { checkServer, judgeContinuation, type ModelListing } from '../../src/core/serverCheck';
import { describeReport, summarize } from '../../src/core/serverCheckReport';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { ScriptedBackend } from './helpers/harness';

const RESTART = 'Here is the completed code:\n\n```python\ndef add(a, b):\n    return a + b\n```\n';

/** A server that continues only when asked the vLLM way (continue_final_message), and restarts otherwise. */
function vllmLike(text = ' + b\n'): (request: StreamRequest) => Promise<StreamOutcome> {
  return async (request) => {
    const body = request.body as { continue_final_message?: boolean };
    const answer = body.continue_final_message === true ? text : RESTART;
    return { text: answer, finishReason: 'stop', stoppedEarly: false, totalMs: 40, firstTokenMs: 12, usage: { promptTokens: 48, completionTokens: 3, cachedTokens: 16 } };
  };
}

const listed = (...models: Array<[string, string]>): ModelListing => ({ kind: 'listed', models: models.map(([id, ownedBy]) => ({ id, ownedBy })) });

async function check(settings: Partial<Settings>, behaviour: (request: StreamRequest) => Promise<StreamOutcome>, listing: ModelListing) {
  const backend = new ScriptedBackend([behaviour]);
  const report = await checkServer({
    settings: { ...DEFAULT_SETTINGS, ...settings },
    endpoint: 'http://localhost:8000/v1',
    probe: { backend, listModels: async () => listing },
    signal: new AbortController().signal,
    now: () => 0,
  });
  return { report, backend };
}

describe('Check Server', () => {
  it('judges an answer: a continuation, a restart (fence, the code again, prose), thinking, FIM tokens, nothing', () => {
    assert.equal(judgeContinuation(' + b\n'), 'continued');
    assert.equal(judgeContinuation('+b'), 'continued');
    assert.equal(judgeContinuation('\n'), 'empty');
    assert.equal(judgeContinuation(RESTART), 'restarted');
    assert.equal(judgeContinuation('def add(a, b):\n    return a + b'), 'restarted');
    assert.equal(judgeContinuation('Sure, here it is'), 'restarted');
    assert.equal(judgeContinuation('<think>\nhmm\n</think>\n + b'), 'thinking');
    assert.equal(judgeContinuation('<|fim_pad|>\n}\n}'), 'garbled');
    assert.equal(judgeContinuation('  Here is'), 'restarted', 'prose after spaces');
    assert.equal(judgeContinuation("Don't worry"), 'restarted', 'a contraction');
    assert.equal(judgeContinuation('Here!'), 'restarted');
    assert.equal(judgeContinuation('Foo.bar'), 'continued', 'a capitalised name in code is no prose');
    assert.equal(judgeContinuation('Xa'), 'continued');
  });

  it('the right dialect: continued, the model found, timing and usage reported, nothing to fix', async () => {
    const { report } = await check({ server: 'vllm', model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct' }, vllmLike(), listed(['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'vllm']));
    assert.equal(report.reachable, true);
    assert.equal(report.modelFound, true);
    assert.equal(report.detected, 'vllm');
    assert.equal(report.answer?.verdict, 'continued');
    assert.equal(report.answer?.firstTokenMs, 12);
    assert.deepEqual(report.answer?.usage, { promptTokens: 48, completionTokens: 3, cachedTokens: 16 });
    assert.deepEqual(report.fixes, []);
    assert.match(summarize(report), /continued the text: completions work \(first token after 12 ms\)/);
    assert.ok(describeReport(report, 'Qwen/Qwen3-Coder-30B-A3B-Instruct').some((line) => /usage reported: prompt 48 tok \(cached 16\)/.test(line)));
  });

  it('the wrong dialect: the restart is caught, the other ways are tried, and the one that continues is the fix', async () => {
    const { report, backend } = await check({ server: 'dashscope', model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct' }, vllmLike(), listed(['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'vllm']));
    assert.equal(report.answer?.verdict, 'restarted');
    assert.deepEqual(report.fixes, [{ kind: 'setServer', server: 'vllm' }]);
    assert.equal(report.alternatives.at(-1)?.verdict, 'continued');
    // The first request in DashScope's dialect, then vLLM's (the detected server) which continued: no more.
    assert.equal(backend.calls.length, 2);
    assert.match(summarize(report), /restarted the answer/);
    assert.ok(describeReport(report, 'm').some((line) => line.includes('Fix: Set qwenInline.server to "vllm" (vLLM)')));
  });

  it('an SGLang server that restarts as llama.cpp gets "sglang", the detected server that continues the same way', async () => {
    const { report } = await check({ server: 'llama.cpp', model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct' }, vllmLike(), listed(['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'sglang']));
    assert.deepEqual(report.fixes, [{ kind: 'setServer', server: 'sglang' }]);
  });

  it('no dialect continues: FIM is suggested', async () => {
    const restarts = async (): Promise<StreamOutcome> => ({ text: RESTART, finishReason: 'stop', stoppedEarly: false, totalMs: 10 });
    const { report, backend } = await check({ server: 'lmstudio', model: 'm' }, restarts, listed(['m', 'organization_owner']));
    assert.deepEqual(report.fixes, [{ kind: 'setPromptStyle', promptStyle: 'fim' }]);
    assert.equal(backend.calls.length, 3, 'LM Studio’s own way, then DashScope’s and vLLM’s');
  });

  it('an unreachable server: one line, and the base URL to check', async () => {
    const { report, backend } = await check({ server: 'vllm' }, vllmLike(), { kind: 'failed', failure: { kind: 'network', message: 'ECONNREFUSED' } });
    assert.equal(report.reachable, false);
    assert.deepEqual(report.fixes, [{ kind: 'setBaseUrl' }]);
    assert.equal(backend.calls.length, 0);
    assert.match(summarize(report), /Cannot reach/);
  });

  it('a key the server refuses: set the key for this server', async () => {
    const refused = async (): Promise<StreamOutcome> => {
      throw new ApiError({ kind: 'http', status: 401, message: 'Unauthorized' });
    };
    const { report } = await check({ server: 'vllm' }, refused, { kind: 'failed', failure: { kind: 'http', status: 401, message: 'Unauthorized' } });
    assert.equal(report.failure?.category, 'auth');
    assert.deepEqual(report.fixes, [{ kind: 'setApiKey' }]);
  });

  it('a model the server does not have: its own models are offered, coder models first', async () => {
    const unknown = async (): Promise<StreamOutcome> => {
      throw new ApiError({ kind: 'http', status: 404, message: 'The model `qwen3-coder-plus` does not exist.' });
    };
    const { report } = await check({ server: 'vllm', model: 'qwen3-coder-plus' }, unknown, listed(['Qwen/Qwen3-8B', 'vllm'], ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'vllm']));
    assert.equal(report.modelFound, false);
    assert.deepEqual(report.fixes, [{ kind: 'selectModel', suggestions: ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'Qwen/Qwen3-8B'] }]);
  });

  it('a server that serves any model name (llama.cpp) still works: the unlisted name is a soft fix', async () => {
    const { report } = await check({ server: 'llama.cpp', model: 'anything' }, async () => ({ text: ' + b', finishReason: 'stop', stoppedEarly: false, totalMs: 5 }), listed(['qwen2.5-coder-7b-q8_0.gguf', 'llamacpp']));
    assert.equal(report.answer?.verdict, 'continued');
    assert.deepEqual(report.fixes, [{ kind: 'selectModel', suggestions: ['qwen2.5-coder-7b-q8_0.gguf'] }]);
  });
});

describe('Check Server: DashScope fill-in-the-middle', () => {
  it('a model DashScope serves no FIM for: partial mode, or one of its qwen2.5-coder models', async () => {
    const refused = async (): Promise<StreamOutcome> => {
      throw new ApiError({ kind: 'http', status: 404, code: 'not_found', message: 'no FIM for qwen3-coder-plus' });
    };
    const { report } = await check({ server: 'dashscope', promptStyle: 'fim', model: 'qwen3-coder-plus' }, refused, listed(['qwen3-coder-plus', 'system'], ['qwen2.5-coder-32b-instruct', 'system']));
    assert.deepEqual(report.fixes, [{ kind: 'setPromptStyle', promptStyle: 'partial' }, { kind: 'selectModel', suggestions: ['qwen2.5-coder-32b-instruct'] }]);
  });
});

describe('Check Server: the rest of the fixes', () => {
  const continues = async (): Promise<StreamOutcome> => ({ text: ' + b', finishReason: 'stop', stoppedEarly: false, totalMs: 5 });

  it('a server that continued but is another kind, asked another way, is named', async () => {
    const { report } = await check({ server: 'dashscope', model: 'm' }, continues, listed(['m', 'llamacpp']));
    assert.deepEqual(report.fixes, [{ kind: 'setServer', server: 'llama.cpp' }]);
    const same = await check({ server: 'ollama', model: 'm' }, continues, listed(['m', 'llamacpp']));
    assert.deepEqual(same.report.fixes, [], 'Ollama and llama.cpp continue the same way');
  });

  it('FIM tokens written back in FIM style: back to partial; FIM is never retried in other dialects', async () => {
    const garbles = async (): Promise<StreamOutcome> => ({ text: '<|fim_pad|>}', finishReason: 'stop', stoppedEarly: false, totalMs: 5 });
    const { report, backend } = await check({ server: 'vllm', promptStyle: 'fim', model: 'm' }, garbles, listed(['m', 'vllm']));
    assert.deepEqual(report.fixes, [{ kind: 'setPromptStyle', promptStyle: 'partial' }]);
    assert.equal(backend.calls.length, 1);
    const partial = await check({ server: 'vllm', promptStyle: 'partial', model: 'm' }, garbles, listed(['m', 'vllm']));
    assert.ok(!partial.report.fixes.some((fix) => fix.kind === 'setPromptStyle' && fix.promptStyle === 'partial'));
  });

  it('a timeout on the model list is unreachable too; a 401 on the list asks for the key even when the completion fails otherwise', async () => {
    const slow = await check({ server: 'vllm' }, vllmLike(), { kind: 'failed', failure: { kind: 'timeout', message: 'slow' } });
    assert.equal(slow.report.reachable, false);
    const broken = async (): Promise<StreamOutcome> => {
      throw new ApiError({ kind: 'http', status: 500, message: 'boom' });
    };
    const keyed = await check({ server: 'vllm' }, broken, { kind: 'failed', failure: { kind: 'http', status: 401, message: 'Unauthorized' } });
    assert.equal(keyed.report.reachable, true);
    assert.deepEqual(keyed.report.fixes, [{ kind: 'setApiKey' }]);
    const missing = await check({ server: 'vllm' }, broken, { kind: 'failed', failure: { kind: 'http', status: 404, message: 'no /models' } });
    assert.deepEqual(missing.report.fixes, []);
    assert.equal(missing.report.models, undefined);
  });

  it('the check asks as a Python file, with a line break after the cursor, and the tiny limit', async () => {
    const { backend } = await check({ server: 'vllm', model: 'm' }, vllmLike(), listed(['m', 'vllm']));
    const body = backend.calls[0].body;
    assert.equal(body.max_tokens, 24);
    assert.equal(body.temperature, 0);
    assert.match(body.messages[1].content, /Complete the python file "check\.py"/);
  });

  it('a model refused on DashScope outside FIM, or a 403: the server’s models, not the prompt style', async () => {
    const forbidden = async (): Promise<StreamOutcome> => {
      throw new ApiError({ kind: 'http', status: 403, code: 'AccessDenied', message: 'denied' });
    };
    const { report } = await check({ server: 'dashscope', model: 'm' }, forbidden, listed(['qwen3-coder-plus', 'system']));
    assert.deepEqual(report.fixes, [{ kind: 'selectModel', suggestions: ['qwen3-coder-plus'] }]);
  });
});
