// Runs the in-host suite (test/suite) in VS Code desktop through @vscode/test-electron, for machines
// that can download VS Code (a laptop, public CI). Where it cannot download, it says so and fails:
// it never reports a pass it did not run. On this project's offline machines use the code-server
// runner (runSuiteInCodeServer.ts), which runs the very same suite.
import { runTests } from '@vscode/test-electron';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ARTIFACTS_DIR, freshArtifactsDir, CLEAN_WORKBENCH_SETTINGS, REPO_ROOT } from './codeServer';
import { readSuiteResults, reportSuite } from './suiteResults';

async function main(): Promise<number> {
  const artifacts = freshArtifactsDir('suite-electron');
  const resultsFile = path.join(artifacts, 'results.json');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-electron-'));
  const userDataDir = path.join(profile, 'user-data');
  const workspace = path.join(profile, 'workspace');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(CLEAN_WORKBENCH_SETTINGS, null, 2));

  let problem: string | undefined;
  try {
    const exitCode = await runTests({
      version: process.env.QWEN_INLINE_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'),
      extensionTestsEnv: { QWEN_INLINE_SUITE_RESULTS: resultsFile, DASHSCOPE_API_KEY: '' },
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
    });
    if (exitCode !== 0) problem = `VS Code exited with ${exitCode}`;
  } catch (error) {
    // Most often: VS Code could not be downloaded (no internet) or could not start (no display).
    problem = `VS Code did not run the tests: ${error instanceof Error ? error.message : String(error)}`;
    console.error('in-host suite (Electron): without internet, run the same suite in code-server: npm run test:suite');
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return reportSuite(readSuiteResults(resultsFile), problem, artifacts);
}

main().then(
  (code) => process.exit(code),
  (error) => process.exit(reportSuite([], error instanceof Error ? error.stack ?? error.message : String(error), ARTIFACTS_DIR)),
);
