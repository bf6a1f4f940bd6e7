import * as vscode from 'vscode';
import { sampleDocument } from '../core/sample';
import { hasUsageHistory } from '../core/spending';

export const GET_STARTED_COMMAND = 'qwenInline.getStarted';
export const OPEN_SAMPLE_COMMAND = 'qwenInline.openSample';
/** package.json's walkthrough, as `<publisher>.<name>#<walkthrough id>`. */
const WALKTHROUGH = 'qwen-inline.qwen-inline#qwenInline.getStarted';
/** Set once the walkthrough was opened (or skipped) after install. */
const WALKTHROUGH_OFFERED_KEY = 'qwenInline.walkthroughOffered';

/** Opens the Get Started walkthrough (false: in the editor area, not to the side). */
export function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
}

/** The walkthrough's "try it" step: an untitled Python file with the cursor where a suggestion fits. */
export async function openSample(): Promise<vscode.TextEditor> {
  const sample = sampleDocument();
  const document = await vscode.workspace.openTextDocument({ language: sample.languageId, content: sample.text });
  const editor = await vscode.window.showTextDocument(document);
  const cursor = new vscode.Position(sample.cursor.line, sample.cursor.character);
  editor.selection = new vscode.Selection(cursor, cursor);
  editor.revealRange(new vscode.Range(cursor, cursor));
  return editor;
}

/**
 * Opens the walkthrough once after install. Not for someone who used the extension before this
 * version (the day's totals are stored), not when the user told VS Code not to open walkthroughs on
 * install (workbench.welcomePage.walkthroughs.openOnInstall, which the browser tests turn off), and
 * never under the in-host tests, whose windows it would clutter.
 */
export function offerWalkthroughOnce(context: vscode.ExtensionContext): void {
  if (context.extensionMode === vscode.ExtensionMode.Test || context.globalState.get(WALKTHROUGH_OFFERED_KEY)) return;
  const wanted = vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall', true);
  const returning = hasUsageHistory(context.globalState);
  void context.globalState.update(WALKTHROUGH_OFFERED_KEY, true);
  if (!wanted) return;
  // A VS Code without walkthroughs (or without this one) has nothing to open: no error for that.
  if (!returning) openWalkthrough().then(undefined, () => undefined);
}
