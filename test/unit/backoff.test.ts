import * as assert from 'node:assert/strict';
import { Backoff } from '../../src/core/backoff';
import { PROBE_INTERVAL_MS } from '../../src/core/circuitBreaker';
import { classifyError } from '../../src/core/errors';
import { FakeClock } from './helpers/fakeClock';
import { recordingLogger } from './helpers/recordingLogger';

const context = { model: 'm', endpoint: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', now: 0 };
/** A 429 without Retry-After: its pause starts at 2 s, doubles per repeat, and lets a probe through. */
const rateLimited = classifyError({ kind: 'http', status: 429, code: 'limit_requests' }, context);

function setup(probeIntervalMs = PROBE_INTERVAL_MS) {
  const clock = new FakeClock();
  const logger = recordingLogger();
  return { clock, logger, backoff: new Backoff(clock, probeIntervalMs, logger) };
}

/** Whether the promise has settled, and to what, without waiting for it. */
async function settled<T>(promise: Promise<T>): Promise<{ value: T } | 'pending'> {
  return Promise.race([promise.then((value) => ({ value })), new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('backoff: the pause after errors', () => {
  it('refuses requests after a failure, saying for what and for how long', () => {
    const { backoff } = setup();
    assert.equal(backoff.admit(), undefined, 'no error yet');
    backoff.failed(rateLimited);
    assert.deepEqual(backoff.admit(), { kind: 'paused', category: rateLimited.category, waitMs: PROBE_INTERVAL_MS });
  });

  it('a pause with the probe due within two seconds waits for it, and the probe then goes and is logged', async () => {
    const { clock, logger, backoff } = setup();
    backoff.failed(rateLimited);
    backoff.failed(rateLimited);
    const wait = backoff.waitForProbe(new AbortController().signal);
    assert.ok(wait, 'the probe is due in exactly two seconds: worth waiting for');
    await clock.tick(PROBE_INTERVAL_MS - 1);
    assert.equal(await settled(wait), 'pending');
    await clock.tick(1);
    assert.deepEqual(await settled(wait), { value: true });
    const logged = logger.lines.length;
    assert.equal(backoff.admit(), undefined, 'the probe is let through');
    assert.equal(logger.lines.length, logged + 1, 'the probe is announced in the log');
    assert.equal(backoff.admit()?.kind, 'paused', 'one probe at a time');
    assert.equal(backoff.waitForProbe(new AbortController().signal), undefined, 'no second probe to wait for while one is out');
  });

  it('an ordinary request after the pause is not logged as a probe', async () => {
    const { clock, logger, backoff } = setup();
    backoff.failed(rateLimited);
    await clock.tick(PROBE_INTERVAL_MS);
    const logged = logger.lines.length;
    assert.equal(backoff.admit(), undefined);
    assert.equal(logger.lines.length, logged);
  });

  it('a probe already due needs no wait: the request goes at once as the probe', async () => {
    const { clock, backoff } = setup();
    backoff.failed(rateLimited);
    backoff.failed(rateLimited);
    await clock.tick(PROBE_INTERVAL_MS);
    assert.equal(backoff.waitForProbe(new AbortController().signal), undefined);
    assert.equal(backoff.admit(), undefined);
  });

  it('a probe further off than two seconds is not waited for: the keystroke gives up at once', async () => {
    const { clock, backoff } = setup(10_000);
    [1, 2, 3].forEach(() => backoff.failed(rateLimited)); // an 8 s pause: the probe is 8 s away
    assert.equal(backoff.waitForProbe(new AbortController().signal), undefined);
    await clock.tick(6_000);
    assert.ok(backoff.waitForProbe(new AbortController().signal), 'two seconds away: waited for');
  });

  it('waiting for the probe ends unanswered when the user types on', async () => {
    const { backoff } = setup();
    backoff.failed(rateLimited);
    const typing = new AbortController();
    const wait = backoff.waitForProbe(typing.signal);
    assert.ok(wait);
    typing.abort();
    assert.deepEqual(await settled(wait), { value: false });
  });

  it('a successful probe ends the pause', async () => {
    const { clock, backoff } = setup();
    backoff.failed(rateLimited);
    backoff.failed(rateLimited);
    await clock.tick(PROBE_INTERVAL_MS);
    assert.equal(backoff.admit(), undefined, 'the probe');
    backoff.succeeded();
    assert.equal(backoff.admit(), undefined);
    assert.equal(backoff.admit(), undefined, 'every request goes again');
  });

  it('an abandoned probe (the user typed on) lets the next keystroke probe at once', async () => {
    const { clock, backoff } = setup();
    backoff.failed(rateLimited);
    backoff.failed(rateLimited);
    await clock.tick(PROBE_INTERVAL_MS);
    assert.equal(backoff.admit(), undefined, 'the probe');
    backoff.abandoned();
    assert.equal(backoff.admit(), undefined, 'another probe, without waiting another interval');
  });

  it('reset forgets every error: a new key, endpoint or model is asked at once', () => {
    const { backoff } = setup();
    backoff.failed(rateLimited);
    backoff.reset();
    assert.equal(backoff.admit(), undefined);
    assert.equal(backoff.waitForProbe(new AbortController().signal), undefined);
  });
});
