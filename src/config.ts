import * as vscode from 'vscode';
import { mergeExcludePatterns } from './core/exclusion';
import { normalizeSettings, SETTINGS_SECTION, USER_ONLY_SETTINGS, type Settings, type SettingsScope } from './core/settings';

/** The current settings, re-read whenever the user changes anything under `qwenInline.`. */
export class Configuration implements vscode.Disposable {
  private current = readSettings();
  /** Settings per language and workspace folder, read once per change (a keystroke must stay cheap). */
  private readonly scoped = new Map<string, Settings>();
  private readonly changed = new vscode.EventEmitter<Settings>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
      this.current = readSettings();
      this.scoped.clear();
      this.changed.fire(this.current.settings);
    });
  }

  get settings(): Settings {
    return this.current.settings;
  }

  /**
   * The settings for a document: its language's overrides (`"[python]": {...}`) and its folder's
   * values apply; the window's settings when no document is named.
   */
  settingsFor(scope?: SettingsScope): Settings {
    if (!scope) return this.current.settings;
    const uri = scope.uri === undefined ? undefined : vscode.Uri.parse(scope.uri);
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)?.uri.toString()) ?? '';
    const key = `${scope.languageId}\n${folder}`;
    let settings = this.scoped.get(key);
    if (!settings) {
      settings = readSettings({ uri, languageId: scope.languageId }).settings;
      this.scoped.set(key, settings);
    }
    return settings;
  }

  /** User-only settings the workspace tried to set (and that were ignored), for the log. */
  get ignoredWorkspaceSettings(): readonly string[] {
    return this.current.ignored;
  }

  /** Writes one setting to the user's global settings (commands only, never on their own). */
  async update<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/**
 * Reads every setting with its scope rules: user-only settings from the user's value alone, the
 * exclusion list as the user's list plus what the workspace and its folders add, the rest as VS
 * Code resolves them.
 */
function readSettings(scope?: vscode.ConfigurationScope): { settings: Settings; ignored: string[] } {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const ignored: string[] = [];
  const settings = normalizeSettings((key) => {
    if (key === 'exclude') return excludePatterns(config);
    if (!USER_ONLY_SETTINGS.includes(key)) return config.get(key);
    const inspected = config.inspect(key);
    if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) ignored.push(`${SETTINGS_SECTION}.${key}`);
    return inspected?.globalValue ?? inspected?.defaultValue;
  });
  return { settings, ignored };
}

function excludePatterns(config: vscode.WorkspaceConfiguration): string[] {
  const inspected = config.inspect<unknown>('exclude');
  const folders = (vscode.workspace.workspaceFolders ?? []).map(
    (folder) => vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).inspect<unknown>('exclude')?.workspaceFolderValue,
  );
  return mergeExcludePatterns({ user: inspected?.globalValue, workspace: inspected?.workspaceValue, folders });
}
