// Issue 16's limits as a person sees them, in a real VS Code (code-server in Chromium): times are
// taken in the page, from the key event to the ghost text drawn, so nothing of the test's own
// round trips is counted.
import * as assert from 'assert';
import { promptPrefixOf } from '../simulator/server';
import { sleep, waitUntil } from '../helpers/wait';
import { useSession, type Session } from './workbench';

interface TimingPage {
  __qwenTabAt?: number;
  __qwenGhostAt?: number;
  __qwenWanted?: string;
  __qwenGhostText(): string;
}

/** Starts watching, in the page, for the next Tab key and for the ghost text holding `wanted`. */
async function watchTabToGhost(s: Session, wanted: string): Promise<void> {
  await s.page.evaluate((text) => {
    const w = window as unknown as TimingPage & { __qwenTimingObserver?: MutationObserver };
    w.__qwenTabAt = undefined;
    w.__qwenGhostAt = undefined;
    w.__qwenWanted = text;
    document.addEventListener('keydown', (event) => event.key === 'Tab' && (w.__qwenTabAt ??= performance.now()), { capture: true, once: true });
    w.__qwenTimingObserver?.disconnect();
    w.__qwenTimingObserver = new MutationObserver(() => {
      if (w.__qwenTabAt !== undefined && w.__qwenGhostAt === undefined && w.__qwenGhostText().includes(text)) w.__qwenGhostAt = performance.now();
    });
    w.__qwenTimingObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, wanted);
}

async function tabToGhostMs(s: Session): Promise<number> {
  const times = await waitUntil(
    () => s.page.evaluate(() => {
      const w = window as unknown as TimingPage;
      return w.__qwenGhostAt === undefined || w.__qwenTabAt === undefined ? undefined : { tab: w.__qwenTabAt, ghost: w.__qwenGhostAt };
    }),
    'the ghost text after Tab',
  );
  return times.ghost - times.tab;
}

describe('e2e: speed at the model’s pace', function () {
  const session = useSession({
    name: 'speed',
    files: { 'calc.py': 'import math\n\n', 'report.py': 'import sys\n\n' },
    // A 7-line block whole (the default stops a suggestion at 6 lines).
    settings: { 'qwenInline.maxLines': 8 },
  });

  it('after Tab, the next suggestion is drawn from what was asked before Tab, with no new request, long before a slow model (first token 700 ms) could answer', async function () {
    const s = session();
    s.script([
      { prefixEndsWith: 'def add(a, b):\n    ', completion: 'return a + b\n', latency: { firstTokenMs: 700 } },
      { prefixEndsWith: '    return a + b', completion: '\n\n\ndef sub(a, b):\n    return a - b\n', latency: { firstTokenMs: 700 } },
    ]);
    await s.open('calc.py');
    await s.waitForStatus('sparkle', 'ready');
    await s.clickEditorEnd();
    await s.type('def add(a, b):\n');
    await s.waitForGhost('return a + b');
    // A person reads the suggestion before Tab; meanwhile the one after it is asked for.
    await sleep(1500);
    assert.ok(s.simulator.requests.some((r) => promptPrefixOf(r).endsWith('    return a + b')), `asked before Tab:\n${s.describeRequests()}`);
    await watchTabToGhost(s, 'def sub(a, b):');
    const requestsBeforeTab = s.simulator.requests.length;
    await s.page.keyboard.press('Tab');
    const ms = await tabToGhostMs(s);
    // The number is printed (a benchmark's job, about 80 ms here); what is asserted is where the
    // suggestion came from: what was asked before Tab, no request after it, and so drawn well before
    // a request to this model could even start answering (700 ms). A fixed 100 ms limit failed once
    // at 117 ms on a loaded CI machine while the suggestion still came from the cache.
    console.log(`      (Tab to the next ghost text: ${ms.toFixed(0)} ms)`);
    assert.strictEqual(s.simulator.requests.length, requestsBeforeTab, `no request after Tab:\n${s.describeRequests()}`);
    assert.ok(ms < 700 / 2, `the next suggestion was drawn ${ms.toFixed(0)} ms after Tab`);
    await s.screenshot('next-after-tab');
  });

  it('a 7-line block at 120 ms per chunk draws its first line within first token + 700 ms; what is drawn never changes, and Tab brings the rest', async function () {
    const s = session();
    const body = ['rows = sorted(rows)', 'total = 0', 'for row in rows:', '    total += row.amount', '    print(row.name)', 'print("total", total)', 'return total'];
    s.script([{ prefixEndsWith: 'def report(rows):\n    ', completion: `${body.join('\n    ')}\n`, latency: { firstTokenMs: 500, perChunkMs: 120 } }]);
    await s.open('report.py');
    await s.waitForStatus('sparkle', 'ready');
    await s.recordGhostTexts();
    await s.clickEditorEnd();
    await s.type('def report(rows):\n');
    await s.waitForGhost(body[0]);
    const drawnAt = Date.now();
    const request = s.simulator.requests.find((r) => promptPrefixOf(r).endsWith('def report(rows):\n    '));
    assert.ok(request, s.describeRequests());
    console.log(`      (request to first line drawn: ${drawnAt - request.startedAt} ms)`);
    assert.ok(drawnAt - request.startedAt <= 500 + 700, `first line drawn ${drawnAt - request.startedAt} ms after the request`);
    assert.strictEqual(request.done, false, 'drawn while the block still streams');
    await s.screenshot('first-lines-of-a-slow-block');
    // VS Code cannot grow ghost text in place: each Tab takes what is drawn, and the next suggestion
    // is what has streamed since, from the same request.
    for (let round = 0; round < 8; round++) {
      const ghost = await waitUntil(async () => (await s.ghostText()).trim() || undefined, `ghost text to accept (round ${round + 1})`);
      await s.page.keyboard.press('Tab');
      if (ghost.includes(body[6])) break;
      await sleep(300);
    }
    // Counted from the header on: a pause while the header was typed (a loaded machine) may ask for a
    // prefix like "def re", which says nothing about the block. Besides the speculative request for
    // what follows the whole block.
    const forTheBlock = s.simulator.requests.filter((r) => promptPrefixOf(r).includes('def report(rows):\n') && !promptPrefixOf(r).endsWith(body[6]));
    assert.strictEqual(forTheBlock.length, 1, `one request for the whole block:\n${s.describeRequests()}`);
    const whole = `def report(rows):\n    ${body.join('\n    ')}`;
    assert.strictEqual(await s.save('report.py'), `import sys\n\n${whole}`);
    // Every ghost text drawn was a piece of the block, in order: nothing drawn was ever taken back.
    const seen = await s.recordedGhostTexts();
    const wrong = seen.filter((text) => !whole.includes(text.trim()));
    assert.deepStrictEqual(wrong, [], `drawn: ${JSON.stringify(seen)}`);
  });
});
