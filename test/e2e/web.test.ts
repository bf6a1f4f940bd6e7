// VS Code for the Web: the packaged extension's browser entry (dist/web/extension.js, package.json
// "browser") in a web worker extension host. code-server runs an extension there when the user's
// `remote.extensionKind` makes it a UI extension; then every request leaves the browser itself, so
// the simulator must allow the page's origin (CORS), as a self-hosted server would have to.
import * as assert from 'assert';
import { promptPrefixOf } from '../simulator/server';
import { useSession } from './workbench';

const EXTENSION_ID = 'qwen-inline.qwen-inline';

describe('e2e: VS Code for the Web (web worker extension host)', function () {
  const session = useSession({
    name: 'web',
    files: { 'geometry.py': 'import math\n\n' },
    settings: { 'remote.extensionKind': { [EXTENSION_ID]: ['ui'] } },
  });

  it('runs in the browser: ghost text from a fetch the browser made (CORS), accepted with Tab and saved exactly', async function () {
    const s = session();
    s.script([{ prefixEndsWith: 'def area(radius):\n    ', completion: 'return math.pi * radius ** 2\n' }]);
    await s.open('geometry.py');
    await s.waitForStatus('sparkle', 'ready');
    await s.clickEditorEnd();
    await s.type('def area(radius):\n');
    await s.waitForGhost('return math.pi * radius ** 2');
    await s.screenshot('web-worker-ghost-text');
    const request = s.simulator.requests.find((r) => promptPrefixOf(r).endsWith('def area(radius):\n    '));
    assert.ok(request, s.describeRequests());
    // A browser's fetch names the page's origin and its own runtime; Node's (the remote host) does neither.
    assert.match(request.headers.origin ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, `request headers: ${JSON.stringify(request.headers)}`);
    assert.match(request.headers['x-stainless-runtime'] ?? '', /browser|chrome/i, `request headers: ${JSON.stringify(request.headers)}`);
    await s.page.keyboard.press('Tab');
    assert.strictEqual(await s.save('geometry.py'), 'import math\n\ndef area(radius):\n    return math.pi * radius ** 2');
  });
});
