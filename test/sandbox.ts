/**
 * The sandbox: try the packaged extension in a real VS Code (code-server) in your browser, answered
 * by the DashScope simulator in oracle mode, with no key and no network.
 *
 *   npm run sandbox                      # = npm run package && npm run compile-tests && node out/test/sandbox.js
 *   node out/test/sandbox.js [--port N] [--check]
 *
 * The workspace is a temporary copy of test/e2e/sandbox-workspace/ plus empty practice files.
 * The oracle's corpus is those same demo files, so retyping code from them makes the ghost text show
 * their true next lines. Runs until Ctrl+C, then stops code-server's process group and the simulator.
 *
 * --port N (or $QWEN_INLINE_SANDBOX_PORT): code-server's port, default 8080.
 * --check: start everything, type the start of a function in Chromium, wait for the ghost text,
 *   save .test-artifacts/sandbox.png, print "sandbox check: ghost text shown" and exit 0 (1 otherwise).
 *   Without --port or the variable it takes a free port, so it never collides with a running sandbox.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { installPageHelpers, packagedVsix, readGhostText } from './e2e/workbench';
import { oracleContinuation, promptPrefixOf, startSimulator, type RequestRecord, type Simulator } from './simulator/server';
import { SERVER_KINDS, type ServerKind } from '../src/core/servers';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { launchBrowser } from './vscode/browser';
import { ARTIFACTS_DIR, freePort, provision, REPO_ROOT, startCodeServer, type CodeServer } from './vscode/codeServer';

const DEFAULT_PORT = 8080;
const PORT_VARIABLE = 'QWEN_INLINE_SANDBOX_PORT';
const DEMO_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'sandbox-workspace');
/** Empty files to type into: a fresh file makes the whole prefix a piece of the corpus. */
const PRACTICE_FILES = ['practice.py', 'practice.ts', 'practice.go'];
/** What --check types into practice.py: the start of a function of stats.py. */
const CHECK_TYPED = 'def median(values: Sequence[float]) -> float:\n';
const CHECK_SCREENSHOT = path.join(ARTIFACTS_DIR, 'sandbox.png');
const CHECK_LOGS = path.join(ARTIFACTS_DIR, 'sandbox-logs');

const USAGE = `Usage: node out/test/sandbox.js [--port N] [--server KIND] [--check]
  --port N   code-server's port (default ${DEFAULT_PORT}, or $${PORT_VARIABLE})
  --server K the simulator acts as this server and qwenInline.server is set to it:
             ${SERVER_KINDS.join(', ')} (default dashscope)
  --check    start, show a ghost text in Chromium, save ${path.relative(REPO_ROOT, CHECK_SCREENSHOT)}, exit
  -h, --help this text`;

interface Args {
  readonly port: number | undefined;
  readonly server: ServerKind;
  readonly check: boolean;
}

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parsePort(value: string | undefined, from: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${from}: "${value}" is not a port number`);
  return port;
}

function parseArgs(argv: string[]): Args {
  let port: number | undefined;
  let server: ServerKind = 'dashscope';
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') check = true;
    else if (arg === '--port') port = parsePort(argv[++i], '--port');
    else if (arg.startsWith('--port=')) port = parsePort(arg.slice('--port='.length), '--port');
    else if (arg === '--server') server = parseServer(argv[++i]);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  const fromEnv = process.env[PORT_VARIABLE];
  if (port === undefined && fromEnv) port = parsePort(fromEnv, `$${PORT_VARIABLE}`);
  return { port, server, check };
}

function parseServer(value: string | undefined): ServerKind {
  if (!SERVER_KINDS.includes(value as ServerKind)) fail(`--server: "${value}" is not one of ${SERVER_KINDS.join(', ')}`);
  return value as ServerKind;
}

/** Fails early and clearly when the port is taken (code-server's own error is buried in its log). */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`port ${port} is in use (${error.code}): pass --port N or set ${PORT_VARIABLE}`)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function readDemoFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(DEMO_DIR)) {
    if (fs.statSync(path.join(DEMO_DIR, name)).isFile()) files[name] = fs.readFileSync(path.join(DEMO_DIR, name), 'utf8');
  }
  if (Object.keys(files).length === 0) throw new Error(`no demo files in ${DEMO_DIR}`);
  return files;
}

function describeRequest(record: RequestRecord): string {
  const prefix = promptPrefixOf(record);
  const lines = record.completion ? record.completion.split('\n').length : 0;
  const ms = (record.endedAt ?? Date.now()) - record.startedAt;
  const outcome =
    record.status !== 200
      ? `error ${record.errorCode ?? ''}`
      : record.aborted
        ? `closed by the editor after ${lines} line(s) (it had enough, or you typed on)`
        : `${lines} line(s)`;
  return `[simulator] ${record.status} ${String(ms).padStart(5)} ms  …${JSON.stringify(prefix.slice(-40))} -> ${outcome}`;
}

interface Sandbox {
  readonly server: CodeServer;
  readonly simulator: Simulator;
  readonly workspace: string;
  readonly corpus: Record<string, string>;
  stop(): Promise<void>;
}

async function startSandbox(port: number, kind: ServerKind): Promise<Sandbox> {
  const vsix = packagedVsix();
  await assertPortFree(port);
  const installation = provision();

  const corpus = readDemoFiles();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-sandbox-'));
  for (const [name, text] of Object.entries(corpus)) fs.writeFileSync(path.join(workspace, name), text);
  for (const name of PRACTICE_FILES) fs.writeFileSync(path.join(workspace, name), '');

  // Like a local llama.cpp or vLLM, the simulator needs no key here: nothing to set up.
  const simulator = await startSimulator({
    keyless: true,
    dialect: kind,
    // Whatever the server, it serves the model the extension asks for by default.
    servedModels: [DEFAULT_SETTINGS.model],
    latency: { firstTokenMs: 300, perChunkMs: 20 },
    // The oracle answers with the rest of the file; ghost text stops at qwenInline.maxLines, and
    // Continue This Block at the end of the block, as they do with a real model.
    oracle: { files: corpus, maxLines: 400 },
    onSettled: (record) => process.stdout.write(`${describeRequest(record)}\n`),
  });
  let server: CodeServer;
  try {
    server = await startCodeServer(installation, {
      workspace,
      vsix,
      port,
      // The practice files indent like the demo files, so the oracle recognises what is typed.
      settings: { 'qwenInline.baseUrl': simulator.baseUrl, 'qwenInline.server': kind, '[typescript]': { 'editor.tabSize': 2 } },
    });
  } catch (error) {
    await simulator.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    server,
    simulator,
    workspace,
    corpus,
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        await simulator.close();
        fs.rmSync(workspace, { recursive: true, force: true });
      })()),
  };
}

function whatToTry(sandbox: Sandbox): string {
  const { server, simulator, workspace } = sandbox;
  return `
Qwen Inline sandbox: VS Code (code-server) with the packaged extension, answered by the local
DashScope simulator in oracle mode (no key, no network).

  Open:       ${server.workbenchUrl([['openFile', server.remoteUri(path.join(workspace, 'practice.py'))]])}
  (or just ${server.url}/, which opens the same folder: ${workspace})
  Simulator:  ${simulator.baseUrl} (first token after 300 ms, then a chunk every 20 ms)

What to try:
  1. In practice.py (empty), type the start of a function from stats.py, e.g.
       def median(values: Sequence[float]) -> float:
     then Enter: the ghost text shows the function's real next lines. Tab accepts, Esc dismisses.
  2. The same in practice.ts with inventory.ts, e.g.  export function formatCents(
  3. In stats.py, delete the body of a function and press Enter after its "def" line: the body comes back.
  4. Keep typing while a suggestion is on its way: the simulator logs below that the editor closed it.
  5. Continue This Block: in practice.go (or .py, .ts) type the first line of a function from
     wordfreq.go, e.g.  func Top(counts map[string]int, n int) []Entry {  then Enter, and press
     Alt+Shift+\\ (or F1 > "Qwen Inline: Continue This Block"): the body streams in and stops at the
     function's end. Esc stops it early; Ctrl+Z removes it in one step.
  6. Click "Qwen" in the status bar (or F1 > "Qwen Inline") for the menu: disable, snooze, model, log.
     F1 > "Qwen Inline: Show Log" shows every request, its timing and tokens.

Ctrl+C stops code-server and the simulator.
`;
}

/** --check: type the start of a function of stats.py into practice.py and wait for its true next lines. */
async function runCheck(sandbox: Sandbox): Promise<void> {
  const { server, workspace, corpus } = sandbox;
  const typed = CHECK_TYPED;
  // After Enter, VS Code indents the new line by 4 spaces: that is the prefix the extension sends.
  const continuation = oracleContinuation(`${typed}    `, corpus);
  if (!continuation) throw new Error(`the demo corpus has no continuation of ${JSON.stringify(typed)}`);
  // The first two lines of the true continuation, as the ghost text draws them.
  const expected = continuation.split('\n').slice(0, 2).join('\n');

  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  fs.rmSync(CHECK_SCREENSHOT, { force: true });
  fs.rmSync(CHECK_LOGS, { recursive: true, force: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(installPageHelpers);
    try {
      await page.goto(server.workbenchUrl([['openFile', server.remoteUri(path.join(workspace, 'practice.py'))]]));
      await page.locator('.part.editor .tab.active', { hasText: 'practice.py' }).waitFor({ timeout: 60_000 });
      await page.locator('.statusbar-item', { hasText: 'Qwen' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.part.editor .monaco-editor .view-lines').first().click();
      for (const [i, line] of typed.split('\n').entries()) {
        if (i > 0) await page.keyboard.press('Enter');
        if (line) await page.keyboard.type(line, { delay: 50 });
      }
      try {
        await page.waitForFunction(
          (text) => (window as unknown as { __qwenGhostText(): string }).__qwenGhostText().includes(text),
          expected,
          { timeout: 15_000, polling: 50 },
        );
      } catch {
        throw new Error(`no ghost text with ${JSON.stringify(expected)} within 15 s; ghost text: ${JSON.stringify(await readGhostText(page))}`);
      }
      await page.screenshot({ path: CHECK_SCREENSHOT });
    } catch (error) {
      await page.screenshot({ path: CHECK_SCREENSHOT }).catch(() => undefined);
      throw error;
    }
  } finally {
    await browser.close();
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const port = args.port ?? (args.check ? await freePort() : DEFAULT_PORT);
  const started = Date.now();
  const sandbox = await startSandbox(port, args.server);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  if (args.check) {
    process.stdout.write(`sandbox: code-server on ${sandbox.server.url} in ${seconds} s; checking in Chromium\n`);
    try {
      await runCheck(sandbox);
      process.stdout.write(`sandbox check: ghost text shown (screenshot ${CHECK_SCREENSHOT})\n`);
      return 0;
    } catch (error) {
      const logs = sandbox.server.saveLogs(CHECK_LOGS);
      process.stderr.write(
        `sandbox check FAILED: ${error instanceof Error ? error.message : String(error)}\n` +
          `  screenshot ${CHECK_SCREENSHOT}, code-server and VS Code logs in ${logs}\n`,
      );
      return 1;
    } finally {
      await sandbox.stop();
    }
  }

  process.stdout.write(whatToTry(sandbox));
  process.stdout.write(`(started in ${seconds} s)\n\n`);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stdout.write(`\n${signal}: stopping code-server and the simulator\n`);
      // A second Ctrl+C while stopping: leave at once (code-server's group still gets SIGKILL from stop()).
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await sandbox.stop();
  process.stdout.write('sandbox stopped\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
