import * as vscode from 'vscode';
import { t } from '../core/l10n';
import { apiKeySlot, serverHost, serverOf, SETTINGS_SECTION, translatedServerLabel, type Settings } from '../core/settings';
import type { ApiKeyStore } from '../secrets';
import type { Notifications } from '../ui/notifications';

/**
 * Asks for the key of the server the settings point at: a DashScope region's key, or a custom
 * server's own key (which may be left empty: a local server often needs none).
 */
export async function setApiKey(keys: ApiKeyStore, settings: Settings, notifications: Notifications): Promise<void> {
  const server = serverOf(settings);
  const custom = server.kind === 'custom';
  const label = translatedServerLabel(server);
  const key = await vscode.window.showInputBox({
    title: `Qwen Inline: ${t('Set API Key')}`,
    prompt: notifications.redact(
      custom
        ? t("API key for the server at {0}, sent to that server only. Leave it empty if the server needs none. It is kept in VS Code's secret storage.", serverHost(server))
        : t("DashScope (Model Studio) API key for the {0} region. It is kept in VS Code's secret storage.", server.region),
    ),
    password: true,
    ignoreFocusOut: true,
    placeHolder: custom ? t('the server’s key, or empty for none') : 'sk-…',
    validateInput: (value) => {
      const trimmed = value.trim();
      if (trimmed === '' && !custom) return t('Enter a key, or press Escape to cancel.');
      if (/\s/.test(trimmed)) return t('A key has no spaces in it.');
      return undefined;
    },
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await keys.clear(apiKeySlot(settings));
    void notifications.info(`Qwen Inline: ${t('requests to {0} are sent without an API key.', label)}`);
    return;
  }
  await keys.store(apiKeySlot(settings), key.trim());
  void notifications.info(`Qwen Inline: ${t('API key saved for {0}.', label)}`);
}

export async function clearApiKey(keys: ApiKeyStore, settings: Settings, notifications: Notifications): Promise<void> {
  const server = serverOf(settings);
  await keys.clear(apiKeySlot(settings));
  const envNote = server.kind === 'dashscope' && process.env.DASHSCOPE_API_KEY ? ` ${t('DASHSCOPE_API_KEY from the environment is still used.')}` : '';
  void notifications.info(`Qwen Inline: ${t('API key removed for {0}.', translatedServerLabel(server))}${envNote}`);
}

/** Setting names someone might have put a key under by hand. */
const KEYS_IN_SETTINGS = ['apiKey', 'dashscopeApiKey'];

/**
 * A key in settings.json is plain text, often synced or committed. It is never used from there.
 * One in the user's settings may be moved into secret storage; one in a workspace's settings came
 * with the repository, so it is only reported: adopting it would send the user's code to whoever's
 * account that key belongs to.
 */
export async function offerToMoveKeyFromSettings(keys: ApiKeyStore, settings: Settings, notifications: Notifications): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  for (const name of KEYS_IN_SETTINGS) {
    const inspected = config.inspect<string>(name);
    const isKey = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
    if (isKey(inspected?.workspaceValue) || isKey(inspected?.workspaceFolderValue)) {
      void notifications.warn(
        `Qwen Inline: ${t('this workspace\'s settings hold an API key ("{0}") in plain text. It is never used; remove it from the repository.', `${SETTINGS_SECTION}.${name}`)}`,
      );
    }
    const userValue = inspected?.globalValue;
    if (!isKey(userValue)) continue;
    // The button's text is what showWarningMessage answers: compare with the same translation.
    const move = t('Move to Secure Storage');
    const label = translatedServerLabel(serverOf(settings));
    const choice = await notifications.warn(
      `Qwen Inline: ${t('an API key is in your settings.json ("{0}"), in plain text. It is not used from there. Move it to VS Code\'s secret storage for {1} and remove it from settings?', `${SETTINGS_SECTION}.${name}`, label)}`,
      move,
      t('Ignore'),
    );
    if (choice !== move) return;
    await keys.store(apiKeySlot(settings), userValue.trim());
    await config.update(name, undefined, vscode.ConfigurationTarget.Global);
    void notifications.info(`Qwen Inline: ${t('API key moved to secret storage for {0}.', label)}`);
    return;
  }
}
