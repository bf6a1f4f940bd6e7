import * as vscode from 'vscode';
import { redactingLogger, type Logger } from './core/logger';
import type { Redactor } from './core/redaction';

/**
 * The "Qwen Inline" output channel ({ log: true }: levels set by "Developer: Set Log Level").
 * Every line goes through redaction, so no key can reach it.
 */
export function createLog(redactor: Redactor): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('Qwen Inline', { log: true });
  return { channel, logger: redactingLogger(channel, redactor) };
}
