import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/backend';
import { DEFAULT_POLICY } from '../../src/core/engine';
import { silentLogger } from '../../src/core/logger';
import { answer, hang, makeEngine, ManualStreams, requestFor, ScriptedBackend } from './helpers/harness';
import { FakeClock } from './helpers/fakeClock';

const doc = 'def add(a, b):\n    return █';
const signal = () => new AbortController().signal;

describe('engine: debounce and cancellation', () => {
  it('sends nothing before the debounce has passed, then one request', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('a + b')]);
    const { engine } = makeEngine(backend, { debounceMs: 200 }, clock);
    const result = engine.complete(requestFor(doc), new AbortController().signal);
    await clock.tick(199);
    assert.equal(backend.calls.length, 0);
    await clock.tick(1);
    assert.equal(backend.calls.length, 1);
    assert.deepEqual(await result, { insertText: 'a + b', replaceLength: 0 });
  });

  it('typing during the debounce cancels the pending request: only the last keystroke is sent', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('b')]);
    const { engine } = makeEngine(backend, { debounceMs: 200 }, clock);
    const first = new AbortController();
    const firstResult = engine.complete(requestFor('x = █'), first.signal);
    await clock.tick(100);
    first.abort(); // VS Code cancels the token on the next keystroke
    const second = engine.complete(requestFor('x = a█'), new AbortController().signal);
    await clock.tick(200);
    assert.equal(await firstResult, undefined);
    assert.deepEqual(await second, { insertText: 'b', replaceLength: 0 });
    assert.equal(backend.calls.length, 1);
    assert.equal(backend.calls[0].body.messages.at(-1)?.content, 'x = a');
  });

  it('a cancelled token yields nothing at once; its request is aborted if no keystroke takes it up', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([hang()]);
    const { engine, status } = makeEngine(backend, { debounceMs: 10 }, clock);
    const token = new AbortController();
    const result = engine.complete(requestFor(doc), token.signal);
    await clock.tick(10);
    assert.equal(backend.calls.length, 1);
    assert.equal(status.snapshot.state, 'loading');
    token.abort();
    assert.equal(await result, undefined);
    assert.equal(backend.calls[0].signal.aborted, false, 'kept a moment for the next keystroke to follow');
    await clock.tick(300);
    assert.equal(backend.calls[0].signal.aborted, true);
    assert.equal(status.snapshot.state, 'ready');
  });

  it('keeps at most one request in flight per document', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([hang(), answer('x')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    const stale = engine.complete(requestFor('a = █'), new AbortController().signal);
    await clock.tick(0);
    const other = engine.complete(requestFor('b = █', { documentKey: 'file:///b.py' }), new AbortController().signal);
    await clock.tick(0);
    assert.equal(backend.calls[0].signal.aborted, false, 'another document does not cancel it');
    const fresh = engine.complete(requestFor('b = 2█'), new AbortController().signal);
    await clock.tick(0);
    assert.equal(backend.calls[0].signal.aborted, true, 'a keystroke in the same document that it does not predict does');
    assert.equal(await stale, undefined);
    assert.ok(await fresh);
    assert.ok(await other);
  });

  it("stops reading once the suggestion is complete and the model's next line is read (single line mid-line)", async () => {
    const backend = new ScriptedBackend([answer('a)\nmore\nand more\n', 1)]);
    const { engine } = makeEngine(backend, { debounceMs: 0 });
    const suggestion = await engine.complete(requestFor('f(█)'), new AbortController().signal);
    assert.deepEqual(suggestion, { insertText: 'a)', replaceLength: 1 });
    const onText = backend.calls[0].onText!;
    assert.equal(onText('a)'), true);
    assert.equal(onText('a)\n'), true, 'the suggestion is complete: reading ahead');
    assert.equal(onText('a)\nmore'), true);
    assert.equal(onText('a)\nmore\n'), false);
  });

  it('without read-ahead, stops as soon as the suggestion is complete', async () => {
    const backend = new ScriptedBackend([answer('a)\nmore\nand more\n', 1)]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, undefined, undefined, { ...DEFAULT_POLICY, speculateOnShow: false, readAhead: false });
    await engine.complete(requestFor('f(█)'), new AbortController().signal);
    const onText = backend.calls[0].onText!;
    assert.equal(onText('a)'), true);
    assert.equal(onText('a)\n'), false);
  });

  it('stops a multi-line suggestion after maxLines lines (and the line after them)', async () => {
    const backend = new ScriptedBackend([answer('x')]);
    const { engine } = makeEngine(backend, { debounceMs: 0, maxLines: 3 });
    await engine.complete(requestFor('def f():█'), new AbortController().signal);
    const onText = backend.calls[0].onText!;
    assert.equal(onText('\n  a\n  b'), true);
    assert.equal(onText('\n  a\n  b\n'), true);
    assert.equal(onText('\n  a\n  b\n  c\n'), false);
  });
});

describe('engine: errors', () => {
  const rateLimited = () => Promise.reject(new ApiError({ kind: 'http', status: 429, code: 'limit_requests', message: 'Requests rate limit exceeded', retryAfter: '3' }));

  it('maps a failure, reports it, and pauses requests for Retry-After', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([rateLimited, answer('ok')]);
    const { engine, reported, status } = makeEngine(backend, { debounceMs: 0 }, clock);
    assert.equal(await engine.complete(requestFor(doc), new AbortController().signal), undefined);
    assert.equal(reported.length, 1);
    assert.equal(reported[0].category, 'rateLimit');
    assert.equal(status.snapshot.state, 'error');

    await clock.tick(2_900);
    assert.equal(await engine.complete(requestFor(doc), new AbortController().signal), undefined);
    assert.equal(backend.calls.length, 1, 'no request while paused');

    await clock.tick(200);
    assert.ok(await engine.complete(requestFor(doc), new AbortController().signal));
    assert.equal(backend.calls.length, 2);
    assert.equal(status.snapshot.state, 'ready', 'a success clears the error');
  });

  it('reset() lifts the pause at once (a new key or setting) and aborts what is in flight', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([
      () => Promise.reject(new ApiError({ kind: 'http', status: 401, code: 'invalid_api_key' })),
      hang(),
      answer('ok'),
    ]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    await engine.complete(requestFor(doc), new AbortController().signal);
    await engine.complete(requestFor(doc), new AbortController().signal);
    assert.equal(backend.calls.length, 1, 'paused after the 401');
    engine.reset();
    const hanging = engine.complete(requestFor(doc), new AbortController().signal);
    await clock.tick(0);
    assert.equal(backend.calls.length, 2, 'the pause is lifted');
    engine.reset();
    assert.equal(backend.calls[1].signal.aborted, true);
    assert.equal(await hanging, undefined);
  });

  it('a request cancelled after a failure leaves the error shown until one succeeds', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([rateLimited, hang()]);
    const { engine, status } = makeEngine(backend, { debounceMs: 0 }, clock);
    await engine.complete(requestFor(doc), signal());
    await clock.tick(3_000);
    const token = new AbortController();
    const probe = engine.complete(requestFor('x = █'), token.signal);
    await clock.tick(0);
    assert.equal(backend.calls.length, 2);
    token.abort();
    assert.equal(await probe, undefined);
    await clock.tick(300);
    assert.equal(backend.calls[1].signal.aborted, true);
    assert.equal(status.snapshot.state, 'error');
  });

  it('an answer that arrives after reset() is neither shown nor remembered', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams(false); // the server answers anyway
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    const before = engine.complete(requestFor(doc), signal());
    await clock.tick(0);
    streams.last.push('a + b');
    engine.reset();
    streams.last.end();
    assert.equal(await before, undefined);
    const after = engine.complete(requestFor(doc), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2, 'asked again');
    streams.last.push('a - b');
    streams.last.end();
    assert.deepEqual(await after, { insertText: 'a - b', replaceLength: 0 });
  });

  it('a 401 turns the status to needsKey', async () => {
    const backend = new ScriptedBackend([() => Promise.reject(new ApiError({ kind: 'http', status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided.' }))]);
    const { engine, reported, status } = makeEngine(backend, { debounceMs: 0 });
    await engine.complete(requestFor(doc), new AbortController().signal);
    assert.equal(reported[0].category, 'auth');
    assert.equal(reported[0].action, 'setApiKey');
    assert.equal(status.snapshot.state, 'needsKey');
  });

  it('without a key it sends nothing and reports the missing key', async () => {
    const { engine, reported, status } = makeEngine(undefined, { debounceMs: 0 });
    assert.equal(await engine.complete(requestFor(doc), new AbortController().signal), undefined);
    assert.equal(reported[0].category, 'missingKey');
    assert.equal(status.snapshot.state, 'needsKey');
  });
});

describe('engine: cost', () => {
  it('counts each request in the session and day totals, and logs its tokens and estimated cost', async () => {
    const logged: string[] = [];
    const logger = { ...silentLogger, info: (message: string) => void logged.push(message) };
    const backend = new ScriptedBackend([answer('a + b')]);
    const { engine, spending } = makeEngine(backend, { debounceMs: 0 }, new FakeClock(), logger);
    await engine.complete(requestFor(doc), new AbortController().signal);
    const today = spending.snapshot.today;
    assert.equal(today.ghostRequests, 1);
    assert.deepEqual([today.promptTokens, today.completionTokens], [10, 5]);
    assert.ok(today.cost.USD > 0);
    assert.match(logged.find((line) => line.startsWith('ghost text'))!, /^ghost text qwen3-coder-plus: (first token \d+ ms|no text), total \d+ ms, 10 tok in \/ 5 out, ≈ \$0\.0000; the model finished; prefix \d+ chars, context 0 chars/);
  });

  it('counts an estimate for a request aborted after it was sent', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([hang(), answer('x')]);
    const { engine, spending } = makeEngine(backend, { debounceMs: 0 }, clock);
    void engine.complete(requestFor(doc), new AbortController().signal);
    await clock.tick(0);
    engine.reset();
    await clock.tick(0);
    assert.equal(spending.snapshot.today.ghostRequests, 1);
    assert.equal(spending.snapshot.today.estimatedRequests, 1);
  });

  it('sends nothing while the daily budget is reached', async () => {
    const backend = new ScriptedBackend([answer('a + b'), answer('c')]);
    const { engine, spending } = makeEngine(backend, { debounceMs: 0, dailyBudget: 0.000001 }, new FakeClock());
    assert.ok(await engine.complete(requestFor(doc), new AbortController().signal));
    assert.equal(spending.budgetReached(), true);
    assert.equal(await engine.complete(requestFor('x = █'), new AbortController().signal), undefined);
    assert.equal(backend.calls.length, 1);
  });
});

describe('engine: why nothing is shown', () => {
  it('a keystroke to where nothing fits aborts the request in flight; a selection leaves it to land in the cache', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    assert.deepEqual(await engine.suggest(requestFor('x = █y'), signal()), { kind: 'skipped', reason: { kind: 'midLine' } });
    assert.equal(backend.calls[0].signal.aborted, true);

    const token = new AbortController();
    void engine.complete(requestFor('x = █'), token.signal);
    await clock.tick(0);
    token.abort(); // the selection's keystroke cancels the call
    const selected = await engine.suggest(requestFor('x = █', { editor: { hasSelection: true } }), signal());
    assert.deepEqual(selected, { kind: 'skipped', reason: { kind: 'selection' } });
    streams.last.push('42');
    streams.last.end();
    await clock.tick(0);
    assert.equal(backend.calls[1].signal.aborted, false);
    assert.deepEqual(await engine.complete(requestFor('x = █'), signal()), { insertText: '42', replaceLength: 0 }, 'from the cache');
    assert.equal(backend.calls.length, 2);
  });

  it('in front of a word on the last line nothing is asked', async () => {
    const backend = new ScriptedBackend([answer('1')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 });
    assert.deepEqual(await engine.suggest(requestFor('x = █y'), signal()), { kind: 'skipped', reason: { kind: 'midLine' } });
    assert.equal(backend.calls.length, 0);
  });

  it('says whether "nothing to suggest" came from the model or from the cache', async () => {
    const backend = new ScriptedBackend([answer('')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 });
    assert.deepEqual(await engine.suggest(requestFor(doc), signal()), { kind: 'skipped', reason: { kind: 'empty', cached: false } });
    assert.deepEqual(await engine.suggest(requestFor(doc), signal()), { kind: 'skipped', reason: { kind: 'empty', cached: true } });
    assert.equal(backend.calls.length, 1);
  });

  it('offers only a suggestion whose first line VS Code draws whole', async () => {
    const backend = new ScriptedBackend([answer('1'), answer('a_long_name')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 });
    const editor = { limits: { stopRenderingLineAfter: 10, largeFileMode: false } };
    assert.deepEqual(await engine.suggest(requestFor('x = █', { editor }), signal()), { kind: 'shown', suggestion: { insertText: '1', replaceLength: 0 } });
    assert.deepEqual(await engine.suggest(requestFor('y = █', { editor }), signal()), { kind: 'skipped', reason: { kind: 'notDrawn' } });
  });
});

describe('engine: after an accepted suggestion', () => {
  it('asks for the next suggestion at once, unless the cache or the request in flight already serves it', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([answer('1'), streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 100 }, clock);
    const first = engine.complete(requestFor('x = █'), signal());
    await clock.tick(100);
    await first;
    assert.equal(engine.prefetch(requestFor('x = █')), undefined);
    assert.equal(backend.calls.length, 1, 'the cache serves it');
    const next = requestFor('x = 1\n█');
    assert.equal(engine.prefetch(next), undefined);
    assert.equal(backend.calls.length, 2, 'sent without waiting for the debounce');
    assert.equal(engine.prefetch(next), undefined);
    assert.equal(backend.calls.length, 2, 'the request in flight serves it');
    const shown = engine.complete(next, signal());
    streams.last.push('y = 2');
    streams.last.end();
    assert.deepEqual(await shown, { insertText: 'y = 2', replaceLength: 0 });
    assert.equal(backend.calls.length, 2);
  });

  it('the next keystroke follows the speculative request even though the one it replaced ends later', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    streams.last.push('2');
    const next = requestFor('x = 1\n█');
    engine.prefetch(next); // the request for `x = ` predicted something else: aborted, it ends after this one starts
    await clock.tick(0);
    const shown = engine.complete(next, signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2);
    assert.equal(backend.calls[0].signal.aborted, true);
    streams.last.push('y = 2');
    streams.last.end();
    assert.deepEqual(await shown, { insertText: 'y = 2', replaceLength: 0 });
  });

  it('after an accept, a request that has streamed nothing yet is followed: it may predict the accepted text', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    const next = requestFor('x = 1█');
    engine.prefetch(next);
    const shown = engine.complete(next, signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 1);
    streams.last.push('1 + 2');
    streams.last.end();
    assert.deepEqual(await shown, { insertText: ' + 2', replaceLength: 0 });
  });
});

describe('engine: the wait after a keystroke', () => {
  it('is shorter after fast answers and longer after slow ones', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 200, minDebounceMs: 0, maxDebounceMs: 1000 }, clock);
    /** How long a keystroke at `marked` waits before its request; its answer then takes `answerMs`. */
    const waitBeforeRequest = async (marked: string, answerMs: number) => {
      const calls = backend.calls.length;
      const result = engine.complete(requestFor(marked), signal());
      let waited = 0;
      for (; backend.calls.length === calls; waited++) await clock.tick(1);
      await clock.tick(answerMs);
      streams.last.push('1');
      streams.last.end();
      await result;
      return waited;
    };
    const unknown = await waitBeforeRequest('a = █', 0);
    const afterFast = await waitBeforeRequest('b = █', 3_000);
    assert.ok(afterFast < unknown, `${afterFast} < ${unknown}`);
    await waitBeforeRequest('c = █', 3_000);
    const afterSlow = await waitBeforeRequest('d = █', 0);
    assert.ok(afterSlow > unknown, `${afterSlow} > ${unknown}`);
  });
});
