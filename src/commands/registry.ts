import * as vscode from 'vscode';
import type { Configuration } from '../config';
import { t } from '../core/l10n';
import type { SpendingTracker } from '../core/spending';
import type { StatusModel } from '../core/status';
import type { QwenInlineCompletionProvider } from '../inline/provider';
import { SUGGESTION_ACCEPTED_COMMAND } from '../inline/provider';
import type { ApiKeyStore } from '../secrets';
import type { Notifications } from '../ui/notifications';
import { SHOW_MENU_COMMAND } from '../ui/statusBar';
import { clearApiKey, setApiKey } from './apiKey';
import { CHECK_SERVER_COMMAND, runCheckServer, serverModels } from './checkServer';
import type { Logger } from '../core/logger';
import type { ServerAccess } from '../serverAccess';
import { CONTINUE_BLOCK_COMMAND, STOP_CONTINUE_BLOCK_COMMAND, type ContinueBlockCommand } from './continueBlock';
import { GET_STARTED_COMMAND, OPEN_SAMPLE_COMMAND, openSample, openWalkthrough } from './getStarted';
import { selectModel, showMenu, snooze, toggleEnabled, toggleLanguage } from './menu';

interface CommandDeps {
  readonly config: Configuration;
  readonly keys: ApiKeyStore;
  readonly status: StatusModel;
  readonly spending: SpendingTracker;
  readonly provider: QwenInlineCompletionProvider;
  readonly continueBlock: ContinueBlockCommand;
  readonly notifications: Notifications;
  readonly showLog: () => void;
  readonly access: ServerAccess;
  readonly logger: Logger;
}

/** Every command of package.json's `contributes.commands`, plus the accept hook of ghost text. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { config, keys, status, spending, provider, continueBlock, notifications } = deps;
  const commands: Record<string, (...args: never[]) => unknown> = {
    [SUGGESTION_ACCEPTED_COMMAND]: (documentUri: string) => provider.accepted(documentUri),
    [CONTINUE_BLOCK_COMMAND]: () => continueBlock.run(),
    [STOP_CONTINUE_BLOCK_COMMAND]: () => continueBlock.stop(),
    'qwenInline.setApiKey': () => setApiKey(keys, config.settings, notifications),
    'qwenInline.clearApiKey': () => clearApiKey(keys, config.settings, notifications),
    'qwenInline.toggle': () => toggleEnabled(config),
    'qwenInline.toggleLanguage': (languageId?: string) => {
      const language = languageId ?? vscode.window.activeTextEditor?.document.languageId;
      if (language) return toggleLanguage(config, language, notifications);
      return notifications.info(`Qwen Inline: ${t('open a file first: completions are switched on or off for its language.')}`);
    },
    'qwenInline.snooze': () => snooze(status),
    'qwenInline.selectModel': () => selectModel(config, () => serverModels(deps.access)),
    [CHECK_SERVER_COMMAND]: () => runCheckServer({ config, access: deps.access, logger: deps.logger, notifications }),
    'qwenInline.showLog': () => deps.showLog(),
    [SHOW_MENU_COMMAND]: () => showMenu(config, status, spending, notifications),
    [GET_STARTED_COMMAND]: () => openWalkthrough(),
    [OPEN_SAMPLE_COMMAND]: () => openSample(),
  };
  return Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, run));
}
