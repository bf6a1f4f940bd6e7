import * as assert from 'assert';
import { promptPrefixOf, type RequestRecord } from '../simulator/server';
import { waitUntil } from '../helpers/wait';
import { openEditor, resetWorld, triggerAndAccept, typeText } from './world';

describe('cancellation', () => {
  it('typing on while a slow answer is in flight aborts it, and only the fresh suggestion is offered', async () => {
    const { simulator } = await resetWorld({
      script: [
        { prefixEndsWith: 'result = compute', completion: '_STALE(1)\n', latency: { firstTokenMs: 1500 } },
        { prefixEndsWith: 'result = compute_', completion: 'fresh(2)\n' },
      ],
    });
    const editor = await openEditor('import math\n█', { extension: 'py' });
    await typeText('result = compute');
    let slow: RequestRecord | undefined;
    const isSlow = (record: RequestRecord) => promptPrefixOf(record) === 'import math\nresult = compute';
    await waitUntil(() => (slow = simulator.requests.find(isSlow)) !== undefined, 'the slow request to start');
    await typeText('_');
    const aborted = await simulator.settled(slow!);
    assert.strictEqual(aborted.aborted, true, 'the simulator saw the slow request closed early');
    assert.strictEqual(aborted.completion, '', 'not a character of the stale answer was sent');
    assert.strictEqual(await triggerAndAccept(editor), 'import math\nresult = compute_fresh(2)');
  });
});
