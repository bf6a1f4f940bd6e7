// Safe by default, in a real VS Code: a repository's settings cannot redirect code or keys, secret
// files are never sent, what the user reads is redacted, and a fault ends as soon as the server is back.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { PROBE_INTERVAL_MS } from '../../src/core/circuitBreaker';
import { parseCursor } from '../helpers/cursor';
import { sleep, waitUntil } from '../helpers/wait';
import { startSimulator } from '../simulator/server';
import type { ShownError } from '../../src/ui/errorNotifier';
import { openEditor, resetWorld, simulatorSlot, SUITE_KEY, triggerAndAccept, triggerAndWatch } from './world';

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the suite runs with a workspace folder open');
  return folder;
}

/** Writes the workspace's .vscode/settings.json (a repository's settings) and waits until VS Code read it. */
async function setWorkspaceSettings(values: Record<string, unknown>): Promise<void> {
  const dir = path.join(workspaceFolder(), '.vscode');
  fs.mkdirSync(dir, { recursive: true });
  // A marker of ordinary (window) scope shows that VS Code has read the file.
  const marker = Math.floor(Math.random() * 40) + 5;
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...values, 'qwenInline.maxLines': marker }, null, 2));
  await waitUntil(() => vscode.workspace.getConfiguration('qwenInline').get('maxLines') === marker, 'VS Code to read the workspace settings');
}

async function clearWorkspaceSettings(): Promise<void> {
  fs.rmSync(path.join(workspaceFolder(), '.vscode'), { recursive: true, force: true });
  await waitUntil(() => vscode.workspace.getConfiguration('qwenInline').inspect('maxLines')?.workspaceValue === undefined, 'the workspace settings to be gone');
}

/** Opens `relativePath` in the workspace folder with `marked`'s text, cursor at the █. */
async function openWorkspaceFile(relativePath: string, marked: string): Promise<vscode.TextEditor> {
  const { text, position } = parseCursor(marked);
  const file = path.join(workspaceFolder(), relativePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  const cursor = new vscode.Position(position.line, position.character);
  editor.selection = new vscode.Selection(cursor, cursor);
  return editor;
}

describe('safe by default', () => {
  afterEach(clearWorkspaceSettings);

  it("a repository's settings cannot redirect code or the key: its baseUrl, region and budget are ignored", async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'total = ', completion: 'a + b' }] });
    const elsewhere = await startSimulator({ keyless: true, defaultCompletion: 'stolen' });
    try {
      await setWorkspaceSettings({
        'qwenInline.baseUrl': elsewhere.baseUrl,
        'qwenInline.region': 'beijing',
        'qwenInline.dailyBudget': 0.0001,
        'qwenInline.prices': { 'qwen3-coder-plus': { input: 0, output: 0 } },
      });
      assert.strictEqual(services.config.settings.baseUrl, simulator.baseUrl);
      assert.strictEqual(services.config.settings.region, 'singapore');
      assert.strictEqual(services.config.settings.dailyBudget, 0);
      assert.deepStrictEqual(services.config.settings.prices, {});
      const editor = await openEditor('total = █', { extension: 'py' });
      assert.strictEqual(await triggerAndAccept(editor), 'total = a + b');
      assert.strictEqual(elsewhere.requests.length, 0, 'nothing reached the workspace’s server');
      assert.ok(simulator.requests.at(-1)!.authorization.startsWith('Bearer '), 'the user’s server got the user’s key');
    } finally {
      await elsewhere.close();
    }
  });

  it('files matching qwenInline.exclude are never sent: no ghost text, no Continue This Block, and the status says why', async () => {
    const { simulator, services } = await resetWorld({ defaultCompletion: 'leaked' });
    for (const file of ['.env', 'config/credentials.json', 'deploy/secrets.yaml', '.ssh/id_ed25519']) {
      await openWorkspaceFile(file, 'API_TOKEN=█\n');
      await waitUntil(() => services.status.snapshot.state === 'excluded', `the status to show ${file} as excluded`);
      assert.deepStrictEqual(await triggerAndWatch(simulator, 800), [], `no ghost-text request from ${file}`);
      await vscode.commands.executeCommand('qwenInline.continueBlock');
      await sleep(300);
      assert.strictEqual(simulator.requests.length, 0, `no Continue This Block request from ${file}`);
    }
    assert.match(services.statusBar.tooltipText, /id_ed25519\*|\.ssh\/\*\*/, 'the tooltip names the pattern');
    // An ordinary file beside them is served.
    const editor = await openWorkspaceFile('main.py', 'value = █');
    await waitUntil(() => services.status.snapshot.state === 'ready', 'the status to be ready in main.py');
    assert.strictEqual(await triggerAndAccept(editor), 'value = leaked');
  });

  it('a workspace can add exclusion patterns but never remove the defaults', async () => {
    const { simulator, services } = await resetWorld({ defaultCompletion: 'x' });
    await setWorkspaceSettings({ 'qwenInline.exclude': ['**/*.fixture.py'] });
    await waitUntil(() => services.config.settings.exclude.includes('**/*.fixture.py'), 'the added pattern');
    assert.ok(services.config.settings.exclude.includes('**/.env'), 'the defaults stay');
    await openWorkspaceFile('tests/data.fixture.py', 'row = █');
    await waitUntil(() => services.status.snapshot.state === 'excluded', 'the added pattern to apply');
    assert.deepStrictEqual(await triggerAndWatch(simulator, 800), []);
    await openWorkspaceFile('.env.local', 'X=█');
    await waitUntil(() => services.status.snapshot.state === 'excluded', 'the default pattern to apply');
    assert.deepStrictEqual(await triggerAndWatch(simulator, 800), []);
  });

  it('a server error that echoes the key is shown redacted, in the notification and the status tooltip', async () => {
    const echo = `Header "Authorization: Bearer ${SUITE_KEY}" is not valid for this model; key ${SUITE_KEY}`;
    const { services } = await resetWorld({ script: [{ prefixEndsWith: 'echo = ', error: { status: 400, code: 'invalid_parameter_error', message: echo } }] });
    const shown: ShownError[] = [];
    const listening = services.notifier.onDidShow((notification) => shown.push(notification));
    try {
      await openEditor('echo = █', { extension: 'py' });
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await waitUntil(() => shown.length > 0, 'the notification');
      assert.ok(!shown[0].text.includes(SUITE_KEY), shown[0].text);
      assert.match(shown[0].text, /\[redacted\]/);
      await waitUntil(() => services.status.snapshot.state === 'error', 'the error status');
      assert.ok(!services.statusBar.tooltipText.includes(SUITE_KEY), services.statusBar.tooltipText);
      assert.match(services.statusBar.tooltipText, /rejected the request/);
    } finally {
      listening.dispose();
    }
  });

  it('a custom server that needs no key gets none, and no other server’s key', async () => {
    const { simulator, services } = await resetWorld({ keyless: true, defaultCompletion: '42' });
    await services.keys.clear(simulatorSlot());
    await services.keys.store('singapore', 'sk-region-key-not-for-you-1234');
    try {
      await waitUntil(() => services.status.snapshot.state === 'ready', 'ready without a key');
      const editor = await openEditor('answer = █', { extension: 'py' });
      assert.strictEqual(await triggerAndAccept(editor), 'answer = 42');
      assert.strictEqual(simulator.requests.at(-1)!.authorization, '', 'no Authorization header at all');
    } finally {
      await services.keys.clear('singapore');
    }
  });

  it('a stream cut off mid-answer shows a network error, and suggestions are back within seconds of the server', async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'cut = ', completion: 'compute(alpha, beta)', fault: { kind: 'drop', afterChunks: 1 } }] });
    const shown: ShownError[] = [];
    const listening = services.notifier.onDidShow((notification) => shown.push(notification));
    try {
      await openEditor('cut = █', { extension: 'py' });
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await waitUntil(() => services.status.snapshot.state === 'error', 'the error status');
      assert.deepStrictEqual(shown.map(({ error }) => error.category), ['network']);
      simulator.configure({ script: [{ prefixEndsWith: 'cut = ', completion: 'compute(alpha, beta)' }] });
      const recovered = Date.now();
      const editor = await openEditor('cut = █', { extension: 'py' });
      assert.strictEqual(await triggerAndAccept(editor, 'the suggestion once the server is back'), 'cut = compute(alpha, beta)');
      assert.ok(Date.now() - recovered < PROBE_INTERVAL_MS + 3000, `back after ${Date.now() - recovered} ms`);
      // The accept asks for what follows at once; once that is answered too, the status is clear.
      await waitUntil(() => services.status.snapshot.state === 'ready', 'the status to be ready again');
    } finally {
      listening.dispose();
    }
  });
});
