import * as assert from 'assert';
import * as vscode from 'vscode';
import { promptPrefixOf, type RequestRecord } from '../simulator/server';
import { waitUntil } from '../helpers/wait';
import { openEditor, resetWorld, triggerAndAccept, typeText } from './world';

// The rule: a keystroke that extends the prefix of the request in flight follows that request until
// its text shows whether it predicted the keystroke. It is aborted when its text diverges, when the
// user deletes or moves elsewhere, or when it is too old; a stale suggestion is never offered.
describe('cancellation: follow, do not restart', () => {
  it('typing on while a slow request has streamed nothing follows it; once its text contradicts the typing it is aborted, and only the fresh suggestion is offered', async () => {
    const { simulator } = await resetWorld({
      script: [
        { prefixEndsWith: 'result = compute', completion: 'X_STALE(1)\n', latency: { firstTokenMs: 1500 } },
        { prefixEndsWith: 'result = compute_', completion: 'fresh(2)\n' },
      ],
    });
    const editor = await openEditor('import math\n█', { extension: 'py' });
    await typeText('result = compute');
    const isSlow = (record: RequestRecord) => promptPrefixOf(record) === 'import math\nresult = compute';
    const slow = await waitUntil(() => simulator.requests.find(isSlow), 'the slow request to start');
    await typeText('_');
    const answered = await simulator.settled(slow);
    assert.ok(answered.completion.startsWith('X'), 'the slow request answered, after the keystroke it was followed through');
    const fresh = simulator.requests.filter((record) => promptPrefixOf(record) === 'import math\nresult = compute_');
    assert.ok(fresh.length <= 1, 'at most one fresh request');
    assert.ok(fresh.every((record) => record.startedAt >= slow.startedAt + 1400), 'the fresh request went only once the slow one had shown its text');
    assert.strictEqual(await triggerAndAccept(editor), 'import math\nresult = compute_fresh(2)');
  });

  it('typing what a slow request predicts follows it: one request, and the rest of its answer is offered', async () => {
    const { simulator } = await resetWorld({
      script: [{ prefixEndsWith: 'value = comp', completion: 'ute_total(3)\n', latency: { firstTokenMs: 1500 } }],
    });
    const editor = await openEditor('import math\n█', { extension: 'py' });
    await typeText('value = comp');
    await waitUntil(() => simulator.requests.some((record) => promptPrefixOf(record) === 'import math\nvalue = comp'), 'the slow request to start');
    await typeText('ute_');
    assert.strictEqual(await triggerAndAccept(editor), 'import math\nvalue = compute_total(3)');
    // Besides a speculative request for what follows the accepted line.
    const asked = simulator.requests.filter((record) => promptPrefixOf(record).startsWith('import math\nvalue = comp') && !promptPrefixOf(record).endsWith('(3)'));
    assert.deepStrictEqual(asked.map(promptPrefixOf), ['import math\nvalue = comp'], 'no request was restarted');
  });

  it('Backspace aborts a slow request at once: not a character of it is sent', async () => {
    const { simulator } = await resetWorld({
      script: [{ prefixEndsWith: 'total = sum', completion: '(values)\n', latency: { firstTokenMs: 1500 } }],
    });
    await openEditor('import math\n█', { extension: 'py' });
    await typeText('total = sum');
    const slow = await waitUntil(() => simulator.requests.find((record) => promptPrefixOf(record) === 'import math\ntotal = sum'), 'the slow request to start');
    await vscode.commands.executeCommand('deleteLeft');
    const settled = await simulator.settled(slow);
    assert.strictEqual(settled.aborted, true);
    assert.strictEqual(settled.completion, '', 'aborted before its first token');
  });
});
