import * as assert from 'node:assert/strict';
import { redactingLogger, redactSecrets } from '../../src/core/logger';
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

  it('the wrapped logger never writes a key at any level', () => {
    const sink = recordingLogger();
    const { lines } = sink;
    const logger = redactingLogger(sink, () => ['my-secret-key']);
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) logger[level](`${level}: my-secret-key Bearer abc`);
    assert.equal(lines.length, 5);
    for (const line of lines) {
      assert.ok(!line.includes('my-secret-key'), line);
      assert.ok(!line.includes('Bearer abc'), line);
    }
  });
});
