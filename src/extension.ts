// The composition root: builds every service, wires them together, and hands each disposable to
// VS Code. The completion pipeline itself lives in core/ and never touches the vscode API.
import * as vscode from 'vscode';
import { offerToMoveKeyFromSettings } from './commands/apiKey';
import { offerWalkthroughOnce } from './commands/getStarted';
import { ContinueBlockCommand } from './commands/continueBlock';
import { registerCommands } from './commands/registry';
import { Configuration } from './config';
import { EditTracker } from './context/editTracker';
import { contextRequestFor, scheduleGathers, type ContextRequestDeps } from './context/triggers';
import { WorkspaceAccess } from './context/workspaceAccess';
import type { CompletionBackend } from './core/backend';
import { BlockContinuer } from './core/blockContinuation';
import { systemClock } from './core/clock';
import { definitionsSource, importsSource } from './core/context/definitions';
import { openTabsSource } from './core/context/openTabs';
import { ProjectContext } from './core/context/projectContext';
import { RecentEdits, recentEditsSource } from './core/context/recentEdits';
import type { ContextSnippet, ContextSource } from './core/context/types';
import { CompletionEngine } from './core/engine';
import { useTranslator } from './core/l10n';
import type { Logger } from './core/logger';
import { Redactor } from './core/redaction';
import { isLanguageEnabled, settingsScope, type SettingsSource } from './core/settings';
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

/**
 * Where ghost text is offered: files and untitled editors, and, for VS Code for the Web (the web
 * worker host), a remote workspace's files (vscode-remote) and a virtual one's (vscode-vfs, e.g.
 * a GitHub repository). Output, git and settings editors are not code the user is typing.
 */
const EDITABLE_SCHEMES = ['file', 'untitled', 'vscode-remote', 'vscode-vfs'] as const;

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
  readonly projectContext: ProjectContext;
}

export function activate(context: vscode.ExtensionContext): QwenInlineServices | undefined {
  const started = performance.now();
  // Before anything builds a text for the user: the core's t() speaks the display language from here on.
  useTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const base = foundation(context);
  const project = projectContextOf(base);
  const pipelines = pipelinesOf(context, base, project);
  const { config, keys, channel, logger, notifications, status, exclusion, limits, notifier } = base;
  const { engine, continueBlock, spending, statusBar, provider } = pipelines;
  const derived = derivedState(base);

  context.subscriptions.push(
    config,
    keys,
    channel,
    exclusion,
    limits,
    notifier,
    ...project.disposables,
    { dispose: () => engine.reset() },
    continueBlock,
    { dispose: () => status.dispose() },
    { dispose: () => spending.dispose() },
    spending.onDidChange(pipelines.showBudget),
    statusBar,
    vscode.languages.registerInlineCompletionItemProvider(EDITABLE_SCHEMES.map((scheme) => ({ scheme })), provider),
    ...registerCommands({ config, keys, status, spending, provider, continueBlock, notifications, showLog: () => channel.show(true), access: base.access, logger }),
    ...watchChanges(base, project, pipelines, derived),
  );

  derived.refreshEnabled();
  void derived.refreshKey();
  derived.logIgnoredWorkspaceSettings();
  pipelines.showBudget();
  void offerToMoveKeyFromSettings(keys, config.settings, notifications);
  offerWalkthroughOnce(context);
  void keys.forgetLegacyCustomKey().then((forgotten) => {
    if (forgotten) logger.warn('removed the API key an earlier version kept for any custom base URL: keys are now kept per server (Set API Key)');
  });
  logger.info(`activated in ${(performance.now() - started).toFixed(1)} ms: model ${config.settings.model}, endpoint ${base.endpoint()} (${config.settings.server}, ${config.settings.promptStyle})`);

  const { projectContext } = project;
  return context.extensionMode === vscode.ExtensionMode.Test ? { config, keys, status, engine, notifier, continueBlock, spending, statusBar, projectContext } : undefined;
}

/** What every service reads: settings, keys, the log, where requests go, what may be sent and drawn. */
interface Foundation {
  readonly config: Configuration;
  readonly keys: ApiKeyStore;
  readonly redactor: Redactor;
  readonly channel: vscode.LogOutputChannel;
  readonly logger: Logger;
  readonly notifications: Notifications;
  readonly settings: SettingsSource;
  readonly access: ServerAccess;
  readonly backend: () => CompletionBackend | undefined;
  readonly endpoint: () => string;
  readonly status: StatusModel;
  readonly exclusion: DocumentExclusion;
  readonly limits: EditorLimits;
  readonly notifier: ErrorNotifier;
}

function foundation(context: vscode.ExtensionContext): Foundation {
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
  return {
    config,
    keys,
    redactor,
    channel,
    logger,
    notifications,
    settings,
    access,
    backend: () => access.client(),
    endpoint: () => access.endpoint,
    status: new StatusModel(systemClock),
    // Files whose text is never sent (qwenInline.exclude): ghost text, Continue This Block, context, the status.
    exclusion: new DocumentExclusion(settings),
    // What VS Code draws (long lines, large files): ghost text the user cannot see is never offered.
    limits: new EditorLimits(),
    notifier: new ErrorNotifier(notifications),
  };
}

/** Project context, and what the pipelines read of it. */
interface ProjectContextParts {
  readonly projectContext: ProjectContext;
  readonly editTracker: EditTracker;
  /** Continue This Block's context: gathered once for its run, with twice the ghost-text budget. */
  readonly forBlock: (document: vscode.TextDocument, position: vscode.Position) => Promise<readonly ContextSnippet[]>;
  readonly disposables: readonly vscode.Disposable[];
}

/**
 * Project context: snippets of other workspace files, gathered in the background after editor
 * events and read by a ghost-text request without waiting. The access hands the sources only
 * workspace files that qwenInline.exclude allows; the tracker records edits as line ranges.
 */
function projectContextOf({ settings, exclusion, logger }: Foundation): ProjectContextParts {
  const recentEdits = new RecentEdits();
  const workspaceAccess = new WorkspaceAccess(exclusion, logger);
  const editTracker = new EditTracker(recentEdits, exclusion, systemClock);
  // Every source of snippets, each behind its own qwenInline.context.* switch: what the code near
  // the cursor is defined as (language servers), what the file imports, similar open tabs, edits.
  const contextSources: ContextSource[] = [definitionsSource, importsSource, openTabsSource, recentEditsSource(recentEdits)];
  const projectContext = new ProjectContext({ access: workspaceAccess, sources: contextSources, settings, clock: systemClock, logger });
  const requests: ContextRequestDeps = { settings, exclusionOf: (document) => exclusion.of(document) };
  const forBlock = async (document: vscode.TextDocument, position: vscode.Position) => {
    const request = contextRequestFor(document, position.line, requests);
    if (!request) return [];
    return (await projectContext.gather(request, 2 * settings(request.scope)['context.maxChars'])).snippets;
  };
  const disposables = [workspaceAccess, editTracker, projectContext, ...scheduleGathers(projectContext, requests)];
  return { projectContext, editTracker, forBlock, disposables };
}

interface Pipelines {
  readonly spending: SpendingTracker;
  readonly engine: CompletionEngine;
  readonly continueBlock: ContinueBlockCommand;
  readonly statusBar: StatusBar;
  readonly provider: QwenInlineCompletionProvider;
  /** Shows whether the daily budget pauses completions (status and a notification). */
  readonly showBudget: () => void;
}

/** The pipelines: spending, the ghost-text engine and provider, the Continue This Block command, the status bar. */
function pipelinesOf(context: vscode.ExtensionContext, base: Foundation, project: ProjectContextParts): Pipelines {
  const { settings, backend, endpoint, logger, status, notifier, notifications, exclusion, limits } = base;
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
    // The selection gathered for the request's document, never waited for.
    context: (request) => project.projectContext.ready(request.documentKey, settingsScope(request)),
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
    projectContext: project.forBlock,
  });
  const statusBar = new StatusBar(status, settings, spending, base.redactor);
  const provider = new QwenInlineCompletionProvider(engine, logger, continueBlock,
    (document) => exclusion.of(document),
    (document) => limits.of(document),
  );
  return { spending, engine, continueBlock, statusBar, provider, showBudget };
}

interface DerivedState {
  /** Enabled for the active editor's language, and whether it is excluded. */
  readonly refreshEnabled: () => void;
  /** Whether a key exists for the server the settings point at. */
  readonly refreshKey: () => Promise<void>;
  readonly logIgnoredWorkspaceSettings: () => void;
}

function derivedState({ config, status, exclusion, access, logger }: Foundation): DerivedState {
  return {
    refreshEnabled: () => {
      const document = vscode.window.activeTextEditor?.document;
      const languageOff = config.settings.enable && document !== undefined && !isLanguageEnabled(config.settings, document.languageId);
      // Off for the language only, the status names it; off everywhere, it says so.
      if (languageOff) status.setEnabled(false, document.languageId);
      else status.setEnabled(config.settings.enable);
      status.setExcluded(document && exclusion.of(document));
    },
    refreshKey: async () => {
      const ready = await access.loadKey();
      status.setHasKey(ready);
      // The walkthrough's first step is done when a key is in place (or none is needed), not when Set
      // API Key merely opens: marking it done then took the focus from the key's input box.
      void vscode.commands.executeCommand('setContext', 'qwenInline.keyReady', ready);
    },
    logIgnoredWorkspaceSettings: () => {
      const ignored = config.ignoredWorkspaceSettings;
      if (ignored.length > 0) logger.warn(`ignored this workspace's ${ignored.join(', ')}: only your user settings choose where code goes and what may be spent`);
    },
  };
}

/** What follows a change of the settings, the keys, the active editor or the workspace's folders. */
function watchChanges(base: Foundation, project: ProjectContextParts, pipelines: Pipelines, derived: DerivedState): vscode.Disposable[] {
  const { config, keys, notifier, logger, endpoint } = base;
  const { engine, spending, statusBar } = pipelines;
  return [
    config.onDidChange((changed) => {
      // A new endpoint, model or key slot makes in-flight answers and earlier errors stale.
      engine.reset();
      notifier.forget('auth', 'forbidden', 'modelNotFound', 'network', 'badRequest', 'badResponse');
      derived.refreshEnabled();
      void derived.refreshKey();
      // What may be sent as context may have changed (exclusion patterns, the switches, the budget).
      project.projectContext.clear();
      project.editTracker.forgetExcluded();
      // A raised budget, another model or price lifts or sets the pause at once.
      spending.refresh();
      // The tooltip names the model and server, which no status or spending change may announce.
      statusBar.render();
      logger.info(`settings changed: model ${changed.model}, endpoint ${endpoint()} (${changed.server}, ${changed.promptStyle})`);
      derived.logIgnoredWorkspaceSettings();
    }),
    keys.onDidChange(() => {
      engine.reset();
      notifier.forget('auth', 'missingKey');
      void derived.refreshKey();
    }),
    vscode.window.onDidChangeActiveTextEditor(derived.refreshEnabled),
    // Relative paths mean other files now: selections made of them are stale.
    vscode.workspace.onDidChangeWorkspaceFolders(() => project.projectContext.clear()),
  ];
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
