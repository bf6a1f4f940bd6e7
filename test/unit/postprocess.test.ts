import * as assert from 'node:assert/strict';
import {
  coveredSuffixLength,
  isSuggestionSpot,
  matchIndentation,
  stripModelNoise,
  toSuggestion,
} from '../../src/core/postprocess';

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

  it('only suggests mid-line before closers and punctuation', () => {
    for (const suffix of ['', '   ', ')', '")', '});', ']]', "'", ':']) assert.equal(isSuggestionSpot(suffix), true, suffix);
    for (const suffix of ['foo)', ' + b', 'bar', '=1']) assert.equal(isSuggestionSpot(suffix), false, suffix);
  });

  it('uses the document line ending for every inserted line', () => {
    const suggestion = toSuggestion('a\n    b', { lineSuffix: '', multiline: true, maxLines: 5, eol: '\r\n', indent: { useTabs: false, size: 4 } });
    assert.deepEqual(suggestion, { insertText: 'a\r\n    b', replaceLength: 0 });
  });

  it('drops empty results and keeps one line mid-line', () => {
    const context = { lineSuffix: ')', multiline: false, maxLines: 5, eol: '\n' as const, indent: { useTabs: false, size: 4 } };
    assert.equal(toSuggestion('\nfoo', context), undefined);
    assert.equal(toSuggestion('  \n \t', { ...context, multiline: true, lineSuffix: '' }), undefined);
    assert.deepEqual(toSuggestion('x)\ny', context), { insertText: 'x)', replaceLength: 1 });
  });
});
