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
import { dedent, linesOf, parseCursor } from '../helpers/cursor';

const pad = (n: number) => String(n).padStart(3, '0');

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

  it('fills the budget exactly: a line that fits to the last character is kept, one more character is not', () => {
    const lastTwo = '    print(os.getcwd())\n    return sy';
    assert.equal(extractPrefix(source.lines, source.position, lastTwo.length).text, lastTwo);
    assert.equal(extractPrefix(source.lines, source.position, lastTwo.length - 1).text, '    return sy');
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

  describe('cache-friendly start', () => {
    // 200 lines of 9 characters ('v000=000;'), 10 with the line break.
    const numbered = linesOf(Array.from({ length: 200 }, (_, i) => `v${pad(i)}=${pad(i)};`).join('\n'));

    it('starts on the same anchor line while the user types on, so the prompt start stays byte-identical', () => {
      // At a budget of 400 the first line that fits moves from 110 to 112 over these positions; the
      // window keeps starting at line 112, the multiple of 8 that still keeps three quarters of it.
      const starts = new Set<number>();
      for (const line of [150, 151]) {
        for (let character = 0; character <= 9; character++) {
          const prefix = extractPrefix(numbered, { line, character }, 400);
          starts.add(prefix.startLine);
          assert.ok(prefix.text.startsWith(numbered.lineAt(prefix.startLine) + '\n'), prefix.text.slice(0, 20));
          assert.ok(prefix.text.length <= 400 && prefix.text.length >= 300, `${prefix.text.length} characters`);
        }
      }
      assert.deepEqual([...starts], [112]);
    });

    it('prefers a multiple of 32 when it keeps three quarters of the budget', () => {
      // At a budget of 1000 from line 150 the first line that fits is 51; line 64 keeps 864 characters.
      const prefix = extractPrefix(numbered, { line: 150, character: 4 }, 1000);
      assert.equal(prefix.startLine, 64);
      assert.ok(prefix.text.startsWith('v064=064;\n'));
    });

    it('keeps a coarse anchor that leaves exactly three quarters of the budget', () => {
      // From the start of line 94, line 64 begins a window of 30 lines of 10 characters: 300 of 400.
      assert.equal(extractPrefix(numbered, { line: 94, character: 0 }, 400).startLine, 64);
      // One line up, line 64 would leave 290, too little: the next multiple of 8 is taken.
      assert.equal(extractPrefix(numbered, { line: 93, character: 0 }, 400).startLine, 56);
    });

    it("starts at the cursor's own line when that line is an anchor and fills most of the budget", () => {
      const lines = Array.from({ length: 65 }, (_, i) => `v${pad(i)}=${pad(i)};`);
      lines[64] = 'x'.repeat(350);
      const prefix = extractPrefix(linesOf(lines.join('\n')), { line: 64, character: 350 }, 400);
      assert.equal(prefix.startLine, 64);
      assert.equal(prefix.text, 'x'.repeat(350));
    });
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

  it('cuts the suffix at a line boundary, filling its budget exactly', () => {
    const after = parseCursor('x = f(█a)\nreturn x\nprint(x)');
    const twoLines = 'a)\nreturn x';
    assert.equal(extractSuffix(after.lines, after.position, twoLines.length), twoLines);
    assert.equal(extractSuffix(after.lines, after.position, twoLines.length - 1), 'a)');
    // The cursor's own line is always whole.
    assert.equal(extractSuffix(after.lines, after.position, 1), 'a)');
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

  it('tells the model that the assistant message is the file cut at the cursor, to continue with code only', () => {
    // The three parts of the instruction: what the partial message is, what to do, what never to add.
    assert.match(SYSTEM_INSTRUCTION, /code completion engine\. The assistant message is the beginning of a source file/);
    assert.match(SYSTEM_INSTRUCTION, /Continue it exactly where it stops: output only the text that comes next/);
    assert.match(SYSTEM_INSTRUCTION, /no explanation, no markdown fences, and without repeating what is already written/);
  });

  it('puts the text after the cursor in the user message, labelled, with the prefix still last', () => {
    const [, user, assistant] = buildMessages('python', 'app.py', 'def f(', 'x):\n    return x');
    assert.ok(user.content.startsWith('Complete the python file "app.py" at the end of the text. Add nothing else.\n\n'));
    assert.match(user.content, /this text already follows the cursor in the file\. Do not write it again/);
    assert.ok(user.content.endsWith('\n<after_cursor>\nx):\n    return x\n</after_cursor>'));
    assert.deepEqual(assistant, { role: 'assistant', content: 'def f(', partial: true });
    // Nothing but whitespace after the cursor: no context block at all.
    assert.equal(buildMessages('python', 'app.py', 'def f(', '\n  \n')[1].content, buildMessages('python', 'app.py', 'def f(')[1].content);
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
    for (const model of ['qwen-plus', 'qwen-flash', 'qwen-turbo', 'qwen3-max', 'qwen3-8b', 'qwen3-1.7b', 'qwen3-235b-a22b', 'qwen-plus-2025-07-28', 'Qwen3-32B', 'Qwen/Qwen3-8B']) {
      assert.equal(isHybridThinkingModel(model), true, model);
      assert.equal(buildRequestBody(model, [], 1, 0).enable_thinking, false, model);
    }
    // A coder model is never hybrid, even one named after a hybrid base (a fine-tune such as qwen3-8b-coder).
    for (const model of ['qwen3-coder-plus', 'qwen3-coder-flash', 'qwen3-coder-30b-a3b-instruct', 'qwen-max', 'qwen2.5-coder-32b-instruct', 'qwen3-8b-coder', 'my-qwen-plus', 'Qwen/Qwen3-Coder-30B-A3B-Instruct']) {
      assert.equal(isHybridThinkingModel(model), false, model);
      assert.equal('enable_thinking' in buildRequestBody(model, [], 1, 0), false, model);
    }
  });
});
