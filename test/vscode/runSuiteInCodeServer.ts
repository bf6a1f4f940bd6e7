// Runs the in-host suite (test/suite) inside code-server's extension host: the @vscode/test-electron
// contract (extensionDevelopmentPath + extensionTestsPath) through the workbench's development
// payload. The workbench calls codeAutomationExit(code) when the test extension host is done.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setTimeout as delay } from 'timers/promises';
import { launchBrowser } from './browser';
import { ARTIFACTS_DIR, freshArtifactsDir, provision, REPO_ROOT, startCodeServer } from './codeServer';
import { readSuiteResults, reportSuite } from './suiteResults';

const SUITE_TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  const artifacts = freshArtifactsDir('suite');
  const resultsFile = path.join(artifacts, 'results.json');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-suite-ws-'));

  const installation = provision();
  // The suite must find its key in SecretStorage, not in the environment.
  const env = { ...process.env } as Record<string, string>;
  delete env.DASHSCOPE_API_KEY;
  const server = await startCodeServer(installation, { workspace, smokeTestDriver: true, env });
  const browser = await launchBrowser();
  let exitCode: number | undefined;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      page.once('crash', () => resolve(-1));
    });
    await page.goto(
      server.workbenchUrl([
        ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
        ['extensionTestsPath', server.remoteUri(path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'))],
        ['extensionEnvironment', JSON.stringify({ QWEN_INLINE_SUITE_RESULTS: resultsFile, QWEN_INLINE_SUITE_GREP: process.env.QWEN_INLINE_SUITE_GREP ?? '' })],
      ]),
    );
    const timeout = delay(SUITE_TIMEOUT_MS, undefined, { ref: false });
    exitCode = await Promise.race([exited, timeout]);
    if (exitCode !== 0) await page.screenshot({ path: path.join(artifacts, 'workbench.png') }).catch(() => undefined);
  } finally {
    await browser.close();
    if (exitCode !== 0) server.saveLogs(artifacts);
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }

  let problem: string | undefined;
  if (exitCode === undefined) problem = `no result within ${SUITE_TIMEOUT_MS / 60_000} minutes`;
  else if (exitCode !== 0) problem = `the test extension host exited with ${exitCode}`;
  return reportSuite(readSuiteResults(resultsFile), problem, `${artifacts} (screenshot, VS Code logs)`);
}

main().then(
  (code) => process.exit(code),
  (error) => process.exit(reportSuite([], error instanceof Error ? error.stack ?? error.message : String(error), ARTIFACTS_DIR)),
);
