import * as vscode from 'vscode';
import { isLanguageEnabled, SUGGESTED_MODELS } from '../core/settings';
import { describeCost, type SpendingTracker } from '../core/spending';
import type { StatusModel } from '../core/status';
import type { Configuration } from '../config';
import type { ModelEntry } from '../core/serverCheck';

const SNOOZE_MINUTES = [5, 15, 60] as const;

export async function toggleEnabled(config: Configuration): Promise<void> {
  await config.update('enable', !config.settings.enable);
}

export async function toggleLanguage(config: Configuration, languageId: string): Promise<void> {
  const enabled = isLanguageEnabled(config.settings, languageId);
  await config.update('languages', { ...config.settings.languages, [languageId]: !enabled });
}

export async function snooze(status: StatusModel): Promise<void> {
  const items = SNOOZE_MINUTES.map((minutes) => ({ label: `$(clock) ${minutes} minutes`, minutes }));
  const resume = { label: '$(play) Resume now', minutes: 0 };
  const choice = await vscode.window.showQuickPick(status.isSnoozed() ? [resume, ...items] : items, {
    title: 'Qwen Inline: Snooze completions',
  });
  if (!choice) return;
  if (choice.minutes === 0) status.resume();
  else status.snooze(choice.minutes);
}

/**
 * Select Model: a self-hosted server's own models (GET {base}/models) when it lists them, else the
 * documented DashScope models; "Other model…" takes any name.
 */
export async function selectModel(config: Configuration, listServerModels: () => Promise<readonly ModelEntry[]>): Promise<void> {
  const current = config.settings.model;
  const listed = config.settings.server === 'dashscope' ? [] : await listServerModels();
  const source = listed.length > 0 ? listed.map((model) => model.id) : SUGGESTED_MODELS;
  const models = source.includes(current) ? source : [current, ...source];
  const other = '$(edit) Other model…';
  const detail = listed.length > 0 ? 'served by the server' : undefined;
  const choice = await vscode.window.showQuickPick(
    [...models.map((model) => ({ label: model, description: model === current ? 'current' : listed.some((entry) => entry.id === model) ? detail : undefined })), { label: other }],
    { title: 'Qwen Inline: Select Model' },
  );
  if (!choice) return;
  let model = choice.label;
  if (model === other) {
    const typed = await vscode.window.showInputBox({ title: 'Model name', value: current, prompt: 'Any model the server serves (a chat model for partial mode, a coder model for FIM)' });
    if (!typed?.trim()) return;
    model = typed.trim();
  }
  await config.update('model', model);
}

/** The status bar menu: every switch in one place. */
export async function showMenu(config: Configuration, status: StatusModel, spending: SpendingTracker): Promise<void> {
  const settings = config.settings;
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  const command = (id: string, ...args: unknown[]) => () => vscode.commands.executeCommand(id, ...args);
  type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> | void };
  const items: Item[] = [
    { label: settings.enable ? '$(circle-slash) Disable completions' : '$(check) Enable completions', run: command('qwenInline.toggle') },
  ];
  if (languageId) {
    const on = isLanguageEnabled(settings, languageId);
    items.push({ label: `${on ? '$(circle-slash) Disable' : '$(check) Enable'} for ${languageId}`, run: () => toggleLanguage(config, languageId) });
  }
  items.push(
    status.isSnoozed()
      ? { label: '$(play) Resume (end snooze)', run: () => status.resume() }
      : { label: '$(clock) Snooze…', run: command('qwenInline.snooze') },
    { label: '$(key) Set API Key…', run: command('qwenInline.setApiKey') },
    { label: '$(trash) Clear API Key', run: command('qwenInline.clearApiKey') },
    { label: '$(symbol-class) Select Model…', description: settings.model, run: command('qwenInline.selectModel') },
    { label: '$(pulse) Check Server', description: settings.server, run: command('qwenInline.checkServer') },
    { label: '$(output) Show Log', run: command('qwenInline.showLog') },
    { label: '$(gear) Open Settings', run: command('workbench.action.openSettings', 'qwenInline') },
  );
  const today = spending.snapshot.today;
  const requests = today.ghostRequests + today.blockRequests;
  const title = requests > 0 ? `Qwen Inline (today: ${requests} request${requests === 1 ? '' : 's'}, ${describeCost(today)})` : 'Qwen Inline';
  const choice = await vscode.window.showQuickPick(items, { title });
  await choice?.run();
}
