import * as vscode from 'vscode';
import { isLanguageEnabled, SUGGESTED_MODELS } from '../core/settings';
import { describeCost, type SpendingTracker } from '../core/spending';
import type { StatusModel } from '../core/status';
import type { Configuration } from '../config';

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

export async function selectModel(config: Configuration): Promise<void> {
  const current = config.settings.model;
  const models = SUGGESTED_MODELS.includes(current) ? SUGGESTED_MODELS : [current, ...SUGGESTED_MODELS];
  const other = '$(edit) Other model…';
  const choice = await vscode.window.showQuickPick(
    [...models.map((model) => ({ label: model, description: model === current ? 'current' : undefined })), { label: other }],
    { title: 'Qwen Inline: Select Model' },
  );
  if (!choice) return;
  let model = choice.label;
  if (model === other) {
    const typed = await vscode.window.showInputBox({ title: 'Model name', value: current, prompt: 'Any model that supports partial mode' });
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
    { label: '$(output) Show Log', run: command('qwenInline.showLog') },
    { label: '$(gear) Open Settings', run: command('workbench.action.openSettings', 'qwenInline') },
  );
  const today = spending.snapshot.today;
  const requests = today.ghostRequests + today.blockRequests;
  const title = requests > 0 ? `Qwen Inline (today: ${requests} request${requests === 1 ? '' : 's'}, ${describeCost(today)})` : 'Qwen Inline';
  const choice = await vscode.window.showQuickPick(items, { title });
  await choice?.run();
}
