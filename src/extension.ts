// The composition root: builds every service, wires them together, and hands each disposable to
// VS Code. The completion pipeline itself lives in core/ and never touches the vscode API.
import * as vscode from 'vscode';
import { offerToMoveKeyFromSettings } from './commands/apiKey';
import { ContinueBlockCommand } from './commands/continueBlock';
import { registerCommands } from './commands/registry';
import { Configuration } from './config';
import { BlockContinuer } from './core/blockContinuation';
import { systemClock } from './core/clock';
import { CompletionEngine } from './core/engine';
import { Redactor } from './core/redaction';
import { isLanguageEnabled, type SettingsSource } from './core/settings';
import { SpendingTracker } from './core/spending';
import { StatusModel } from './core/status';
import { QwenInlineCompletionProvider } from './inline/provider';
import { DocumentExclusion } from './documentExclusion';
import { EditorLimits } from './editorLimits';
import { createLog } from './log';
import { ApiKeyStore } from './secrets';
import { ServerAccess } from './serverAccess';
import { ErrorNotifier } from './ui/errorNotifier';
import { Notifications } from './ui/notifications';
import { StatusBar } from './ui/statusBar';

/** What activate() returns under ExtensionMode.Test, so the in-host tests can reach the services. */
export interface QwenInlineServices {
  readonly config: Configuration;
  readonly keys: ApiKeyStore;
  readonly status: StatusModel;
  readonly engine: CompletionEngine;
  readonly notifier: ErrorNotifier;
  readonly continueBlock: ContinueBlockCommand;
  readonly spending: SpendingTracker;
  readonly statusBar: StatusBar;
}

export function activate(context: vscode.ExtensionContext): QwenInlineServices | undefined {
  const started = performance.now();

  // Settings, key and log come first: everything else reads them.
  const config = new Configuration();
  const keys = new ApiKeyStore(context.secrets);
  // One redactor for every text that reaches the user or the log: the log, notifications, the tooltip.
  const redactor = new Redactor(() => keys.knownKeys());
  const { channel, logger } = createLog(redactor);
  const notifications = new Notifications(redactor);
  // The window's settings, or a document's (its language's overrides apply) when one is named.
  const settings: SettingsSource = (scope) => config.settingsFor(scope);
  // Where requests go, with which key: a region's key to its host, a custom server's own key or none.
  const access = new ServerAccess(settings, keys, logger);
  const backend = () => access.backend();
  const endpoint = () => access.endpoint;

  // The pipelines: status model, error notifier, client; the ghost-text engine and provider; the
  // Continue This Block command.
  const status = new StatusModel(systemClock);
  // Files whose text is never sent (qwenInline.exclude): ghost text, Continue This Block, the status.
  const exclusion = new DocumentExclusion(settings);
  // What VS Code draws (long lines, large files): ghost text the user cannot see is never offered.
  const limits = new EditorLimits();
  const notifier = new ErrorNotifier(notifications);
  // Day totals live in globalState so they survive a restart of VS Code.
  const spending = new SpendingTracker({ settings, clock: systemClock, store: context.globalState, logger });
  const showBudget = () => {
    const budgetReached = spending.budgetError();
    status.setBudgetReached(budgetReached);
    // Once per time it is reached: forgetting it when lifted lets the next time notify again.
    if (budgetReached) notifier.report(budgetReached);
    else notifier.forget('dailyBudget');
  };
  const engine = new CompletionEngine({
    settings,
    backend,
    endpoint,
    clock: systemClock,
    logger,
    status,
    spending,
    reportError: (error) => notifier.report(error),
  });
  const continueBlock = new ContinueBlockCommand({
    continuer: new BlockContinuer({ settings, backend, endpoint, clock: systemClock, logger }),
    settings,
    status,
    spending,
    logger,
    reportError: (error) => notifier.report(error, { explicit: true }),
    notifications,
    exclusionOf: (document) => exclusion.of(document),
    limitsOf: (document) => limits.of(document),
  });
  const statusBar = new StatusBar(status, settings, spending, redactor);
  const provider = new QwenInlineCompletionProvider(engine, logger, continueBlock,
    (document) => exclusion.of(document),
    (document) => limits.of(document),
  );

  // Derived state: enabled for the active editor's language, and whether a key exists.
  const refreshEnabled = () => {
    const document = vscode.window.activeTextEditor?.document;
    status.setEnabled(config.settings.enable && (document === undefined || isLanguageEnabled(config.settings, document.languageId)));
    status.setExcluded(document && exclusion.of(document));
  };
  const logIgnoredWorkspaceSettings = () => {
    const ignored = config.ignoredWorkspaceSettings;
    if (ignored.length > 0) logger.warn(`ignored this workspace's ${ignored.join(', ')}: only your user settings choose where code goes and what may be spent`);
  };
  const refreshKey = async () => status.setHasKey(await access.loadKey());

  context.subscriptions.push(
    config,
    keys,
    channel,
    exclusion,
    limits,
    notifier,
    { dispose: () => engine.reset() },
    continueBlock,
    { dispose: () => status.dispose() },
    { dispose: () => spending.dispose() },
    spending.onDidChange(showBudget),
    statusBar,
    vscode.languages.registerInlineCompletionItemProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider),
    ...registerCommands({ config, keys, status, spending, provider, continueBlock, notifications, showLog: () => channel.show(true) }),
    config.onDidChange((changed) => {
      // A new endpoint, model or key slot makes in-flight answers and earlier errors stale.
      engine.reset();
      notifier.forget('auth', 'forbidden', 'modelNotFound', 'network', 'badRequest', 'badResponse');
      refreshEnabled();
      void refreshKey();
      // A raised budget, another model or price lifts or sets the pause at once.
      spending.refresh();
      logger.info(`settings changed: model ${changed.model}, endpoint ${endpoint()}`);
      logIgnoredWorkspaceSettings();
    }),
    keys.onDidChange(() => {
      engine.reset();
      notifier.forget('auth', 'missingKey');
      void refreshKey();
    }),
    vscode.window.onDidChangeActiveTextEditor(refreshEnabled),
  );

  refreshEnabled();
  void refreshKey();
  logIgnoredWorkspaceSettings();
  showBudget();
  void offerToMoveKeyFromSettings(keys, config.settings, notifications);
  void keys.forgetLegacyCustomKey().then((forgotten) => {
    if (forgotten) logger.warn('removed the API key an earlier version kept for any custom base URL: keys are now kept per server (Set API Key)');
  });
  logger.info(`activated in ${(performance.now() - started).toFixed(1)} ms: model ${config.settings.model}, endpoint ${endpoint()}`);

  return context.extensionMode === vscode.ExtensionMode.Test ? { config, keys, status, engine, notifier, continueBlock, spending, statusBar } : undefined;
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
