import * as assert from 'node:assert/strict';
import {
  cleanModelOutput,
  coveredSuffixLength,
  indentUnit,
  isSuggestionSpot,
  matchIndentation,
  removeEcho,
  repetitionCut,
  rescaleIndentation,
} from '../../src/core/postprocess';

const stripModelNoise = (raw: string) => cleanModelOutput(raw).text;

describe('postprocess', () => {
  it('strips an opening fence with a language and ends at the closing fence', () => {
    assert.equal(stripModelNoise('```python\nx = 1\ny = 2\n```\nexplanation'), 'x = 1\ny = 2');
    assert.equal(stripModelNoise('x = 1\n```'), 'x = 1');
  });

  it('strips closed and unclosed <think> blocks', () => {
    assert.equal(stripModelNoise('<think>a\nb</think>\nvalue'), 'value');
    assert.equal(stripModelNoise('<think>still thinking'), '');
  });

  it('converts indentation both ways', () => {
    assert.equal(matchIndentation('a\n    b\n        c', { useTabs: true, size: 4 }), 'a\n\tb\n\t\tc');
    assert.equal(matchIndentation('a\n\tb\n\t\tc', { useTabs: false, size: 2 }), 'a\n  b\n    c');
    // The first line continues the cursor's line: its leading text is never touched.
    assert.equal(matchIndentation('    x', { useTabs: true, size: 4 }), '    x');
  });

  it('counts which auto-closed characters the completion writes itself', () => {
    assert.equal(coveredSuffixLength('a)', ')'), 1);
    assert.equal(coveredSuffixLength('f(a), g(b)', ')'), 0);
    assert.equal(coveredSuffixLength('a)]', ')]'), 2);
    assert.equal(coveredSuffixLength('a)', ')]'), 1);
    assert.equal(coveredSuffixLength('x", y)', '")'), 2);
    assert.equal(coveredSuffixLength('say \\"hi\\"")', '")'), 2);
    assert.equal(coveredSuffixLength('"inner")', ')'), 1);
  });

  it("inside the cursor's string, brackets are text up to its closing quote, even unbalanced ones", () => {
    assert.equal(coveredSuffixLength('[", end="")', '")'), 2);
    assert.equal(coveredSuffixLength('opened (", n)', '")'), 2);
    assert.equal(coveredSuffixLength('a \\" (b', '")'), 0, 'an escaped quote does not close it');
  });

  it('only suggests mid-line before closers and punctuation', () => {
    for (const suffix of ['', '   ', ')', '")', '});', ']]', "'", ':']) assert.equal(isSuggestionSpot(suffix), true, suffix);
    for (const suffix of ['foo)', ' + b', 'bar', '=1']) assert.equal(isSuggestionSpot(suffix), false, suffix);
  });

  describe('echo of the lines before the cursor', () => {
    const echo = (text: string, cursorLine: string, linesAbove: string[] = [], final = true) =>
      removeEcho(text, { cursorLine, linesAbove, tabSize: 4 }, final);

    it('drops a restarted cursor line, with or without its indentation', () => {
      assert.equal(echo('    return a + b', '    return '), 'a + b');
      assert.equal(echo('return a + b', '    return'), ' a + b');
      assert.equal(echo('total = sum(xs)', 'total = '), 'sum(xs)');
    });

    it('keeps a continuation that only looks like the line, and short lines', () => {
      assert.equal(echo('x + 1', 'x = '), 'x + 1');
      assert.equal(echo('i = 0', 'i = '), 'i = 0', 'too short to call an echo');
      assert.equal(echo('(a, b)', 'print'), '(a, b)');
    });

    it('drops lines above a blank cursor line that the model writes again, and re-bases the next line', () => {
      assert.equal(echo('def add(a, b):\n    return a + b', '    ', ['def add(a, b):']), 'return a + b');
      assert.equal(echo('x = load()\ny = x * 2\nprint(y)', '', ['x = load()', 'y = x * 2']), 'print(y)');
      assert.equal(echo('}', '', ['    }']), '}', 'a closer is not an echo');
    });

    it('waits while the text so far may still be an echo', () => {
      assert.equal(echo('    ret', '    return ', [], false), undefined);
      assert.equal(echo('def add(a', '    ', ['def add(a, b):'], false), undefined);
      assert.equal(echo('def add(a, b):', '    ', ['def add(a, b):'], false), undefined);
      assert.equal(echo('result = ', '    ', ['def add(a, b):'], false), 'result = ');
    });
  });

  describe('repetition loops', () => {
    it('keeps the first copy of lines repeated three times', () => {
      const text = 'a = 1\nlog(a)\nlog(a)\nlog(a)\nlog(a)';
      assert.equal(text.slice(0, repetitionCut(text, true)), 'a = 1\nlog(a)');
      const pairs = 'x()\ny()\nx()\ny()\nx()\ny()\n';
      assert.equal(pairs.slice(0, repetitionCut(pairs, false)), 'x()\ny()');
    });

    it('drops a line that repeats a short piece over and over', () => {
      const text = 'ok = 1\nvalue = f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(x';
      assert.equal(text.slice(0, repetitionCut(text, false)), 'ok = 1\n');
    });

    it('three blocks that share only their closing line are not a loop', () => {
      const checks = 'if (a) {\n    x();\n}\nif (b) {\n    y();\n}\nif (c) {\n    z();\n}\nreturn;';
      assert.equal(repetitionCut(checks, true), -1);
    });

    it('leaves rulers, closers and ordinary code alone', () => {
      for (const text of ['# ' + '='.repeat(70), '}\n}\n}', 'a\nb\na\nb', 'zeros = [0, 0, 0, 0, 0, 0, 0, 0]', 'x\nx'])
        assert.equal(repetitionCut(text, true), -1, text);
    });
  });

  describe('indentation unit', () => {
    it('reads the most common indentation step, ignoring one-column alignment', () => {
      assert.equal(indentUnit(['a {', '  b {', '    c', '  }', '}'], 4), 2);
      assert.equal(indentUnit(['/**', ' * doc', ' */', 'f() {', '    x', '}'], 4), 4);
      assert.equal(indentUnit(['\tif x {', '\t\ty', '\t}'], 4), 4);
      assert.equal(indentUnit(['a', 'b'], 4), undefined);
    });

    it("rewrites the model's steps in the document's unit", () => {
      assert.equal(rescaleIndentation('\n    if (x) {\n        y();\n    }', 0, 2, 4), '\n  if (x) {\n    y();\n  }');
      // Relative to the cursor's line (`    if x:` at column 4), one 2-column step becomes one 4-column step.
      assert.equal(rescaleIndentation('\n      y = 1\n      z = 2', 4, 4, 4), '\n        y = 1\n        z = 2');
      // Alignment that is not a whole number of steps is left alone.
      assert.equal(rescaleIndentation('f(a,\n     b)\n    c', 0, 2, 4), 'f(a,\n     b)\n    c');
    });
  });
});
