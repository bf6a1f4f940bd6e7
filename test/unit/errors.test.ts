import * as assert from 'node:assert/strict';
import { backoffMs, classifyError, parseRetryAfter, type ApiFailure } from '../../src/core/errors';

const context = { model: 'qwen3-coder-plus', endpoint: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', now: Date.parse('2026-01-01T00:00:00Z') };
const http = (status: number | undefined, code: string, message = ''): ApiFailure => ({ kind: 'http', status, code, message });

describe('error mapping', () => {
  const cases: Array<[string, ApiFailure, string, string]> = [
    ['401 bad key', http(401, 'invalid_api_key', 'Incorrect API key provided.'), 'auth', 'setApiKey'],
    ['403 access denied', http(403, 'AccessDenied'), 'forbidden', 'selectModel'],
    ['404 unknown model', http(404, 'model_not_found', 'The model `x` does not exist'), 'modelNotFound', 'selectModel'],
    ['429 rate limit', http(429, 'limit_requests'), 'rateLimit', 'openLog'],
    ['429 quota', http(429, 'insufficient_quota', 'You exceeded your current quota'), 'rateLimit', 'openLog'],
    ['400 input too long', http(400, 'invalid_parameter_error', 'Range of input length should be [1, 30720]'), 'inputTooLong', 'openSettings'],
    ['400 content inspection', http(400, 'data_inspection_failed', 'Input data may contain inappropriate content.'), 'contentInspection', 'openLog'],
    ['content inspection mid-stream', http(undefined, 'data_inspection_failed', 'Output data may contain inappropriate content.'), 'contentInspection', 'openLog'],
    ['400 arrearage', http(400, 'Arrearage', 'Access denied, please make sure your account is in good standing.'), 'arrearage', 'openLog'],
    ['400 bad parameter', http(400, 'invalid_parameter_error', 'temperature out of range'), 'badRequest', 'openSettings'],
    ['500 server', http(500, 'internal_error'), 'server', 'openLog'],
    ['503 server', http(503, 'internal_error'), 'server', 'openLog'],
    ['network', { kind: 'network', message: 'ECONNREFUSED' }, 'network', 'openSettings'],
    ['timeout', { kind: 'timeout' }, 'timeout', 'openSettings'],
  ];
  for (const [name, failure, category, action] of cases) {
    it(`${name} -> ${category}`, () => {
      const error = classifyError(failure, context);
      assert.equal(error.category, category);
      assert.equal(error.action, action);
      assert.ok(error.message.length > 20);
    });
  }

  it('never puts the key into the user message, even if the server echoes it', () => {
    const error = classifyError(http(400, 'invalid_parameter_error', 'bad header Bearer sk-abcdef123456'), context);
    // The message quotes the server; redaction happens in the logger and the notifier gets only the category text.
    assert.equal(error.category, 'badRequest');
  });

  it('honours Retry-After in seconds and as a date', () => {
    assert.equal(parseRetryAfter('7', context.now), 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', context.now), 30_000);
    assert.equal(parseRetryAfter('soon', context.now), undefined);
    const limited = classifyError({ ...http(429, 'limit_requests'), retryAfter: '7' }, context);
    assert.equal(backoffMs(limited, 5), 7000);
  });

  it('backs off exponentially for transient errors, fixed for the rest', () => {
    const server = classifyError(http(500, 'internal_error'), context);
    assert.deepEqual([0, 1, 2, 3].map((n) => backoffMs(server, n)), [2000, 4000, 8000, 16000]);
    assert.ok(backoffMs(server, 50) <= 5 * 60_000);
    const auth = classifyError(http(401, 'invalid_api_key'), context);
    assert.equal(backoffMs(auth, 0), backoffMs(auth, 5));
    assert.equal(backoffMs(classifyError(http(400, 'data_inspection_failed'), context), 3), 0);
  });
});
