// Project context in a real VS Code: what other workspace files put in the prompt (an open tab, an
// imported file, a fresh edit) lets the model name a method defined elsewhere, and an excluded file
// never reaches a request, however it is open or edited.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ContextSnippet } from '../../src/core/context/types';
import { parseCursor } from '../helpers/cursor';
import { waitUntil } from '../helpers/wait';
import { promptPrefixOf, type RequestRecord, type ScriptedResponse } from '../simulator/server';
import { resetWorld, triggerAndAccept, typeText, type World } from './world';

/** The class the model can only know from another file. */
const INVENTORY = [
  'export class Inventory {',
  '  private items = 0;',
  '  /** Removes up to count items; false when too few. */',
  '  tryRemoveItems(count: number): boolean { if (count > this.items) return false; this.items -= count; return true; }',
  '  restock(amount: number): void { this.items += amount; }',
  '}',
  '',
].join('\n');
const SIGNATURE = 'tryRemoveItems(count: number): boolean';

/** The file the user types in: `inv.` goes after the return. */
function mainFile(header: string): string {
  return `${header}// Sells from the shop's stock.\nexport function sell(inv: Inventory, count: number): boolean {\n  return █\n}\n`;
}

/** The right name when the prompt shows the signature; a plausible wrong one when it does not. */
const SCRIPT: ScriptedResponse[] = [
  { promptIncludes: 'tryRemoveItems(count: number)', prefixEndsWith: 'return inv.', completion: 'tryRemoveItems(3)' },
  { prefixEndsWith: 'return inv.', completion: 'removeItems(3)' },
];

/** Gathers run 300 ms after the last event and take at most 750 ms; this bounds the wait on a loaded machine. */
const CONTEXT_WAIT_MS = 15_000;
/** A gather that ran before VS Code listed a tab found nothing: a cursor move asks again, as a keystroke would. */
const NUDGE_EVERY_MS = 1_500;

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the suite runs with a workspace folder open');
  return folder;
}

/** Writes a workspace file (not opened). */
function writeWorkspaceFile(relativePath: string, text: string): vscode.Uri {
  const file = path.join(workspaceFolder(), relativePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

/** Opens a workspace file in a tab of its own (not a preview the next file would replace), cursor at the █ if any. */
async function openWorkspaceFile(relativePath: string, marked: string): Promise<vscode.TextEditor> {
  const cursorAt = marked.includes('█') ? parseCursor(marked) : undefined;
  const uri = writeWorkspaceFile(relativePath, cursorAt?.text ?? marked);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  editor.options = { insertSpaces: true, tabSize: 2 };
  if (cursorAt) moveCursor(editor, new vscode.Position(cursorAt.position.line, cursorAt.position.character));
  return editor;
}

function moveCursor(editor: vscode.TextEditor, position: vscode.Position): void {
  editor.selection = new vscode.Selection(position, position);
}

/** Settings a test changed, put back after it (each write of the settings file takes a while). */
const changedSettings = new Set<string>();

async function setContextSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('qwenInline');
  for (const [name, value] of Object.entries(values)) {
    changedSettings.add(name);
    await config.update(name, value, vscode.ConfigurationTarget.Global);
  }
}

/** Waits until the context ready for the editor's document holds a snippet `wanted` accepts; returns it. */
async function contextSnippet(world: World, editor: vscode.TextEditor, wanted: (snippet: ContextSnippet) => boolean, what: string): Promise<ContextSnippet> {
  const document = editor.document;
  const cursor = editor.selection.active;
  let nudgedAt = Date.now();
  return waitUntil(
    () => {
      const ready = world.services.projectContext.ready(document.uri.toString(), { languageId: document.languageId, uri: document.uri.toString() });
      const found = ready.find(wanted);
      if (!found && Date.now() - nudgedAt >= NUDGE_EVERY_MS) {
        moveCursor(editor, new vscode.Position(cursor.line, 0));
        moveCursor(editor, cursor);
        nudgedAt = Date.now();
      }
      return found;
    },
    what,
    CONTEXT_WAIT_MS,
  );
}

/** The text of a request's user message: where project context goes. */
function userMessage(request: RequestRecord): string {
  const messages = (request.body?.messages ?? []) as { role: string; content: unknown }[];
  const user = messages.find((message) => message.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

/** Types `inv.`, accepts the suggestion with Tab; returns the request that answered at `inv.`. */
async function typeAndAccept(world: World, editor: vscode.TextEditor): Promise<RequestRecord> {
  await typeText('inv.');
  const text = await triggerAndAccept(editor, 'the suggestion after inv.');
  const request = world.simulator.requests.filter((r) => promptPrefixOf(r).endsWith('return inv.')).at(-1);
  assert.ok(request, 'a request at inv. reached the simulator');
  assert.ok(text.includes('  return inv.tryRemoveItems(3)\n}'), `the method defined in the other file was accepted: ${JSON.stringify(text)}`);
  return request;
}

/** Saves what the tests typed into, so closing the editors asks nothing. */
async function saveDirty(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.fsPath.startsWith(workspaceFolder())) await document.save();
  }
}

describe('project context', () => {
  afterEach(async () => {
    await saveDirty();
    const config = vscode.workspace.getConfiguration('qwenInline');
    for (const name of changedSettings) await config.update(name, undefined, vscode.ConfigurationTarget.Global);
    changedSettings.clear();
  });

  it('an open tab: the class in inventory.ts (not imported) lets the model name its method', async () => {
    const world = await resetWorld({ script: SCRIPT });
    // Only the open-tabs source, so the test proves that one.
    await setContextSettings({ 'context.recentEdits': false, 'context.imports': false, 'context.definitions': false });
    await openWorkspaceFile('ctx-tabs/inventory.ts', INVENTORY);
    const editor = await openWorkspaceFile('ctx-tabs/main.ts', mainFile(''));
    const snippet = await contextSnippet(world, editor, (s) => s.path === 'ctx-tabs/inventory.ts', 'inventory.ts in the context of main.ts');
    assert.strictEqual(snippet.source, 'openTabs');
    const request = await typeAndAccept(world, editor);
    assert.ok(userMessage(request).includes(SIGNATURE), `the request showed the signature: ${userMessage(request)}`);
    assert.ok(userMessage(request).includes('<file path="ctx-tabs/inventory.ts"'), 'labelled with its workspace-relative path');
  });

  it('an imported file never opened: main.ts imports inventory.ts, whose signatures reach the prompt', async () => {
    const world = await resetWorld({ script: SCRIPT });
    await setContextSettings({ 'context.openTabs': false, 'context.recentEdits': false });
    writeWorkspaceFile('ctx-imports/inventory.ts', INVENTORY);
    const editor = await openWorkspaceFile('ctx-imports/main.ts', mainFile("import { Inventory } from './inventory';\n\n"));
    const snippet = await contextSnippet(world, editor, (s) => s.path === 'ctx-imports/inventory.ts', 'inventory.ts in the context of main.ts');
    assert.ok(snippet.source === 'imports' || snippet.source === 'definitions', snippet.source);
    assert.ok(
      !vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.path.endsWith('ctx-imports/inventory.ts'))),
      'inventory.ts was never opened',
    );
    const request = await typeAndAccept(world, editor);
    assert.ok(userMessage(request).includes(SIGNATURE), `the request showed the signature: ${userMessage(request)}`);
  });

  it('the language server: Inventory near the cursor is defined in inventory.ts (never opened), whose class members reach the prompt', async () => {
    const world = await resetWorld({ script: SCRIPT });
    // Only the definitions source: VS Code's TypeScript server says where Inventory is defined.
    await setContextSettings({ 'context.openTabs': false, 'context.recentEdits': false, 'context.imports': false });
    writeWorkspaceFile('ctx-defs/inventory.ts', INVENTORY);
    const editor = await openWorkspaceFile('ctx-defs/main.ts', mainFile("import { Inventory } from './inventory';\n\n"));
    const snippet = await contextSnippet(world, editor, (s) => s.path === 'ctx-defs/inventory.ts', 'the definition of Inventory in the context of main.ts');
    assert.strictEqual(snippet.source, 'definitions');
    const request = await typeAndAccept(world, editor);
    assert.ok(userMessage(request).includes(SIGNATURE), `the request showed the signature: ${userMessage(request)}`);
  });

  it('a fresh edit: the method just added to inventory.ts reaches the prompt as a hunk', async () => {
    const world = await resetWorld({ script: SCRIPT });
    // Only the recent-edits source: an open tab would show the whole small file anyway.
    await setContextSettings({ 'context.openTabs': false, 'context.imports': false, 'context.definitions': false });
    const inventory = await openWorkspaceFile('ctx-edits/inventory.ts', INVENTORY);
    // The user adds a method below restock(), typing it.
    moveCursor(inventory, new vscode.Position(4, inventory.document.lineAt(4).text.length));
    await typeText('\nrestockAll(): void { this.items = 100; }');
    const added = '  restockAll(): void { this.items = 100; }';
    assert.strictEqual(inventory.document.lineAt(5).text, added, 'the method was typed as intended');
    const main = await openWorkspaceFile('ctx-edits/main.ts', mainFile(''));
    const hunk = await contextSnippet(world, main, (s) => s.source === 'recentEdits' && s.path === 'ctx-edits/inventory.ts', 'the edit of inventory.ts in the context');
    assert.ok(hunk.text.includes(added), hunk.text);
    const request = await typeAndAccept(world, main);
    const sent = userMessage(request);
    assert.ok(sent.includes(added), `the request showed the edit: ${sent}`);
    assert.ok(sent.includes(SIGNATURE), 'and the lines around it');
  });

  it('Continue This Block gathers its own context: the open tab’s signature goes with its request', async () => {
    const world = await resetWorld({
      script: [
        { promptIncludes: 'tryRemoveItems(count: number)', prefixEndsWith: 'boolean {\n  ', completion: 'return inv.tryRemoveItems(count);\n}\n' },
        { prefixEndsWith: 'boolean {\n  ', completion: 'return inv.removeItems(count);\n}\n' },
      ],
    });
    // Ghost text would answer at the same spot: off, so the only request is the block's.
    await setContextSettings({ enable: false, 'context.recentEdits': false });
    await openWorkspaceFile('ctx-block/inventory.ts', INVENTORY);
    const editor = await openWorkspaceFile('ctx-block/main.ts', "// Sells from the shop's stock.\nexport function sell(inv: Inventory, count: number): boolean {\n  █\n}\n");
    // No wait for a background gather: the command gathers, once, with twice the budget.
    await vscode.commands.executeCommand('qwenInline.continueBlock');
    assert.strictEqual(
      editor.document.getText(),
      "// Sells from the shop's stock.\nexport function sell(inv: Inventory, count: number): boolean {\n  return inv.tryRemoveItems(count);\n}\n",
    );
    const request = world.simulator.requests.at(-1)!;
    assert.ok(userMessage(request).includes(SIGNATURE), `the request showed the signature: ${userMessage(request)}`);
  });

  it('an excluded file, open in a tab and edited, and a file holding a private key, never reach a request', async () => {
    const world = await resetWorld({ script: SCRIPT });
    const marker = 'MARKER_ctx_excluded_5e1b';
    const keyMarker = 'MARKER_ctx_private_key_9d2c';
    // secrets.ts matches the default pattern **/*secret*; it shares the words of the code at the cursor.
    const secrets = await openWorkspaceFile('ctx-excluded/secrets.ts', `// Inventory count for sell()\nexport const inventoryToken = '${marker}';\n`);
    moveCursor(secrets, new vscode.Position(2, 0));
    await typeText(`export const inventoryCount = '${marker}_typed';\n`);
    // No pattern names keys.ts: its text is refused for the private key it holds.
    await openWorkspaceFile(
      'ctx-excluded/keys.ts',
      `// Inventory count for sell()\nexport const inventoryKey = \`-----BEGIN RSA PRIVATE KEY-----\n${keyMarker}\n-----END RSA PRIVATE KEY-----\`;\n`,
    );
    await openWorkspaceFile('ctx-excluded/inventory.ts', INVENTORY);
    const editor = await openWorkspaceFile('ctx-excluded/main.ts', mainFile(''));
    // Context was gathered with those tabs open and the edit recorded: inventory.ts made it, they did not.
    await contextSnippet(world, editor, (s) => s.path === 'ctx-excluded/inventory.ts', 'inventory.ts in the context of main.ts');
    const ready = world.services.projectContext.ready(editor.document.uri.toString(), { languageId: 'typescript', uri: editor.document.uri.toString() });
    assert.deepStrictEqual(ready.filter((s) => /secrets|keys/.test(s.path)), [], 'no snippet of the excluded files');
    await typeAndAccept(world, editor);
    assert.ok(world.simulator.requests.length > 0);
    for (const request of world.simulator.requests) {
      const body = JSON.stringify(request.body);
      assert.ok(!body.includes(marker) && !body.includes(keyMarker), `a request carried an excluded file's text: ${body}`);
    }
  });
});
