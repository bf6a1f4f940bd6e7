// "Qwen Inline: Continue This Block" in a real VS Code (code-server in Chromium), as a person uses it:
// run from the command palette, its keybinding or the editor's context menu, the block streams into
// the editor, stops at the end of the block (or at Escape), Ctrl+S saves exactly that, Ctrl+Z undoes it
// in one step.
import * as assert from 'assert';
import { promptPrefixOf, type RequestRecord } from '../simulator/server';
import { sleep, waitUntil } from '../helpers/wait';
import type { Locator } from 'playwright-core';
import { Session, useSession } from './workbench';

const COMMAND = 'qwenInline.continueBlock';
const TITLE = 'Qwen Inline: Continue This Block';
/** Continue This Block asks with its own max_tokens (qwenInline.continueBlock.maxTokens); ghost text with 128. */
const BLOCK_MAX_TOKENS = 512;
/** What the extension logs when a run is over (after its last edit is in the document). */
const RUN_ENDED = /Continue This Block \(.*\): /;

// --- Python: a half-written function in the middle of a file --------------------------------------

const STATS = [
  '"""Small statistics helpers."""',
  '',
  '',
  'def mean(values):',
  '    return sum(values) / len(values)',
  '',
  '',
  'def median(values):',
  '    ordered = sorted(values)',
  '    middle = len(ordered) // 2',
  '',
  '',
  'def mode(values):',
  '    return max(set(values), key=values.count)',
  '',
].join('\n');
/** The cursor goes to the end of this line (1-based), the last one written of median's body. */
const STATS_LINE = 10;
const STATS_CURSOR = '    middle = len(ordered) // 2';
const MEDIAN_REST = '\n    if len(ordered) % 2:\n        return ordered[middle]\n    return (ordered[middle - 1] + ordered[middle]) / 2';
/**
 * What the model writes from the cursor: the rest of the body, then on into a function the file
 * does not have (so only the dedent can end the block, not the line already below the cursor).
 */
const MEDIAN_ANSWER =
  `${MEDIAN_REST}\n\n\n` +
  'def variance(values):\n' +
  '    m = mean(values)\n' +
  '    return sum((v - m) ** 2 for v in values) / len(values)\n\n\n' +
  'def stdev(values):\n' +
  '    return variance(values) ** 0.5\n';

// --- TypeScript: a function body being written, the closing brace already there ------------------

const ORDERS = [
  'export interface OrderLine {',
  '  sku: string;',
  '  price: number;',
  '  quantity: number;',
  '}',
  '',
  'export interface Order {',
  '  id: string;',
  '  lines: OrderLine[];',
  '  coupon?: string;',
  '}',
  '',
  'export function orderTotal(order: Order): number {',
  '  let total = 0;',
  '}',
  '',
  'export function describe(order: Order): string {',
  '  return `${order.id}: ${order.lines.length} line(s)`;',
  '}',
  '',
].join('\n');
const ORDERS_LINE = 14;
const ORDERS_CURSOR = '  let total = 0;';
/** The whole body the model would write after `let total = 0;`, line by line, then the closer and beyond. */
const TOTAL_REST =
  '\n  for (const line of order.lines) {' +
  '\n    const amount = line.price * line.quantity;' +
  '\n    if (amount < 0) {' +
  '\n      throw new Error(`negative amount for ${line.sku}`);' +
  '\n    }' +
  '\n    total += amount;' +
  '\n  }' +
  "\n  if (order.coupon === 'HALF') {" +
  '\n    total = total / 2;' +
  '\n  }' +
  '\n  return Math.round(total * 100) / 100;';
const TOTAL_ANSWER = `${TOTAL_REST}\n}\n\nexport function lineCount(order: Order): number {\n  return order.lines.length;\n}\n`;

// --- Python again, for the context menu ------------------------------------------------------------

const TEMPS = ['def to_fahrenheit(celsius):', '    scaled = celsius * 9 / 5', '', '', 'print(to_fahrenheit(20))', ''].join('\n');
const TEMPS_CURSOR = '    scaled = celsius * 9 / 5';
const TEMPS_REST = '\n    return scaled + 32';
const TEMPS_ANSWER = `${TEMPS_REST}\n\n\ndef to_celsius(fahrenheit):\n    return (fahrenheit - 32) * 5 / 9\n`;

/** `original` with `inserted` written at the end of its line `cursorLine`. */
function insertAfter(original: string, cursorLine: string, inserted: string): string {
  const at = original.indexOf(`${cursorLine}\n`);
  assert.ok(at >= 0, `the fixture has the line ${JSON.stringify(cursorLine)}`);
  const end = at + cursorLine.length;
  return original.slice(0, end) + inserted + original.slice(end);
}

/** The requests Continue This Block sent (ghost-text requests, which the cursor moves may cause, left out). */
function blockRequests(s: Session): RequestRecord[] {
  return s.simulator.requests.filter((r) => r.body?.max_tokens === BLOCK_MAX_TOKENS);
}

/**
 * Clicks a context-menu item the way a user does, and again if the click was lost. VS Code's menu
 * items run on mouse-up, and only listen for it 100 ms after the menu is drawn (so the right-click's
 * own release cannot pick an item); on a loaded machine that timer can fire late, and a click before
 * it does nothing and leaves the menu open. A menu that closed took the click.
 */
async function clickMenuItem(item: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await item.click();
    const closed = await item.waitFor({ state: 'detached', timeout: 1_000 }).then(() => true, () => false);
    if (closed) return;
    if (attempt === 3) throw new Error('the context menu stayed open after three clicks on its item');
  }
}

/** Waits for the command's request to reach the simulator. */
async function blockRequest(s: Session): Promise<RequestRecord> {
  try {
    return await waitUntil(() => blockRequests(s)[0], 'the Continue This Block request to reach the simulator');
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; requests:\n${s.describeRequests()}`, { cause: error });
  }
}

/**
 * Waits until the run is over, as far as anyone can see: the request settled, the progress
 * notification gone, and the run's summary in the extension's log (written after its last edit).
 */
async function waitForRunEnd(s: Session, record: RequestRecord, logLinesBefore: number): Promise<RequestRecord> {
  const settled = await Promise.race([
    s.simulator.settled(record),
    sleep(30_000).then(() => {
      throw new Error(`the request did not settle within 30 s; requests:\n${s.describeRequests()}`);
    }),
  ]);
  await s.toast(TITLE).waitFor({ state: 'hidden', timeout: 10_000 });
  await s.waitForLogLine(RUN_ENDED, logLinesBefore);
  return settled;
}

function runEndedLines(s: Session): number {
  return s.extensionLog()
    .split('\n')
    .filter((line) => RUN_ENDED.test(line)).length;
}

/** Opens `name` with the cursor at the end of line `line` (which must read `text`). */
async function openAt(s: Session, name: string, line: number, text: string): Promise<void> {
  await s.open(name);
  await s.waitForStatus('sparkle', 'ready');
  await s.page.locator('.part.editor .monaco-editor .view-lines').first().click();
  await s.goToLine(line);
  await s.page.keyboard.press('End');
  // The premise: the cursor is where the test means it to be (the line is drawn as expected).
  const drawn = (await s.editorText()).split('\n');
  assert.strictEqual(drawn[line - 1], text, `line ${line} of ${name} as drawn`);
}

describe('e2e: Continue This Block', function () {
  const session = useSession({
    name: 'continue-block',
    files: { 'stats.py': STATS, 'orders.ts': ORDERS, 'temps.py': TEMPS },
  });

  beforeEach(async function () {
    await session().closeQuickInput();
  });

  it('from the palette: streams the body, stops at the end of the block (request aborted), saves exactly', async function () {
    const s = session();
    s.script([{ prefixEndsWith: `def median(values):\n    ordered = sorted(values)\n${STATS_CURSOR}`, completion: MEDIAN_ANSWER, latency: { firstTokenMs: 100, perChunkMs: 30 } }]);
    await openAt(s, 'stats.py', STATS_LINE, STATS_CURSOR);
    const logLines = runEndedLines(s);
    const started = Date.now();

    await s.runCommand(COMMAND, TITLE);
    const record = await blockRequest(s);
    // The progress notification shows while it streams (cancellable: it has a Cancel button).
    await s.toast(TITLE).waitFor({ timeout: 5_000 });
    const settled = await waitForRunEnd(s, record, logLines);
    const elapsed = Date.now() - started;
    await s.screenshot('python-median-continued');

    const expected = insertAfter(STATS, STATS_CURSOR, MEDIAN_REST);
    assert.strictEqual(await s.save('stats.py'), expected, 'the body only, up to the end of the block');

    assert.ok(promptPrefixOf(settled).endsWith(`def median(values):\n    ordered = sorted(values)\n${STATS_CURSOR}`), 'asked from the cursor');
    assert.strictEqual(settled.aborted, true, `the request was closed at the end of the block (it sent ${JSON.stringify(settled.completion)})`);
    assert.ok(settled.completion.length < MEDIAN_ANSWER.length, 'not all of the scripted answer was streamed');
    assert.ok(
      settled.completion.startsWith(MEDIAN_REST) && settled.completion.slice(MEDIAN_REST.length).trim() !== '',
      `it stopped once the next function began, not before: ${JSON.stringify(settled.completion)}`,
    );
    assert.strictEqual(blockRequests(s).length, 1, 'one request');
    assert.match(s.extensionLog(), /Continue This Block \(.*\): stopped at the end of the block/, 'the log says why it stopped');
    console.log(`      (command to end of run: ${elapsed} ms; ${settled.chunksSent} chunks streamed)`);
  });

  it('Escape stops it: the request is aborted, a clean prefix stays, one Ctrl+Z restores the file', async function () {
    const s = session();
    s.script([{ prefixEndsWith: `number {\n${ORDERS_CURSOR}`, completion: TOTAL_ANSWER, latency: { firstTokenMs: 100, perChunkMs: 150 } }]);
    await openAt(s, 'orders.ts', ORDERS_LINE, ORDERS_CURSOR);
    const logLines = runEndedLines(s);

    // Its keybinding (Linux): Alt+Shift+\.
    await s.page.keyboard.press('Alt+Shift+Backslash');
    const record = await blockRequest(s);
    // A couple of lines in the editor: the line under the cursor and two more after it.
    const firstLines = TOTAL_REST.split('\n').slice(1, 3);
    await waitUntil(
      async () => {
        const drawn = await s.editorText();
        return firstLines.every((line) => drawn.includes(line));
      },
      `the first two lines ${JSON.stringify(firstLines)} to be drawn`,
      20_000,
    );
    assert.strictEqual(record.done, false, 'the answer is still streaming when Escape is pressed');
    await s.page.keyboard.press('Escape');
    const settled = await waitForRunEnd(s, record, logLines);
    await s.screenshot('typescript-escape-stopped');

    assert.strictEqual(settled.aborted, true, 'Escape closed the request');
    assert.ok(settled.completion.length < TOTAL_ANSWER.length, 'it stopped before the scripted answer was all sent');
    assert.match(s.extensionLog(), /Continue This Block \(.*\): cancelled/, 'the log says it was cancelled');

    const saved = await s.save('orders.ts');
    const [before, after] = [ORDERS.slice(0, ORDERS.indexOf(ORDERS_CURSOR) + ORDERS_CURSOR.length), ORDERS.slice(ORDERS.indexOf(ORDERS_CURSOR) + ORDERS_CURSOR.length)];
    assert.ok(saved.startsWith(before) && saved.endsWith(after), `only the cursor's place changed:\n${saved}`);
    const inserted = saved.slice(before.length, saved.length - after.length);
    assert.ok(TOTAL_REST.startsWith(inserted), `what stays is a prefix of the block: ${JSON.stringify(inserted)}`);
    assert.ok(inserted.includes(firstLines.join('\n')), `the lines seen before Escape stay: ${JSON.stringify(inserted)}`);
    assert.ok(inserted.length < TOTAL_REST.length, 'the block was not finished');
    assert.ok(!/\s$/.test(inserted), `no trailing whitespace: ${JSON.stringify(inserted)}`);

    // The whole insertion is one undo step.
    await s.page.keyboard.press('Control+Z');
    assert.strictEqual(await s.save('orders.ts'), ORDERS, 'one Ctrl+Z restores the file exactly');
    console.log(`      (kept ${inserted.split('\n').length - 1} line(s), ${inserted.length} chars; ${settled.chunksSent} chunks streamed)`);
  });

  it('the editor context menu offers "Continue This Block", and it runs', async function () {
    const s = session();
    s.script([{ prefixEndsWith: `def to_fahrenheit(celsius):\n${TEMPS_CURSOR}`, completion: TEMPS_ANSWER, latency: { perChunkMs: 20 } }]);
    await s.open('temps.py');
    await s.waitForStatus('sparkle', 'ready');
    const logLines = runEndedLines(s);

    // Right-click to the right of the line's text: the cursor goes to the end of that line.
    const line = s.page.locator('.part.editor .monaco-editor .view-lines .view-line', { hasText: 'scaled = celsius' }).first();
    const text = await line.locator('span').first().boundingBox();
    assert.ok(text, 'the line is drawn');
    await s.page.mouse.click(text.x + text.width + 40, text.y + text.height / 2, { button: 'right' });
    const item = s.page.locator('.monaco-menu .action-item', { has: s.page.locator('.action-label', { hasText: /^Continue This Block$/ }) });
    await item.waitFor({ timeout: 5_000 });
    await s.screenshot('context-menu');
    await clickMenuItem(item);

    const record = await blockRequest(s);
    const settled = await waitForRunEnd(s, record, logLines);
    assert.ok(promptPrefixOf(settled).endsWith(`def to_fahrenheit(celsius):\n${TEMPS_CURSOR}`), 'asked from the end of the right-clicked line');
    assert.strictEqual(await s.save('temps.py'), insertAfter(TEMPS, TEMPS_CURSOR, TEMPS_REST));
  });
});
