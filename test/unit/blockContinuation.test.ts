import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QwenClient } from '../../src/api/qwenClient';
import type { ApiKeyStore } from '../../src/secrets';
import { ServerAccess } from '../../src/serverAccess';
import { BlockContinuer, type BlockOutcome } from '../../src/core/blockContinuation';
import type { CompletionBackend } from '../../src/core/backend';
import { silentLogger } from '../../src/core/logger';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { CURSOR } from '../helpers/cursor';
import { promptPrefixOf, SIMULATOR_DEFAULTS, startSimulator, type Simulator } from '../simulator/server';
import { fixtureRequest, readTextFixtures } from './helpers/fixtures';
import { FakeClock } from './helpers/fakeClock';
import { accept, answer, answerInPieces, requestFor, ScriptedBackend } from './helpers/harness';
import { STREAM_SPLITS } from '../helpers/qwenTokens';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/block');

export function makeContinuer(backend: CompletionBackend | undefined, overrides: Partial<Settings> = {}): BlockContinuer {
  const settings: Settings = { ...DEFAULT_SETTINGS, ...overrides };
  return new BlockContinuer({
    settings: () => settings,
    backend: () => backend,
    endpoint: () => 'http://sim.test/compatible-mode/v1',
    clock: new FakeClock(),
    logger: silentLogger,
  });
}

/**
 * Golden fixtures: a document with a cursor marker, the model's raw output, and the exact document
 * after the command. Each runs through BlockContinuer, streamed at every split (chunk sizes and Qwen3 tokens); every
 * update must extend the one before (text only ever grows at the cursor).
 */
describe('Continue This Block fixtures (document + model output -> document after the command)', () => {
  const fixtures = readTextFixtures(FIXTURES);

  it('has fixtures to run', () => assert.ok(fixtures.length >= 10, `only ${fixtures.length} fixtures`));

  for (const fixture of fixtures) {
    it(`${fixture.name}: ${fixture.title}`, async () => {
      const { request, toEol } = fixtureRequest(fixture);
      const model = fixture.section('model');
      const expectedReason = fixture.options.reason ?? 'blockEnd';
      for (const split of STREAM_SPLITS) {
        const backend = new ScriptedBackend([answerInPieces(split.pieces(model))]);
        const updates: string[] = [];
        const outcome: BlockOutcome = await makeContinuer(backend).run(request, new AbortController().signal, (progress) =>
          updates.push(progress.text),
        );
        const where = split.name;
        for (let i = 1; i < updates.length; i++) {
          assert.ok(updates[i].startsWith(updates[i - 1]), `${where}: update ${i} ${JSON.stringify(updates[i])} does not extend ${JSON.stringify(updates[i - 1])}`);
        }
        assert.equal(updates[updates.length - 1] ?? '', outcome.text, `${where}: the last update is the outcome`);
        assert.equal(accept(request.text, request.offset, { insertText: outcome.text, replaceLength: 0 }), toEol(fixture.section('expected')), where);
        assert.equal(outcome.reason, expectedReason, where);
      }
    });
  }
});

/** The real openai SDK through QwenClient, against the simulator: the auto-continue loop end to end. */
describe('Continue This Block against the DashScope simulator', () => {
  const KEY = 'sk-block-test-0123456789';
  const WORKSPACE = path.resolve(__dirname, '../../../test/e2e/sandbox-workspace');
  const STATS = fs.readFileSync(path.join(WORKSPACE, 'stats.py'), 'utf8');
  const INVENTORY = fs.readFileSync(path.join(WORKSPACE, 'inventory.ts'), 'utf8');
  let sim: Simulator;
  let client: QwenClient;

  before(async () => {
    sim = await startSimulator({ apiKeys: [KEY] });
    client = new QwenClient({ baseURL: sim.baseUrl, apiKey: KEY, logger: silentLogger });
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.configure({
      ...SIMULATOR_DEFAULTS,
      apiKeys: [KEY],
      oracle: { files: { 'stats.py': STATS, 'inventory.ts': INVENTORY }, maxLines: 400 },
      // Streamed a little at a time, as a real model does, so a stop can land mid-answer.
      latency: { firstTokenMs: 2, perChunkMs: 2, tokensPerChunk: 2 },
    });
  });

  /** A real file with one block's body taken out: the cursor where the body starts, the body up to `bodyEnd`. */
  function withoutBody(file: string, header: string, bodyEnd: string): string {
    const start = file.indexOf(header) + header.length;
    const end = file.indexOf(bodyEnd, start);
    assert.ok(start >= header.length && end > start, `${header} ... ${bodyEnd} in the file`);
    return file.slice(0, start) + CURSOR + file.slice(end);
  }

  async function run(marked: string, languageId: string, overrides: Partial<Settings>, signal = new AbortController().signal) {
    const request = requestFor(marked, { languageId, indentSize: languageId === 'python' ? 4 : 2 });
    const updates: string[] = [];
    const outcome = await makeContinuer(client, overrides).run(request, signal, (progress) => updates.push(progress.text));
    return { request, updates, outcome, document: accept(request.text, request.offset, { insertText: outcome.text, replaceLength: 0 }) };
  }

  function assertRoundsJoin(): void {
    for (let i = 1; i < sim.requests.length; i++) {
      const previous = sim.requests[i - 1];
      assert.equal(previous.finishReason, 'length', `request ${i} stopped at max_tokens`);
      assert.equal(promptPrefixOf(sim.requests[i]), promptPrefixOf(previous) + previous.completion, `request ${i + 1} continues request ${i} exactly`);
    }
  }

  it('Python: rounds capped at 16 tokens join seamlessly into the exact body, then it stops at the dedent', async () => {
    const marked = withoutBody(STATS, 'def median(values: Sequence[float]) -> float:\n    ', '\n\n\ndef mode(');
    const { document, outcome } = await run(marked, 'python', { 'continueBlock.maxTokens': 16, 'continueBlock.maxRounds': 20 });
    assert.equal(document, STATS);
    assert.equal(outcome.reason, 'blockEnd');
    assert.ok(sim.requests.length >= 3, `${sim.requests.length} requests`);
    assert.equal(outcome.rounds, sim.requests.length);
    assertRoundsJoin();
  });

  it('TypeScript: a method body in rounds, stopping before the closing brace already in the file', async () => {
    const marked = withoutBody(INVENTORY, '  ship(sku: string, quantity: number): void {\n    ', '\n  }\n');
    const { document, outcome } = await run(marked, 'typescript', { 'continueBlock.maxTokens': 16, 'continueBlock.maxRounds': 20 });
    assert.equal(document, INVENTORY);
    assert.equal(outcome.reason, 'blockEnd');
    assert.ok(sim.requests.length >= 3, `${sim.requests.length} requests`);
    assertRoundsJoin();
  });

  it('usage adds up: real usage for finished rounds, cached tokens from the shared prompt start, an estimate for the stopped one', async () => {
    const marked = withoutBody(STATS, 'def median(values: Sequence[float]) -> float:\n    ', '\n\n\ndef mode(');
    const { outcome } = await run(marked, 'python', { 'continueBlock.maxTokens': 16, 'continueBlock.maxRounds': 20 });
    const finished = sim.requests.filter((record) => record.usage);
    assert.ok(finished.length >= 2);
    const real = finished.reduce((sum, record) => sum + record.usage!.completion_tokens, 0);
    assert.ok(outcome.usage.completionTokens > real, 'the stopped round is counted too');
    assert.equal(outcome.usage.estimated, true);
    assert.ok(finished.slice(1).some((record) => record.usage!.prompt_tokens_details.cached_tokens > 0), 'later rounds reuse the cached prompt start');
    assert.equal(outcome.usage.cachedTokens, finished.reduce((sum, record) => sum + record.usage!.prompt_tokens_details.cached_tokens, 0));
  });

  it('stops at continueBlock.maxRounds and keeps a clean prefix of the block', async () => {
    const marked = withoutBody(STATS, 'def median(values: Sequence[float]) -> float:\n    ', '\n\n\ndef mode(');
    const { request, outcome } = await run(marked, 'python', { 'continueBlock.maxTokens': 16, 'continueBlock.maxRounds': 2 });
    assert.equal(outcome.reason, 'roundLimit');
    assert.equal(sim.requests.length, 2);
    assert.ok(outcome.text.length > 0 && STATS.slice(request.offset).startsWith(outcome.text), JSON.stringify(outcome.text));
  });

  it('stops at continueBlock.maxTotalTokens, asking the last round for only what is left', async () => {
    const marked = withoutBody(STATS, 'def median(values: Sequence[float]) -> float:\n    ', '\n\n\ndef mode(');
    const { outcome } = await run(marked, 'python', {
      'continueBlock.maxTokens': 16,
      'continueBlock.maxRounds': 20,
      'continueBlock.maxTotalTokens': 40,
    });
    assert.equal(outcome.reason, 'tokenLimit');
    assert.deepEqual(sim.requests.map((record) => record.body.max_tokens), [16, 16, 8]);
    assert.equal(outcome.usage.completionTokens, 40);
  });

  it('an error in a later round keeps what was written and reports the classified error', async () => {
    const marked = withoutBody(STATS, 'def median(values: Sequence[float]) -> float:\n    ', '\n\n\ndef mode(');
    sim.configure({ script: [{ prefixIncludes: 'ordered = sorted(', error: { status: 429, code: 'limit_requests', message: 'Requests rate limit exceeded, please try again later.' } }] });
    const { request, outcome, updates } = await run(marked, 'python', { 'continueBlock.maxTokens': 16, 'continueBlock.maxRounds': 20 });
    assert.equal(outcome.reason, 'error');
    assert.equal(outcome.error?.category, 'rateLimit');
    assert.ok(outcome.text.length > 0 && STATS.slice(request.offset).startsWith(outcome.text));
    assert.equal(outcome.text, updates[updates.length - 1], 'exactly what was shown stays');
  });

  it('cancelling in the second round stops the request and keeps exactly what was shown', async () => {
    const marked = withoutBody(STATS, 'def median(values: Sequence[float]) -> float:\n    ', '\n\n\ndef mode(');
    sim.configure({ latency: { firstTokenMs: 5, perChunkMs: 20, tokensPerChunk: 1 } });
    const controller = new AbortController();
    const request = requestFor(marked, { languageId: 'python' });
    const shown: string[] = [];
    const outcome = await makeContinuer(client, { 'continueBlock.maxTokens': 16, 'continueBlock.maxRounds': 20 }).run(request, controller.signal, (progress) => {
      shown.push(progress.text);
      if (progress.round === 2) controller.abort();
    });
    assert.equal(outcome.reason, 'cancelled');
    assert.equal(outcome.text, shown[shown.length - 1]);
    assert.equal(sim.requests.length, 2);
    assert.equal((await sim.settled(sim.requests[1])).aborted, true);
  });

  it('a custom server without a key is asked without one (as ServerAccess does): its 401 comes back as an auth error', async () => {
    const keyless = new QwenClient({ baseURL: sim.baseUrl, apiKey: undefined, logger: silentLogger });
    const request = requestFor('def f():\n    █', { languageId: 'python' });
    const outcome = await makeContinuer(keyless).run(request, new AbortController().signal, () => undefined);
    assert.equal(sim.requests.length, 1, 'sent, without an Authorization header');
    assert.equal(outcome.reason, 'error');
    assert.equal(outcome.error?.category, 'auth');
  });
});

/**
 * A missing key as the extension decides it: ServerAccess gives no client for a DashScope region
 * whose key slot is empty. Where it would give one, these tests hand out a recording backend instead,
 * so nothing leaves the machine and every request the continuer sends is counted.
 */
describe('Continue This Block without a key', () => {
  function wiring() {
    const slots = new Map<string, string>();
    const keys = { cached: (slot: string) => (slots.has(slot) ? { key: slots.get(slot)!, source: 'secret storage' } : undefined) };
    const settings: Settings = { ...DEFAULT_SETTINGS, region: 'singapore', baseUrl: '' };
    const access = new ServerAccess(() => settings, keys as unknown as ApiKeyStore, silentLogger);
    const recorder = new ScriptedBackend([answer('return 1\n')]);
    const continuer = new BlockContinuer({
      settings: () => settings,
      backend: () => access.client() && recorder,
      endpoint: () => access.endpoint,
      clock: new FakeClock(),
      logger: silentLogger,
    });
    return { slots, recorder, continuer };
  }
  const request = () => requestFor('def f():\n    █', { languageId: 'python' });
  const run = (continuer: BlockContinuer, onProgress: (text: string) => void = () => undefined) =>
    continuer.run(request(), new AbortController().signal, (progress) => onProgress(progress.text));

  it('an empty key slot for the region: the missing-key error, no progress, and no request', async () => {
    const { recorder, continuer } = wiring();
    const outcome = await run(continuer, () => assert.fail('no progress expected'));
    assert.equal(outcome.reason, 'error');
    assert.equal(outcome.error?.category, 'missingKey');
    assert.deepEqual([outcome.text, outcome.rounds, outcome.usage.completionTokens], ['', 0, 0]);
    assert.equal(recorder.calls.length, 0);
  });

  it('a key cleared after a run: the next run sends nothing (no client is kept from before)', async () => {
    const { slots, recorder, continuer } = wiring();
    slots.set('singapore', 'sk-block-0123456789');
    assert.equal((await run(continuer)).text, 'return 1');
    assert.equal(recorder.calls.length, 1, 'with the key, the request is sent');
    slots.delete('singapore');
    assert.equal((await run(continuer)).error?.category, 'missingKey');
    assert.equal(recorder.calls.length, 1, 'without it, none');
  });
});
