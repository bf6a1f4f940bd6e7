import * as assert from 'node:assert/strict';
import { promptAt } from '../../src/core/cursorPrompt';
import { extractPrefix } from '../../src/core/prompt';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { requestFor } from './helpers/harness';

const at = (marked: string) => promptAt(requestFor(marked), DEFAULT_SETTINGS, extractPrefix);

describe('cursor prompt', () => {
  it('gives the debounce the cursor line up to the cursor, not the lines above', () => {
    assert.equal(at('def f(a):\n    return a█\n').cursorLine, '    return a');
    assert.equal(at('x = █').cursorLine, 'x = ');
    assert.equal(at('x = 1\n█').cursorLine, '');
  });

  it('fits at a line end and before a closer, not in front of a word, on the last line too', () => {
    assert.equal(at('x = █\ny').fits, true);
    assert.equal(at('f(█)').fits, true);
    assert.equal(at('x = █y\n').fits, false);
    assert.equal(at('x = █y').fits, false);
  });
});
