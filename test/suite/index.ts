// The in-host suite's entry point, the contract both runners use (@vscode/test-electron's
// extensionTestsPath, and code-server's development payload): VS Code calls run() inside the
// extension host and treats a rejection as failure. The extension host's console does not always
// reach whoever started VS Code, so the results also go to the file $QWEN_INLINE_SUITE_RESULTS.
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export interface SuiteResult {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly durationMs?: number;
  readonly error?: string;
}

export function run(): Promise<void> {
  // QWEN_INLINE_SUITE_GREP (passed on by the runners) runs only the tests whose title matches it.
  const grep = process.env.QWEN_INLINE_SUITE_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  const results: SuiteResult[] = [];
  const resultsFile = process.env.QWEN_INLINE_SUITE_RESULTS;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, error: Error) =>
      results.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: error.stack ?? String(error) }),
    );
  });
}
