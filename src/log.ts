import * as vscode from 'vscode';
import { redactingLogger, type Logger } from './core/logger';

/**
 * The "Qwen Inline" output channel ({ log: true }: levels set by "Developer: Set Log Level").
 * Every line goes through redaction, so no key can reach it.
 */
export function createLog(knownSecrets: () => readonly string[]): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('Qwen Inline', { log: true });
  return { channel, logger: redactingLogger(channel, knownSecrets) };
}
