import * as vscode from 'vscode';
import type { Configuration } from '../config';
import { t } from '../core/l10n';
import type { Logger } from '../core/logger';
import { checkServer, coderModelsFirst, type CheckReport, type Fix, type ModelEntry } from '../core/serverCheck';
import { describeReport, fixLabel, summarize } from '../core/serverCheckReport';
import type { ServerAccess } from '../serverAccess';
import type { Notifications } from '../ui/notifications';

export const CHECK_SERVER_COMMAND = 'qwenInline.checkServer';

interface CheckServerDeps {
  readonly config: Configuration;
  readonly access: ServerAccess;
  readonly logger: Logger;
  readonly notifications: Notifications;
}

/**
 * Qwen Inline: Check Server. Runs the check with a cancellable progress, writes every finding to the
 * log, and shows the summary with the likely fixes as buttons. Returns the report (the in-host suite reads it).
 */
export async function runCheckServer(deps: CheckServerDeps): Promise<CheckReport | undefined> {
  await deps.access.loadKey();
  const probe = deps.access.client();
  const settings = deps.config.settings;
  if (!probe) {
    const choice = await deps.notifications.warn(`Qwen Inline: ${t('set the DashScope API key first, then check the server.')}`, t('Set API Key'));
    if (choice) await vscode.commands.executeCommand('qwenInline.setApiKey');
    return undefined;
  }
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Qwen Inline: ${t('checking the server…')}`, cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return checkServer({ settings, endpoint: deps.access.endpoint, probe: { backend: probe, listModels: (signal) => probe.listModels(signal) }, signal: controller.signal, now: Date.now });
    },
  );
  for (const line of describeReport(report, settings.model)) deps.logger.info(`check server: ${line}`);
  void offerFixes(report, deps);
  return report;
}

async function offerFixes(report: CheckReport, deps: CheckServerDeps): Promise<void> {
  const buttons = report.fixes.map((fix) => ({ title: fixLabel(fix), fix }));
  const details = { title: t('Show Details'), fix: undefined };
  const ok = report.reachable && !report.failure && report.answer?.verdict === 'continued' && report.fixes.length === 0;
  const show = ok ? deps.notifications.info.bind(deps.notifications) : deps.notifications.warn.bind(deps.notifications);
  const chosen = await show(`Qwen Inline: ${summarize(report)}`, ...[...buttons, details].map((button) => button.title));
  const picked = [...buttons, details].find((button) => button.title === chosen);
  if (!picked) return;
  if (picked.fix) await applyFix(picked.fix, deps);
  else await vscode.commands.executeCommand('qwenInline.showLog');
}

async function applyFix(fix: Fix, deps: CheckServerDeps): Promise<void> {
  switch (fix.kind) {
    case 'setServer':
      return deps.config.update('server', fix.server);
    case 'setPromptStyle':
      return deps.config.update('promptStyle', fix.promptStyle);
    case 'setApiKey':
      await vscode.commands.executeCommand('qwenInline.setApiKey');
      return;
    case 'selectModel':
      await vscode.commands.executeCommand('qwenInline.selectModel');
      return;
    case 'setBaseUrl':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'qwenInline.baseUrl');
      return;
  }
}

/** The server's own models for Select Model (GET {base}/models), coder models first; empty when it lists none. */
export async function serverModels(access: ServerAccess): Promise<readonly ModelEntry[]> {
  await access.loadKey();
  const client = access.client();
  if (!client) return [];
  const listing = await client.listModels(new AbortController().signal);
  if (listing.kind === 'failed') return [];
  return coderModelsFirst(listing.models);
}
