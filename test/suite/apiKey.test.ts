import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ClassifiedError } from '../../src/core/errors';
import { waitUntil } from '../helpers/wait';
import { openEditor, resetWorld, simulatorSlot, triggerAndAccept, triggerAndWatch, typeText } from './world';

describe('the API key', () => {
  it('is stored in SecretStorage and read back from there for requests', async () => {
    const { simulator, services } = await resetWorld();
    const newKey = 'sk-sim-rotated-81d0';
    simulator.configure({ apiKeys: [newKey], script: [{ prefixEndsWith: 'x = ', completion: '1' }] });
    await services.keys.store(simulatorSlot(), newKey);
    await waitUntil(() => services.keys.cached(simulatorSlot())?.key === newKey, 'the new key to be read from SecretStorage');
    assert.strictEqual(services.keys.cached(simulatorSlot())?.source, 'secret storage');
    const editor = await openEditor('x = █', { extension: 'py' });
    // The simulator accepts only the new key: a 200 means the stored key is the one sent.
    assert.strictEqual(await triggerAndAccept(editor), 'x = 1');
    assert.strictEqual(simulator.requests.at(-1)!.status, 200);
  });

  it('cleared with the command: a custom server is then asked without a key, and its 401 asks for one', async () => {
    const { simulator, services } = await resetWorld();
    await vscode.commands.executeCommand('qwenInline.clearApiKey');
    await waitUntil(() => services.keys.cached(simulatorSlot()) === undefined, 'the key to be gone');
    await openEditor('y = █', { extension: 'py' });
    const sent = await triggerAndWatch(simulator);
    assert.strictEqual(sent.length, 1, 'a custom server may need no key, so the request goes');
    assert.strictEqual(sent[0].authorization, '', 'without an Authorization header');
    assert.strictEqual(sent[0].status, 401);
    await waitUntil(() => services.status.snapshot.state === 'needsKey', 'the status to ask for a key');
  });

  it('a rejected key (401): the status asks for a key, and one notification however many requests fail', async () => {
    const { simulator, services } = await resetWorld();
    const shown: ClassifiedError[] = [];
    const listening = services.notifier.onDidShow(({ error }) => shown.push(error));
    try {
      await services.keys.store(simulatorSlot(), 'sk-wrong-key-0000');
      const editor = await openEditor('total = █', { extension: 'py' });
      for (const typed of ['1', ' +', ' 2']) {
        // Lift the pause after an auth error, as a settings change would, so every attempt is sent.
        services.engine.reset();
        await typeText(typed);
        const sent = await triggerAndWatch(simulator, 1000);
        assert.ok(sent.length > 0, `a request after typing "${typed}"`);
      }
      const statuses = simulator.requests.map((request) => request.status);
      assert.ok(statuses.length >= 3 && statuses.every((status) => status === 401), `all rejected: ${statuses}`);
      assert.strictEqual(services.status.snapshot.state, 'needsKey');
      assert.deepStrictEqual(shown.map((error) => error.category), ['auth']);
      assert.strictEqual(editor.document.getText(), 'total = 1 + 2', 'typing went on untouched');
    } finally {
      listening.dispose();
    }
  });
});
