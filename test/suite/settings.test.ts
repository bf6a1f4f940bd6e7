// Settings changes apply at once, without reloading the window.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, REGION_BASE_URLS, resolveBaseUrl } from '../../src/core/settings';
import { promptPrefixOf } from '../simulator/server';
import { waitUntil } from '../helpers/wait';
import { openEditor, resetWorld, triggerAndAccept, triggerAndWatch } from './world';

const global = vscode.ConfigurationTarget.Global;

describe('settings changes', () => {
  it('a new model is used by the next request', async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'n = ', completion: '3' }] });
    await vscode.workspace.getConfiguration('qwenInline').update('model', 'qwen3-coder-flash', global);
    await waitUntil(() => services.config.settings.model === 'qwen3-coder-flash', 'the model setting to arrive');
    const editor = await openEditor('n = █', { extension: 'py' });
    assert.strictEqual(await triggerAndAccept(editor), 'n = 3');
    assert.strictEqual(simulator.requests.at(-1)!.body.model, 'qwen3-coder-flash');
  });

  it('a language override applies in that language only: "[python]": { "qwenInline.maxTokens": 32 }', async () => {
    const { simulator } = await resetWorld({ script: [{ prefixEndsWith: 'k = ', completion: '7' }, { prefixEndsWith: 'j = ', completion: '8' }] });
    const python = vscode.workspace.getConfiguration('qwenInline', { languageId: 'python' });
    await python.update('maxTokens', 32, global, true);
    const maxTokensFor = (prefix: string) => simulator.requests.filter((r) => promptPrefixOf(r).endsWith(prefix)).map((r) => r.body.max_tokens);
    try {
      const inPython = await openEditor('k = █', { extension: 'py' });
      assert.strictEqual(await triggerAndAccept(inPython), 'k = 7');
      assert.deepStrictEqual(maxTokensFor('k = '), [32], 'Python asks with its own maxTokens');
      const inJs = await openEditor('j = █', { extension: 'js' });
      assert.strictEqual(await triggerAndAccept(inJs), 'j = 8');
      assert.deepStrictEqual(maxTokensFor('j = '), [DEFAULT_SETTINGS.maxTokens], 'JavaScript keeps the default');
    } finally {
      await python.update('maxTokens', undefined, global, true);
    }
  });

  it('a region switch moves to that region and its own key slot', async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'r = ', completion: '4' }] });
    const config = vscode.workspace.getConfiguration('qwenInline');
    await config.update('region', 'beijing', global);
    await config.update('baseUrl', '', global);
    await waitUntil(() => services.config.settings.baseUrl === '', 'the base URL to be cleared');
    assert.strictEqual(resolveBaseUrl(services.config.settings), REGION_BASE_URLS.beijing);
    // The suite stored a key only for the simulator's slot: Beijing has none, so nothing is sent anywhere.
    await waitUntil(() => services.status.snapshot.state === 'needsKey', 'the status to ask for a Beijing key');
    await openEditor('r = █', { extension: 'py' });
    assert.deepStrictEqual(await triggerAndWatch(simulator), []);

    await config.update('baseUrl', simulator.baseUrl, global);
    await waitUntil(() => services.status.snapshot.state === 'ready', 'the simulator slot and its key to be back');
    const editor = await openEditor('r = █', { extension: 'py' });
    assert.strictEqual(await triggerAndAccept(editor), 'r = 4');
  });

  it('disabling for a language stops requests there, and enabling brings them back', async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'z = ', completion: '5' }] });
    await openEditor('z = █', { extension: 'py' });
    await vscode.commands.executeCommand('qwenInline.toggleLanguage', 'python');
    await waitUntil(() => services.status.snapshot.state === 'disabled', 'the status to show disabled');
    assert.strictEqual(vscode.workspace.getConfiguration('qwenInline').get<Record<string, boolean>>('languages')?.python, false);
    assert.deepStrictEqual(await triggerAndWatch(simulator), []);

    await vscode.commands.executeCommand('qwenInline.toggleLanguage', 'python');
    await waitUntil(() => services.status.snapshot.state === 'ready', 'the status to show ready');
    // A new editor: VS Code does not ask again for the very same position and document version.
    const editor = await openEditor('z = █', { extension: 'py' });
    assert.strictEqual(await triggerAndAccept(editor), 'z = 5');
  });

  it('the global switch turns every language off and on', async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'w = ', completion: '6' }] });
    await openEditor('w = █', { extension: 'py' });
    await vscode.commands.executeCommand('qwenInline.toggle');
    await waitUntil(() => services.status.snapshot.state === 'disabled', 'the status to show disabled');
    assert.deepStrictEqual(await triggerAndWatch(simulator), []);
    await vscode.commands.executeCommand('qwenInline.toggle');
    await waitUntil(() => services.status.snapshot.state === 'ready', 'the status to show ready');
    const editor = await openEditor('w = █', { extension: 'py' });
    assert.strictEqual(await triggerAndAccept(editor), 'w = 6');
  });
});
