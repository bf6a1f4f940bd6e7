import type { Logger } from '../../../src/core/logger';

/** A logger that keeps every line it is given, at any level. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const record = (message: string) => void lines.push(message);
  return { lines, trace: record, debug: record, info: record, warn: record, error: record };
}
