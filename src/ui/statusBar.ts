import * as vscode from 'vscode';
import { describeExclusion, type Exclusion } from '../core/exclusion';
import type { Settings } from '../core/settings';
import { resolveBaseUrl } from '../core/settings';
import { describeSpending, type SpendingTracker } from '../core/spending';
import type { StatusModel, StatusSnapshot } from '../core/status';
import type { Redactor } from '../core/redaction';

export const SHOW_MENU_COMMAND = 'qwenInline.showMenu';

/** Renders the StatusModel; clicking opens the Qwen Inline menu. */
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
    const snapshot = this.status.snapshot;
    const view = describe(snapshot);
    const settings = this.settings();
    const lastRun = snapshot.lastRun;
    this.item.text = `${view.icon} Qwen` + (lastRun?.recent ? ` ${lastRun.short}` : '');
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // Redacted: the tooltip quotes error messages and the server's address.
    this.item.tooltip = new vscode.MarkdownString(
      this.redactor.redact(`**Qwen Inline**: ${view.label}\n\nModel \`${settings.model}\` at \`${resolveBaseUrl(settings)}\`\n\n` +
        (lastRun ? `Last Continue This Block: ${lastRun.detail}\n\n` : '') +
        describeSpending(this.spending.snapshot).map((line) => `${line}\n\n`).join('') +
        'Click for options.'),
    );
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

/** Markdown: the pattern in code style, since `**` and `*` would otherwise turn into emphasis. */
function excludedLabel(exclusion: Exclusion | undefined): string {
  if (exclusion?.kind === 'pattern') return `it matches \`${exclusion.pattern}\` in \`qwenInline.exclude\``;
  return exclusion ? describeExclusion(exclusion) : 'it is excluded';
}

function describe(snapshot: StatusSnapshot): { icon: string; label: string; warning: boolean } {
  switch (snapshot.state) {
    case 'ready':
      return { icon: '$(sparkle)', label: 'ready', warning: false };
    case 'loading':
      return { icon: '$(loading~spin)', label: 'asking Qwen…', warning: false };
    case 'disabled':
      return { icon: '$(circle-slash)', label: 'disabled (for this language or everywhere)', warning: false };
    case 'excluded':
      return { icon: '$(shield)', label: `no suggestions in this file: ${excludedLabel(snapshot.excluded)}, so none of its text is sent`, warning: false };
    case 'overBudget':
      return { icon: '$(debug-pause)', label: snapshot.error?.message ?? 'paused: the daily budget is reached', warning: true };
    case 'snoozed':
      return { icon: '$(clock)', label: `snoozed until ${new Date(snapshot.snoozedUntil ?? 0).toLocaleTimeString()}`, warning: false };
    case 'needsKey':
      return { icon: '$(key)', label: snapshot.error?.message ?? 'needs a DashScope API key: click to set it', warning: true };
    case 'error':
      return { icon: '$(warning)', label: snapshot.error?.message ?? 'error', warning: true };
  }
}
