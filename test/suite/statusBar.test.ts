// The status bar item and its menu as a user meets them in a real VS Code: the state and today's
// cost at a glance, the details in the tooltip, the menu's groups, and the walkthrough's commands.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { SPECULATION_DELAY_MS } from '../../src/core/speculation';
import { sleep, waitUntil } from '../helpers/wait';
import { openEditor, resetWorld, triggerAndAccept } from './world';

type MenuItem = vscode.QuickPickItem & { run?: () => unknown };

/** Opens the status bar menu and returns what it offered, choosing nothing. */
async function menuItems(): Promise<{ items: readonly MenuItem[]; title: string | undefined }> {
  const window = vscode.window as { showQuickPick: typeof vscode.window.showQuickPick };
  const original = window.showQuickPick;
  let shown: { items: readonly MenuItem[]; title: string | undefined } | undefined;
  window.showQuickPick = (async (items: readonly MenuItem[] | Thenable<readonly MenuItem[]>, options?: vscode.QuickPickOptions) => {
    shown = { items: await items, title: options?.title };
    return undefined;
  }) as unknown as typeof window.showQuickPick;
  try {
    await vscode.commands.executeCommand('qwenInline.showMenu');
  } finally {
    window.showQuickPick = original;
  }
  assert.ok(shown, 'the menu was shown');
  return shown;
}

describe('status bar and menu', () => {
  it('the status bar: today\'s cost once a priced request was answered, no token counts; the tooltip has the last request', async () => {
    // The accept asks for what follows at once: that one has text too, so the last request has a first token.
    const { services } = await resetWorld({
      script: [
        { prefixEndsWith: 'total = ', completion: 'price * count' },
        { prefixEndsWith: 'total = price * count', completion: '\nprint(total)' },
      ],
    });
    // The simulator is a custom server: no price unless the user gives one.
    await vscode.workspace.getConfiguration('qwenInline').update('prices', { 'custom/qwen3-coder-plus': { input: 1, output: 5, currency: 'USD' } }, vscode.ConfigurationTarget.Global);
    const editor = await openEditor('total = █', { extension: 'py' });
    assert.strictEqual(await triggerAndAccept(editor), 'total = price * count');
    await waitUntil(() => services.statusBar.tooltipText.includes('First token after'), 'a request with text to be the last one');
    // Ready, or asking for what follows: the icon may be either, the cost is there.
    assert.match(services.statusBar.text, /^\$\((sparkle|loading~spin)\) Qwen (\$\d+\.\d+|<\$0\.001)$/);
    const tooltip = services.statusBar.tooltipText;
    assert.match(tooltip, /\| Last request( \| (≈ )?[\d,]+){3} \| ≈ \$\d\.\d{4} \|/);
    assert.match(tooltip, /\| Today, [\d,]+ requests? \| /);
  });

  it('a language switched off is named in the tooltip and the menu, by the name VS Code shows', async () => {
    const { services } = await resetWorld();
    await openEditor('x = █', { extension: 'py' });
    await vscode.commands.executeCommand('qwenInline.toggleLanguage');
    await waitUntil(() => services.status.snapshot.state === 'disabled', 'the status to show disabled');
    assert.match(services.statusBar.tooltipText, /^\*\*Qwen Inline\*\*: disabled for Python\n/);
    assert.ok((await menuItems()).items.some((item) => item.label === '$(check) Enable for Python'));
    await vscode.commands.executeCommand('qwenInline.toggleLanguage');
    await waitUntil(() => services.status.snapshot.state === 'ready', 'the status to show ready');
    assert.ok((await menuItems()).items.some((item) => item.label === '$(circle-slash) Disable for Python'));
  });

  it('the menu: actions, the switches, model and server, help, and Clear API Key apart at the end', async () => {
    await resetWorld();
    await openEditor('y = █', { extension: 'py' });
    const { items, title } = await menuItems();
    const rows = items.map((item) => (item.kind === vscode.QuickPickItemKind.Separator ? `-- ${item.label}` : item.label.replace(/^\$\([\w~-]+\) /, '')));
    assert.deepStrictEqual(rows, [
      '-- Actions',
      'Continue This Block',
      '-- On and off',
      'Disable completions',
      'Disable for Python',
      'Snooze…',
      '-- Model and server',
      'Select Model…',
      'Check Server',
      'Set API Key…',
      '-- Help',
      'Get Started',
      'Show Log',
      'Open Settings',
      '-- ',
      'Clear API Key',
    ]);
    assert.match(title ?? '', /^Qwen Inline/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const withoutEditor = (await menuItems()).items.map((item) => item.label);
    assert.ok(!withoutEditor.some((label) => label.includes('Continue This Block') || label.includes(' for ')), 'no editor: no block to continue, no language to switch');
  });

  it('Open a Sample File: an untitled Python editor with the cursor in a function\'s body, where ghost text comes', async () => {
    await resetWorld({ script: [{ prefixEndsWith: 'Fahrenheit."""\n    ', completion: 'return celsius * 9 / 5 + 32' }] });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('qwenInline.openSample');
    assert.strictEqual(vscode.window.activeTextEditor, editor);
    assert.strictEqual(editor.document.uri.scheme, 'untitled');
    assert.strictEqual(editor.document.languageId, 'python');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    assert.ok(editor.selection.active.isEqual(end), 'the cursor at the end of the body\'s first line');
    assert.match(await triggerAndAccept(editor), /"""\n {4}return celsius \* 9 \/ 5 \+ 32$/);
    // Reverting empties the document: first let the request for what follows the accepted text
    // (asked after a pause of SPECULATION_DELAY_MS) read the lines it was asked at.
    await sleep(2 * SPECULATION_DELAY_MS);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Get Started opens the walkthrough', async () => {
    await resetWorld();
    await vscode.commands.executeCommand('qwenInline.getStarted');
    await waitUntil(() => vscode.window.tabGroups.activeTabGroup.activeTab !== undefined && vscode.window.activeTextEditor === undefined, 'the walkthrough to open');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab!;
    assert.ok(!(tab.input instanceof vscode.TabInputText), `a walkthrough, not a text editor: ${tab.label}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
