import * as assert from 'node:assert/strict';
import { CancelledError, type StreamOutcome, type StreamRequest } from '../../src/core/backend';
import { adaptiveDebounceMs } from '../../src/core/debounce';
import { dialectOf } from '../../src/core/block/languages';
import { extractPrefix } from '../../src/core/prompt';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { SuggestionCache, typeThrough } from '../../src/core/suggestionCache';
import { DEFAULT_POLICY } from '../../src/core/engine';
import { parseCursor } from '../helpers/cursor';
import { answer, makeEngine, requestFor, ScriptedBackend } from './helpers/harness';
import { FakeClock } from './helpers/fakeClock';

/** Streams the test feeds chunk by chunk, one per request. */
class ManualStreams {
  readonly streams: Array<{ request: StreamRequest; push(chunk: string): void; end(): void }> = [];

  readonly behaviour = (request: StreamRequest): Promise<StreamOutcome> =>
    new Promise((resolve, reject) => {
      let text = '';
      request.signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
      this.streams.push({
        request,
        push: (chunk) => {
          text += chunk;
          if (request.onText && !request.onText(text)) resolve({ text, finishReason: null, stoppedEarly: true, totalMs: 1 });
        },
        end: () => resolve({ text, finishReason: 'stop', stoppedEarly: false, totalMs: 1 }),
      });
    });
}

const signal = () => new AbortController().signal;
const ret = 'def add(a, b):\n    return █';

describe('engine: cache and typing through', () => {
  it('Backspace and undo show the cached suggestion at once, with no request', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('a + b'), answer('other')]);
    // No speculation on show: only the requests typing makes are counted.
    const { engine } = makeEngine(backend, { debounceMs: 100 }, clock, undefined, { ...DEFAULT_POLICY, speculateOnShow: false });
    const first = engine.complete(requestFor(ret), signal());
    await clock.tick(100);
    assert.deepEqual(await first, { insertText: 'a + b', replaceLength: 0 });
    // The user types `x` (a new request), then deletes it again.
    const typed = engine.complete(requestFor('def add(a, b):\n    return x█'), signal());
    await clock.tick(1000);
    await typed;
    assert.equal(backend.calls.length, 2);
    assert.deepEqual(await engine.complete(requestFor(ret), signal()), { insertText: 'a + b', replaceLength: 0 }, 'no debounce, no request');
    assert.equal(backend.calls.length, 2);
  });

  it('typing what the suggestion shows keeps showing the rest at once; typing something else asks again', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('a + b'), answer('c')]);
    const { engine } = makeEngine(backend, { debounceMs: 100 }, clock);
    const first = engine.complete(requestFor(ret), signal());
    await clock.tick(100);
    await first;
    assert.deepEqual(await engine.complete(requestFor('def add(a, b):\n    return a█'), signal()), { insertText: ' + b', replaceLength: 0 });
    assert.deepEqual(await engine.complete(requestFor('def add(a, b):\n    return a +█'), signal()), { insertText: ' b', replaceLength: 0 });
    assert.equal(backend.calls.length, 1);
    const other = engine.complete(requestFor('def add(a, b):\n    return a -█'), signal());
    await clock.tick(100);
    assert.deepEqual(await other, { insertText: 'c', replaceLength: 0 });
    assert.equal(backend.calls.length, 2);
  });

  it('the cache key includes the text after the cursor', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('1'), answer('2')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    assert.deepEqual(await engine.complete(requestFor('x = █\nfoo()'), signal()), { insertText: '1', replaceLength: 0 });
    assert.deepEqual(await engine.complete(requestFor('x = █\nbar()'), signal()), { insertText: '2', replaceLength: 0 });
    assert.equal(backend.calls.length, 2);
  });

  it('remembers where the model had nothing to suggest, and a model change forgets everything (reset)', async () => {
    const backend = new ScriptedBackend([answer(''), answer('later')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 });
    assert.equal(await engine.complete(requestFor(ret), signal()), undefined);
    assert.equal(await engine.complete(requestFor(ret), signal()), undefined);
    assert.equal(backend.calls.length, 1);
    engine.reset();
    assert.deepEqual(await engine.complete(requestFor(ret), signal()), { insertText: 'later', replaceLength: 0 });
  });

  it('with the cache off (the naive policy), every pause asks again', async () => {
    const backend = new ScriptedBackend([answer('a + b')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, new FakeClock(), undefined, { ...DEFAULT_POLICY, cacheSize: 0 });
    await engine.complete(requestFor(ret), signal());
    await engine.complete(requestFor(ret), signal());
    assert.equal(backend.calls.length, 2);
  });
});

describe('engine: reusing the request in flight', () => {
  it('typing what the request in flight predicts follows it instead of paying for a new one', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 50 }, clock);
    const firstToken = new AbortController();
    const first = engine.complete(requestFor(ret), firstToken.signal);
    await clock.tick(50);
    assert.equal(backend.calls.length, 1);
    streams.streams[0].push('a +');
    // The next keystroke: VS Code cancels the first call and asks again at once.
    firstToken.abort();
    const second = engine.complete(requestFor('def add(a, b):\n    return a█'), signal());
    await clock.tick(1000);
    assert.equal(backend.calls[0].signal.aborted, false, 'followed, not orphaned');
    streams.streams[0].push(' b');
    streams.streams[0].end();
    assert.equal(await first, undefined);
    assert.deepEqual(await second, { insertText: ' + b', replaceLength: 0 });
    assert.equal(backend.calls.length, 1);
  });

  it('when the model writes something else than was typed, it is dropped and a new request goes out', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 50 }, clock);
    const firstToken = new AbortController();
    void engine.complete(requestFor(ret), firstToken.signal);
    await clock.tick(50);
    streams.streams[0].push('a');
    firstToken.abort();
    const second = engine.complete(requestFor('def add(a, b):\n    return a █'), signal());
    await clock.tick(0);
    assert.equal(backend.calls[0].signal.aborted, false, '`a` so far: it may still predict `a `');
    streams.streams[0].push('+b');
    await clock.tick(0);
    assert.equal(backend.calls[0].signal.aborted, true);
    await clock.tick(50);
    assert.equal(backend.calls.length, 2);
    streams.streams[1].push('+ b');
    streams.streams[1].end();
    assert.deepEqual(await second, { insertText: '+ b', replaceLength: 0 });
  });

  it('a request that has streamed nothing yet is followed by the next keystroke, and replaced once its text diverges', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 50 }, clock);
    void engine.complete(requestFor(ret), signal());
    await clock.tick(50);
    const typed = engine.complete(requestFor('def add(a, b):\n    return b█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls[0].signal.aborted, false);
    streams.streams[0].push('a + b');
    await clock.tick(0);
    assert.equal(backend.calls[0].signal.aborted, true, 'it wrote `a`, the user typed `b`');
    await clock.tick(50);
    assert.equal(backend.calls.length, 2);
    streams.streams[1].push(' + a');
    streams.streams[1].end();
    assert.deepEqual(await typed, { insertText: ' + a', replaceLength: 0 });
  });

  it('without reuse (the naive policy) every keystroke cancels the request in flight', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 50 }, clock, undefined, { ...DEFAULT_POLICY, reuseInFlight: false });
    void engine.complete(requestFor(ret), signal());
    await clock.tick(50);
    streams.streams[0].push('a +');
    void engine.complete(requestFor('def add(a, b):\n    return a█'), signal());
    assert.equal(backend.calls[0].signal.aborted, true);
  });
});

describe('engine: speculative request after an accept', () => {
  it('prefetch asks at once, and the next call at that spot is served by it', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour]);
    const { engine } = makeEngine(backend, { debounceMs: 200 }, clock);
    const accepted = requestFor('def add(a, b):\n    return a + b\n█');
    engine.prefetch(accepted);
    assert.equal(backend.calls.length, 1, 'no debounce');
    const next = engine.complete(accepted, signal());
    streams.streams[0].push('\ndef sub(a, b):\n    return a - b\n');
    streams.streams[0].end();
    await clock.tick(0);
    assert.ok(await next);
    assert.equal(backend.calls.length, 1);
  });

  it('the naive policy does not speculate', () => {
    const backend = new ScriptedBackend([answer('x')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, new FakeClock(), undefined, { ...DEFAULT_POLICY, speculate: false });
    engine.prefetch(requestFor(ret));
    assert.equal(backend.calls.length, 0);
  });
});

describe('adaptive debounce', () => {
  const spotAt = (marked: string, languageId = 'python') => {
    const request = requestFor(marked, { languageId });
    const prefix = extractPrefix(request.lines, request.position, 6000).text;
    return { cursorLine: prefix.slice(prefix.lastIndexOf('\n') + 1), dialect: dialectOf(languageId) };
  };
  const bounds = { debounceMs: 250, minDebounceMs: 50, maxDebounceMs: 600 };

  it('is short where a block starts, typical after a space or punctuation, long in the middle of a word', () => {
    const opener = adaptiveDebounceMs({ ...spotAt('if x:█'), recentLatencyMs: undefined }, bounds);
    const blank = adaptiveDebounceMs({ ...spotAt('if x:\n    █'), recentLatencyMs: undefined }, bounds);
    const space = adaptiveDebounceMs({ ...spotAt('x = █'), recentLatencyMs: undefined }, bounds);
    const word = adaptiveDebounceMs({ ...spotAt('x = valu█'), recentLatencyMs: undefined }, bounds);
    assert.deepEqual([opener, blank, space, word], [100, 100, 250, 400]);
  });

  it('is shorter when Qwen has been answering fast, longer when slow, and always within the bounds', () => {
    const spot = spotAt('x = █');
    assert.equal(adaptiveDebounceMs({ ...spot, recentLatencyMs: 200 }, bounds), 188);
    assert.equal(adaptiveDebounceMs({ ...spot, recentLatencyMs: 2000 }, bounds), 313);
    assert.equal(adaptiveDebounceMs({ ...spotAt('x = valu█'), recentLatencyMs: 2000 }, { ...bounds, maxDebounceMs: 450 }), 450);
    assert.equal(adaptiveDebounceMs({ ...spotAt('if x:█'), recentLatencyMs: 200 }, { ...bounds, minDebounceMs: 120 }), 120);
    assert.equal(adaptiveDebounceMs({ ...spot, recentLatencyMs: 200 }, { debounceMs: 250, minDebounceMs: 350, maxDebounceMs: 350 }), 350, 'min = max: fixed');
  });

  it('the engine waits the adaptive time', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('\n    pass')]);
    const { engine } = makeEngine(backend, { ...DEFAULT_SETTINGS, minDebounceMs: 50, maxDebounceMs: 600, debounceMs: 250 }, clock);
    void engine.complete(requestFor('if x:█'), signal());
    await clock.tick(99);
    assert.equal(backend.calls.length, 0);
    await clock.tick(1);
    assert.equal(backend.calls.length, 1);
  });
});

describe('suggestion cache', () => {
  const key = (prefix: string, suffix = '') => ({ model: 'm', prefix, suffix });

  it('drops the least recently used entry beyond its capacity', () => {
    const cache = new SuggestionCache(2);
    cache.store(key('a'), { insertText: '1', replaceLength: 0 });
    cache.store(key('b'), { insertText: '2', replaceLength: 0 });
    assert.ok(cache.lookup(key('a'), '\n'));
    cache.store(key('c'), { insertText: '3', replaceLength: 0 });
    assert.equal(cache.size, 2);
    assert.equal(cache.lookup(key('b'), '\n'), undefined);
    assert.ok(cache.lookup(key('a'), '\n'));
  });

  it('types through up to 64 characters, across line breaks, in the document line endings', () => {
    const cache = new SuggestionCache(10);
    cache.store(key('x = '), { insertText: 'f(1,\r\n  2)', replaceLength: 0 });
    assert.deepEqual(cache.lookup(key('x = f(1,\n '), '\r\n'), { suggestion: { insertText: ' 2)', replaceLength: 0 } });
    assert.equal(cache.lookup(key('x = f(2'), '\r\n'), undefined);
    assert.equal(cache.lookup(key('x = f(1,\n  2)'), '\r\n'), undefined, 'nothing left to show');
    const long = 'y'.repeat(70);
    cache.store(key(''), { insertText: long + 'z', replaceLength: 0 });
    assert.equal(cache.lookup(key(long), '\n'), undefined, 'beyond the walk-back');
  });

  it('keeps the range over auto-closed characters while typing through', () => {
    assert.deepEqual(typeThrough({ insertText: 'a, b)', replaceLength: 1 }, 'a', '\n'), { insertText: ', b)', replaceLength: 1 });
  });
});

describe('prompt window: coarse steps for the implicit cache', () => {
  const lines = Array.from({ length: 400 }, (_, i) => `line ${String(i).padStart(3, '0')} of the file`);
  const docWith = (cursorLine: number, column: number) => {
    const parsed = parseCursor(lines.slice(0, cursorLine).join('\n') + '\n' + lines[cursorLine].slice(0, column) + '█');
    return extractPrefix(parsed.lines, parsed.position, 3000);
  };

  it('starts at an anchor line that stays put while the user types on, then jumps by a coarse step', () => {
    const starts = new Set<number>();
    for (let line = 150; line < 180; line++) for (let column = 0; column <= lines[line].length; column += 5) starts.add(docWith(line, column).startLine);
    assert.ok(starts.size <= 2, `at most one move over 30 lines, saw ${[...starts].join(', ')}`);
    for (const start of starts) assert.equal(start % 32, 0);
    const prefix = docWith(170, 4);
    assert.ok(prefix.text.length <= 3000 && prefix.text.length >= 3000 * 0.75, String(prefix.text.length));
  });

  it('takes finer steps when lines are so long that a coarse one would waste the budget', () => {
    const long = Array.from({ length: 100 }, (_, i) => `${i} `.padEnd(400, 'x'));
    const parsed = parseCursor(long.join('\n') + '\n█');
    const prefix = extractPrefix(parsed.lines, parsed.position, 3000);
    assert.ok(prefix.text.length >= 2250, String(prefix.text.length));
  });
});
