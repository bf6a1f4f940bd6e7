import * as assert from 'node:assert/strict';
import { promptAt } from '../../src/core/cursorPrompt';
import { DEFAULT_POLICY, type EnginePolicy } from '../../src/core/engine';
import { Flights } from '../../src/core/flight';
import { extractPrefix } from '../../src/core/prompt';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { makeEngine, ManualStreams, requestFor, ScriptedBackend } from './helpers/harness';
import { FakeClock } from './helpers/fakeClock';

const signal = () => new AbortController().signal;

/** An engine with no debounce whose requests the test streams by hand. */
function manualEngine(streams = new ManualStreams(), policy?: EnginePolicy) {
  const clock = new FakeClock();
  const backend = new ScriptedBackend([streams.behaviour]);
  const { engine } = makeEngine(backend, { debounceMs: 0 }, clock, undefined, policy);
  return { clock, backend, engine, streams };
}

describe('flight: which keystrokes follow the request in flight', () => {
  it('after Backspace, the request for the longer line is replaced, not followed', async () => {
    const { clock, backend, engine, streams } = manualEngine();
    void engine.complete(requestFor('x = ab█'), signal());
    await clock.tick(0);
    streams.last.push('c + 1');
    void engine.complete(requestFor('x = a█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2);
    assert.equal(backend.calls[0].signal.aborted, true);
  });

  it('an edit below the cursor replaces the request in flight: its prompt no longer holds', async () => {
    const { clock, backend, engine, streams } = manualEngine();
    void engine.complete(requestFor('x = █\nfoo()'), signal());
    await clock.tick(0);
    streams.last.push('a + 1');
    void engine.complete(requestFor('x = a█\nbar()'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2);
    assert.equal(backend.calls[0].signal.aborted, true);
  });

  it('a keystroke before the model has streamed anything follows the request, until its first text contradicts it', async () => {
    const { clock, backend, engine, streams } = manualEngine();
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    const typed = engine.complete(requestFor('x = Str█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 1, 'followed, not restarted');
    streams.last.push('Strin');
    await clock.tick(0);
    assert.equal(backend.calls.length, 1);
    streams.last.push('g(1)');
    streams.last.end();
    assert.deepEqual(await typed, { insertText: 'ing(1)', replaceLength: 0 });
  });

  it('without followSilent (the previous release) a keystroke before any text replaces the request', async () => {
    const { clock, backend, engine } = manualEngine(new ManualStreams(), { ...DEFAULT_POLICY, followSilent: false });
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    void engine.complete(requestFor('x = S█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2);
    assert.equal(backend.calls[0].signal.aborted, true);
  });

  it('a silent request is replaced once it is 6 s old, or once 160 characters were typed past it', async () => {
    const { clock, backend, engine } = manualEngine();
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(5990);
    void engine.complete(requestFor('x = S█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 1);
    await clock.tick(10);
    void engine.complete(requestFor('x = St█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2, 'too old');
    assert.equal(backend.calls[0].signal.aborted, true);
    void engine.complete(requestFor(`x = St${'a'.repeat(160)}█`), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2, '160 typed: still followed');
    void engine.complete(requestFor(`x = St${'a'.repeat(161)}█`), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 3, '161 typed: replaced');
  });

  it('follows a request whose answer so far may still turn into a think block', async () => {
    const { clock, backend, engine, streams } = manualEngine();
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    streams.last.push('<thi');
    const typed = engine.complete(requestFor('x = f█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 1);
    streams.last.push('nk>\n</think>\n\nfoo + 1');
    streams.last.end();
    assert.deepEqual(await typed, { insertText: 'oo + 1', replaceLength: 0 });
  });

  it('in code, the fence the model wraps its answer in does not count against what was typed', async () => {
    const { clock, backend, engine, streams } = manualEngine();
    void engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    streams.last.push('```python\nfo');
    void engine.complete(requestFor('x = f█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 1);
  });

  it('in a Markdown document a fence the model writes is content: typing it follows the request', async () => {
    const { clock, backend, engine, streams } = manualEngine();
    const markdown = { languageId: 'markdown', documentKey: 'file:///README.md' };
    void engine.complete(requestFor('# Usage\n\n█', markdown), signal());
    await clock.tick(0);
    streams.last.push('```bash\nls');
    void engine.complete(requestFor('# Usage\n\n`█', markdown), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 1);
  });

  it('a request aborted after nobody followed it is not followed later, even before its stream ends', async () => {
    // A server may go on answering an aborted request for a while.
    const { clock, backend, engine, streams } = manualEngine(new ManualStreams(false));
    const token = new AbortController();
    const first = engine.complete(requestFor('x = █'), token.signal);
    await clock.tick(0);
    streams.last.push('abc');
    token.abort();
    assert.equal(await first, undefined);
    await clock.tick(300);
    assert.equal(backend.calls[0].signal.aborted, true, 'orphaned');
    const again = engine.complete(requestFor('x = a█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls.length, 2, 'a new request');
    streams.streams[0].end();
    streams.last.push('bc');
    streams.last.end();
    assert.deepEqual(await again, { insertText: 'bc', replaceLength: 0 });
  });
});

describe('flight: followers', () => {
  it('a request still followed by a later keystroke is not aborted when the earlier call is cancelled', async () => {
    const { clock, backend, engine, streams } = manualEngine();
    const earlier = new AbortController();
    const first = engine.complete(requestFor('x = █'), earlier.signal);
    await clock.tick(0);
    streams.last.push('abc + 1');
    const second = engine.complete(requestFor('x = a█'), signal());
    await clock.tick(0);
    earlier.abort(); // VS Code cancels the earlier keystroke's call
    assert.equal(await first, undefined);
    await clock.tick(300);
    assert.equal(backend.calls[0].signal.aborted, false);
    streams.last.end();
    assert.deepEqual(await second, { insertText: 'bc + 1', replaceLength: 0 });
    assert.equal(backend.calls.length, 1);
  });

  it('a keystroke whose call is already cancelled gets nothing, even from a request in flight that predicts it', async () => {
    const { clock, engine, streams } = manualEngine();
    const first = engine.complete(requestFor('x = █'), signal());
    await clock.tick(0);
    streams.last.push('abc');
    const gone = new AbortController();
    gone.abort();
    const late = engine.suggest(requestFor('x = a█'), gone.signal);
    streams.last.end();
    assert.deepEqual(await late, { kind: 'skipped', reason: { kind: 'cancelled' } });
    assert.deepEqual(await first, { insertText: 'abc', replaceLength: 0 }, 'the request itself goes on');
  });
});

describe('flight: one request per document', () => {
  const prompt = (marked: string, model: string) => promptAt(requestFor(marked), { ...DEFAULT_SETTINGS, model }, extractPrefix);
  const plan = (marked: string, model: string, streams: ManualStreams) => {
    const p = prompt(marked, model);
    const spot = p.spot;
    assert.ok(!('skip' in spot));
    return { prompt: p, spot, backend: new ScriptedBackend([streams.behaviour]), settings: DEFAULT_SETTINGS, context: [] };
  };
  const settle = () => ({ kind: 'skipped', reason: { kind: 'cancelled' } }) as const;

  it('a prompt for another model does not follow the request in flight, which is aborted', () => {
    const streams = new ManualStreams();
    const flights = new Flights(new FakeClock(), true);
    const flight = flights.start('doc', plan('x = █', 'qwen-a', streams), settle);
    streams.last.push('abc');
    assert.equal(flights.followable('doc', prompt('x = a█', 'qwen-a')), flight, 'the same model follows');
    assert.equal(flights.followable('doc', prompt('x = a█', 'qwen-b')), undefined);
    assert.equal(flight.aborted, true);
  });
});
