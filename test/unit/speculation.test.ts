import * as assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../src/core/engine';
import { acceptedAt, SPECULATION_DELAY_MS, Speculator } from '../../src/core/speculation';
import { FakeClock } from './helpers/fakeClock';
import { answer, makeEngine, ManualStreams, requestFor, ScriptedBackend } from './helpers/harness';

const signal = () => new AbortController().signal;
const lastPrompt = (backend: ScriptedBackend) => backend.calls.at(-1)?.body.messages.at(-1)?.content;
const speculating = { ...DEFAULT_POLICY, speculateOnShow: true };

describe('speculation on show: the next suggestion is asked for while this one is on screen', () => {
  it('once the user has paused the delay, asks at the cursor the accepted suggestion leaves; Tab then finds it with no request', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('a + b'), answer('\n\ndef sub(a, b):')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock, undefined, speculating);
    const doc = 'def add(a, b):\n    return █\n';
    assert.deepEqual(await engine.complete(requestFor(doc), signal()), { insertText: 'a + b', replaceLength: 0 });
    await clock.tick(SPECULATION_DELAY_MS - 1);
    assert.equal(backend.calls.length, 1, 'not before the delay');
    await clock.tick(1);
    assert.equal(backend.calls.length, 2);
    assert.equal(lastPrompt(backend), 'def add(a, b):\n    return a + b');
    await clock.tick(0);
    const next = await engine.complete(requestFor('def add(a, b):\n    return a + b█\n'), signal());
    assert.equal(next?.insertText, '\n\ndef sub(a, b):');
    assert.equal(backend.calls.length, 2, 'served by the speculative answer');
  });

  it("reads the model's line after the suggestion and caches it as the next one: Tab needs no request", async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('a + b\n\n\ndef sub(a, b):\n    return a - b\n')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock, undefined, speculating);
    assert.equal((await engine.complete(requestFor('def add(a, b):\n    return █'), signal()))?.insertText, 'a + b');
    await clock.tick(0);
    const next = await engine.complete(requestFor('def add(a, b):\n    return a + b█'), signal());
    assert.equal(next?.insertText, '\n\n\ndef sub(a, b):');
    assert.equal(backend.calls.length, 1, 'one request for both: read ahead, not speculated');
  });

  it('at once when the suggestion came after the user had paused that long (a request, not the cache)', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([streams.behaviour, answer('\nx')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock, undefined, speculating);
    const shown = engine.complete(requestFor('def add(a, b):\n    return █'), signal());
    await clock.tick(SPECULATION_DELAY_MS);
    streams.last.push('a + b');
    streams.last.end();
    assert.equal((await shown)?.insertText, 'a + b');
    assert.equal(backend.calls.length, 2, 'no further wait');
    assert.equal(lastPrompt(backend), 'def add(a, b):\n    return a + b');
  });

  it('sends nothing while the user types on (each keystroke restarts the wait), and one request per shown suggestion', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('a + b'), answer('\nx')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock, undefined, speculating);
    await engine.complete(requestFor('def add(a, b):\n    return █'), signal());
    for (const typed of ['a', 'a ', 'a +']) {
      await clock.tick(SPECULATION_DELAY_MS - 50);
      await engine.complete(requestFor(`def add(a, b):\n    return ${typed}█`), signal());
    }
    assert.equal(backend.calls.length, 1, 'typing through the suggestion, served by the cache');
    await clock.tick(SPECULATION_DELAY_MS);
    assert.equal(backend.calls.length, 2);
    assert.equal(lastPrompt(backend), 'def add(a, b):\n    return a + b', 'the same accepted text');
    // Shown again (VS Code asks again at the same spot): the request in flight or its answer serves it.
    await engine.complete(requestFor('def add(a, b):\n    return a +█'), signal());
    await clock.tick(SPECULATION_DELAY_MS);
    assert.equal(backend.calls.length, 2);
  });

  it('typing through the suggestion keeps the speculative request; typing something else aborts it', async () => {
    const clock = new FakeClock();
    const streams = new ManualStreams();
    const backend = new ScriptedBackend([answer('a + b'), streams.behaviour, answer('c')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock, undefined, speculating);
    await engine.complete(requestFor('def add(a, b):\n    return █'), signal());
    await clock.tick(SPECULATION_DELAY_MS);
    assert.equal(backend.calls.length, 2);
    await engine.complete(requestFor('def add(a, b):\n    return a█'), signal());
    assert.equal(backend.calls[1].signal.aborted, false);
    void engine.complete(requestFor('def add(a, b):\n    return ax█'), signal());
    await clock.tick(0);
    assert.equal(backend.calls[1].signal.aborted, true);
  });

  it('not with the policy off, and not once the daily budget is reached', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('a + b')]);
    const off = makeEngine(backend, { debounceMs: 0 }, clock, undefined, { ...DEFAULT_POLICY, speculateOnShow: false });
    await off.engine.complete(requestFor('def add(a, b):\n    return █'), signal());
    await clock.tick(SPECULATION_DELAY_MS * 2);
    assert.equal(backend.calls.length, 1);

    const capped = new ScriptedBackend([answer('a + b')]);
    const { engine, spending } = makeEngine(capped, { debounceMs: 0, dailyBudget: 0.000001 }, clock, undefined, speculating);
    await engine.complete(requestFor('def add(a, b):\n    return █'), signal());
    assert.equal(spending.budgetReached(), true, 'the first request spent the budget');
    await clock.tick(SPECULATION_DELAY_MS * 2);
    assert.equal(capped.calls.length, 1);
  });

  it('acceptedAt writes the suggestion into the document: several lines, and over the auto-closed characters it replaces', () => {
    const request = requestFor('if (ok) {\n  call(█);\n}\nend');
    const after = acceptedAt(request, { insertText: 'a, b);\n  more(', replaceLength: 2 });
    const lines = Array.from({ length: after.lines.lineCount }, (_, i) => after.lines.lineAt(i));
    assert.deepEqual(lines, ['if (ok) {', '  call(a, b);', '  more(', '}', 'end']);
    assert.deepEqual(after.position, { line: 2, character: 7 });
    const crlf = acceptedAt(requestFor('x = █', { eol: '\r\n' }), { insertText: '1\r\ny = 2', replaceLength: 0 });
    assert.deepEqual([crlf.lines.lineAt(0), crlf.lines.lineAt(1), crlf.lines.lineCount], ['x = 1', 'y = 2', 2]);
    assert.deepEqual(crlf.position, { line: 1, character: 5 });
  });

  it('a document emptied under the timer (revert and close, no keystroke) asks nothing and throws nothing from the timer', async () => {
    const clock = new FakeClock();
    const asked: unknown[] = [];
    const speculator = new Speculator(clock, (next) => asked.push(next));
    const request = requestFor('def f():\n    █');
    let emptied = false;
    const live = { ...request, lines: { lineCount: request.lines.lineCount, lineAt: (at: number) => (emptied ? assert.fail(`Illegal value for line ${at}`) : request.lines.lineAt(at)) } };
    speculator.keystroke(request.documentKey);
    speculator.shown(live, { insertText: 'return 1', replaceLength: 0 });
    emptied = true;
    await clock.tick(SPECULATION_DELAY_MS * 2);
    assert.deepEqual(asked, []);
    emptied = false;
    speculator.shown(live, { insertText: 'return 1', replaceLength: 0 });
    await clock.tick(SPECULATION_DELAY_MS * 2);
    assert.equal(asked.length, 1, 'the same path asks when the document is still there');
  });
});
