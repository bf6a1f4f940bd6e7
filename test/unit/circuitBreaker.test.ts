import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/backend';
import { CircuitBreaker, PROBE_INTERVAL_MS } from '../../src/core/circuitBreaker';
import { classifyError, type ApiFailure } from '../../src/core/errors';
import { answer, makeEngine, requestFor, ScriptedBackend } from './helpers/harness';
import { FakeClock } from './helpers/fakeClock';

const context = { model: 'm', endpoint: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', now: 0 };
const failure = (status: number, code: string, retryAfter?: string): ApiFailure => ({ kind: 'http', status, code, retryAfter });
const rateLimited = classifyError(failure(429, 'limit_requests'), context);

/** The breaker reads only the time. */
class Time {
  private time = 1_000_000;
  now(): number {
    return this.time;
  }
  set(time: number): void {
    this.time = time;
  }
}

describe('circuit breaker', () => {
  it('closed: every request goes', () => {
    const breaker = new CircuitBreaker(new Time());
    assert.deepEqual(breaker.admit(), { admitted: true, probe: false });
    assert.deepEqual(breaker.admit(), { admitted: true, probe: false });
  });

  it('after a run of transient failures the backoff keeps growing, but one probe goes every PROBE_INTERVAL_MS', () => {
    const clock = new Time();
    const breaker = new CircuitBreaker(clock);
    const pauses = [0, 1, 2, 3, 4].map(() => breaker.failed(rateLimited));
    assert.deepEqual(pauses, [2000, 4000, 8000, 16000, 32000], 'the backoff itself is kept');
    const refused = breaker.admit();
    assert.equal(refused.admitted, false);
    assert.equal(!refused.admitted && refused.waitMs, PROBE_INTERVAL_MS);
    clock.set(clock.now() + PROBE_INTERVAL_MS);
    assert.deepEqual(breaker.admit(), { admitted: true, probe: true });
    assert.equal(breaker.admit().admitted, false, 'one probe at a time');
    breaker.succeeded();
    assert.deepEqual(breaker.admit(), { admitted: true, probe: false }, 'a successful probe closes it');
  });

  it('a failed probe opens it again for another probe interval', () => {
    const clock = new Time();
    const breaker = new CircuitBreaker(clock);
    breaker.failed(rateLimited);
    clock.set(clock.now() + PROBE_INTERVAL_MS);
    assert.equal(breaker.admit().admitted, true);
    breaker.failed(rateLimited);
    assert.equal(breaker.admit().admitted, false);
    clock.set(clock.now() + PROBE_INTERVAL_MS - 1);
    assert.equal(breaker.admit().admitted, false);
    clock.set(clock.now() + 1);
    assert.deepEqual(breaker.admit(), { admitted: true, probe: true });
  });

  it('an abandoned probe (the user typed on) lets the next pause probe at once', () => {
    const clock = new Time();
    const breaker = new CircuitBreaker(clock);
    breaker.failed(rateLimited);
    breaker.failed(rateLimited);
    clock.set(clock.now() + PROBE_INTERVAL_MS);
    assert.equal(breaker.admit().admitted, true);
    breaker.abandoned();
    assert.deepEqual(breaker.admit(), { admitted: true, probe: true });
  });

  it('honours Retry-After: no probe before the server said', () => {
    const clock = new Time();
    const breaker = new CircuitBreaker(clock);
    breaker.failed(classifyError(failure(429, 'limit_requests', '30'), context));
    clock.set(clock.now() + 29_999);
    assert.equal(breaker.admit().admitted, false);
    clock.set(clock.now() + 1);
    assert.deepEqual(breaker.admit(), { admitted: true, probe: false });
  });

  it('does not probe past a fixed pause (a rejected key waits for a new key or a minute)', () => {
    const clock = new Time();
    const breaker = new CircuitBreaker(clock);
    breaker.failed(classifyError(failure(401, 'invalid_api_key'), context));
    clock.set(clock.now() + 59_999);
    assert.equal(breaker.admit().admitted, false);
    clock.set(clock.now() + 1);
    assert.deepEqual(breaker.admit(), { admitted: true, probe: false });
  });

  it('reset forgets everything', () => {
    const breaker = new CircuitBreaker(new Time());
    breaker.failed(rateLimited);
    breaker.reset();
    assert.deepEqual(breaker.admit(), { admitted: true, probe: false });
  });
});

describe('engine: recovery after an outage', () => {
  const doc = 'def add(a, b):\n    return █';
  const storm = () => Promise.reject(new ApiError({ kind: 'http', status: 429, code: 'limit_requests', message: 'Requests rate limit exceeded' }));

  it('after a 20 s run of 429s without Retry-After, a suggestion is back within a probe interval of the server', async () => {
    const clock = new FakeClock();
    let serverFine = false;
    const backend = new ScriptedBackend([(request) => (serverFine ? answer('a + b')(request) : storm())]);
    const { engine, status } = makeEngine(backend, { debounceMs: 100 }, clock);
    // The user pauses every 500 ms throughout a 20 s storm.
    for (let t = 0; t < 20_000; t += 500) {
      void engine.complete(requestFor(doc), new AbortController().signal);
      await clock.tick(500);
    }
    const sentDuringStorm = backend.calls.length;
    assert.ok(sentDuringStorm <= 20_000 / PROBE_INTERVAL_MS + 1, `at most one probe per interval: ${sentDuringStorm}`);
    assert.equal(status.snapshot.state, 'error');
    serverFine = true;
    const recoveredAt = clock.now();
    let shownAt: number | undefined;
    while (shownAt === undefined && clock.now() - recoveredAt < 60_000) {
      const result = engine.complete(requestFor(doc), new AbortController().signal);
      await clock.tick(500);
      if (await Promise.race([result, Promise.resolve('pending')])) shownAt = clock.now();
    }
    assert.ok(shownAt !== undefined && shownAt - recoveredAt <= PROBE_INTERVAL_MS + 500, `back after ${shownAt! - recoveredAt} ms`);
    assert.equal(status.snapshot.state, 'ready');
  });

  it('a failure that is not an ApiError (a bug, an unknown SDK error) is classified, backed off and shown', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([() => Promise.reject(new TypeError('Cannot read properties of undefined')), answer('ok')]);
    const { engine, reported, status } = makeEngine(backend, { debounceMs: 0 }, clock);
    assert.equal(await engine.complete(requestFor(doc), new AbortController().signal), undefined);
    assert.equal(reported[0]?.category, 'badResponse');
    assert.equal(status.snapshot.state, 'error');
    const second = engine.complete(requestFor(doc), new AbortController().signal);
    await clock.tick(PROBE_INTERVAL_MS - 1);
    assert.equal(backend.calls.length, 1, 'backed off');
    await clock.tick(1);
    assert.equal(backend.calls.length, 2, 'a pause that began just before the probe time waits for the probe');
    assert.deepEqual(await second, { insertText: 'ok', replaceLength: 0 });
    assert.equal(status.snapshot.state, 'ready');
  });

  it('a pause does not wait for a probe that is far off, nor past a Retry-After', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([
      () => Promise.reject(new ApiError({ kind: 'http', status: 429, code: 'limit_requests', message: 'slow down', retryAfter: '30' })),
      answer('ok'),
    ]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    await engine.complete(requestFor(doc), new AbortController().signal);
    assert.equal(await engine.complete(requestFor(doc), new AbortController().signal), undefined, 'at once, without waiting 30 s');
    assert.equal(backend.calls.length, 1);
  });
});
