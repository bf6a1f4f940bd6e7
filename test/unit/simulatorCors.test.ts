import * as assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../simulator/server';

// The web build calls the simulator from a web worker (browser test "VS Code for the Web"): the
// browser sends a preflight before a POST with Authorization and JSON, and reads the answer only
// when it allows the page's origin.
describe('simulator CORS (for the web worker extension host)', function () {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ port: 0, apiKeys: ['sk-cors'] });
  });
  after(async () => {
    await sim.close();
  });

  it('answers a preflight with the methods and the headers asked for, and does not count it as a request', async () => {
    const response = await fetch(`${sim.baseUrl}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:9999', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-stainless-os' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(response.headers.get('access-control-allow-headers'), 'authorization,content-type,x-stainless-os');
    assert.equal(sim.requests.length, 0);
  });

  it('lets any origin read answers and errors alike', async () => {
    const ok = await fetch(`${sim.baseUrl}/models`, { headers: { authorization: 'Bearer sk-cors', origin: 'http://127.0.0.1:9999' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    const refused = await fetch(`${sim.baseUrl}/models`, { headers: { authorization: 'Bearer sk-wrong' } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), '*');
    assert.match(refused.headers.get('access-control-expose-headers') ?? '', /x-request-id/);
  });
});
