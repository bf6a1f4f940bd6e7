import * as assert from 'node:assert/strict';
import type { StreamOutcome } from '../../src/core/backend';
import { blockRoundLine, describeFinish, describeTimings, ghostRequestLine, recordBlockRun } from '../../src/core/requestLog';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { SpendingTracker } from '../../src/core/spending';
import { FakeClock } from './helpers/fakeClock';
import { memoryStore } from './helpers/harness';
import { recordingLogger } from './helpers/recordingLogger';

const OUTCOME: StreamOutcome = { text: 'return a + b\n', finishReason: 'stop', stoppedEarly: false, firstTokenMs: 212, totalMs: 480, requestId: 'req-7f3a' };
const USAGE = { promptTokens: 1204, cachedTokens: 1000, completionTokens: 96, estimated: false };

function tracker(settings: Partial<Settings> = {}): SpendingTracker {
  const all = { ...DEFAULT_SETTINGS, ...settings };
  return new SpendingTracker({ settings: () => all, clock: new FakeClock(), store: memoryStore(), logger: recordingLogger() });
}

describe('request log', () => {
  it('says why a request ended in words, naming the setting that cut it', () => {
    const finish = (finishReason: string | null, stoppedEarly = false) => [describeFinish({ finishReason, stoppedEarly }, 'ghost'), describeFinish({ finishReason, stoppedEarly }, 'block')];
    assert.deepEqual(finish('stop'), ['the model finished', 'the model finished']);
    assert.deepEqual(finish('length'), ['stopped at the token limit (maxTokens)', 'stopped at the token limit (continueBlock.maxTokens)']);
    assert.deepEqual(finish(null, true), ['stopped reading: the suggestion was complete', 'stopped reading: the block ended']);
    assert.deepEqual(finish(null), ['cut off: the server closed the stream early', 'cut off: the server closed the stream early']);
    assert.equal(describeFinish({ finishReason: 'content_filter', stoppedEarly: false }, 'ghost'), "stopped by the server's content filter");
    assert.equal(describeFinish({ finishReason: 'eos_token', stoppedEarly: false }, 'ghost'), 'finish reason "eos_token"', 'one it does not know, quoted as the server said it');
    assert.equal(describeFinish({ finishReason: 'constructor', stoppedEarly: false }, 'ghost'), 'finish reason "constructor"');
  });

  it('times: the first token and the total, or that no text came', () => {
    assert.equal(describeTimings(212, 480), 'first token 212 ms, total 480 ms');
    assert.equal(describeTimings(undefined, 10_250), 'no text, total 10,250 ms');
  });

  it('one line per ghost-text request: model, times, tokens in (cached) / out, cost, finish, prompt size, request id', () => {
    const spending = tracker();
    const { costText } = spending.record('qwen3-coder-plus', USAGE, 'ghost');
    assert.equal(
      ghostRequestLine({ model: 'qwen3-coder-plus', outcome: OUTCOME, usage: USAGE, costText, prefixChars: 2400, contextChars: 1200 }),
      'ghost text qwen3-coder-plus: first token 212 ms, total 480 ms, 1,204 tok in (1,000 cached) / 96 out, ≈ $0.0009; the model finished; prefix 2,400 chars, context 1,200 chars, request req-7f3a',
    );
  });

  it('the missing price is explained on the first line only', () => {
    const spending = tracker({ region: 'us-virginia' });
    const line = () => {
      const { costText } = spending.record('qwen3-coder-plus', USAGE, 'ghost');
      return ghostRequestLine({ model: 'qwen3-coder-plus', outcome: { ...OUTCOME, requestId: undefined, finishReason: 'length' }, usage: USAGE, costText, prefixChars: 10, contextChars: 0 });
    };
    assert.equal(
      line(),
      'ghost text qwen3-coder-plus: first token 212 ms, total 480 ms, 1,204 tok in (1,000 cached) / 96 out, no price for qwen3-coder-plus (us-virginia): add one to qwenInline.prices to see the cost; stopped at the token limit (maxTokens); prefix 10 chars, context 0 chars',
    );
    assert.equal(line(), 'ghost text qwen3-coder-plus: first token 212 ms, total 480 ms, 1,204 tok in (1,000 cached) / 96 out, no price; stopped at the token limit (maxTokens); prefix 10 chars, context 0 chars');
  });

  it('a Continue This Block round, for the debug log', () => {
    assert.equal(
      blockRoundLine('qwen3-coder-plus', 2, { ...OUTCOME, finishReason: 'length' }, { ...USAGE, estimated: true }),
      'Continue This Block round 2 qwen3-coder-plus: first token 212 ms, total 480 ms, ≈ 1,204 tok in (1,000 cached) / 96 out, 13 chars; stopped at the token limit (continueBlock.maxTokens), request req-7f3a',
    );
  });

  it('a Continue This Block run: counted as the last request, one line with its rounds, times and cost', () => {
    const spending = tracker();
    const logger = recordingLogger();
    recordBlockRun(spending, logger, { model: 'qwen3-coder-plus', reason: 'stopped at the end of the block', rounds: 2, usage: USAGE, firstTokenMs: 212, elapsedMs: 1480, writtenChars: 340 });
    assert.deepEqual(logger.lines, [
      'Continue This Block (qwen3-coder-plus): stopped at the end of the block; 2 requests, 340 chars, first token 212 ms, total 1,480 ms, 1,204 tok in (1,000 cached) / 96 out, ≈ $0.0009',
    ]);
    assert.equal(spending.snapshot.today.blockRequests, 2);
    assert.deepEqual(spending.snapshot.lastRequest, { feature: 'block', model: 'qwen3-coder-plus', requests: 2, usage: USAGE, cost: spending.snapshot.lastRequest?.cost, firstTokenMs: 212, totalMs: 1480 });

    recordBlockRun(spending, logger, { model: 'qwen3-coder-plus', reason: 'cancelled', rounds: 0, usage: USAGE, elapsedMs: 0, writtenChars: 0 });
    assert.equal(logger.lines[1], 'Continue This Block (qwen3-coder-plus): cancelled; no request sent');
    assert.equal(spending.snapshot.today.blockRequests, 2, 'nothing sent, nothing counted');
  });
});
