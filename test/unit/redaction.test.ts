import * as assert from 'node:assert/strict';
import { redactingLogger } from '../../src/core/logger';
import { Redactor, redactSecrets } from '../../src/core/redaction';
import { recordingLogger } from './helpers/recordingLogger';

describe('redaction', () => {
  it('masks the known key, bearer tokens and key-shaped strings', () => {
    const key = 'sk-0123456789abcdef';
    const line = `POST /chat/completions Authorization: Bearer ${key} body {"k":"${key}"} other sk-zzzzzzzzzz`;
    const redacted = redactSecrets(line, [key]);
    assert.ok(!redacted.includes(key));
    assert.ok(!redacted.includes('sk-zzzzzzzzzz'));
    assert.match(redacted, /Authorization: Bearer \[redacted\]/);
  });

  it('masks a key that does not look like sk-… when it is known', () => {
    assert.equal(redactSecrets('key=abcd1234efgh', ['abcd1234efgh']), 'key=[redacted]');
  });

  // What servers and proxies echo back in error bodies, and what a base URL can carry.
  const leaks: Array<[string, string, string]> = [
    ['a header echoed in a 400', 'Invalid header value: "Authorization: Bearer abc.def-ghi"', 'abc.def-ghi'],
    ['a JSON headers object', '{"headers":{"authorization":"Bearer tok_123456"}}', 'tok_123456'],
    ['basic auth', 'Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
    ['an api-key header', 'x-api-key: local-secret-99', 'local-secret-99'],
    ['an api_key field', '{"api_key": "vllm-key-777"}', 'vllm-key-777'],
    ['a key in the query', 'GET https://proxy.example/v1/chat?key=qk_555&x=1', 'qk_555'],
    ['credentials in a URL', 'client for https://alice:s3cr3t@proxy.example/v1', 's3cr3t'],
    ['a DashScope key in prose', 'your key sk-4f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c is invalid', '4f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c'],
  ];
  for (const [name, text, secret] of leaks) {
    it(`masks ${name}`, () => {
      const redacted = redactSecrets(text);
      assert.ok(!redacted.includes(secret), redacted);
      assert.ok(redacted.includes('[redacted]'), redacted);
    });
  }

  it('leaves ordinary messages alone', () => {
    const text = 'Cannot reach http://127.0.0.1:8787/compatible-mode/v1: ECONNREFUSED. Check qwenInline.baseUrl (the key is fine).';
    assert.equal(redactSecrets(text, ['abc']), text, 'a known secret shorter than 4 characters is not masked by value');
  });

  it('masks a longer known key whole even when a shorter known key is part of it', () => {
    assert.equal(redactSecrets('token=abcd-efgh-ijkl', ['abcd', 'abcd-efgh-ijkl']), 'token=[redacted]');
  });

  it('a Redactor reads the known keys at each call (a key set later is masked too)', () => {
    const known: string[] = [];
    const redactor = new Redactor(() => known);
    assert.equal(redactor.redact('value local-key-1'), 'value local-key-1');
    known.push('local-key-1');
    assert.equal(redactor.redact('value local-key-1'), 'value [redacted]');
  });

  it('the wrapped logger never writes a key at any level', () => {
    const sink = recordingLogger();
    const { lines } = sink;
    const logger = redactingLogger(sink, new Redactor(() => ['my-secret-key']));
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) logger[level](`${level}: my-secret-key Bearer abc`);
    assert.equal(lines.length, 5);
    for (const line of lines) {
      assert.ok(!line.includes('my-secret-key'), line);
      assert.ok(!line.includes('Bearer abc'), line);
    }
  });
});
