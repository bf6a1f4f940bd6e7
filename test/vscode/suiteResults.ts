// What both in-host runners do with the results file the suite's run() writes.
import * as fs from 'fs';
import type { SuiteResult } from '../suite/index';
import { writeSummary } from '../summary';

export function readSuiteResults(file: string): SuiteResult[] {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteResult[]) : [];
}

/**
 * Prints each result and the closing "N passed, N failed" line, and returns the exit code.
 * `problem` is a failure outside any test (VS Code did not start, the host crashed, a timeout):
 * it counts as one failure, so a run that tested nothing never passes.
 */
export function reportSuite(results: SuiteResult[], problem: string | undefined, whereToLook: string): number {
  for (const result of results) {
    console.log(`  ${result.state === 'passed' ? '✔' : '✘'} ${result.title}${result.durationMs ? ` (${result.durationMs} ms)` : ''}`);
    if (result.error) console.log(result.error.replace(/^/gm, '      '));
  }
  const passed = results.filter((result) => result.state === 'passed').length;
  let failed = results.length - passed;
  if (results.length === 0) problem ??= 'no test ran';
  if (problem && failed === 0) {
    console.log(`in-host suite: ${problem}`);
    failed = 1;
  }
  if (failed > 0) console.log(`in-host suite: look in ${whereToLook}`);
  writeSummary(passed, failed);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
