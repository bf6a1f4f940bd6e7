import { DASHSCOPE_PARTIAL } from '../../src/core/servers';
import * as assert from 'node:assert/strict';
import { ApiError, CancelledError, type CompletionBackend, type StreamRequest, type Usage } from '../../src/core/backend';
import { streamCounted } from '../../src/core/countedStream';
import { estimatedUsage, estimateTokens } from '../../src/core/pricing';
import { buildMessages } from '../../src/core/prompt';

const request = {
  languageId: 'python',
  fileName: 'add.py',
  wire: DASHSCOPE_PARTIAL,
  prefix: 'def add(a, b):\n    return ',
  suffix: '\n',
  model: 'qwen3-coder-plus',
  maxTokens: 64,
  temperature: 0,
  timeoutMs: 5_000,
  signal: new AbortController().signal,
  onText: () => true,
};
/** What the prompt alone is estimated at: the messages as sent, with no output. */
const promptEstimate = estimatedUsage(buildMessages(request.languageId, request.fileName, request.prefix, request.suffix), '').promptTokens;

/** A backend that streams `chunks` (each the whole text so far), then answers or throws `end`. */
function backend(chunks: string[], end: { usage?: Usage } | { error: unknown }): CompletionBackend & { sent: StreamRequest[] } {
  const sent: StreamRequest[] = [];
  return {
    sent,
    async stream(streamRequest) {
      sent.push(streamRequest);
      for (const chunk of chunks) if (streamRequest.onText?.(chunk) === false) break;
      if ('error' in end) throw end.error;
      const text = chunks.at(-1) ?? '';
      return { text, finishReason: 'stop', stoppedEarly: false, usage: end.usage, totalMs: 300 };
    },
  };
}

describe('counted stream: what a request costs', () => {
  it('an answer with the usage the server reported is billed as reported, not as an estimate', async () => {
    const reported = { promptTokens: 1204, completionTokens: 96, cachedTokens: 1000 };
    const counted = await streamCounted(backend(['a + b'], { usage: reported }), request);
    assert.equal(counted.kind, 'answered');
    assert.deepEqual(counted.usage, { ...reported, estimated: false });
  });

  it('an answer without reported usage is billed by an estimate of the prompt sent and the whole text', async () => {
    const counted = await streamCounted(backend(['a', 'a + b'], {}), request);
    assert.equal(counted.kind, 'answered');
    assert.deepEqual(counted.usage, { promptTokens: promptEstimate, completionTokens: estimateTokens('a + b'), cachedTokens: 0, estimated: true });
  });

  it('a request aborted while streaming counts the prompt and the text that came before the stop', async () => {
    const counted = await streamCounted(backend(['a', 'a + b  # the sum'], { error: new CancelledError() }), request);
    assert.equal(counted.kind, 'cancelled');
    assert.deepEqual(counted.usage, { promptTokens: promptEstimate, completionTokens: estimateTokens('a + b  # the sum'), cachedTokens: 0, estimated: true });
  });

  it('a request that fails before any text arrives is billed for its prompt only, and keeps the error', async () => {
    const error = new ApiError({ kind: 'http', status: 500, code: 'InternalError', message: 'boom' });
    const counted = await streamCounted(backend([], { error }), request);
    assert.equal(counted.kind, 'failed');
    assert.equal(counted.kind === 'failed' && counted.error, error);
    assert.deepEqual(counted.usage, { promptTokens: promptEstimate, completionTokens: 0, cachedTokens: 0, estimated: true });
  });

  it("the caller's onText sees the text so far and its false stops the stream", async () => {
    const seen: string[] = [];
    const stream = backend(['a', 'a +', 'a + b'], {});
    const counted = await streamCounted(stream, { ...request, onText: (text) => (seen.push(text), text.length < 3) });
    assert.deepEqual(seen, ['a', 'a +'], 'stopped after the second chunk');
    assert.equal(stream.sent[0]?.signal, request.signal);
    assert.equal(stream.sent[0]?.timeoutMs, request.timeoutMs);
    assert.equal(counted.kind, 'answered');
  });
});
