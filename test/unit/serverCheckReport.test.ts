import * as assert from 'node:assert/strict';
import type { CheckAnswer, CheckReport } from '../../src/core/serverCheck';
import { describeReport, fixLabel, summarize } from '../../src/core/serverCheckReport';

const RESTARTED: CheckAnswer = {
  wire: { server: 'dashscope', promptStyle: 'partial' },
  verdict: 'restarted',
  text: 'Here is the completed code:\n\n```python\ndef add(a, b):\n    return a + b\n```\n',
  firstTokenMs: 120,
  totalMs: 290,
  usage: { promptTokens: 200, completionTokens: 24, cachedTokens: 0 },
};
const CONTINUED: CheckAnswer = { wire: { server: 'vllm', promptStyle: 'partial' }, verdict: 'continued', text: ' + b\n', firstTokenMs: 110, totalMs: 150 };

const WRONG_DIALECT: CheckReport = {
  endpoint: 'http://gpu:8000/v1',
  wire: { server: 'dashscope', promptStyle: 'partial' },
  reachable: true,
  models: [{ id: 'qwen3-coder', ownedBy: 'vllm' }],
  modelFound: true,
  detected: 'vllm',
  answer: RESTARTED,
  alternatives: [CONTINUED],
  fixes: [{ kind: 'setServer', server: 'vllm' }],
};

describe('Check Server: the report in words', () => {
  it('says what was asked, what came back, how fast, what it cost, and the fix, line by line', () => {
    assert.deepEqual(describeReport(WRONG_DIALECT, 'qwen3-coder'), [
      'Server http://gpu:8000/v1, asked as DashScope, partial, model "qwen3-coder".',
      'Reachable.',
      'It lists 1 model (it looks like vLLM); "qwen3-coder" is among them.',
      'Asked as DashScope, partial: it restarted the answer instead of continuing the text (the server did not read the request as a continuation): "Here is the completed code:\\n\\n```python\\ndef add(a, b):\\n    re…".',
      'first token after 120 ms, done after 290 ms; usage reported: prompt 200 tok (cached 0), completion 24 tok.',
      'Asked as vLLM, partial: it continued the text: " + b\\n".',
      'Fix: Set qwenInline.server to "vllm" (vLLM).',
    ]);
    assert.equal(summarize(WRONG_DIALECT), 'The server restarted the answer instead of continuing the text (the server did not read the request as a continuation).');
  });

  it('a server that lists no models, an answer with no text and no usage, and an unknown model', () => {
    const report: CheckReport = { ...WRONG_DIALECT, models: undefined, modelFound: undefined, detected: undefined, answer: { ...CONTINUED, verdict: 'empty', text: '', firstTokenMs: undefined, usage: undefined }, alternatives: [], fixes: [] };
    const lines = describeReport(report, 'm');
    assert.equal(lines[2], 'The server does not list its models; "m" could not be looked up.');
    assert.equal(lines[3], 'Asked as vLLM, partial: it answered nothing: "".');
    assert.equal(lines[4], 'no text, done after 150 ms; no usage reported (tokens are estimated).');
    assert.equal(summarize(report), 'The server answered nothing.');
    const unknown: CheckReport = { ...WRONG_DIALECT, models: [{ id: 'a' }, { id: 'b' }], modelFound: false, detected: undefined, answer: CONTINUED, alternatives: [], fixes: [] };
    assert.equal(describeReport(unknown, 'm')[2], 'It lists 2 models; "m" is not among them.');
    assert.equal(summarize(unknown), 'The server continued the text, but does not list the model.');
    assert.equal(summarize({ ...unknown, modelFound: true }), 'The server continued the text: completions work (first token after 110 ms).');
  });

  it('unreachable, and a failed completion', () => {
    const failure = { category: 'network', message: 'Cannot reach http://gpu:8000/v1: ECONNREFUSED.', action: 'openSettings', detail: 'network, "ECONNREFUSED"' } as const;
    const unreachable: CheckReport = { endpoint: 'http://gpu:8000/v1', wire: { server: 'vllm', promptStyle: 'fim' }, reachable: false, failure, alternatives: [], fixes: [{ kind: 'setBaseUrl' }] };
    assert.deepEqual(describeReport(unreachable, 'm'), ['Server http://gpu:8000/v1, asked as vLLM, fim, model "m".', 'Not reachable: network (network, "ECONNREFUSED")']);
    assert.equal(summarize(unreachable), 'Cannot reach http://gpu:8000/v1.');
    const failed: CheckReport = { ...WRONG_DIALECT, answer: undefined, alternatives: [], failure: { ...failure, category: 'auth', message: 'Refused (401).', detail: 'http, status 401' }, fixes: [{ kind: 'setApiKey' }] };
    assert.ok(describeReport(failed, 'm').includes('The completion failed: auth (http, status 401)'));
    assert.equal(summarize(failed), 'Refused (401).');
  });

  it('every fix has a button label that says what it does', () => {
    assert.equal(fixLabel({ kind: 'setPromptStyle', promptStyle: 'fim' }), 'Set qwenInline.promptStyle to "fim"');
    assert.equal(fixLabel({ kind: 'setApiKey' }), 'Set the API key for this server');
    assert.equal(fixLabel({ kind: 'selectModel', suggestions: ['a', 'b', 'c', 'd'] }), 'Select a model the server has (a, b, c)');
    assert.equal(fixLabel({ kind: 'selectModel', suggestions: [] }), 'Select another model');
    assert.equal(fixLabel({ kind: 'setBaseUrl' }), 'Start the server, or check qwenInline.baseUrl');
  });
});
