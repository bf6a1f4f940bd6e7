// Project context, end to end: with inventory.ts open in a tab, typing `inv.` in main.ts (which does
// not import it) shows the method of the other file's class as ghost text; Tab and save keep it.
import * as assert from 'assert';
import { waitUntil } from '../helpers/wait';
import { promptPrefixOf } from '../simulator/server';
import { useSession, type Session } from './workbench';

const INVENTORY = [
  'export class Inventory {',
  '  private items = 0;',
  '  /** Removes up to count items; false when too few. */',
  '  tryRemoveItems(count: number): boolean { if (count > this.items) return false; this.items -= count; return true; }',
  '  restock(amount: number): void { this.items += amount; }',
  '}',
  '',
].join('\n');
const MAIN = "// Sells from the shop's stock.\nexport function sell(inv: Inventory, count: number): boolean {\n  return \n}\n";

/** Ctrl+P, the file's name, Enter: opens a workspace file as a person would; waits for its tab. */
async function quickOpen(s: Session, name: string): Promise<void> {
  await s.page.keyboard.press('Control+P');
  await s.quickInput().locator('input.input').waitFor({ state: 'visible' });
  await s.page.keyboard.type(name, { delay: 10 });
  await s.quickInput().locator('.monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await s.page.keyboard.press('Enter');
  await s.page.locator('.part.editor .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

describe('e2e: project context', function () {
  const session = useSession({ name: 'context', files: { 'inventory.ts': INVENTORY, 'main.ts': MAIN } });

  it('a method of a class open in another tab is suggested by name, accepted with Tab and saved exactly', async function () {
    const s = session();
    s.script([
      { promptIncludes: 'tryRemoveItems(count: number)', prefixEndsWith: 'return inv.', completion: 'tryRemoveItems(3)' },
      // A model that never saw the class guesses a name.
      { prefixEndsWith: 'return inv.', completion: 'removeItems(3)' },
    ]);
    await s.open('inventory.ts');
    await s.waitForStatus('sparkle', 'ready');
    await quickOpen(s, 'main.ts');
    assert.ok(await s.page.locator('.part.editor .tab', { hasText: 'inventory.ts' }).isVisible(), 'inventory.ts is still open in a tab');
    // After "  return " on line 3.
    await s.goToLine(3, 10);
    // The log lists the snippets of each new selection: wait until inventory.ts is one of main.ts's.
    await s.waitForLogLine(/context for \S*main\.ts: .*inventory\.ts:\d+-\d+ \(openTabs\)/, 0, 15_000);
    await s.type('inv.');
    await s.waitForGhost('tryRemoveItems(3)');
    await s.screenshot('method-from-open-tab');
    await s.page.keyboard.press('Tab');
    // Saved once the editor holds the text (ghost text left out): on a loaded machine Ctrl+S can
    // otherwise overtake the accept.
    await waitUntil(async () => (await s.editorText()).includes('  return inv.tryRemoveItems(3)'), 'the accepted text in the editor');
    assert.strictEqual(await s.save('main.ts'), MAIN.replace('  return \n', '  return inv.tryRemoveItems(3)\n'));
    const request = s.simulator.requests.filter((r) => promptPrefixOf(r).endsWith('return inv.')).at(-1);
    const user = (request?.body?.messages as { role: string; content: string }[] | undefined)?.find((m) => m.role === 'user')?.content ?? '';
    assert.ok(user.includes('tryRemoveItems(count: number): boolean'), `the request showed the signature: ${user}`);
  });
});
