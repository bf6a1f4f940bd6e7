// Ghost text the user could not see is never offered: VS Code draws no more than
// editor.stopRenderingLineAfter characters of a line, and nothing on the cursor's line in
// large-file mode, yet Tab would accept what it did not draw (test/bench/editor/largeFiles.ts).
// Each case has its control: with VS Code told to draw it all, the same spot gets its suggestion.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { sleep } from '../helpers/wait';
import { openEditor, resetWorld, triggerAndAccept, triggerAndWatch } from './world';

/** Triggers, tries Tab for a while, and returns the text: unchanged when nothing was offered. */
async function triggerAndTryTab(editor: vscode.TextEditor, forMs = 1500): Promise<string> {
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await sleep(100);
  }
  return editor.document.getText();
}

/** Runs `body` with one of VS Code's editor settings changed in the user settings. */
async function withEditorSetting(name: string, value: unknown, body: () => Promise<void>): Promise<void> {
  const editor = vscode.workspace.getConfiguration('editor');
  await editor.update(name, value, vscode.ConfigurationTarget.Global);
  try {
    await body();
  } finally {
    await editor.update(name, undefined, vscode.ConfigurationTarget.Global);
  }
}

/** A line of `length` characters ending in `tail`, inside a JavaScript file. */
function lineEndingWith(tail: string, length: number): string {
  return `var a="${'m'.repeat(length - 'var a="'.length - '";'.length - tail.length)}";${tail}`;
}

describe('ghost text only where VS Code draws it', () => {
  it('asks nothing at the end of a line longer than editor.stopRenderingLineAfter (a minified file)', async () => {
    const { simulator } = await resetWorld({ script: [{ prefixEndsWith: 'var b=', completion: 'compute(1)' }] });
    await openEditor(`${lineEndingWith('var b=', 10_050)}█`, { extension: 'js' });
    assert.deepStrictEqual(await triggerAndWatch(simulator), []);
    // editor.stopRenderingLineAfter is not a registered setting in VS Code 1.139 (it cannot be
    // written through the API), so the control is a long line that is still drawn.
    const drawn = await openEditor(`${lineEndingWith('var b=', 9_000)}█`, { extension: 'js' });
    assert.ok((await triggerAndAccept(drawn)).endsWith('";var b=compute(1)'), 'control: a 9,000-character line gets its suggestion');
  });

  it('never offers an answer whose first line would cross the last drawn column', async () => {
    // The cursor at column 9,990: ten characters of ghost text are drawn, the eleventh would not be.
    const { simulator } = await resetWorld({
      script: [
        { prefixEndsWith: 'var b=', completion: 'compute(1)' },
        { prefixEndsWith: 'var c=', completion: 'compute(12)' },
      ],
    });
    const fits = await openEditor(`${lineEndingWith('var b=', 9_990)}█`, { extension: 'js' });
    assert.strictEqual(fits.document.lineAt(0).text.length, 9_990);
    assert.ok((await triggerAndAccept(fits)).endsWith('";var b=compute(1)'), 'ten characters fit');

    const crosses = await openEditor(`${lineEndingWith('var c=', 9_990)}█`, { extension: 'js' });
    const after = await triggerAndTryTab(crosses);
    assert.ok(after.endsWith('";var c='), `eleven characters: nothing to accept (the line ends "${after.slice(-20)}")`);
    assert.ok(simulator.requests.some((request) => request.completion === 'compute(12)'), 'it was asked, and its answer dropped');
  });

  it("asks nothing in a file in VS Code's large-file mode (over 300,000 lines)", async () => {
    const { simulator } = await resetWorld({ script: [{ prefixEndsWith: 'total = ', completion: 'sum(values)' }] });
    const lines = Array.from({ length: 300_010 }, (_, i) => `v${i} = ${i}`).join('\n');
    await openEditor(`${lines}\ntotal = █`, { extension: 'py' });
    assert.deepStrictEqual(await triggerAndWatch(simulator), []);
    await withEditorSetting('largeFileOptimizations', false, async () => {
      const normal = await openEditor(`${lines}\ntotal = █`, { extension: 'py' });
      assert.ok((await triggerAndAccept(normal)).endsWith('\ntotal = sum(values)'), 'control: without large-file mode, it is offered');
    });
  });
});
