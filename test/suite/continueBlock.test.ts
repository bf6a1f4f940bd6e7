// "Qwen Inline: Continue This Block" in a real VS Code: streamed into the editor, stopped at the end
// of the block, cancelled, interrupted by typing, undone in one step, and previewed as ghost text.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { dedent } from '../helpers/cursor';
import { waitUntil } from '../helpers/wait';
import { promptPrefixOf } from '../simulator/server';
import { openEditor, resetWorld, simulatorSlot, typeText, world } from './world';

const MEDIAN = dedent(`
  def median(values):
      █


  def mean(values):
      return sum(values) / len(values)
`);

const MEDIAN_BODY = [
  'ordered = sorted(values)',
  '    middle = len(ordered) // 2',
  '    if len(ordered) % 2:',
  '        return ordered[middle]',
  '    return (ordered[middle - 1] + ordered[middle]) / 2',
].join('\n');

/** What a model writes from the cursor: the body, then on into the next function, which already exists. */
const MEDIAN_ANSWER = `${MEDIAN_BODY}\n\n\ndef mean(values):\n    return sum(values) / len(values)\n`;

const ORIGINAL = MEDIAN.replace('█', '');

async function continueBlock(): Promise<void> {
  await vscode.commands.executeCommand('qwenInline.continueBlock');
}

describe('Continue This Block', () => {
  it('streams the body into the editor and stops at the end of the block, aborting the request', async () => {
    const { simulator } = await resetWorld({
      script: [{ prefixEndsWith: 'def median(values):\n    ordered', completion: MEDIAN_ANSWER.slice('ordered'.length) }],
      latency: { firstTokenMs: 50, perChunkMs: 10, tokensPerChunk: 2 },
    });
    const editor = await openEditor(MEDIAN, { extension: 'py' });
    await typeText('ordered');
    await continueBlock();

    const completed = ORIGINAL.replace('def median(values):\n    ', `def median(values):\n    ${MEDIAN_BODY}`);
    assert.strictEqual(editor.document.getText(), completed);
    const record = await simulator.settled(simulator.requests[simulator.requests.length - 1]);
    assert.strictEqual(promptPrefixOf(record), 'def median(values):\n    ordered');
    assert.strictEqual(record.aborted, true, 'the request was closed at the end of the block');
    assert.ok(record.completion.length < MEDIAN_ANSWER.length - 'ordered'.length, 'not all of the answer was generated');
    assert.strictEqual(record.body.max_tokens, 512, 'its own max_tokens setting');
    assert.ok(record.body.messages[1].content.includes('def mean(values):'), 'the text after the cursor went as context');
    assert.ok(editor.selection.active.isEqual(editor.document.positionAt(completed.indexOf(' / 2') + 4)), 'the cursor ends after the block');

    // The insertion is one undo step of its own: apart from the typing before it and after it.
    await typeText('zz');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), completed);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), ORIGINAL.replace('█', '').replace('def median(values):\n    ', 'def median(values):\n    ordered'));
  });

  it('continues when the model stops at max_tokens, sending the text so far as the partial message', async () => {
    const { simulator, dir } = await resetWorld({ latency: { firstTokenMs: 20, perChunkMs: 5, tokensPerChunk: 3 } });
    const file = ORIGINAL.replace('def median(values):\n    ', `def median(values):\n    ${MEDIAN_BODY}`);
    simulator.configure({ oracle: { files: { [`${dir}/stats.py`]: file }, maxLines: 100 } });
    await vscode.workspace.getConfiguration('qwenInline').update('continueBlock.maxTokens', 16, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('qwenInline').update('continueBlock.maxRounds', 10, vscode.ConfigurationTarget.Global);
    await waitUntil(async () => (await world()).services.config.settings['continueBlock.maxTokens'] === 16, 'the setting to apply');
    const editor = await openEditor(MEDIAN, { extension: 'py' });
    await continueBlock();

    assert.strictEqual(editor.document.getText(), file);
    assert.ok(simulator.requests.length >= 2, `${simulator.requests.length} request(s)`);
    for (let i = 1; i < simulator.requests.length; i++) {
      const previous = simulator.requests[i - 1];
      assert.strictEqual(previous.finishReason, 'length');
      assert.strictEqual(promptPrefixOf(simulator.requests[i]), promptPrefixOf(previous) + previous.completion, `request ${i + 1} continues request ${i}`);
    }
  });

  it('Cancel keeps the text inserted so far; one undo removes all of it', async () => {
    const { simulator, services } = await resetWorld({
      script: [{ prefixEndsWith: 'def median(values):\n    ', completion: MEDIAN_ANSWER }],
      latency: { firstTokenMs: 50, perChunkMs: 120, tokensPerChunk: 1 },
    });
    const editor = await openEditor(MEDIAN, { extension: 'py' });
    const running = continueBlock();
    await waitUntil(() => editor.document.getText().includes('middle = len('), 'two lines to stream in');
    await vscode.commands.executeCommand('qwenInline.stopContinueBlock');
    await running;

    const partial = editor.document.getText();
    const inserted = partial.slice('def median(values):\n    '.length, partial.length - ORIGINAL.length + 'def median(values):\n    '.length);
    assert.ok(MEDIAN_BODY.startsWith(inserted) && inserted.includes('middle'), `a prefix of the body stays: ${JSON.stringify(inserted)}`);
    assert.strictEqual(partial, ORIGINAL.replace('def median(values):\n    ', `def median(values):\n    ${inserted}`));
    assert.strictEqual((await simulator.settled(simulator.requests[0])).aborted, true);
    assert.strictEqual(services.continueBlock.isContinuing(editor.document), false);

    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), ORIGINAL, 'one undo step removes the whole insertion');
  });

  it('typing while it streams stops it and keeps what the user typed', async () => {
    const { simulator } = await resetWorld({
      script: [{ prefixEndsWith: 'def median(values):\n    ', completion: MEDIAN_ANSWER }],
      latency: { firstTokenMs: 50, perChunkMs: 120, tokensPerChunk: 1 },
    });
    const editor = await openEditor(MEDIAN, { extension: 'py' });
    const running = continueBlock();
    await waitUntil(() => editor.document.getText().includes('middle'), 'the block to start streaming');
    await typeText('zz');
    await running;
    const settled = await simulator.settled(simulator.requests[0]);
    assert.strictEqual(settled.aborted, true, 'the request stopped');

    const text = editor.document.getText();
    const typedAt = text.indexOf('zz');
    assert.ok(typedAt > 0, 'the typing is in the document');
    const inserted = text.slice('def median(values):\n    '.length, typedAt);
    assert.ok(MEDIAN_BODY.startsWith(inserted), `only a prefix of the body was inserted: ${JSON.stringify(inserted)}`);
    assert.strictEqual(text, ORIGINAL.replace('def median(values):\n    ', `def median(values):\n    ${inserted}zz`), 'nothing came after the typing');

    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), ORIGINAL.replace('def median(values):\n    ', `def median(values):\n    ${inserted}`), 'the typing is an undo step of its own');
  });

  it('preview mode shows the block as ghost text, and Tab accepts it', async () => {
    await resetWorld({ script: [{ prefixEndsWith: 'def median(values):\n    ', completion: MEDIAN_ANSWER }] });
    await vscode.workspace.getConfiguration('qwenInline').update('continueBlock.preview', true, vscode.ConfigurationTarget.Global);
    await waitUntil(async () => (await world()).services.config.settings['continueBlock.preview'], 'the setting to apply');
    const editor = await openEditor(MEDIAN, { extension: 'py' });
    await continueBlock();
    assert.strictEqual(editor.document.getText(), ORIGINAL, 'the document is untouched until Tab');
    await waitUntil(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== ORIGINAL;
    }, 'the preview to be accepted');
    assert.strictEqual(editor.document.getText(), ORIGINAL.replace('def median(values):\n    ', `def median(values):\n    ${MEDIAN_BODY}`));
  });

  it('the status bar tooltip shows the run as the last request, with today\'s totals; no token counts in its text', async () => {
    const { services } = await resetWorld({ script: [{ prefixEndsWith: 'def median(values):\n    ', completion: MEDIAN_ANSWER }] });
    const before = services.spending.snapshot.today;
    await openEditor(MEDIAN, { extension: 'py' });
    await continueBlock();
    const last = services.spending.snapshot.lastRequest;
    assert.strictEqual(last?.feature, 'block');
    assert.ok(last.usage.promptTokens > 0, JSON.stringify(last));
    assert.match(services.statusBar.tooltipText, /\| Last run of Continue This Block( \(\d+ requests\))?( \| (≈ )?[\d,]+){3} \|/);
    assert.doesNotMatch(services.statusBar.text, /tok/);
    const today = services.spending.snapshot.today;
    assert.strictEqual(today.blockRequests, before.blockRequests + 1);
    assert.ok(today.promptTokens > before.promptTokens, 'its tokens are in the day\'s totals');
    assert.match(services.statusBar.tooltipText, /\| Today, \d+ requests?( \| (≈ )?[\d,]+){3} \|/);
  });

  it('a rejected key: the message with its action every time the command is run, and the document untouched', async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'def median(values):\n    ', completion: MEDIAN_ANSWER }] });
    const shown: string[] = [];
    const listening = services.notifier.onDidShow(({ error }) => shown.push(`${error.category}/${error.action}`));
    try {
      await services.keys.store(simulatorSlot(), 'sk-wrong-key-0000');
      const editor = await openEditor(MEDIAN, { extension: 'py' });
      await continueBlock();
      await continueBlock();
      assert.deepStrictEqual(simulator.requests.map((request) => request.status), [401, 401]);
      assert.deepStrictEqual(shown, ['auth/setApiKey', 'auth/setApiKey'], 'a command the user ran always gets its answer');
      assert.strictEqual(editor.document.getText(), ORIGINAL);
    } finally {
      listening.dispose();
    }
  });

  it('a reached daily budget: one notification, the status paused, the command refused with the message, a higher budget lifts it', async () => {
    const { simulator, services } = await resetWorld({ script: [{ prefixEndsWith: 'def median(values):\n    ', completion: MEDIAN_ANSWER }] });
    const config = vscode.workspace.getConfiguration('qwenInline');
    await config.update('prices', { 'custom/qwen3-coder-plus': { input: 1, output: 5 } }, vscode.ConfigurationTarget.Global);
    await config.update('dailyBudget', 0.0001, vscode.ConfigurationTarget.Global);
    await waitUntil(() => services.config.settings.dailyBudget > 0 && services.spending.snapshot.budget?.currency === 'USD', 'the price and budget to apply');
    const shown: string[] = [];
    const listening = services.notifier.onDidShow(({ error }) => shown.push(`${error.category}/${error.action}`));
    try {
      const editor = await openEditor(MEDIAN, { extension: 'py' });
      await continueBlock();
      assert.strictEqual(simulator.requests.length, 1);
      await waitUntil(() => services.status.snapshot.state === 'overBudget', 'the status to show the pause');
      assert.match(services.status.snapshot.error!.message, /^Today's estimated cost \$\d\.\d{4} has reached your daily budget of \$0\.0001 \(qwenInline\.dailyBudget\)\. Completions are paused until tomorrow, or until you raise the budget\.$/);
      const written = editor.document.getText();
      await continueBlock();
      assert.strictEqual(simulator.requests.length, 1, 'refused: nothing sent');
      assert.strictEqual(editor.document.getText(), written);
      assert.deepStrictEqual(shown, ['dailyBudget/openSettings', 'dailyBudget/openSettings'], 'once when reached, once for the refused command');
      await config.update('dailyBudget', 1000, vscode.ConfigurationTarget.Global);
      await waitUntil(() => services.status.snapshot.state === 'ready', 'a higher budget to lift the pause');
    } finally {
      listening.dispose();
      await config.update('prices', undefined, vscode.ConfigurationTarget.Global);
      await config.update('dailyBudget', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('its default keybinding is bound to nothing else in VS Code', async () => {
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const text = await waitUntil(() => {
      const document = vscode.window.activeTextEditor?.document;
      return document && document.getText().includes('"key"') ? document.getText() : undefined;
    }, 'the default keybindings');
    const bindings = [...text.matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map((m) => ({ key: m[1], command: m[2] }));
    assert.ok(bindings.length > 100, `${bindings.length} default keybindings read`);
    const ours = bindings.filter((b) => b.command === 'qwenInline.continueBlock');
    assert.strictEqual(ours.length, 1, JSON.stringify(ours));
    const clashes = bindings.filter((b) => b.key === ours[0].key && b.command !== 'qwenInline.continueBlock');
    assert.deepStrictEqual(clashes, []);
  });
});
