// A person types in a real VS Code (code-server in Chromium) with the packaged extension installed:
// ghost text appears, Tab accepts it, Ctrl+S saves, and the file on disk holds exactly the expected text.
import * as assert from 'assert';
import { promptPrefixOf } from '../simulator/server';
import { waitUntil } from '../helpers/wait';
import { useSession } from './workbench';

describe('e2e: typing, ghost text, Tab, save', function () {
  const session = useSession({
    name: 'typing',
    files: {
      'stats.py': 'import math\n\n',
      'greet.py': 'name = "world"\n',
      'shapes.ts': 'export interface Point {\n  x: number;\n  y: number;\n}\n\n',
      'cart.ts': 'export interface Item {\n  price: number;\n  quantity: number;\n}\n\n',
    },
  });

  it('Python: a function body suggested after the header is accepted with Tab and saved exactly', async function () {
    const s = session();
    s.script([
      {
        prefixEndsWith: 'def mean(values):\n    ',
        completion: 'if not values:\n        return 0.0\n    return sum(values) / len(values)\n',
      },
    ]);
    await s.open('stats.py');
    await s.waitForStatus('sparkle', 'ready');
    await s.clickEditorEnd();
    // Enter after the colon: VS Code indents the next line by itself.
    await s.type('def mean(values):\n');
    await s.waitForGhost('return sum(values) / len(values)');
    await s.screenshot('python-function-body');
    await s.page.keyboard.press('Tab');
    assert.strictEqual(
      await s.save('stats.py'),
      'import math\n\ndef mean(values):\n    if not values:\n        return 0.0\n    return sum(values) / len(values)',
    );
  });

  it('Python: print( with the ) VS Code auto-closed ends with exactly one )', async function () {
    const s = session();
    s.script([{ prefixEndsWith: 'print(', completion: 'f"Hello, {name}!")' }]);
    await s.open('greet.py');
    await s.waitForStatus('sparkle', 'ready');
    await s.clickEditorEnd();
    await s.type('print(');
    // The premise: VS Code did auto-close the bracket (else the test would prove nothing).
    assert.strictEqual(await s.save('greet.py'), 'name = "world"\nprint()', 'VS Code auto-closed the bracket');
    await s.waitForGhost('f"Hello, {name}!"');
    await s.screenshot('python-print-auto-closed');
    await s.page.keyboard.press('Tab');
    const saved = await s.save('greet.py');
    assert.strictEqual(saved, 'name = "world"\nprint(f"Hello, {name}!")');
    assert.strictEqual(saved.split(')').length - 1, 1, 'exactly one )');
  });

  it('TypeScript: a body typed into auto-closed braces is accepted without doubling the }', async function () {
    const s = session();
    s.script([
      {
        prefixEndsWith: 'export function norm(p: Point): number {\n  ',
        completion: 'return Math.sqrt(p.x * p.x + p.y * p.y);\n}\n',
      },
    ]);
    await s.open('shapes.ts');
    await s.waitForStatus('sparkle', 'ready');
    await s.clickEditorEnd();
    // "(" and "{" are auto-closed; the typed ")" steps over the closing one; Enter splits the braces.
    await s.type('export function norm(p: Point): number {\n');
    await s.waitForGhost('return Math.sqrt(p.x * p.x + p.y * p.y);');
    await s.screenshot('typescript-function-body');
    await s.page.keyboard.press('Tab');
    assert.strictEqual(
      await s.save('shapes.ts'),
      'export interface Point {\n  x: number;\n  y: number;\n}\n\nexport function norm(p: Point): number {\n  return Math.sqrt(p.x * p.x + p.y * p.y);\n}',
    );
  });

  it('stale text never appears: a slow answer for an earlier prefix is aborted and never drawn', async function () {
    const s = session();
    const STALE = 'STALE_f3a9';
    const staleEntry = { prefixEndsWith: 'export function total(', completion: `${STALE}: unknown[]`, latency: { firstTokenMs: 1500 } };
    s.script([
      staleEntry,
      {
        prefixEndsWith: 'export function total(items: Item[]): number {\n  ',
        completion: 'return items.reduce((sum, item) => sum + item.price * item.quantity, 0);\n}',
      },
    ]);
    await s.open('cart.ts');
    await s.waitForStatus('sparkle', 'ready');
    await s.recordGhostTexts();
    await s.clickEditorEnd();
    await s.type('export function total(');
    // Pause until the request for this prefix is in flight (its answer takes 1.5 s) ...
    const stale = await waitUntil(
      () => s.simulator.requests.find((r) => promptPrefixOf(r).endsWith(staleEntry.prefixEndsWith)),
      'the request for "export function total(" to reach the simulator',
    );
    assert.strictEqual(stale.done, false, 'the slow request is still in flight when typing resumes');
    // ... and keep typing while it is.
    await s.type('items: Item[]): number {\n');
    await s.waitForGhost('return items.reduce((sum, item) => sum + item.price * item.quantity, 0);');
    await s.screenshot('stale-never-shown');
    await s.page.keyboard.press('Tab');
    assert.strictEqual(
      await s.save('cart.ts'),
      'export interface Item {\n  price: number;\n  quantity: number;\n}\n\n' +
        'export function total(items: Item[]): number {\n  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);\n}',
    );

    const settled = await s.simulator.settled(stale);
    assert.strictEqual(settled.aborted, true, `the slow request was aborted (it sent ${JSON.stringify(settled.completion)})`);
    const seen = await s.recordedGhostTexts();
    assert.ok(
      seen.some((text) => text.includes('return items.reduce')),
      `the recorder saw the fresh suggestion (else it saw nothing at all): ${JSON.stringify(seen)}`,
    );
    const staleShown = seen.filter((text) => text.includes(STALE));
    assert.deepStrictEqual(staleShown, [], 'the stale answer was never drawn as ghost text');
  });
});
