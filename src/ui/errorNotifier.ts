import * as vscode from 'vscode';
import type { ClassifiedError, ErrorAction, ErrorCategory } from '../core/errors';
import { t } from '../core/l10n';
import type { Notifications } from './notifications';

/** Each action's button; the label is a function, translated when the notification is shown. */
const ACTIONS: Readonly<Record<ErrorAction, { label: () => string; run: () => Thenable<unknown> }>> = {
  setApiKey: { label: () => t('Set API Key'), run: () => vscode.commands.executeCommand('qwenInline.setApiKey') },
  selectModel: { label: () => t('Select Model'), run: () => vscode.commands.executeCommand('qwenInline.selectModel') },
  openSettings: { label: () => t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'qwenInline') },
  openLog: { label: () => t('Open Log'), run: () => vscode.commands.executeCommand('qwenInline.showLog') },
};

/** A notification as it was shown: the error, and the (redacted) text the user read. */
export interface ShownError {
  readonly error: ClassifiedError;
  readonly text: string;
}

/**
 * Shows each class of error at most once per session for background requests, never a popup per
 * failed request; a command the user ran always gets its answer.
 */
export class ErrorNotifier implements vscode.Disposable {
  private readonly shown = new Set<ErrorCategory>();
  private readonly showing = new vscode.EventEmitter<ShownError>();
  /** Fires for each notification actually shown (the in-host tests count them). */
  readonly onDidShow = this.showing.event;

  constructor(private readonly notifications: Notifications) {}

  report(error: ClassifiedError, options: { explicit?: boolean } = {}): void {
    if (this.shown.has(error.category) && !options.explicit) return;
    this.shown.add(error.category);
    const actions = (error.action === 'openLog' ? [ACTIONS.openLog] : [ACTIONS[error.action], ACTIONS.openLog]).map((action) => ({ label: action.label(), run: action.run }));
    const text = this.notifications.redact(`Qwen Inline: ${error.message}`);
    this.showing.fire({ error, text });
    // Not awaited: a notification must never hold up typing.
    void this.notifications.warn(text, ...actions.map((a) => a.label)).then((choice) => {
      const action = actions.find((a) => a.label === choice);
      return action?.run();
    });
  }

  /** Lets a category be shown again, e.g. after the user set a new key. */
  forget(...categories: ErrorCategory[]): void {
    for (const category of categories) this.shown.delete(category);
  }

  dispose(): void {
    this.showing.dispose();
  }
}
