// What every in-host test stands on: the extension activated in this VS Code, pointed at a DashScope
// simulator running in this same extension host, and helpers that drive editors the way a user does.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { apiKeySlot } from '../../src/core/settings';
import type { QwenInlineServices } from '../../src/extension';
import { parseCursor } from '../helpers/cursor';
import { sleep, waitUntil } from '../helpers/wait';
import { SIMULATOR_DEFAULTS, startSimulator, type RequestRecord, type Simulator, type SimulatorOptions } from '../simulator/server';

export const EXTENSION_ID = 'qwen-inline.qwen-inline';
/** The key the simulator accepts; the suite stores it in SecretStorage (no DASHSCOPE_API_KEY here). */
export const SUITE_KEY = 'sk-sim-suite-4f2a9c';

export interface World {
  readonly simulator: Simulator;
  readonly services: QwenInlineServices;
  /** Where test files are written. */
  readonly dir: string;
}

let started: Promise<World> | undefined;

/** Starts the simulator and activates the extension once for the whole suite. */
export function world(): Promise<World> {
  started ??= (async () => {
    if (process.env.DASHSCOPE_API_KEY) throw new Error('unset DASHSCOPE_API_KEY: the suite tests the key from SecretStorage');
    const simulator = await startSimulator({ apiKeys: [SUITE_KEY] });
    const extension = vscode.extensions.getExtension<QwenInlineServices>(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
    const services = await extension.activate();
    if (!services) throw new Error('activate() returned no services: is the extension host in test mode?');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-suite-'));
    return { simulator, services, dir };
  })();
  return started;
}

/** Where the suite's key for the simulator is stored: the slot of its origin. */
export function simulatorSlot(): string {
  if (!started) throw new Error('world() first');
  return apiKeySlot({ region: 'singapore', baseUrl: vscode.workspace.getConfiguration('qwenInline').get<string>('baseUrl') ?? '' });
}

/** A clean state before each test: default settings on the simulator, the suite key, nothing snoozed. */
export async function resetWorld(simulatorOptions: Partial<SimulatorOptions> = {}): Promise<World> {
  const w = await world();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const config = vscode.workspace.getConfiguration('qwenInline');
  const names = ['enable', 'languages', 'region', 'server', 'promptStyle', 'model', 'debounceMs', 'maxLines', 'prices', 'dailyBudget'];
  for (const name of [...names, 'continueBlock.preview', 'continueBlock.maxTokens', 'continueBlock.maxRounds']) {
    await config.update(name, undefined, vscode.ConfigurationTarget.Global);
  }
  // The simulator first: its base URL follows the dialect it acts as.
  w.simulator.configure({ ...SIMULATOR_DEFAULTS, apiKeys: [SUITE_KEY], ...simulatorOptions });
  w.simulator.reset();
  await config.update('baseUrl', w.simulator.baseUrl, vscode.ConfigurationTarget.Global);
  await w.services.keys.store(apiKeySlot({ region: 'singapore', baseUrl: w.simulator.baseUrl }), SUITE_KEY);
  w.services.status.resume();
  w.services.engine.reset();
  await waitUntil(() => w.services.config.settings.baseUrl === w.simulator.baseUrl, 'the settings to reach the extension');
  await waitUntil(() => w.services.status.snapshot.state === 'ready', 'the status to become ready');
  return w;
}

export interface EditorOptions {
  /** File extension, which picks the language: 'py', 'ts', ... */
  readonly extension: string;
  readonly eol?: 'lf' | 'crlf';
  readonly tabs?: boolean;
  readonly tabSize?: number;
}

let fileCount = 0;

/** Writes `marked` (with one █) to a new file, opens it, and puts the cursor at the marker. */
export async function openEditor(marked: string, options: EditorOptions): Promise<vscode.TextEditor> {
  const { dir } = await world();
  const { text, position } = parseCursor(marked);
  const file = path.join(dir, `case-${++fileCount}.${options.extension}`);
  fs.writeFileSync(file, options.eol === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : text);
  const document = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(document);
  editor.options = { insertSpaces: !options.tabs, tabSize: options.tabSize ?? 4 };
  const cursor = new vscode.Position(position.line, position.character);
  editor.selection = new vscode.Selection(cursor, cursor);
  return editor;
}

/** Types as a user does: character by character through the `type` command (auto-closing included). */
export async function typeText(text: string): Promise<void> {
  for (const character of text) await vscode.commands.executeCommand('type', { text: character });
}

/**
 * Asks for a suggestion and presses Tab on it: triggers, then tries to accept until the ghost text is
 * shown (the accept command does nothing while none is visible). Returns the document text after.
 */
export async function triggerAndAccept(editor: vscode.TextEditor, what = 'a suggestion to accept'): Promise<string> {
  const { simulator } = await world();
  const version = editor.document.version;
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  let triggeredAt = Date.now();
  await waitUntil(async () => {
    // A block shows line by line while it streams: the whole one is wanted here, once nothing is in flight.
    if (simulator.requests.some((record) => !record.done)) return false;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    if (editor.document.version !== version) return true;
    // VS Code asks an explicit trigger once; on a loaded machine that one call can see the editor
    // before the test's cursor reached it, and then nothing asks again. A user who sees nothing
    // presses the trigger again, and so does this (the log says so, the overall wait still counts).
    if (Date.now() - triggeredAt >= RETRIGGER_AFTER_MS) {
      console.log(`      (no ghost text ${RETRIGGER_AFTER_MS} ms after the trigger: triggered again)`);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      triggeredAt = Date.now();
    }
    return false;
  }, what);
  return editor.document.getText();
}

/** Long enough for a debounce, a recovery probe's wait (2 s) and a simulated answer. */
const RETRIGGER_AFTER_MS = 3_000;

/** Triggers and waits long enough that a request would have reached the simulator; returns what did. */
export async function triggerAndWatch(simulator: Simulator, quietMs = 1500): Promise<RequestRecord[]> {
  const before = simulator.requests.length;
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  await sleep(quietMs);
  return simulator.requests.slice(before);
}


