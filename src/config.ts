import * as vscode from 'vscode';
import { normalizeSettings, SETTINGS_SECTION, type Settings } from './core/settings';

/** The current settings, re-read whenever the user changes anything under `qwenInline.`. */
export class Configuration implements vscode.Disposable {
  private current: Settings = readSettings();
  private readonly changed = new vscode.EventEmitter<Settings>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
      this.current = readSettings();
      this.changed.fire(this.current);
    });
  }

  get settings(): Settings {
    return this.current;
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

function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return normalizeSettings((key) => config.get(key));
}
