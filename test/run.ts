// `npm test`: every test stage in turn, then one closing line for all of them.
//   unit   mocha in Node: the core, the client through the openai SDK, the simulator
//   suite  the in-host suite inside a real VS Code (code-server), against the simulator
//   suite-l10n  the suite's display-language tests again in VS Code started in Japanese, then in
//          Chinese (--locale ja / zh-cn): only those tests, about 30 s each
//   e2e    the packaged extension in code-server, driven in Chromium like a person would
// `node out/test/run.js unit e2e` runs only the stages named.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSummary, type Summary } from './summary';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MOCHA = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');

const STAGES: Record<string, { title: string; args: string[] }> = {
  unit: { title: 'unit tests', args: [MOCHA] },
  suite: { title: 'in-host suite in VS Code (code-server)', args: [path.join(__dirname, 'vscode', 'runSuiteInCodeServer.js')] },
  'suite-l10n': {
    title: 'in-host suite in Japanese and Chinese (code-server --locale)',
    args: [path.join(__dirname, 'vscode', 'runSuiteInCodeServer.js'), '--locale', 'ja,zh-cn', '--grep', '^display language:'],
  },
  e2e: { title: 'browser end-to-end tests', args: [MOCHA, '--config', path.join(REPO_ROOT, 'test', 'e2e', '.mocharc.json')] },
};

function main(): number {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in STAGES));
  if (unknown.length > 0) {
    console.error(`unknown stage(s) ${unknown.join(', ')}; choose from ${Object.keys(STAGES).join(', ')}`);
    return 2;
  }
  const names = requested.length > 0 ? requested : Object.keys(STAGES);
  const summaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-summary-'));
  const totals: Array<{ name: string; summary: Summary; seconds: number }> = [];
  for (const name of names) {
    const stage = STAGES[name];
    console.log(`\n=== ${stage.title} ===`);
    const summaryFile = path.join(summaryDir, `${name}.json`);
    const started = Date.now();
    const result = spawnSync(process.execPath, stage.args, {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, QWEN_INLINE_SUMMARY: summaryFile },
    });
    // A stage that died before reporting counts as one failure: a crash never reads as a pass.
    let summary = readSummary(summaryFile) ?? { passed: 0, failed: 1 };
    if (result.status !== 0 && summary.failed === 0) summary = { ...summary, failed: 1 };
    totals.push({ name, summary, seconds: (Date.now() - started) / 1000 });
  }
  fs.rmSync(summaryDir, { recursive: true, force: true });

  console.log('');
  for (const { name, summary, seconds } of totals) {
    console.log(`${name.padEnd(10)} ${summary.passed} passed, ${summary.failed} failed (${seconds.toFixed(0)} s)`);
  }
  const passed = totals.reduce((sum, t) => sum + t.summary.passed, 0);
  const failed = totals.reduce((sum, t) => sum + t.summary.failed, 0);
  if (failed > 0) console.log('Failures: screenshots, results and VS Code logs are in .test-artifacts/');
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exit(main());
