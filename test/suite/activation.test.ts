import * as assert from 'assert';
import * as vscode from 'vscode';
import { promptPrefixOf } from '../simulator/server';
import { EXTENSION_ID, openEditor, resetWorld, triggerAndAccept } from './world';

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    configuration: { properties: Record<string, { default: unknown }> };
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

  it('contributes every setting of package.json with its default', async () => {
    await resetWorld();
    const properties = manifest().contributes.configuration.properties;
    assert.ok(Object.keys(properties).length >= 10);
    for (const [key, property] of Object.entries(properties)) {
      const inspected = vscode.workspace.getConfiguration().inspect(key);
      assert.ok(inspected, `${key} is not a known setting`);
      assert.deepStrictEqual(inspected.defaultValue, property.default, key);
    }
  });

  it('registers the inline completion provider: a trigger asks the model in partial mode', async () => {
    const { simulator } = await resetWorld({ script: [{ prefixEndsWith: 'const answer = ', completion: '42;' }] });
    const editor = await openEditor('const answer = █', { extension: 'js' });
    assert.strictEqual(await triggerAndAccept(editor), 'const answer = 42;');
    const request = simulator.requests.at(-1)!;
    assert.strictEqual(request.status, 200);
    assert.strictEqual(promptPrefixOf(request), 'const answer = ');
    assert.strictEqual(request.body.messages.at(-1).partial, true);
  });
});
