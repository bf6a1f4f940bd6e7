import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, SETTINGS_SECTION } from '../../src/core/settings';
import { promptPrefixOf } from '../simulator/server';
import { EXTENSION_ID, openEditor, resetWorld, triggerAndAccept } from './world';

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    configuration: Array<{ properties: Record<string, unknown> }>;
  };
}

describe('activation', () => {
  const manifest = () => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;

  it('registers every command of package.json', async () => {
    await resetWorld();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest().contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, []);
  });

  it('VS Code knows every typed setting, with the default the code uses', async () => {
    await resetWorld();
    // The code's defaults (core/settings.ts) against what VS Code resolved from the installed
    // manifest: a setting missing from package.json, a different default, or a schema VS Code
    // rejected all fail here.
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      const inspected = config.inspect(key);
      assert.ok(inspected, `${SETTINGS_SECTION}.${key} is not a setting VS Code knows`);
      assert.deepStrictEqual(inspected.defaultValue, value, `${SETTINGS_SECTION}.${key}`);
    }
    const contributed = manifest().contributes.configuration.flatMap((section) => Object.keys(section.properties));
    const typed = Object.keys(DEFAULT_SETTINGS).map((key) => `${SETTINGS_SECTION}.${key}`);
    assert.deepStrictEqual(contributed.filter((key) => !typed.includes(key)), [], 'settings in package.json the code never reads');
  });

  it('registers the inline completion provider: a trigger asks the model in partial mode', async () => {
    const { simulator } = await resetWorld({ script: [{ prefixEndsWith: 'const answer = ', completion: '42;' }] });
    const editor = await openEditor('const answer = █', { extension: 'js' });
    assert.strictEqual(await triggerAndAccept(editor), 'const answer = 42;');
    // The first request; a speculative one for what follows the accepted text may come after it.
    const request = simulator.requests[0];
    assert.strictEqual(request.status, 200);
    assert.strictEqual(promptPrefixOf(request), 'const answer = ');
    assert.strictEqual(request.body.messages.at(-1).partial, true);
  });
});
