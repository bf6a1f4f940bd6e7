import * as vscode from 'vscode';
import type { Redactor } from '../core/redaction';
import type { Settings } from '../core/settings';
import type { SpendingTracker } from '../core/spending';
import type { StatusModel } from '../core/status';
import { statusView } from '../core/statusView';

export const SHOW_MENU_COMMAND = 'qwenInline.showMenu';

/** Draws the StatusModel and the day's spending (see core/statusView); clicking opens the Qwen Inline menu. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('qwenInline.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly status: StatusModel,
    private readonly settings: () => Settings,
    private readonly spending: SpendingTracker,
    private readonly redactor: Redactor,
  ) {
    this.item.name = 'Qwen Inline';
    this.item.command = SHOW_MENU_COMMAND;
    this.subscriptions = [status.onDidChange(() => this.render()), spending.onDidChange(() => this.render())];
    this.render();
    this.item.show();
  }

  render(): void {
    const view = statusView({ status: this.status.snapshot, spending: this.spending.snapshot, settings: this.settings() });
    this.item.text = view.text;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // Redacted: the tooltip quotes error messages and the server's address.
    this.item.tooltip = new vscode.MarkdownString(this.redactor.redact(view.tooltip));
  }

  /** The tooltip as shown (the in-host tests read it). */
  get tooltipText(): string {
    const tooltip = this.item.tooltip;
    return typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '';
  }

  /** The item's text as shown. */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
