import * as assert from 'node:assert/strict';
import type { TextLines } from '../../src/core/document';
import {
  buildMessages,
  buildRequestBody,
  extractPrefix,
  extractSuffix,
  isHybridThinkingModel,
  SYSTEM_INSTRUCTION,
} from '../../src/core/prompt';
import { dedent, parseCursor } from '../helpers/cursor';

describe('prompt: prefix and budget', () => {
  const source = parseCursor(
    dedent(`
      import os
      import sys

      def main():
          print(os.getcwd())
          return sy█s.argv
    `),
  );

  it('takes everything before the cursor when it fits, with \\n line endings', () => {
    const prefix = extractPrefix(source.lines, source.position, 10_000);
    assert.equal(prefix.text, 'import os\nimport sys\n\ndef main():\n    print(os.getcwd())\n    return sy');
    assert.equal(prefix.startLine, 0);
  });

  it('cuts at a line boundary when over budget, never inside a line', () => {
    // The last two lines are 23 + 1 + 13 = 37 characters; the budget does not reach the third.
    const prefix = extractPrefix(source.lines, source.position, 40);
    assert.equal(prefix.text, '    print(os.getcwd())\n    return sy');
    assert.equal(prefix.startLine, 4);
    assert.ok(prefix.text.length <= 40);
  });

  it('keeps the end of a single line longer than the budget', () => {
    const long = parseCursor('x = ' + 'a'.repeat(500) + '█');
    const prefix = extractPrefix(long.lines, long.position, 100);
    assert.equal(prefix.text, 'a'.repeat(100));
  });

  it('reads only the lines it keeps, not the whole document', () => {
    let reads = 0;
    const huge: TextLines = {
      lineCount: 1_000_000,
      lineAt: (line) => {
        reads++;
        return `line ${line} ${'x'.repeat(50)}`;
      },
    };
    const prefix = extractPrefix(huge, { line: 999_999, character: 10 }, 1000);
    assert.ok(reads < 25, `read ${reads} lines`);
    assert.ok(prefix.text.endsWith('line 99999'));
  });

  it('never cuts between the two halves of an emoji: prefix and suffix are well-formed Unicode', () => {
    // A long line of emoji (two UTF-16 units each): an odd budget would start the prefix on a low surrogate.
    const emoji = '😀'.repeat(3000);
    for (const budget of [201, 200, 999]) {
      const line = parseCursor(`s = "${emoji}█${emoji}"`);
      const prefix = extractPrefix(line.lines, line.position, budget).text;
      assert.ok(!/^[\uDC00-\uDFFF]/.test(prefix) && !/[\uD800-\uDBFF]$/.test(prefix), `prefix at a budget of ${budget}`);
      assert.ok(prefix.length >= budget - 1 && prefix.endsWith('😀'));
    }
    // A cursor placed between the halves (an API call can do that) sends neither half.
    const split: TextLines = { lineCount: 1, lineAt: () => 'x = 😀 + 1' };
    const position = { line: 0, character: 5 };
    assert.equal(extractPrefix(split, position, 1000).text, 'x = ');
    assert.equal(extractSuffix(split, position, 1000), ' + 1');
    const body = JSON.stringify(buildRequestBody('m', buildMessages('python', 'a.py', extractPrefix(split, position, 1000).text, extractSuffix(split, position, 1000)), 8, 0));
    assert.ok(!/\\ud[89a-f][0-9a-f]{2}/i.test(body), 'no lone surrogate escapes in the JSON sent');
  });

  it('handles CRLF documents: the prompt has no \\r', () => {
    const crlf = parseCursor('a = 1\r\nb = 2\r\nc = █');
    assert.equal(extractPrefix(crlf.lines, crlf.position, 1000).text, 'a = 1\nb = 2\nc = ');
  });
});

describe('prompt: messages and request body', () => {
  it('ends with the prefix as a partial assistant message after a stable instruction', () => {
    const messages = buildMessages('python', 'app.py', 'def f(');
    assert.deepEqual(messages, [
      { role: 'system', content: SYSTEM_INSTRUCTION },
      { role: 'user', content: 'Complete the python file "app.py" at the end of the text. Add nothing else.' },
      { role: 'assistant', content: 'def f(', partial: true },
    ]);
  });

  it('keeps every message but the last byte-identical as the prefix grows (cache-friendly)', () => {
    const a = buildMessages('typescript', 'x.ts', 'const a');
    const b = buildMessages('typescript', 'x.ts', 'const ab');
    assert.deepEqual(a.slice(0, -1), b.slice(0, -1));
  });

  it('streams with usage, caps max_tokens, and sends no thinking flag to qwen3-coder', () => {
    const body = buildRequestBody('qwen3-coder-plus', buildMessages('go', 'm.go', 'x'), 64, 0.1);
    assert.deepEqual(Object.keys(body).sort(), ['max_tokens', 'messages', 'model', 'stream', 'stream_options', 'temperature']);
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_tokens, 64);
  });

  it('sends enable_thinking: false only to hybrid models', () => {
    for (const model of ['qwen-plus', 'qwen-flash', 'qwen-turbo', 'qwen3-max', 'qwen3-8b', 'qwen3-235b-a22b', 'qwen-plus-2025-07-28']) {
      assert.equal(isHybridThinkingModel(model), true, model);
      assert.equal(buildRequestBody(model, [], 1, 0).enable_thinking, false, model);
    }
    for (const model of ['qwen3-coder-plus', 'qwen3-coder-flash', 'qwen3-coder-30b-a3b-instruct', 'qwen-max', 'qwen2.5-coder-32b-instruct']) {
      assert.equal(isHybridThinkingModel(model), false, model);
      assert.equal('enable_thinking' in buildRequestBody(model, [], 1, 0), false, model);
    }
  });
});
