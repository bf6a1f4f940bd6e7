import * as assert from 'node:assert/strict';
import { finishLines, indentUnit, matchIndentation, rebaseFirstLine, rescaleIndentation } from '../../src/core/indentation';

describe('indentation', () => {
  it('converts indentation both ways', () => {
    assert.equal(matchIndentation('a\n    b\n        c', { useTabs: true, size: 4 }), 'a\n\tb\n\t\tc');
    assert.equal(matchIndentation('a\n\tb\n\t\tc', { useTabs: false, size: 2 }), 'a\n  b\n    c');
    // The first line continues the cursor's line: its leading text is never touched.
    assert.equal(matchIndentation('    x', { useTabs: true, size: 4 }), '    x');
  });

  it('counts a tab after spaces as reaching the next tab stop, not a whole tab further', () => {
    // Two spaces then a tab is column 4 with tabs of 4: one level, in either style.
    assert.equal(matchIndentation('a\n  \tb', { useTabs: false, size: 4 }), 'a\n    b');
    assert.equal(matchIndentation('a\n  \tb', { useTabs: true, size: 4 }), 'a\n\tb');
  });

  describe('indentation unit', () => {
    it('reads the most common indentation step, ignoring one-column alignment', () => {
      assert.equal(indentUnit(['a {', '  b {', '    c', '  }', '}'], 4), 2);
      assert.equal(indentUnit(['/**', ' * doc', ' */', 'f() {', '    x', '}'], 4), 4);
      assert.equal(indentUnit(['\tif x {', '\t\ty', '\t}'], 4), 4);
      assert.equal(indentUnit(['a', 'b'], 4), undefined);
    });

    it('lets the more common step win over a rarer one, whichever comes first', () => {
      // A continuation aligned 5 columns in, then a 2-space block twice.
      assert.equal(indentUnit(['f(a,', '     b)', 'g {', '  x {', '    y', '  }', '}'], 4), 2);
      // The 2-space block first, then one deeper continuation.
      assert.equal(indentUnit(['g {', '  x {', '    y(a,', '        b)', '  }', '}'], 4), 2);
    });

    it('says nothing when two steps are as common (usage text beside code)', () => {
      assert.equal(indentUnit(['a:', '  b', 'c:', '    d'], 4), undefined);
      // A tie between rarer steps does not hide the most common one.
      assert.equal(indentUnit(['f(a,', '     b)', 'x:', '  y', 'p {', '    q', 'r {', '    s'], 4), 4);
    });

    it('skips blank lines, even ones holding stray spaces, instead of reading a step back to them', () => {
      // Read as lines at column 0 (or 2), the blank lines would add steps of 8 (or 6) as common as the 4.
      for (const blank of ['', '  ']) {
        const python = ['class A:', '    def m(self):', '        x = 1', blank, '        y = 2', blank, '        z = 3'];
        assert.equal(indentUnit(python, 4), 4, JSON.stringify(blank));
      }
    });

    it("rewrites the model's steps in the document's unit", () => {
      assert.equal(rescaleIndentation('\n    if (x) {\n        y();\n    }', 0, 2, 4), '\n  if (x) {\n    y();\n  }');
      // Relative to the cursor's line (`    if x:` at column 4), one 2-column step becomes one 4-column step.
      assert.equal(rescaleIndentation('\n      y = 1\n      z = 2', 4, 4, 4), '\n        y = 1\n        z = 2');
      // Alignment that is not a whole number of steps is left alone.
      assert.equal(rescaleIndentation('f(a,\n     b)\n    c', 0, 2, 4), 'f(a,\n     b)\n    c');
    });

    it('rescales a single new line below the cursor line too', () => {
      assert.equal(rescaleIndentation('\n    x', 0, 2, 4), '\n  x');
      assert.equal(rescaleIndentation('    x', 0, 2, 4), '    x');
    });

    it("counts the model's steps from the cursor line's column", () => {
      // Cursor line at column 2; the model steps by 3 (columns 5 and 8): one and two steps of the document's 2.
      assert.equal(rescaleIndentation('\n     x\n        y', 2, 2, 4), '\n    x\n      y');
    });

    it('leaves tab indentation as it is when the model already uses the document step', () => {
      assert.equal(rescaleIndentation('\n\tif x:\n\t\ty', 0, 4, 4), '\n\tif x:\n\t\ty');
    });

    it('leaves a blank line holding indentation as it is, and still rescales the lines around it', () => {
      // The kept indentation of a last line (before the document's closer) is not a step of the model's.
      assert.equal(rescaleIndentation('\n    if (x) {\n        y();\n    }\n   ', 0, 2, 4), '\n  if (x) {\n    y();\n  }\n   ');
    });
  });

  describe('first line and line ends', () => {
    it('drops from the first line the indentation a blank cursor line already has, spaces or tabs', () => {
      assert.equal(rebaseFirstLine('    return x', '    ', 4), 'return x');
      assert.equal(rebaseFirstLine('\treturn x', '\t', 4), 'return x');
      // Only as far as the cursor's column: deeper indentation is the model's own.
      assert.equal(rebaseFirstLine('      return x', '    ', 4), '  return x');
      // Text that starts at once is never eaten into.
      assert.equal(rebaseFirstLine('return x', '    ', 4), 'return x');
    });

    it('keeps the leading space of a suggestion on a line that has code', () => {
      assert.equal(rebaseFirstLine(' x', '    return', 4), ' x');
    });

    it('strips trailing whitespace from every line, and from the end only when asked', () => {
      assert.equal(finishLines('a  \n  b  ', true), 'a\n  b');
      assert.equal(finishLines('a  \n  b\n\n', true), 'a\n  b');
      // Not trimmed: the last line keeps its indentation (the document's closer follows it).
      assert.equal(finishLines('a  \n  b \n  ', false), 'a\n  b\n  ');
    });
  });
});
