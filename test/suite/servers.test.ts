// Every server Qwen Inline speaks to, in a real VS Code: ghost text and Continue This Block with
// qwenInline.server set to each value and no key where the server needs none, FIM through
// /completions and llama.cpp's /infill, and Check Server catching the wrong dialect.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CheckReport } from '../../src/core/serverCheck';
import { apiKeySlot } from '../../src/core/settings';
import type { ServerKind } from '../../src/core/servers';
import { dedent } from '../helpers/cursor';
import { waitUntil } from '../helpers/wait';
import { promptPrefixOf, type Dialect } from '../simulator/server';
import { openEditor, resetWorld, triggerAndAccept, type World } from './world';
import { SERVED_MODEL } from '../helpers/servedModels';

const MODEL = SERVED_MODEL;

const FILE = dedent(`
  def area(width, height):
      █


  def perimeter(width, height):
      return 2 * (width + height)
`);

const BODY = 'if width < 0 or height < 0:\n        raise ValueError("negative size")\n    return width * height';

/** Points the extension at the simulator acting as `server`, with no key stored for it. */
async function useServer(server: ServerKind, promptStyle: 'partial' | 'fim' = 'partial'): Promise<World> {
  const w = await resetWorld({
    dialect: server as Dialect,
    script: [
      { prefixEndsWith: 'def area(width, height):\n    ', completion: BODY + '\n\n\ndef perimeter(width, height):\n' },
      { prefixEndsWith: 'def add(a, b):\n    return a', completion: ' + b\n' },
    ],
    latency: { firstTokenMs: 30, perChunkMs: 5, tokensPerChunk: 3 },
  });
  const config = vscode.workspace.getConfiguration('qwenInline');
  await config.update('server', server, vscode.ConfigurationTarget.Global);
  await config.update('promptStyle', promptStyle, vscode.ConfigurationTarget.Global);
  await config.update('model', MODEL[server], vscode.ConfigurationTarget.Global);
  await config.update('baseUrl', w.simulator.baseUrl, vscode.ConfigurationTarget.Global);
  if (server !== 'dashscope') await w.services.keys.clear(apiKeySlot({ region: 'singapore', baseUrl: w.simulator.baseUrl }));
  await waitUntil(() => w.services.config.settings.server === server && w.services.config.settings.baseUrl === w.simulator.baseUrl, 'the settings to reach the extension');
  await waitUntil(() => w.services.status.snapshot.state === 'ready', 'the status to become ready without a key');
  w.simulator.reset();
  return w;
}

async function ghostTextAndBlock(w: World, server: ServerKind): Promise<void> {
  const editor = await openEditor(FILE, { extension: 'py' });
  const accepted = await triggerAndAccept(editor, `ghost text from ${server}`);
  assert.ok(accepted.includes('def area(width, height):\n    if width < 0 or height < 0:'), accepted);
  const ghostRequest = w.simulator.requests.find((record) => record.status === 200);
  assert.ok(ghostRequest, 'a request was answered');
  assert.strictEqual(ghostRequest.authorization, server === 'dashscope' ? ghostRequest.authorization : '', 'no key is sent to a server that needs none');

  // Continue This Block on a fresh copy: the whole body, and nothing of the next function again.
  const block = await openEditor(FILE, { extension: 'py' });
  await vscode.commands.executeCommand('qwenInline.continueBlock');
  await waitUntil(() => block.document.getText().includes('return width * height'), 'Continue This Block to write the body');
  assert.strictEqual(block.document.getText(), FILE.replace('█', BODY));
}

describe('every server', () => {
  afterEach(async () => {
    const config = vscode.workspace.getConfiguration('qwenInline');
    for (const name of ['server', 'promptStyle', 'model']) await config.update(name, undefined, vscode.ConfigurationTarget.Global);
  });

  for (const server of ['vllm', 'sglang', 'llama.cpp', 'ollama', 'lmstudio'] as const) {
    it(`${server}: ghost text and Continue This Block in its dialect, with no key`, async () => {
      const w = await useServer(server);
      await ghostTextAndBlock(w, server);
      const chat = w.simulator.requests.filter((record) => record.path.endsWith('/chat/completions'));
      assert.ok(chat.length >= 2);
      for (const record of chat) {
        const last = record.body.messages.at(-1);
        assert.strictEqual(last.role, 'assistant');
        assert.strictEqual(last.partial, undefined, 'only DashScope reads `partial`');
        if (server === 'vllm' || server === 'sglang') {
          assert.strictEqual(record.body.continue_final_message, true);
          assert.strictEqual(record.body.add_generation_prompt, false);
        }
      }
    });
  }

  it('dashscope: the default dialect, with its key', async () => {
    const w = await useServer('dashscope');
    await ghostTextAndBlock(w, 'dashscope');
    assert.strictEqual(w.simulator.requests[0].body.messages.at(-1).partial, true);
  });

  it('FIM against /completions (vLLM): the suffix is a real suffix', async () => {
    const w = await useServer('vllm', 'fim');
    const editor = await openEditor(FILE, { extension: 'py' });
    const accepted = await triggerAndAccept(editor, 'FIM ghost text');
    assert.ok(accepted.includes('    if width < 0 or height < 0:'), accepted);
    const record = w.simulator.requests.find((r) => r.path === '/v1/completions');
    assert.ok(record, 'a /v1/completions request');
    assert.match(record.body.prompt, /<\|fim_prefix\|>def area\(width, height\):\n {4}<\|fim_suffix\|>\n\n\ndef perimeter\(width, height\):[\s\S]*<\|fim_middle\|>$/);
    assert.strictEqual(promptPrefixOf(record), 'def area(width, height):\n    ');
  });

  it("FIM against llama.cpp's /infill", async () => {
    const w = await useServer('llama.cpp', 'fim');
    const editor = await openEditor(FILE, { extension: 'py' });
    const accepted = await triggerAndAccept(editor, 'infill ghost text');
    assert.ok(accepted.includes('    if width < 0 or height < 0:'), accepted);
    const record = w.simulator.requests.find((r) => r.path === '/infill');
    assert.ok(record, 'an /infill request');
    assert.strictEqual(record.body.input_prefix, 'def area(width, height):\n    ');
    assert.ok(record.body.input_suffix.includes('def perimeter(width, height):'));
  });

  it('Check Server catches the wrong dialect (vLLM asked the DashScope way) and offers the right one', async () => {
    const w = await useServer('vllm');
    await vscode.workspace.getConfiguration('qwenInline').update('server', 'dashscope', vscode.ConfigurationTarget.Global);
    await waitUntil(() => w.services.config.settings.server === 'dashscope', 'the setting');
    const report = await vscode.commands.executeCommand<CheckReport | undefined>('qwenInline.checkServer');
    assert.ok(report, 'a report');
    assert.strictEqual(report.reachable, true);
    assert.strictEqual(report.detected, 'vllm');
    assert.strictEqual(report.answer?.verdict, 'restarted');
    assert.deepStrictEqual(report.fixes, [{ kind: 'setServer', server: 'vllm' }]);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Check Server on the right dialect: continued, with the time to the first token and the usage', async () => {
    const w = await useServer('vllm');
    const report = await vscode.commands.executeCommand<CheckReport | undefined>('qwenInline.checkServer');
    assert.ok(report);
    assert.strictEqual(report.answer?.verdict, 'continued');
    assert.strictEqual(report.modelFound, true);
    assert.ok((report.answer?.firstTokenMs ?? -1) >= 0);
    assert.ok(report.answer?.usage, 'usage reported');
    assert.deepStrictEqual(report.fixes, []);
    assert.strictEqual(w.simulator.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1, 'one tiny request');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
