import * as vscode from 'vscode';
import type { Redactor } from '../core/redaction';

/**
 * Every notification the extension shows goes through here, so each one is redacted: a message
 * that quotes a server's error (which may echo the Authorization header) can never show a key.
 */
export class Notifications {
  constructor(private readonly redactor: Redactor) {}

  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    return vscode.window.showInformationMessage(this.redactor.redact(message), ...actions);
  }

  warn(message: string, ...actions: string[]): Thenable<string | undefined> {
    return vscode.window.showWarningMessage(this.redactor.redact(message), ...actions);
  }

  error(message: string, ...actions: string[]): Thenable<string | undefined> {
    return vscode.window.showErrorMessage(this.redactor.redact(message), ...actions);
  }

  /** A transient message in the status bar. */
  flash(message: string, ms: number): void {
    vscode.window.setStatusBarMessage(this.redactor.redact(message), ms);
  }

  /** For any other text shown to the user (an input box's prompt, a tooltip). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }
}
