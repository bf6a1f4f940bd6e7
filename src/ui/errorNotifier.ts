import * as vscode from 'vscode';
import type { ClassifiedError, ErrorAction, ErrorCategory } from '../core/errors';

const ACTIONS: Readonly<Record<ErrorAction, { label: string; run: () => Thenable<unknown> }>> = {
  setApiKey: { label: 'Set API Key', run: () => vscode.commands.executeCommand('qwenInline.setApiKey') },
  selectModel: { label: 'Select Model', run: () => vscode.commands.executeCommand('qwenInline.selectModel') },
  openSettings: { label: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'qwenInline') },
  openLog: { label: 'Open Log', run: () => vscode.commands.executeCommand('qwenInline.showLog') },
};

/**
 * Shows each class of error at most once per session for background requests, never a popup per
 * failed request; a command the user ran always gets its answer.
 */
export class ErrorNotifier implements vscode.Disposable {
  private readonly shown = new Set<ErrorCategory>();
  private readonly showing = new vscode.EventEmitter<ClassifiedError>();
  /** Fires for each notification actually shown (the in-host tests count them). */
  readonly onDidShow = this.showing.event;

  report(error: ClassifiedError, options: { explicit?: boolean } = {}): void {
    if (this.shown.has(error.category) && !options.explicit) return;
    this.shown.add(error.category);
    this.showing.fire(error);
    const actions = error.action === 'openLog' ? [ACTIONS.openLog] : [ACTIONS[error.action], ACTIONS.openLog];
    // Not awaited: a notification must never hold up typing.
    void vscode.window.showWarningMessage(`Qwen Inline: ${error.message}`, ...actions.map((a) => a.label)).then((choice) => {
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
