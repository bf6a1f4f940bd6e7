import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import OpenAI from 'openai';
import { corpusDefinitions, plausibleRename, SIMULATOR_DEFAULTS, startSimulator, tokenize, type Simulator, type SimulatorOptions, type RequestRecord } from '../simulator/server';

const KEY = 'sk-sim-test';

const DEFAULTS: Partial<SimulatorOptions> = { ...SIMULATOR_DEFAULTS, apiKeys: [KEY] };

interface JsonReply {
  status: number;
  headers: Headers;
  body: any;
}

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  sentAt: number;
  firstDataAt?: number;
}

function partialBody(prefix: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'qwen3-coder-plus',
    messages: [
      { role: 'system', content: 'You complete code. Reply with the continuation only.' },
      { role: 'assistant', content: prefix, partial: true },
    ],
    ...extra,
  };
}

/** Splits a raw SSE body into its events; asserts every event is exactly one `data: ` line. */
function sseEvents(text: string): string[] {
  assert.ok(text.endsWith('\n\n'), 'the stream ends with a blank line');
  const events = text.slice(0, -2).split('\n\n');
  for (const event of events) {
    assert.ok(event.startsWith('data: '), `event starts with "data: ": ${JSON.stringify(event)}`);
    assert.ok(!event.includes('\n'), `event is a single line: ${JSON.stringify(event)}`);
  }
  return events.map((event) => event.slice('data: '.length));
}

describe('DashScope simulator', function () {
  this.timeout(5000);
  let sim: Simulator;

  async function post(path: string, body: unknown, key: string | null = KEY): Promise<JsonReply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const response = await fetch(sim.url + path, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  const chat = (body: unknown, key: string | null = KEY) => post('/compatible-mode/v1/chat/completions', body, key);

  /** A raw HTTP request, to see the server's exact bytes. */
  function rawChat(body: unknown, onData?: (soFar: string, req: http.ClientRequest) => void): Promise<RawReply> {
    return new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const url = new URL(sim.baseUrl + '/chat/completions');
      const sentAt = Date.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const reply: RawReply = { status: res.statusCode ?? 0, headers: res.headers, text: '', sentAt };
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (reply.firstDataAt === undefined && chunk.includes('data: ')) reply.firstDataAt = Date.now();
            reply.text += chunk;
            onData?.(reply.text, req);
          });
          res.on('end', () => resolve(reply));
          res.on('close', () => resolve(reply));
          res.on('error', () => resolve(reply));
        },
      );
      req.on('error', (error) => (req.destroyed ? resolve({ status: 0, headers: {}, text: '', sentAt }) : reject(error)));
      req.end(payload);
    });
  }

  function assertError(reply: JsonReply, status: number, code: string, type = 'invalid_request_error'): void {
    assert.equal(reply.status, status, JSON.stringify(reply.body));
    assert.deepEqual(Object.keys(reply.body), ['error', 'request_id']);
    assert.deepEqual(Object.keys(reply.body.error), ['message', 'type', 'param', 'code']);
    assert.equal(reply.body.error.code, code);
    assert.equal(reply.body.error.type, type);
    assert.equal(typeof reply.body.error.message, 'string');
    assert.equal(typeof reply.body.request_id, 'string');
    assert.equal(reply.headers.get('x-request-id'), reply.body.request_id);
  }

  before(async () => {
    sim = await startSimulator({ port: 0 });
  });

  after(async () => {
    await sim.close();
  });

  beforeEach(() => {
    sim.reset();
    sim.configure(DEFAULTS);
  });

  it('listens on an ephemeral port and exposes the compatible-mode base URL', () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(sim.url, 'http://127.0.0.1:0');
    assert.equal(sim.baseUrl, `${sim.url}/compatible-mode/v1`);
  });

  it('tokenize keeps the text and splits long identifiers', () => {
    const text = 'const averyLongIdentifier = 42;\n\t  x';
    const tokens = tokenize(text);
    assert.equal(tokens.join(''), text);
    assert.ok(tokens.every((t) => t.length <= 4));
    assert.deepEqual(tokens.slice(0, 3), ['cons', 't', ' ']);
  });

  describe('authentication', () => {
    it('401 invalid_api_key for a missing key, in the documented body', async () => {
      const reply = await chat(partialBody('x'), null);
      assert.equal(reply.status, 401);
      assert.deepEqual(reply.body, {
        error: { message: 'Incorrect API key provided. ', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
        request_id: reply.headers.get('x-request-id'),
      });
      assert.equal(sim.requests.at(-1)?.id, reply.body.request_id);
    });

    it('401 for an unknown key, and the record redacts it', async () => {
      const secret = 'sk-wrong-region-0123456789';
      const reply = await chat(partialBody('x'), secret);
      assertError(reply, 401, 'invalid_api_key');
      const record = sim.requests.at(-1)!;
      assert.equal(record.status, 401);
      assert.equal(record.errorCode, 'invalid_api_key');
      assert.equal(record.authorization, 'Bearer sk-w…[redacted]');
      assert.ok(!JSON.stringify(sim.requests).includes(secret));
    });

    it('accepts a key added at runtime', async () => {
      sim.configure({ apiKeys: ['sk-other'] });
      assert.equal((await chat(partialBody('x'), 'sk-other')).status, 200);
      assert.equal((await chat(partialBody('x'), KEY)).status, 401);
    });
  });

  describe('routes and models', () => {
    it('404 model_not_found for an unknown model', async () => {
      const reply = await chat({ ...partialBody('x'), model: 'qwen9-coder-ultra' });
      assertError(reply, 404, 'model_not_found');
      assert.equal(reply.body.error.message, 'The model `qwen9-coder-ultra` does not exist or you do not have access to it.');
    });

    it('accepts dated qwen3-coder snapshots but not other dated names', async () => {
      assert.equal((await chat({ ...partialBody('x'), model: 'qwen3-coder-plus-2025-09-23' })).status, 200);
      assert.equal((await chat({ ...partialBody('x'), model: 'qwen3-coder-mega-2025-09-23' })).status, 404);
    });

    it('lists models in the OpenAI list shape', async () => {
      const response = await fetch(`${sim.baseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } });
      assert.equal(response.status, 200);
      const body: any = await response.json();
      assert.equal(body.object, 'list');
      const ids = body.data.map((m: any) => m.id);
      for (const id of ['qwen3-coder-plus', 'qwen3-coder-flash', 'qwen3-coder-480b-a35b-instruct', 'qwen3-coder-30b-a3b-instruct', 'qwen-plus']) {
        assert.ok(ids.includes(id), id);
      }
      assert.equal(body.data[0].object, 'model');
    });

    it('404 with a JSON error body for other paths', async () => {
      const reply = await post('/compatible-mode/v1/completions', { model: 'qwen3-coder-plus', prompt: 'x' });
      assertError(reply, 404, 'not_found');
    });
  });

  describe('validation (400 invalid_parameter_error)', () => {
    const cases: Array<[string, Record<string, unknown>, string | null]> = [
      [
        'partial on a message that is not the last',
        {
          model: 'qwen3-coder-plus',
          messages: [
            { role: 'assistant', content: 'a', partial: true },
            { role: 'user', content: 'b' },
          ],
        },
        'messages[0].partial',
      ],
      [
        'partial on a user message',
        { model: 'qwen3-coder-plus', messages: [{ role: 'user', content: 'a', partial: true }] },
        'messages[0].partial',
      ],
      ['max_tokens 0', partialBody('x', { max_tokens: 0 }), 'max_tokens'],
      ['max_tokens above the model maximum', partialBody('x', { max_tokens: 65537 }), 'max_tokens'],
      ['max_completion_tokens 1.5', partialBody('x', { max_completion_tokens: 1.5 }), 'max_completion_tokens'],
      ['temperature 2', partialBody('x', { temperature: 2 }), 'temperature'],
      ['top_p 0', partialBody('x', { top_p: 0 }), 'top_p'],
      ['n 5', partialBody('x', { n: 5 }), 'n'],
      ['seed 2^31', partialBody('x', { seed: 2 ** 31 }), 'seed'],
      ['stop that is not strings', partialBody('x', { stop: [1] }), 'stop'],
      ['stream_options without stream', partialBody('x', { stream_options: { include_usage: true } }), 'stream_options'],
      ['a bad role', { model: 'qwen3-coder-plus', messages: [{ role: 'robot', content: 'a' }] }, 'messages[0].role'],
      ['empty messages', { model: 'qwen3-coder-plus', messages: [] }, 'messages'],
      ['missing model', { messages: [{ role: 'user', content: 'a' }] }, 'model'],
      ['enable_thinking true with partial on a hybrid model', { ...partialBody('x', { enable_thinking: true }), model: 'qwen-plus' }, 'enable_thinking'],
      ['partial on open-source Qwen3 (thinking on by default)', { ...partialBody('x'), model: 'qwen3-32b' }, 'enable_thinking'],
    ];
    for (const [name, body, param] of cases) {
      it(name, async () => {
        const reply = await chat(body);
        assertError(reply, 400, 'invalid_parameter_error');
        assert.equal(reply.body.error.param, param);
        assert.ok(reply.body.error.message.length > 10);
      });
    }

    it('a body that is not JSON', async () => {
      const reply = await chat('{"model":');
      assertError(reply, 400, 'invalid_parameter_error');
      assert.match(reply.body.error.message, /JSON/);
    });

    it('thinking: enable_thinking false makes hybrid models accept partial; coder models ignore the flag', async () => {
      assert.equal((await chat({ ...partialBody('x', { enable_thinking: false }), model: 'qwen3-32b' })).status, 200);
      assert.equal((await chat({ ...partialBody('x', { enable_thinking: false }), model: 'qwen-plus' })).status, 200);
      assert.equal((await chat({ ...partialBody('x'), model: 'qwen-plus' })).status, 200);
      assert.equal((await chat(partialBody('x', { enable_thinking: true }))).status, 200);
    });

    it('input too long: Range of input length should be [1, N]', async () => {
      const reply = await chat({ ...partialBody('x '.repeat(70_000)), model: 'qwen-plus' });
      assertError(reply, 400, 'invalid_parameter_error');
      assert.equal(reply.body.error.message, 'Range of input length should be [1, 131072]');
      // the same prompt fits qwen3-coder-plus's 1M context
      assert.equal((await chat(partialBody('x '.repeat(70_000)))).status, 200);
    });
  });

  describe('non-streaming', () => {
    it('returns the scripted continuation (not the prefix) in the documented body', async () => {
      const prefix = 'def calculate_fibonacci(n):\n    if n <= 1:\n        return n\n    else:\n';
      const continuation = '        return calculate_fibonacci(n-1) + calculate_fibonacci(n-2)';
      sim.configure({ script: [{ prefixEndsWith: 'else:\n', completion: continuation }] });
      const reply = await chat(partialBody(prefix));
      assert.equal(reply.status, 200);
      const body = reply.body;
      assert.deepEqual(Object.keys(body), ['choices', 'object', 'usage', 'created', 'system_fingerprint', 'model', 'id']);
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.model, 'qwen3-coder-plus');
      assert.equal(body.system_fingerprint, null);
      assert.match(body.id, /^chatcmpl-/);
      assert.ok(Number.isInteger(body.created) && Math.abs(body.created - Date.now() / 1000) < 5);
      assert.deepEqual(body.choices, [
        { message: { role: 'assistant', content: continuation }, finish_reason: 'stop', index: 0, logprobs: null },
      ]);
      assert.ok(!body.choices[0].message.content.includes('def calculate_fibonacci(n):'));
      const usage = body.usage;
      assert.deepEqual(Object.keys(usage), ['prompt_tokens', 'completion_tokens', 'total_tokens', 'prompt_tokens_details']);
      assert.equal(usage.completion_tokens, tokenize(continuation).length);
      assert.ok(usage.prompt_tokens > tokenize(prefix).length);
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
      assert.deepEqual(usage.prompt_tokens_details, { cache_type: 'implicit', cached_tokens: 0 });
      const record = sim.requests.at(-1)!;
      assert.equal(record.completion, continuation);
      assert.equal(record.finishReason, 'stop');
      assert.equal(record.stream, false);
      assert.deepEqual(record.usage, usage);
    });

    it('the first matching script entry wins, with model matching and times', async () => {
      sim.configure({
        script: [
          { model: 'qwen3-coder-flash', completion: 'FLASH' },
          { prefixIncludes: 'needle', completion: 'ONCE', times: 1 },
          { prefixIncludes: 'needle', completion: 'AGAIN' },
        ],
        defaultCompletion: 'DEFAULT',
      });
      const content = async (body: unknown) => (await chat(body)).body.choices[0].message.content;
      assert.equal(await content({ ...partialBody('a needle b'), model: 'qwen3-coder-flash' }), 'FLASH');
      assert.equal(await content(partialBody('a needle b')), 'ONCE');
      assert.equal(await content(partialBody('a needle b')), 'AGAIN');
      assert.equal(await content(partialBody('hay')), 'DEFAULT');
    });

    it('max_tokens truncates the content and finish_reason is length', async () => {
      const completion = 'alpha beta gamma delta epsilon';
      sim.configure({ script: [{ completion }] });
      const reply = await chat(partialBody('x', { max_tokens: 3 }));
      assert.equal(reply.body.choices[0].finish_reason, 'length');
      assert.equal(reply.body.choices[0].message.content, tokenize(completion).slice(0, 3).join(''));
      assert.equal(reply.body.usage.completion_tokens, 3);
      const full = await chat(partialBody('x', { max_tokens: 100 }));
      assert.equal(full.body.choices[0].finish_reason, 'stop');
      assert.equal(full.body.choices[0].message.content, completion);
    });

    it('stop sequences cut the content', async () => {
      sim.configure({ script: [{ completion: 'one\ntwo\n\nthree' }] });
      const reply = await chat(partialBody('x', { stop: ['\n\n'] }));
      assert.equal(reply.body.choices[0].message.content, 'one\ntwo');
      assert.equal(reply.body.choices[0].finish_reason, 'stop');
    });

    it('scripted errors use the documented body, type by status, and Retry-After', async () => {
      sim.configure({
        script: [
          { prefixIncludes: 'arrears', error: { status: 400, code: 'Arrearage', message: 'Access denied, please make sure your account is in good standing.' } },
          { prefixIncludes: 'boom', error: { status: 503, code: 'internal_error', message: 'Service unavailable', retryAfterSeconds: 7 } },
        ],
      });
      const arrears = await chat(partialBody('arrears'));
      assertError(arrears, 400, 'Arrearage');
      assert.equal(arrears.body.error.message, 'Access denied, please make sure your account is in good standing.');
      const boom = await chat(partialBody('boom'));
      assertError(boom, 503, 'internal_error', 'internal_error');
      assert.equal(boom.headers.get('retry-after'), '7');
    });
  });

  describe('streaming', () => {
    it('frames SSE exactly: role delta, content chunks, finish_reason, usage chunk, [DONE]', async () => {
      const completion = 'return a + b;\n}';
      sim.configure({ script: [{ completion }], latency: { tokensPerChunk: 2 } });
      const reply = await rawChat(partialBody('function add(a, b) {\n  ', { stream: true, stream_options: { include_usage: true } }));
      assert.equal(reply.status, 200);
      assert.match(String(reply.headers['content-type']), /^text\/event-stream/);
      assert.equal(typeof reply.headers['x-request-id'], 'string');
      const events = sseEvents(reply.text);
      assert.equal(events.at(-1), '[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
      for (const chunk of chunks) {
        assert.deepEqual(Object.keys(chunk), ['choices', 'object', 'usage', 'created', 'system_fingerprint', 'model', 'id']);
        assert.equal(chunk.object, 'chat.completion.chunk');
        assert.equal(chunk.model, 'qwen3-coder-plus');
        assert.equal(chunk.system_fingerprint, null);
        assert.equal(chunk.id, `chatcmpl-${reply.headers['x-request-id']}`);
      }
      const [first, ...rest] = chunks;
      assert.deepEqual(first.choices, [{ delta: { content: '', role: 'assistant' }, finish_reason: null, index: 0, logprobs: null }]);
      assert.equal(first.usage, null);
      const usageChunk = rest.at(-1);
      const contentChunks = rest.slice(0, -1);
      assert.deepEqual(usageChunk.choices, []);
      assert.equal(usageChunk.usage.completion_tokens, tokenize(completion).length);
      assert.equal(usageChunk.usage.total_tokens, usageChunk.usage.prompt_tokens + usageChunk.usage.completion_tokens);
      assert.deepEqual(usageChunk.usage.prompt_tokens_details, { cache_type: 'implicit', cached_tokens: 0 });
      assert.equal(contentChunks.length, Math.ceil(tokenize(completion).length / 2));
      contentChunks.forEach((chunk, i) => {
        assert.equal(chunk.usage, null);
        assert.equal(chunk.choices.length, 1);
        assert.deepEqual(Object.keys(chunk.choices[0]), ['delta', 'finish_reason', 'index', 'logprobs']);
        assert.deepEqual(Object.keys(chunk.choices[0].delta), ['content']);
        assert.equal(chunk.choices[0].finish_reason, i === contentChunks.length - 1 ? 'stop' : null);
      });
      assert.equal(contentChunks.map((c) => c.choices[0].delta.content).join(''), completion);
      const record = sim.requests.at(-1)!;
      assert.equal(record.stream, true);
      assert.equal(record.chunksSent, contentChunks.length);
      assert.equal(record.completion, completion);
      assert.equal(record.aborted, false);
      assert.equal(record.done, true);
    });

    it('without include_usage there is no usage chunk; max_tokens gives finish_reason length', async () => {
      sim.configure({ script: [{ completion: 'one two three four five six' }] });
      const reply = await rawChat(partialBody('x', { stream: true, max_tokens: 6 }));
      const events = sseEvents(reply.text);
      assert.equal(events.at(-1), '[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
      assert.ok(chunks.every((c) => c.choices.length === 1 && c.usage === null));
      assert.equal(chunks.at(-1).choices[0].finish_reason, 'length');
      assert.equal(chunks.slice(1).map((c) => c.choices[0].delta.content).join(''), 'one two three');
    });

    it('an empty completion still ends with a finish_reason chunk', async () => {
      const reply = await rawChat(partialBody('x', { stream: true }));
      const chunks = sseEvents(reply.text).slice(0, -1).map((e) => JSON.parse(e));
      assert.equal(chunks.length, 2);
      assert.deepEqual(chunks[1].choices[0].delta, { content: '' });
      assert.equal(chunks[1].choices[0].finish_reason, 'stop');
    });

    it('waits firstTokenMs before the first chunk', async () => {
      sim.configure({ script: [{ completion: 'abc def' }], latency: { firstTokenMs: 150 } });
      const reply = await rawChat(partialBody('x', { stream: true }));
      assert.ok(reply.firstDataAt !== undefined);
      const waited = reply.firstDataAt - reply.sentAt;
      assert.ok(waited >= 145, `first chunk after ${waited} ms`);
    });

    it('records a client abort mid-stream and stops sending', async () => {
      const completion = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
      const totalChunks = Math.ceil(tokenize(completion).length / 2);
      sim.configure({ script: [{ completion, latency: { perChunkMs: 20 } }] });
      const next = sim.nextRequest();
      const reply = rawChat(partialBody('x', { stream: true }), (soFar, req) => {
        if (soFar.includes('"finish_reason":null') && soFar.split('\n\n').length > 3) req.destroy();
      });
      const record: RequestRecord = await next;
      await reply;
      const settled = await sim.settled(record);
      assert.equal(settled, record);
      assert.equal(record.aborted, true);
      assert.equal(record.done, true);
      assert.ok(record.endedAt !== undefined);
      assert.ok(record.chunksSent >= 1 && record.chunksSent < totalChunks, `${record.chunksSent} of ${totalChunks}`);
      assert.ok(completion.startsWith(record.completion) && record.completion.length < completion.length);
      assert.equal(record.finishReason, undefined);
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.ok(record.chunksSent < totalChunks, 'no chunks after the abort');
    });

    it('sends a mid-stream error event and ends without [DONE]', async () => {
      sim.configure({
        script: [
          {
            completion: 'a b c d e f g h',
            error: { status: 400, code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.', midStreamAfterChunks: 2 },
          },
        ],
      });
      const reply = await rawChat(partialBody('x', { stream: true }));
      assert.equal(reply.status, 200);
      const events = sseEvents(reply.text);
      assert.ok(!events.includes('[DONE]'));
      assert.equal(events.length, 4); // role chunk, 2 content chunks, error
      assert.deepEqual(JSON.parse(events.at(-1)!), {
        error: { message: 'Output data may contain inappropriate content.', type: 'invalid_request_error', param: null, code: 'data_inspection_failed' },
      });
      assert.equal(JSON.parse(events[1]).choices[0].finish_reason, null);
      assert.equal(JSON.parse(events[2]).choices[0].finish_reason, null);
      const record = sim.requests.at(-1)!;
      assert.equal(record.errorCode, 'data_inspection_failed');
      assert.equal(record.chunksSent, 2);
      assert.equal(record.completion, 'a b ');
    });
  });

  describe('implicit cache', () => {
    it('cached_tokens is 0 for a short prompt, even repeated', async () => {
      const first = await chat(partialBody('short prompt'));
      const second = await chat(partialBody('short prompt'));
      assert.equal(first.body.usage.prompt_tokens_details.cached_tokens, 0);
      assert.equal(second.body.usage.prompt_tokens_details.cached_tokens, 0);
    });

    it('cached_tokens counts the shared start of a long prompt (>= 256), per model', async () => {
      const shared = Array.from({ length: 200 }, (_, i) => `line ${i};`).join('\n');
      const first = await chat(partialBody(`${shared}\nfirst ending`));
      assert.equal(first.body.usage.prompt_tokens_details.cached_tokens, 0);
      const second = await chat(partialBody(`${shared}\nsecond ending is different`));
      const cached = second.body.usage.prompt_tokens_details.cached_tokens;
      assert.ok(cached >= 256, `cached ${cached}`);
      assert.ok(cached < second.body.usage.prompt_tokens);
      assert.ok(cached >= tokenize(shared).length);
      const otherModel = await chat({ ...partialBody(`${shared}\nsecond ending is different`), model: 'qwen3-coder-flash' });
      assert.equal(otherModel.body.usage.prompt_tokens_details.cached_tokens, 0);
      sim.reset();
      const afterReset = await chat(partialBody(`${shared}\nsecond ending is different`));
      assert.equal(afterReset.body.usage.prompt_tokens_details.cached_tokens, 0);
    });
    it('prefill: the first token waits longer for uncached prompt tokens, and the record keeps what the prompt bills', async () => {
      const shared = Array.from({ length: 400 }, (_, i) => `line ${i};`).join('\n');
      sim.configure({ script: [{ completion: 'ok' }], latency: { firstTokenMs: 0, prefillMsPerKTokens: 100 } });
      const cold = await rawChat(partialBody(`${shared}\nfirst`, { stream: true }));
      const warm = await rawChat(partialBody(`${shared}\nsecond`, { stream: true }));
      const [coldRecord, warmRecord] = sim.requests.slice(-2);
      assert.equal(coldRecord.prompt?.cachedTokens, 0);
      assert.ok(warmRecord.prompt!.cachedTokens > 1000, String(warmRecord.prompt!.cachedTokens));
      const coldWait = cold.firstDataAt! - cold.sentAt;
      const warmWait = warm.firstDataAt! - warm.sentAt;
      assert.ok(coldWait >= (coldRecord.prompt!.tokens / 1000) * 100 - 5, `cold ${coldWait} ms`);
      assert.ok(warmWait < coldWait - 50, `warm ${warmWait} ms, cold ${coldWait} ms`);
    });
  });

  describe('oracle', () => {
    const file = [
      'export function add(a: number, b: number): number {',
      '  return a + b;',
      '}',
      '',
      'export function mul(a: number, b: number): number {',
      '  return a * b;',
      '}',
      '',
      'export function sub(a: number, b: number): number {',
      '  const result = a - b;',
      '  return result;',
      '}',
      '',
    ].join('\n');

    it('returns the true next text of the file, up to maxLines', async () => {
      sim.configure({ oracle: { files: { 'src/math.ts': file, 'other.ts': 'unrelated\n' }, maxLines: 3 } });
      // A window of the file, CRLF line endings, cut at a line boundary, after a header not in the file.
      const window = file.split('\n').slice(1, 5).join('\r\n') + '\r\n';
      const reply = await chat(partialBody(`// path: src/math.ts\n${window}`));
      assert.equal(reply.body.choices[0].message.content, '  return a * b;\n}\n');
      assert.equal(reply.body.choices[0].finish_reason, 'stop');
    });

    it('continues mid-line and until the end of the file', async () => {
      sim.configure({ oracle: { files: { 'src/math.ts': file } } });
      const cut = file.indexOf('a - b;') + 'a - '.length;
      const reply = await chat(partialBody(file.slice(0, cut)));
      assert.equal(reply.body.choices[0].message.content, file.slice(cut));
    });

    describe('context-dependent', () => {
      const util = 'export function tryRemoveItems(list: number[]): number[] {\n  return [];\n}\n';
      const main = [
        "import { tryRemoveItems } from './util';",
        'export function clean(list: number[]): number[] {',
        '  const local = list.length;',
        '  return tryRemoveItems(list).concat(localHelper(local));',
        '}',
        'function localHelper(n: number): number[] {',
        '  return [n];',
        '}',
        '',
      ].join('\n');
      const cut = main.indexOf('  return tryRemoveItems');
      const files = { 'src/main.ts': main, 'src/util.ts': util };
      const withUser = (user: string) => {
        const body = partialBody(main.slice(cut - 'function clean(list: number[]): number[] {\n  const local = list.length;\n'.length, cut));
        (body.messages as unknown[]).splice(1, 0, { role: 'user', content: user });
        return body;
      };

      it('renames an identifier of another file that the prompt does not contain', async () => {
        sim.configure({ oracle: { files, maxLines: 1, contextDependent: true } });
        const reply = await chat(withUser('Complete the file.'));
        assert.equal(reply.body.choices[0].message.content, '  return removeItems(list).concat(localHelper(local));');
      });

      it('answers right when any message contains it (project context in the user message)', async () => {
        sim.configure({ oracle: { files, maxLines: 1, contextDependent: true } });
        const reply = await chat(withUser('<file path="src/util.ts">\nexport function tryRemoveItems(list: number[]): number[] {\n</file>'));
        assert.equal(reply.body.choices[0].message.content, '  return tryRemoveItems(list).concat(localHelper(local));');
      });

      it('answers right when the prefix itself holds it (here: the import line)', async () => {
        sim.configure({ oracle: { files, maxLines: 1, contextDependent: true } });
        const reply = await chat(partialBody(main.slice(0, cut)));
        assert.equal(reply.body.choices[0].message.content, '  return tryRemoveItems(list).concat(localHelper(local));');
      });

      it('takes explicit definitions, and leaves names of the prefix\'s own file alone', async () => {
        sim.configure({ oracle: { files, maxLines: 1, definitions: { localHelper: ['src/main.ts'], concat: ['src/util.ts'] } } });
        const reply = await chat(withUser('Complete the file.'));
        assert.equal(reply.body.choices[0].message.content, '  return tryRemoveItems(list).concats(localHelper(local));');
      });

      it('is off by default', async () => {
        sim.configure({ oracle: { files, maxLines: 1 } });
        const reply = await chat(withUser('Complete the file.'));
        assert.equal(reply.body.choices[0].message.content, '  return tryRemoveItems(list).concat(localHelper(local));');
      });
    });

    it('plausibleRename drops the first part of a compound name, else adds an s', () => {
      assert.equal(plausibleRename('tryRemoveItems'), 'removeItems');
      assert.equal(plausibleRename('ParseError'), 'Error');
      assert.equal(plausibleRename('get_value'), 'value');
      assert.equal(plausibleRename('_private'), '_privates');
      assert.equal(plausibleRename('Message'), 'Messages');
    });

    it('corpusDefinitions finds declarations of every language the bench types', () => {
      const definitions = corpusDefinitions({
        'a.ts': 'export class A {}\nexport interface B {}\nexport type C = 1;\nexport const D = 1;\n  const local = 2;\nasync function E() {}\n',
        'b.py': 'def f():\n    pass\nclass G:\n    async def h(self):\n        pass\n',
        'c.go': 'func I() {}\nfunc (r *T) J() {}\ntype K struct{}\n',
      });
      assert.deepEqual(Object.keys(definitions).sort(), ['A', 'B', 'C', 'D', 'E', 'G', 'I', 'J', 'K', 'f', 'h']);
      assert.deepEqual(definitions.A, ['a.ts']);
    });

    it('falls back to the default completion when the prefix is not in the corpus', async () => {
      sim.configure({ oracle: { files: { 'src/math.ts': file } }, defaultCompletion: 'DEFAULT' });
      const reply = await chat(partialBody('nothing like this\nanywhere'));
      assert.equal(reply.body.choices[0].message.content, 'DEFAULT');
    });
  });

  describe('throttling and inferred behaviour', () => {
    it('429 limit_requests with Retry-After beyond requestsPerMinute', async () => {
      sim.configure({ rateLimit: { requestsPerMinute: 2 } });
      assert.equal((await chat(partialBody('x'))).status, 200);
      assert.equal((await chat(partialBody('x'))).status, 200);
      const reply = await chat(partialBody('x'));
      assertError(reply, 429, 'limit_requests');
      assert.equal(reply.body.error.message, 'Requests rate limit exceeded, please try again later.');
      const retryAfter = Number(reply.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      sim.reset();
      assert.equal((await chat(partialBody('x'))).status, 200);
    });

    it('inferredBehaviour false drops x-request-id and Retry-After but keeps request_id', async () => {
      sim.configure({ inferredBehaviour: false, rateLimit: { requestsPerMinute: 0 } });
      const reply = await chat(partialBody('x'));
      assert.equal(reply.status, 429);
      assert.equal(reply.headers.get('x-request-id'), null);
      assert.equal(reply.headers.get('retry-after'), null);
      assert.equal(reply.body.request_id, sim.requests.at(-1)!.id);
    });
  });

  describe('control API', () => {
    it('GET /_simulator/requests, POST /_simulator/configure, POST /_simulator/reset', async () => {
      const configured = await fetch(`${sim.url}/_simulator/configure`, {
        method: 'POST',
        body: JSON.stringify({ script: [{ prefixEndsWith: 'foo(', completion: 'bar)' }], latency: { tokensPerChunk: 1 } }),
      });
      assert.equal(configured.status, 200);
      const reply = await chat(partialBody('call foo('));
      assert.equal(reply.body.choices[0].message.content, 'bar)');
      await chat(partialBody('x'), 'sk-nope-secret');

      const all: any = await (await fetch(`${sim.url}/_simulator/requests`)).json();
      assert.equal(all.length, 2);
      assert.equal(all[0].id, reply.headers.get('x-request-id'));
      assert.equal(all[0].completion, 'bar)');
      assert.equal(all[0].done, true);
      assert.equal(all[1].status, 401);
      assert.equal(all[1].authorization, 'Bearer sk-n…[redacted]');
      const since: any = await (await fetch(`${sim.url}/_simulator/requests?since=1`)).json();
      assert.deepEqual(since.map((r: any) => r.id), [all[1].id]);

      const reset = await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
      assert.equal(reset.status, 200);
      assert.deepEqual(await (await fetch(`${sim.url}/_simulator/requests`)).json(), []);
      assert.equal(sim.requests.length, 0);

      const bad = await fetch(`${sim.url}/_simulator/configure`, { method: 'POST', body: 'not json' });
      assert.equal(bad.status, 400);
    });
  });

  describe('openai SDK', () => {
    it('the SDK reads completions, streams and errors from the simulator', async () => {
      sim.configure({ script: [{ completion: '  return a + b;\n}' }] });
      const client = new OpenAI({ apiKey: KEY, baseURL: sim.baseUrl, maxRetries: 0 });
      const messages = [
        { role: 'user' as const, content: 'Complete the code.' },
        { role: 'assistant' as const, content: 'function add(a, b) {\n', partial: true },
      ];
      const completion = await client.chat.completions.create({ model: 'qwen3-coder-plus', messages });
      assert.equal(completion.choices[0].message.content, '  return a + b;\n}');
      let text = '';
      let usage: any;
      const stream = await client.chat.completions.create({
        model: 'qwen3-coder-plus',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      assert.equal(text, '  return a + b;\n}');
      assert.equal(usage.prompt_tokens_details.cache_type, 'implicit');
      const bad = new OpenAI({ apiKey: 'sk-bad', baseURL: sim.baseUrl, maxRetries: 0 });
      await assert.rejects(bad.chat.completions.create({ model: 'qwen3-coder-plus', messages }), (error: any) => {
        assert.ok(error instanceof OpenAI.AuthenticationError);
        assert.equal(error.code, 'invalid_api_key');
        assert.equal(error.requestID, sim.requests.at(-1)!.id);
        return true;
      });
    });
  });
});
