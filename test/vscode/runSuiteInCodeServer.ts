// Runs the in-host suite (test/suite) inside code-server's extension host: the @vscode/test-electron
// contract (extensionDevelopmentPath + extensionTestsPath) through the workbench's development
// payload. The workbench calls codeAutomationExit(code) when the test extension host is done.
//
//   node out/test/vscode/runSuiteInCodeServer.js [--locale ja,zh-cn] [--grep REGEX]
//
// --locale runs the suite once per display language (VS Code started with `--locale`, see
// installLanguagePack), each result titled "[ja] …"; without it, once in English. --grep (or
// $QWEN_INLINE_SUITE_GREP) runs only the tests whose full title matches.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setTimeout as delay } from 'timers/promises';
import type { SuiteResult } from '../suite/index';
import { launchBrowser } from './browser';
import { ARTIFACTS_DIR, freshArtifactsDir, provision, REPO_ROOT, startCodeServer, type Installation } from './codeServer';
import { readSuiteResults, reportSuite } from './suiteResults';

const SUITE_TIMEOUT_MS = 10 * 60_000;

interface Run {
  readonly results: SuiteResult[];
  /** A failure outside any test (the host crashed, a timeout); undefined when it ran through. */
  readonly problem?: string;
  readonly artifacts: string;
}

/** One code-server with a fresh profile in `locale` (undefined: English), the suite in its extension host. */
async function runOnce(installation: Installation, locale: string | undefined, grep: string): Promise<Run> {
  const artifacts = freshArtifactsDir(locale ? `suite-${locale}` : 'suite');
  const resultsFile = path.join(artifacts, 'results.json');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-suite-ws-'));

  // The suite must find its key in SecretStorage, not in the environment.
  const env = { ...process.env } as Record<string, string>;
  delete env.DASHSCOPE_API_KEY;
  const server = await startCodeServer(installation, { workspace, smokeTestDriver: true, env, locale });
  const browser = await launchBrowser();
  let exitCode: number | undefined;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      page.once('crash', () => resolve(-1));
    });
    const suiteEnv = { QWEN_INLINE_SUITE_RESULTS: resultsFile, QWEN_INLINE_SUITE_GREP: grep, QWEN_INLINE_SUITE_LOCALE: locale ?? '' };
    await page.goto(
      server.workbenchUrl([
        ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
        ['extensionTestsPath', server.remoteUri(path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'))],
        ['extensionEnvironment', JSON.stringify(suiteEnv)],
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

  const label = locale ? `[${locale}] ` : '';
  const results = readSuiteResults(resultsFile).map((result) => ({ ...result, title: `${label}${result.title}` }));
  let problem: string | undefined;
  if (exitCode === undefined) problem = `no result within ${SUITE_TIMEOUT_MS / 60_000} minutes`;
  else if (exitCode !== 0) problem = `the test extension host exited with ${exitCode}`;
  // A run in which every test skipped itself tested nothing: it never reads as a pass.
  if (results.length === 0) problem ??= 'no test ran';
  return { results, problem: problem && `${label}${problem}`, artifacts };
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<number> {
  const locales = option('--locale')?.split(',').filter(Boolean) ?? [undefined];
  const grep = option('--grep') ?? process.env.QWEN_INLINE_SUITE_GREP ?? '';
  const installation = provision();
  const runs: Run[] = [];
  // One after the other: one code-server at a time.
  for (const locale of locales) runs.push(await runOnce(installation, locale, grep));
  const problems = runs.map((run) => run.problem).filter((problem): problem is string => problem !== undefined);
  return reportSuite(
    runs.flatMap((run) => run.results),
    problems.length > 0 ? problems.join('; ') : undefined,
    `${runs.map((run) => run.artifacts).join(', ')} (screenshot, VS Code logs)`,
  );
}

main().then(
  (code) => process.exit(code),
  (error) => process.exit(reportSuite([], error instanceof Error ? error.stack ?? error.message : String(error), ARTIFACTS_DIR)),
);
