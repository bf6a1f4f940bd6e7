import * as vscode from 'vscode';
import { t } from '../core/l10n';
import { languageName } from '../core/languageNames';
import { isLanguageEnabled, SUGGESTED_MODELS } from '../core/settings';
import type { SpendingTracker } from '../core/spending';
import type { StatusModel } from '../core/status';
import { menuTitle } from '../core/statusView';
import type { Configuration } from '../config';
import type { ModelEntry } from '../core/serverCheck';
import type { Notifications } from '../ui/notifications';
import { GET_STARTED_COMMAND } from './getStarted';

const SNOOZE_MINUTES = [5, 15, 60] as const;
/** How long the status bar says which language was switched. */
const LANGUAGE_SWITCHED_SHOWN_MS = 4000;

export async function toggleEnabled(config: Configuration): Promise<void> {
  await config.update('enable', !config.settings.enable);
}

/** Flips a language's switch; `notifications` (when given) says which one, by its name. */
export async function toggleLanguage(config: Configuration, languageId: string, notifications?: Notifications): Promise<void> {
  const enabled = isLanguageEnabled(config.settings, languageId);
  await config.update('languages', { ...config.settings.languages, [languageId]: !enabled });
  // No "Qwen" in it: the status bar's own item is the one named so.
  const name = languageName(languageId);
  notifications?.flash(enabled ? `$(circle-slash) ${t('Completions off for {0}', name)}` : `$(check) ${t('Completions on for {0}', name)}`, LANGUAGE_SWITCHED_SHOWN_MS);
}

export async function snooze(status: StatusModel): Promise<void> {
  const items = SNOOZE_MINUTES.map((minutes) => ({ label: `$(clock) ${t('{0} minutes', minutes)}`, minutes }));
  const resume = { label: `$(play) ${t('Resume now')}`, minutes: 0 };
  const choice = await vscode.window.showQuickPick(status.isSnoozed() ? [resume, ...items] : items, {
    title: `Qwen Inline: ${t('Snooze Completions')}`,
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
  const other = { label: `$(edit) ${t('Other model…')}`, other: true };
  const describe = (model: string) => (model === current ? t('current') : listed.some((entry) => entry.id === model) ? t('served by the server') : undefined);
  const choice = await vscode.window.showQuickPick([...models.map((model) => ({ label: model, description: describe(model), other: false })), other], {
    title: `Qwen Inline: ${t('Select Model')}`,
  });
  if (!choice) return;
  let model = choice.label;
  if (choice.other) {
    const typed = await vscode.window.showInputBox({
      title: t('Model name'),
      value: current,
      prompt: t('Any model the server serves (a chat model for partial mode, a coder model for FIM)'),
    });
    if (!typed?.trim()) return;
    model = typed.trim();
  }
  await config.update('model', model);
}

type MenuItem = vscode.QuickPickItem & { readonly run?: () => Thenable<unknown> | void };

const command =
  (id: string, ...args: unknown[]) =>
  (): Thenable<unknown> =>
    vscode.commands.executeCommand(id, ...args);

/** A group's heading in the menu; an empty label draws just the line. */
function separator(label: string): MenuItem {
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

/** The status bar menu: what to do now, the switches, model and server, help, and last the key's removal. */
export async function showMenu(config: Configuration, status: StatusModel, spending: SpendingTracker, notifications?: Notifications): Promise<void> {
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  const items: MenuItem[] = [
    ...(languageId === undefined ? [] : [separator(t('Actions')), { label: `$(wand) ${t('Continue This Block')}`, description: t('writes the rest of the block at the cursor'), run: command('qwenInline.continueBlock') }]),
    separator(t('On and off')),
    ...switchItems(config, status, languageId, notifications),
    separator(t('Model and server')),
    { label: `$(symbol-class) ${t('Select Model…')}`, description: config.settings.model, run: command('qwenInline.selectModel') },
    { label: `$(pulse) ${t('Check Server')}`, description: config.settings.server, run: command('qwenInline.checkServer') },
    { label: `$(key) ${t('Set API Key…')}`, run: command('qwenInline.setApiKey') },
    separator(t('Help')),
    { label: `$(rocket) ${t('Get Started')}`, run: command(GET_STARTED_COMMAND) },
    { label: `$(output) ${t('Show Log')}`, run: command('qwenInline.showLog') },
    { label: `$(gear) ${t('Open Settings')}`, run: command('workbench.action.openSettings', 'qwenInline') },
    // Apart and last: the one item that destroys something.
    separator(''),
    { label: `$(trash) ${t('Clear API Key')}`, run: command('qwenInline.clearApiKey') },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: menuTitle(spending.snapshot) });
  await choice?.run?.();
}

/** Everywhere, for the active editor's language (by its name), and the snooze. */
function switchItems(config: Configuration, status: StatusModel, languageId: string | undefined, notifications?: Notifications): MenuItem[] {
  const settings = config.settings;
  const items: MenuItem[] = [
    { label: settings.enable ? `$(circle-slash) ${t('Disable completions')}` : `$(check) ${t('Enable completions')}`, run: command('qwenInline.toggle') },
  ];
  if (languageId !== undefined) {
    const name = languageName(languageId);
    const label = isLanguageEnabled(settings, languageId) ? `$(circle-slash) ${t('Disable for {0}', name)}` : `$(check) ${t('Enable for {0}', name)}`;
    items.push({ label, run: () => toggleLanguage(config, languageId, notifications) });
  }
  items.push(
    status.isSnoozed()
      ? { label: `$(play) ${t('Resume (end snooze)')}`, run: () => status.resume() }
      : { label: `$(clock) ${t('Snooze…')}`, run: command('qwenInline.snooze') },
  );
  return items;
}
