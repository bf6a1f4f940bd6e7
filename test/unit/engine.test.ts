import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/backend';
import { silentLogger } from '../../src/core/logger';
import { answer, hang, makeEngine, requestFor, ScriptedBackend } from './helpers/harness';
import { FakeClock } from './helpers/fakeClock';

const doc = 'def add(a, b):\n    return █';

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

  it('stops reading once the suggestion is complete (single line mid-line)', async () => {
    const backend = new ScriptedBackend([answer('a)\nmore\nand more\n', 1)]);
    const { engine } = makeEngine(backend, { debounceMs: 0 });
    const suggestion = await engine.complete(requestFor('f(█)'), new AbortController().signal);
    assert.deepEqual(suggestion, { insertText: 'a)', replaceLength: 1 });
    const onText = backend.calls[0].onText!;
    assert.equal(onText('a)'), true);
    assert.equal(onText('a)\n'), false);
  });

  it('stops a multi-line suggestion after maxLines lines', async () => {
    const backend = new ScriptedBackend([answer('x')]);
    const { engine } = makeEngine(backend, { debounceMs: 0, maxLines: 3 });
    await engine.complete(requestFor('def f():█'), new AbortController().signal);
    const onText = backend.calls[0].onText!;
    assert.equal(onText('\n  a\n  b'), true);
    assert.equal(onText('\n  a\n  b\n'), false);
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
    assert.match(logged.find((line) => line.startsWith('completion'))!, /10 tokens in \+ 5 out, ≈ \$0\.0000/);
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
