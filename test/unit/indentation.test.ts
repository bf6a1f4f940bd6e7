import * as assert from 'node:assert/strict';
import { indentUnit, matchIndentation, rescaleIndentation } from '../../src/core/indentation';

describe('indentation', () => {
  it('converts indentation both ways', () => {
    assert.equal(matchIndentation('a\n    b\n        c', { useTabs: true, size: 4 }), 'a\n\tb\n\t\tc');
    assert.equal(matchIndentation('a\n\tb\n\t\tc', { useTabs: false, size: 2 }), 'a\n  b\n    c');
    // The first line continues the cursor's line: its leading text is never touched.
    assert.equal(matchIndentation('    x', { useTabs: true, size: 4 }), '    x');
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
