import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { QwenClient } from '../../src/api/qwenClient';
import { ApiError, CancelledError, type StreamOutcome } from '../../src/core/backend';
import { classifyError, type ApiFailure, type ErrorCategory } from '../../src/core/errors';

type ApiFailureKind = ApiFailure['kind'];
import { silentLogger } from '../../src/core/logger';
import { buildMessages, buildRequestBody } from '../../src/core/prompt';
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from '../simulator/server';
import { recordingLogger } from './helpers/recordingLogger';

const KEY = 'sk-client-test-0123456789';

/** The real openai SDK, through our client, against the DashScope simulator over HTTP. */
describe('QwenClient against the DashScope simulator', () => {
  let sim: Simulator;
  let client: QwenClient;
  const logger = recordingLogger();

  before(async () => {
    sim = await startSimulator({ apiKeys: [KEY] });
    client = new QwenClient({ baseURL: sim.baseUrl, apiKey: KEY, logger });
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.configure({ ...SIMULATOR_DEFAULTS, apiKeys: [KEY] });
  });

  const body = (prefix: string, model = 'qwen3-coder-plus', maxTokens = 64) =>
    buildRequestBody(model, buildMessages('python', 'fib.py', prefix), maxTokens, 0.1);
  const stream = (prefix: string, extra: Partial<Parameters<QwenClient['stream']>[0]> = {}): Promise<StreamOutcome> =>
    client.stream({ body: body(prefix), signal: new AbortController().signal, timeoutMs: 5000, ...extra });

  it('sends exactly the documented partial-mode request', async () => {
    const prefix = 'def calculate_fibonacci(n):\n    if n <= 1:\n        return n\n    else:\n';
    sim.configure({ script: [{ prefixEndsWith: '    else:\n', completion: '        return calculate_fibonacci(n-1) + calculate_fibonacci(n-2)' }] });
    const outcome = await stream(prefix);
    const record = sim.requests[0];
    assert.equal(record.method, 'POST');
    assert.equal(record.path, '/compatible-mode/v1/chat/completions');
    assert.ok(!record.authorization.includes(KEY), 'the simulator log is redacted too');
    assert.deepEqual(record.body, {
      model: 'qwen3-coder-plus',
      messages: [
        { role: 'system', content: buildMessages('python', 'fib.py', '')[0].content },
        { role: 'user', content: 'Complete the python file "fib.py" at the end of the text. Add nothing else.' },
        { role: 'assistant', content: prefix, partial: true },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.1,
    });
    assert.equal(outcome.text, '        return calculate_fibonacci(n-1) + calculate_fibonacci(n-2)');
    assert.equal(outcome.finishReason, 'stop');
    assert.equal(outcome.stoppedEarly, false);
    assert.ok(outcome.usage && outcome.usage.promptTokens > 0 && outcome.usage.completionTokens > 0);
    assert.equal(outcome.requestId, record.id);
  });

  it('sends enable_thinking: false for a hybrid model, which the simulator then accepts', async () => {
    sim.configure({ defaultCompletion: 'x' });
    const outcome = await client.stream({ body: body('a = ', 'qwen-plus'), signal: new AbortController().signal, timeoutMs: 5000 });
    assert.equal(sim.requests[0].body.enable_thinking, false);
    assert.equal(outcome.text, 'x');
  });

  it('streams: onText sees the text grow chunk by chunk', async () => {
    sim.configure({ script: [{ prefixEndsWith: 'x = ', completion: 'compute(alpha, beta, gamma)' }], latency: { tokensPerChunk: 1 } });
    const seen: string[] = [];
    const outcome = await stream('x = ', { onText: (text) => (seen.push(text), true) });
    assert.ok(seen.length >= 5, `${seen.length} chunks`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].startsWith(seen[i - 1]) && seen[i].length > seen[i - 1].length);
    assert.equal(seen.at(-1), outcome.text);
    assert.equal(outcome.text, 'compute(alpha, beta, gamma)');
  });

  it('reports cached_tokens from the implicit cache', async () => {
    const longPrefix = Array.from({ length: 200 }, (_, i) => `value_${i} = compute(${i})`).join('\n') + '\n';
    sim.configure({ defaultCompletion: 'x' });
    const first = await stream(longPrefix);
    const second = await stream(longPrefix + 'y = ');
    assert.equal(first.usage?.cachedTokens, 0);
    assert.ok((second.usage?.cachedTokens ?? 0) >= 256, `cached ${second.usage?.cachedTokens}`);
  });

  it('an abort mid-stream closes the connection: the simulator sees it and stops sending', async () => {
    sim.configure({ script: [{ prefixEndsWith: 'slow = ', completion: 'a'.repeat(400), latency: { firstTokenMs: 10, perChunkMs: 20 } }] });
    const controller = new AbortController();
    const pending = client.stream({ body: body('slow = '), signal: controller.signal, timeoutMs: 5000, onText: () => true });
    const record = await sim.nextRequest();
    await new Promise((resolve) => setTimeout(resolve, 120));
    const abortedAt = Date.now();
    controller.abort();
    await assert.rejects(pending, CancelledError);
    const settled = await sim.settled(record);
    assert.equal(settled.aborted, true);
    assert.ok(settled.chunksSent < 100, `sent ${settled.chunksSent} chunks`);
    assert.ok((settled.endedAt ?? Infinity) - abortedAt < 500, 'closed at once');
  });

  it('onText returning false stops the stream and aborts the request (no more tokens billed)', async () => {
    sim.configure({ script: [{ prefixEndsWith: 'lines = ', completion: 'one\ntwo\nthree\nfour\nfive\n'.repeat(20), latency: { perChunkMs: 5 } }] });
    const outcome = await stream('lines = ', { onText: (text) => !text.includes('\n') });
    assert.equal(outcome.stoppedEarly, true);
    assert.ok(outcome.text.startsWith('one'));
    const settled = await sim.settled(sim.requests[0]);
    assert.equal(settled.aborted, true);
  });

  it('a request already cancelled is never sent', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.stream({ body: body('x'), signal: controller.signal, timeoutMs: 5000 }), CancelledError);
    assert.equal(sim.requests.length, 0);
  });

  it('times out a request that takes too long, and the simulator sees the abort', async () => {
    sim.configure({ script: [{ prefixEndsWith: 'late = ', completion: 'x', latency: { firstTokenMs: 3000 } }] });
    const error = await stream('late = ', { timeoutMs: 200 }).catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.failure.kind, 'timeout');
    assert.equal((await sim.settled(sim.requests[0])).aborted, true);
  });

  const errorCases: Array<[string, { status: number; code: string; message: string; retryAfterSeconds?: number }, ErrorCategory]> = [
    ['400 bad parameter', { status: 400, code: 'invalid_parameter_error', message: 'The parameter is invalid' }, 'badRequest'],
    ['400 input too long', { status: 400, code: 'invalid_parameter_error', message: 'Range of input length should be [1, 98304]' }, 'inputTooLong'],
    ['400 content inspection', { status: 400, code: 'data_inspection_failed', message: 'Input data may contain inappropriate content.' }, 'contentInspection'],
    ['400 arrearage', { status: 400, code: 'Arrearage', message: 'Access denied, please make sure your account is in good standing.' }, 'arrearage'],
    ['403 access denied', { status: 403, code: 'AccessDenied', message: 'Access denied.' }, 'forbidden'],
    ['429 rate limit', { status: 429, code: 'limit_requests', message: 'Requests rate limit exceeded, please try again later.', retryAfterSeconds: 9 }, 'rateLimit'],
    ['429 quota', { status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota' }, 'rateLimit'],
    ['500 server', { status: 500, code: 'internal_error', message: 'An internal error has occured' }, 'server'],
    ['503 server', { status: 503, code: 'internal_error', message: 'Service unavailable' }, 'server'],
  ];
  for (const [name, error, category] of errorCases) {
    it(`${name} becomes ${category} with its message`, async () => {
      sim.configure({ script: [{ prefixEndsWith: 'err = ', error }] });
      const failure = await stream('err = ').catch((e) => e);
      assert.ok(failure instanceof ApiError, String(failure));
      assert.equal(failure.failure.status, error.status);
      assert.equal(failure.failure.code, error.code);
      assert.equal(failure.failure.message, error.message);
      assert.equal(failure.failure.requestId, sim.requests[0].id);
      if (error.retryAfterSeconds) assert.equal(failure.failure.retryAfter, String(error.retryAfterSeconds));
      const classified = classifyError(failure.failure, { model: 'qwen3-coder-plus', endpoint: sim.baseUrl, now: Date.now() });
      assert.equal(classified.category, category);
    });
  }

  it('a wrong key is 401 -> auth, and the key appears in no log line', async () => {
    const wrong = new QwenClient({ baseURL: sim.baseUrl, apiKey: 'sk-wrong-key-999999', logger });
    const failure = await wrong.stream({ body: body('x'), signal: new AbortController().signal, timeoutMs: 5000 }).catch((e) => e);
    assert.ok(failure instanceof ApiError);
    assert.equal(failure.failure.status, 401);
    assert.equal(failure.failure.code, 'invalid_api_key');
    assert.equal(classifyError(failure.failure, { model: 'm', endpoint: sim.baseUrl, now: 0 }).category, 'auth');
    assert.ok(!failure.message.includes('sk-wrong-key-999999'));
    for (const line of logger.lines) assert.ok(!line.includes('sk-wrong-key-999999') && !line.includes(KEY), line);
  });

  it('an unknown model is 404 -> modelNotFound', async () => {
    const failure = await client.stream({ body: body('x', 'qwen9-coder-imaginary'), signal: new AbortController().signal, timeoutMs: 5000 }).catch((e) => e);
    assert.equal(failure.failure.status, 404);
    assert.equal(failure.failure.code, 'model_not_found');
    assert.equal(classifyError(failure.failure, { model: 'qwen9', endpoint: sim.baseUrl, now: 0 }).category, 'modelNotFound');
  });

  it('an error inside the stream (content inspection of the output) becomes contentInspection', async () => {
    sim.configure({ script: [{ prefixEndsWith: 'bad = ', completion: 'some text that goes on', error: { status: 400, code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.', midStreamAfterChunks: 2 } }] });
    const failure = await stream('bad = ').catch((e) => e);
    assert.ok(failure instanceof ApiError, String(failure));
    assert.equal(failure.failure.status, undefined);
    assert.equal(failure.failure.code, 'data_inspection_failed');
    assert.equal(classifyError(failure.failure, { model: 'm', endpoint: sim.baseUrl, now: 0 }).category, 'contentInspection');
  });

  const faults: Array<['drop' | 'truncate' | 'malformed', ApiFailureKind, ErrorCategory]> = [
    ['drop', 'network', 'network'],
    ['truncate', 'protocol', 'badResponse'],
    ['malformed', 'protocol', 'badResponse'],
  ];
  for (const [fault, kind, category] of faults) {
    it(`a stream that breaks off (${fault}) mid-answer is a ${category} failure, never a partial answer`, async () => {
      sim.configure({ script: [{ prefixEndsWith: 'cut = ', completion: 'compute(alpha, beta, gamma)', fault: { kind: fault, afterChunks: 2 } }] });
      const failure = await stream('cut = ').catch((e) => e);
      assert.ok(failure instanceof ApiError, `${failure}`);
      assert.equal(failure.failure.kind, kind);
      assert.equal(classifyError(failure.failure, { model: 'm', endpoint: sim.baseUrl, now: 0 }).category, category);
    });
  }

  it('without a key (a local server that needs none) it sends no Authorization header at all', async () => {
    sim.configure({ keyless: true, defaultCompletion: 'x' });
    const keyless = new QwenClient({ baseURL: sim.baseUrl, logger: silentLogger });
    const outcome = await keyless.stream({ body: body('a = '), signal: new AbortController().signal, timeoutMs: 5000 });
    assert.equal(outcome.text, 'x');
    assert.equal(sim.requests[0].authorization, '');
  });

  it('sends no OpenAI organization or project header, whatever the environment holds', async () => {
    const saved = { org: process.env.OPENAI_ORG_ID, project: process.env.OPENAI_PROJECT_ID };
    process.env.OPENAI_ORG_ID = 'org-leaky';
    process.env.OPENAI_PROJECT_ID = 'proj-leaky';
    try {
      sim.configure({ defaultCompletion: 'x' });
      const fresh = new QwenClient({ baseURL: sim.baseUrl, apiKey: KEY, logger: silentLogger });
      await fresh.stream({ body: body('a = '), signal: new AbortController().signal, timeoutMs: 5000 });
      const headers = JSON.stringify(sim.requests[0].headers);
      assert.ok(!headers.includes('leaky'), headers);
    } finally {
      for (const [name, value] of [['OPENAI_ORG_ID', saved.org], ['OPENAI_PROJECT_ID', saved.project]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('a server that is not there is a network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new QwenClient({ baseURL: `http://127.0.0.1:${port}/compatible-mode/v1`, apiKey: KEY, logger: silentLogger });
    const failure = await nowhere.stream({ body: body('x'), signal: new AbortController().signal, timeoutMs: 5000 }).catch((e) => e);
    assert.ok(failure instanceof ApiError);
    assert.equal(failure.failure.kind, 'network');
    assert.equal(classifyError(failure.failure, { model: 'm', endpoint: 'x', now: 0 }).category, 'network');
  });
});
