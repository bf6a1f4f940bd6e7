// A custom server that wants a key, while DASHSCOPE_API_KEY holds the very key it would accept: that
// DashScope key is never sent to it, so every request is refused (401) without an Authorization
// header. One notification, however long one types, names the server; the status bar asks for a
// key, and typing is never held up.
import * as assert from 'assert';
import { sleep } from '../helpers/wait';
import { useSession } from './workbench';

describe('e2e: a custom server that refuses the request (401), and the DashScope key kept from it', function () {
  const session = useSession({ name: 'wrong-key', files: { 'notes.py': '' }, simulatorNeedsKey: true });

  it('shows exactly one notification, the needs-key status, and typing goes on unharmed', async function () {
    const s = session();
    s.script([]);
    await s.open('notes.py');
    await s.waitForStatus('sparkle', 'ready');
    await s.recordToasts();
    await s.clickEditorEnd();

    // Type a line, pause well past the debounce (each pause would ask for a suggestion), repeat.
    const lines = ['first = 1', 'second = 2', 'third = first + second', 'print(third)'];
    for (const [i, line] of lines.entries()) {
      await s.type(i < lines.length - 1 ? `${line}\n` : line);
      await sleep(1200);
      if (i === 0) {
        await s.toast('unauthorized').waitFor({ timeout: 10_000 });
        await s.screenshot('notification');
      }
    }
    // Also ask by hand (Alt+\), twice: a person who wonders where the suggestions went.
    await s.page.keyboard.press('Alt+Backslash');
    await sleep(1200);
    await s.page.keyboard.press('Alt+Backslash');
    await sleep(2000);

    // Counted as they appeared: a warning toast may hide itself after ~18 s, so what is on screen now proves less.
    const toasts = await s.recordedToasts();
    assert.strictEqual(toasts.length, 1, `exactly one notification toast: ${JSON.stringify(toasts)}`);
    assert.match(toasts[0], /server at 127\.0\.0\.1:\d+ refused the request as unauthorized/, 'the notification names the server');
    assert.match(toasts[0], /\[.*Set API Key.*\]/, 'the notification offers Set API Key');

    await s.waitForStatus('key', 'unauthorized');

    // After a 401 the extension pauses for a minute (or until the key or a setting changes), so the
    // later pauses usually send nothing; each one that did would have had a chance to notify again.
    assert.ok(s.simulator.requests.length >= 1, 'the extension did ask the endpoint');
    assert.deepStrictEqual(
      s.simulator.requests.map((r) => r.status),
      s.simulator.requests.map(() => 401),
      'every request was refused with 401',
    );
    assert.deepStrictEqual(
      s.simulator.requests.map((r) => r.authorization),
      s.simulator.requests.map(() => ''),
      'DASHSCOPE_API_KEY was never sent to the custom server',
    );
    console.log(`      (the simulator saw ${s.simulator.requests.length} request(s), all answered 401)`);

    assert.strictEqual(await s.save('notes.py'), 'first = 1\nsecond = 2\nthird = first + second\nprint(third)');
  });
});
