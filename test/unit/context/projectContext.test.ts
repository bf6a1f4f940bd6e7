import * as assert from 'node:assert/strict';
import { GATHER_DELAY_MS, GATHER_TIME_LIMIT_MS, ProjectContext, type ContextRequest } from '../../../src/core/context/projectContext';
import type { ContextSnippet, ContextSource, ContextSourceName } from '../../../src/core/context/types';
import { silentLogger, type Logger } from '../../../src/core/logger';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/core/settings';
import { FakeClock } from '../helpers/fakeClock';
import { accessOver, queryAt } from './openTabs.test';

const request: ContextRequest = { documentKey: 'file:///w/main.ts', query: queryAt('main.ts', 'typescript', 'cart.'), scope: { languageId: 'typescript' } };

function snippet(source: ContextSourceName, path: string, text = `${path} text`): ContextSnippet {
  return { source, path, startLine: 0, endLine: 0, text, score: 0.5 };
}

/** A source that answers after `ms` (never, for Infinity), or fails. */
function source(name: ContextSourceName, snippets: ContextSnippet[], clock: FakeClock, ms = 0, fails = false): ContextSource & { calls: number } {
  return {
    name,
    calls: 0,
    candidates(_query, _access, signal) {
      this.calls++;
      if (fails) return Promise.reject(new Error('boom'));
      return new Promise((resolve) => {
        if (ms !== Infinity) clock.setTimeout(() => resolve(snippets), ms);
        // A polite source hands over nothing more once out of time.
        signal.addEventListener('abort', () => undefined);
      });
    },
  };
}

function contextWith(sources: ContextSource[], clock: FakeClock, overrides: Partial<Settings> = {}, logger: Logger = silentLogger) {
  const settings = { ...DEFAULT_SETTINGS, ...overrides };
  return new ProjectContext({ access: accessOver([]), sources, settings: () => settings, clock, logger });
}

const paths = (snippets: readonly ContextSnippet[]) => snippets.map((s) => s.path);

describe('context: the background gatherer', () => {
  it('schedule() gathers once, GATHER_DELAY_MS after the last call, at the cursor of that moment', async () => {
    const clock = new FakeClock();
    const tabs = source('openTabs', [snippet('openTabs', 'cart.ts')], clock);
    const context = contextWith([tabs], clock);
    let asked = 0;
    for (let i = 0; i < 5; i++) {
      context.schedule(() => (asked++, request));
      await clock.tick(GATHER_DELAY_MS - 1);
    }
    assert.equal(tabs.calls, 0, 'typing on keeps postponing it');
    await clock.tick(1);
    assert.equal(asked, 1);
    assert.equal(tabs.calls, 1);
    assert.deepEqual(paths(context.ready(request.documentKey, request.scope)), ['cart.ts']);
  });

  it('ready() never waits: nothing before the first gather, and per document', async () => {
    const clock = new FakeClock();
    const context = contextWith([source('openTabs', [snippet('openTabs', 'cart.ts')], clock, 100)], clock);
    const gathering = context.gather(request);
    assert.deepEqual(context.ready(request.documentKey, request.scope), []);
    await clock.tick(100);
    await gathering;
    assert.deepEqual(paths(context.ready(request.documentKey, request.scope)), ['cart.ts']);
    assert.deepEqual(context.ready('file:///w/other.ts', request.scope), []);
    context.forget(request.documentKey);
    assert.deepEqual(context.ready(request.documentKey, request.scope), []);
  });

  it('uses what the sources found within the time limit: a slow language server is left behind', async () => {
    const clock = new FakeClock();
    const fast = source('openTabs', [snippet('openTabs', 'tab.ts')], clock, 10);
    const slow = source('definitions', [snippet('definitions', 'def.ts')], clock, Infinity);
    const context = contextWith([fast, slow], clock);
    const gathering = context.gather(request);
    await clock.tick(GATHER_TIME_LIMIT_MS + 100);
    assert.deepEqual(paths((await gathering).snippets), ['tab.ts']);
  });

  it('a failing source counts as empty, and is logged at debug level', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const logger = { ...silentLogger, debug: (m: string) => lines.push(m) };
    const context = contextWith([source('imports', [], clock, 0, true), source('openTabs', [snippet('openTabs', 'tab.ts')], clock)], clock, {}, logger);
    const gathering = context.gather(request);
    await clock.tick(1);
    assert.deepEqual(paths((await gathering).snippets), ['tab.ts']);
    assert.ok(lines.some((line) => line.includes('imports failed: boom')));
  });

  it('each source has its switch; context.enable off or a zero budget gathers and serves nothing', async () => {
    const clock = new FakeClock();
    const make = () => [source('openTabs', [snippet('openTabs', 'tab.ts')], clock), source('recentEdits', [snippet('recentEdits', 'edit.ts')], clock)];
    const run = async (overrides: Partial<Settings>) => {
      const sources = make();
      const gathering = contextWith(sources, clock, overrides).gather(request);
      await clock.tick(1);
      return { paths: paths((await gathering).snippets), calls: sources.map((s) => s.calls) };
    };
    assert.deepEqual(await run({}), { paths: ['edit.ts', 'tab.ts'], calls: [1, 1] });
    assert.deepEqual(await run({ 'context.openTabs': false }), { paths: ['edit.ts'], calls: [0, 1] });
    assert.deepEqual(await run({ 'context.recentEdits': false }), { paths: ['tab.ts'], calls: [1, 0] });
    assert.deepEqual(await run({ 'context.enable': false }), { paths: [], calls: [0, 0] });
    assert.deepEqual(await run({ 'context.maxChars': 0 }), { paths: [], calls: [0, 0] });
  });

  it('ready() follows the settings of the moment: off serves nothing, a lowered budget serves what still fits', async () => {
    const clock = new FakeClock();
    let settings: Settings = DEFAULT_SETTINGS;
    const sources = [source('openTabs', [snippet('openTabs', 'a.ts', 'a'.repeat(1000)), snippet('openTabs', 'b.ts', 'b'.repeat(1000))], clock)];
    const context = new ProjectContext({ access: accessOver([]), sources, settings: () => settings, clock, logger: silentLogger });
    const gathering = context.gather(request);
    await clock.tick(1);
    await gathering;
    assert.deepEqual(paths(context.ready(request.documentKey, request.scope)), ['a.ts', 'b.ts']);
    settings = { ...DEFAULT_SETTINGS, 'context.maxChars': 1100 };
    assert.deepEqual(paths(context.ready(request.documentKey, request.scope)), ['a.ts']);
    settings = { ...DEFAULT_SETTINGS, 'context.enable': false };
    assert.deepEqual(context.ready(request.documentKey, request.scope), []);
  });

  it('a one-off gather with its own budget (Continue This Block) leaves the document selection alone', async () => {
    const clock = new FakeClock();
    const big = [snippet('openTabs', 'a.ts', 'a'.repeat(3000)), snippet('openTabs', 'b.ts', 'b'.repeat(3000))];
    const context = contextWith([source('openTabs', big, clock)], clock);
    const gathering = context.gather(request, 8000);
    await clock.tick(1);
    assert.equal((await gathering).snippets.length, 2);
    assert.deepEqual(context.ready(request.documentKey, request.scope), []);
  });

  it('logs each snippet file and lines when the selection changes, and not when it stays', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (m: string) => lines.push(m) };
    const context = contextWith([source('openTabs', [{ ...snippet('openTabs', 'src/cart.ts'), startLine: 9, endLine: 20 }], clock)], clock, {}, logger);
    for (let i = 0; i < 2; i++) {
      const gathering = context.gather(request);
      await clock.tick(1);
      await gathering;
    }
    assert.equal(lines.length, 1);
    assert.match(lines[0], /context for file:\/\/\/w\/main\.ts: 1 snippets, \d+ chars, gathered in \d+ ms: src\/cart\.ts:10-21 \(openTabs\)/);
  });

  it('a snippet showing a private key (its start or its end) is never selected, whatever its source', async () => {
    const clock = new FakeClock();
    const key = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA', '-----END OPENSSH PRIVATE KEY-----'];
    const sources = [
      source('recentEdits', [snippet('recentEdits', 'main.ts', `const a = 1;\n${key[0]}\n${key[1]}`), snippet('recentEdits', 'tail.ts', `${key[1]}\n${key[2]}`)], clock),
      source('openTabs', [snippet('openTabs', 'clean.ts')], clock),
    ];
    const gathering = contextWith(sources, clock).gather(request);
    await clock.tick(1);
    assert.deepEqual(paths((await gathering).snippets), ['clean.ts']);
  });

  it('dispose() cancels a scheduled gather and forgets everything', async () => {
    const clock = new FakeClock();
    const tabs = source('openTabs', [snippet('openTabs', 'cart.ts')], clock);
    const context = contextWith([tabs], clock);
    context.schedule(() => request);
    context.dispose();
    await clock.tick(GATHER_DELAY_MS * 2);
    assert.equal(tabs.calls, 0);
    context.schedule(() => request);
    await clock.tick(GATHER_DELAY_MS * 2);
    assert.equal(tabs.calls, 0);
  });
});
