import * as assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../src/core/engine';
import { PROVISIONAL_AFTER_MS } from '../../src/core/flight';
import { FakeClock } from './helpers/fakeClock';
import { makeEngine, ManualStreams, requestFor, ScriptedBackend } from './helpers/harness';

const signal = () => new AbortController().signal;
const body = 'def total(items):\n    █';
const block = 'total = 0\n    for item in items:\n        total += item\n    return total';

function streamingEngine(policy = { ...DEFAULT_POLICY, speculateOnShow: false }) {
  const clock = new FakeClock();
  const streams = new ManualStreams();
  const backend = new ScriptedBackend([streams.behaviour]);
  const harness = makeEngine(backend, { debounceMs: 0 }, clock, undefined, policy);
  return { ...harness, clock, streams, backend };
}

describe('progressive ghost text: a block that streams slowly shows its first lines', () => {
  it('a block complete within the hold shows whole, one Tab for all of it', async () => {
    const { engine, clock, streams } = streamingEngine();
    const shown = engine.suggest(requestFor(body), signal());
    await clock.tick(0);
    streams.last.push('total = 0\n    for item in items:\n');
    await clock.tick(PROVISIONAL_AFTER_MS - 1);
    streams.last.push('        total += item\n    return total\n');
    streams.last.end();
    assert.deepEqual(await shown, { kind: 'shown', suggestion: { insertText: block, replaceLength: 0 } });
  });

  it('a slower one shows its complete lines once the hold has passed, goes on streaming with nobody waiting, and serves the rest after Tab', async () => {
    const { engine, clock, streams, backend } = streamingEngine();
    let settled = false;
    const shown = engine.suggest(requestFor(body), signal()).finally(() => (settled = true));
    await clock.tick(0);
    streams.last.push('total = 0\n    for item in it');
    await clock.tick(PROVISIONAL_AFTER_MS - 1);
    assert.equal(settled, false, 'not before the hold');
    await clock.tick(1);
    assert.deepEqual(await shown, { kind: 'shown', suggestion: { insertText: 'total = 0', replaceLength: 0 }, streaming: true });
    await clock.tick(1000);
    assert.equal(backend.calls[0].signal.aborted, false, 'the block on screen keeps streaming');
    // Tab: the first line is in the document; VS Code asks at the new cursor and the same request answers.
    const rest = engine.suggest(requestFor('def total(items):\n    total = 0█'), signal());
    streams.last.push('ems:\n        total += item\n    return total\n');
    streams.last.end();
    assert.deepEqual(await rest, { kind: 'shown', suggestion: { insertText: '\n    for item in items:\n        total += item\n    return total', replaceLength: 0 }, streaming: true });
    assert.equal(backend.calls.length, 1);
  });

  it('a line once shown never changes: what a later call gets extends it', async () => {
    const { engine, clock, streams } = streamingEngine();
    const first = engine.suggest(requestFor(body), signal());
    await clock.tick(0);
    streams.last.push('total = 0\n');
    await clock.tick(PROVISIONAL_AFTER_MS);
    const early = await first;
    streams.last.push('    for item in items:\n');
    const later = await engine.suggest(requestFor(body), signal());
    assert.ok(early.kind === 'shown' && later.kind === 'shown');
    assert.equal(later.suggestion.insertText, 'total = 0\n    for item in items:');
    assert.ok(later.suggestion.insertText.startsWith(early.suggestion.insertText));
  });

  it('nothing early with the policy off, nor for a one-line suggestion', async () => {
    const off = streamingEngine({ ...DEFAULT_POLICY, speculateOnShow: false, progressive: false });
    const whole = off.engine.suggest(requestFor(body), signal());
    await off.clock.tick(0);
    off.streams.last.push('total = 0\n');
    await off.clock.tick(PROVISIONAL_AFTER_MS * 2);
    off.streams.last.push('    return total\n');
    off.streams.last.end();
    assert.deepEqual(await whole, { kind: 'shown', suggestion: { insertText: 'total = 0\n    return total', replaceLength: 0 } });

    const line = streamingEngine();
    const answer = line.engine.suggest(requestFor('x = █'), signal());
    await line.clock.tick(0);
    line.streams.last.push('1 + ');
    await line.clock.tick(PROVISIONAL_AFTER_MS * 2);
    line.streams.last.push('2\n');
    assert.deepEqual(await answer, { kind: 'shown', suggestion: { insertText: '1 + 2', replaceLength: 0 } });
  });
});
