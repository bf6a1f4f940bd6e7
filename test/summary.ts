// Each test stage (unit, in-host suite, browser) reports its counts to the file named by
// $QWEN_INLINE_SUMMARY, so test/run.ts can print one closing line for all of them.
import * as fs from 'fs';

export interface Summary {
  readonly passed: number;
  readonly failed: number;
}

export function writeSummary(passed: number, failed: number): void {
  const file = process.env.QWEN_INLINE_SUMMARY;
  if (file) fs.writeFileSync(file, JSON.stringify({ passed, failed } satisfies Summary));
}

export function readSummary(file: string): Summary | undefined {
  try {
    const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary;
    return Number.isInteger(summary.passed) && Number.isInteger(summary.failed) ? summary : undefined;
  } catch {
    return undefined;
  }
}
