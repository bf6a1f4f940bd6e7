import * as assert from 'node:assert/strict';
import { removeEcho, repetitionCut } from '../../src/core/cleanup/repetition';

describe('echo and loops', () => {
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

    it('drops a restarted line from three word characters on, and every space the model puts before the rest', () => {
      assert.equal(echo('for x in xs:', 'for '), 'x in xs:');
      assert.equal(echo('    return  a + b', '    return '), 'a + b');
      assert.equal(echo('print(a, b)', 'print( '), 'a, b)', 'spaces inside the rest stay');
    });

    it('lines above a blank cursor line count as echoed from four word characters on, closers never', () => {
      assert.equal(echo('} else {\n    y();', '    ', ['} else {']), 'y();');
      assert.equal(echo('}\n});\nrun();', '', ['  }', '});']), '}\n});\nrun();');
    });

    it('while streaming, an echoed line is dropped as soon as the line break after it arrives', () => {
      assert.equal(echo('def add(a, b):\n    return a + b', '    ', ['def add(a, b):'], false), 'return a + b');
      assert.equal(echo('def add(a, b):', '    ', ['def add(a, b):'], false), undefined, 'no line break yet: it may still go on');
      assert.equal(echo('def add(a, b', '    ', ['def add(a, b):'], false), undefined);
    });

    it('a finished answer shorter than the lines above is no echo of them', () => {
      assert.equal(echo('if ready:', '', ['if ready:', '    start()']), 'if ready:');
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

    it('looks for groups of up to four lines', () => {
      const four = 'a()\nb()\nc()\nd()\n';
      assert.equal(four.repeat(3).slice(0, repetitionCut(four.repeat(3), true)), four.slice(0, -1));
      const five = 'a()\nb()\nc()\nd()\ne()\n';
      assert.equal(repetitionCut(five.repeat(3), true), -1, 'a loop of longer groups is left to the line limit');
    });

    it('groups of closers repeat in ordinary code', () => {
      assert.equal(repetitionCut('}\n});\n}\n});\n}\n});', true), -1);
    });

    it('leaves rulers, closers and ordinary code alone', () => {
      for (const text of ['# ' + '='.repeat(70), '}\n}\n}', 'a\nb\na\nb', 'zeros = [0, 0, 0, 0, 0, 0, 0, 0]', 'x\nx'])
        assert.equal(repetitionCut(text, true), -1, text);
    });
  });

});
