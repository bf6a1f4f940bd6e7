import * as vscode from 'vscode';
import { apiKeySlot, SETTINGS_SECTION, type Settings } from '../core/settings';
import type { ApiKeyStore } from '../secrets';

function slotLabel(settings: Settings): string {
  return settings.baseUrl !== '' ? `the custom base URL (${settings.baseUrl})` : `the ${settings.region} region`;
}

export async function setApiKey(keys: ApiKeyStore, settings: Settings): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: 'Qwen Inline: Set API Key',
    prompt: `DashScope (Model Studio) API key for ${slotLabel(settings)}. It is kept in VS Code's secret storage.`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'sk-…',
    validateInput: (value) => {
      const trimmed = value.trim();
      if (trimmed === '') return 'Enter a key, or press Escape to cancel.';
      if (/\s/.test(trimmed)) return 'A key has no spaces in it.';
      return undefined;
    },
  });
  if (key === undefined) return;
  await keys.store(apiKeySlot(settings), key.trim());
  void vscode.window.showInformationMessage(`Qwen Inline: API key saved for ${slotLabel(settings)}.`);
}

export async function clearApiKey(keys: ApiKeyStore, settings: Settings): Promise<void> {
  await keys.clear(apiKeySlot(settings));
  const envNote = process.env.DASHSCOPE_API_KEY ? ' DASHSCOPE_API_KEY from the environment is still used.' : '';
  void vscode.window.showInformationMessage(`Qwen Inline: API key removed for ${slotLabel(settings)}.${envNote}`);
}

/** Setting names someone might have put a key under by hand. */
const KEYS_IN_SETTINGS = ['apiKey', 'dashscopeApiKey'];

/**
 * A key in settings.json is plain text, often synced or committed. It is never used silently:
 * the user is warned and offered to move it into secret storage.
 */
export async function offerToMoveKeyFromSettings(keys: ApiKeyStore, settings: Settings): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  for (const name of KEYS_IN_SETTINGS) {
    const inspected = config.inspect<string>(name);
    const targets: [vscode.ConfigurationTarget, unknown][] = [
      [vscode.ConfigurationTarget.Global, inspected?.globalValue],
      [vscode.ConfigurationTarget.Workspace, inspected?.workspaceValue],
      [vscode.ConfigurationTarget.WorkspaceFolder, inspected?.workspaceFolderValue],
    ];
    const found = targets.filter(([, value]) => typeof value === 'string' && value.trim() !== '');
    if (found.length === 0) continue;
    const move = 'Move to Secure Storage';
    const choice = await vscode.window.showWarningMessage(
      `Qwen Inline: an API key is in settings.json ("${SETTINGS_SECTION}.${name}"), in plain text. It is not used from there. Move it to VS Code's secret storage and remove it from settings?`,
      move,
      'Ignore',
    );
    if (choice !== move) return;
    await keys.store(apiKeySlot(settings), String(found[0][1]).trim());
    for (const [target] of found) await config.update(name, undefined, target);
    void vscode.window.showInformationMessage(`Qwen Inline: API key moved to secret storage for ${slotLabel(settings)}.`);
    return;
  }
}
