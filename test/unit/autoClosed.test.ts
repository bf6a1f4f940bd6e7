import * as assert from 'node:assert/strict';
import { isSuggestionSpot, overAutoClosed } from '../../src/core/cleanup/autoClosed';

/** How many leading characters of `closers` the one-line `completion` writes itself (Tab re-appends the rest). */
function coveredSuffixLength(completion: string, closers: string): number {
  return closers.length - (overAutoClosed(completion, closers).text.length - completion.length);
}

describe('auto-closed characters', () => {
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

  it("every quote kind is a string: single quotes and backticks hold brackets as text too", () => {
    assert.equal(coveredSuffixLength("a (b', c)", "')"), 2);
    assert.equal(coveredSuffixLength('a (b`, c)', '`)'), 2);
    assert.equal(coveredSuffixLength("f(')')", ')'), 0, "a ')' inside a string the completion opened closes nothing");
  });

  it('each closer pops only its own opener: ] after [, } after {', () => {
    assert.equal(coveredSuffixLength('a[0])', ')'), 1);
    assert.equal(coveredSuffixLength('{ a: 1 })', ')'), 1);
    assert.equal(coveredSuffixLength('a[0})', ')'), 0, 'a } does not close a [');
    assert.equal(coveredSuffixLength('{ a)', ')'), 0, 'a ) inside an open { is not the closer');
    assert.equal(coveredSuffixLength('[ a)', ')'), 0, 'a ) inside an open [ is not the closer');
  });

  it('a closer covers only the next one: the completion cannot skip past a closer it does not write', () => {
    assert.equal(coveredSuffixLength('a]', ')]'), 0);
    assert.equal(coveredSuffixLength('a: 1)', '})'), 0);
  });

  it('a quote written over an auto-closed one covers it and opens no string', () => {
    assert.equal(coveredSuffixLength('a)")', ')")'), 3);
  });

  it("spaces among the closers are the document's: a space the completion writes covers none of them", () => {
    assert.deepEqual(overAutoClosed('2, 3', ' };'), { text: '2, 3 };', replaceLength: 3 }, 'the space before } stays');
    assert.deepEqual(overAutoClosed('2, 3 };', ' };'), { text: '2, 3 };', replaceLength: 3 });
    assert.deepEqual(overAutoClosed('0};', ' };'), { text: '0};', replaceLength: 3 }, 'a closer reached past the spaces covers them');
  });

  it('only suggests mid-line before closers and punctuation', () => {
    for (const suffix of ['', '   ', ')', '")', '});', ']]', "'", ':']) assert.equal(isSuggestionSpot(suffix), true, suffix);
    for (const suffix of ['foo)', ' + b', 'bar', '=1']) assert.equal(isSuggestionSpot(suffix), false, suffix);
  });

  it('a one-line suggestion replaces the auto-closed characters and gets back those it does not write', () => {
    assert.deepEqual(overAutoClosed('a, b', ');  '), { text: 'a, b);', replaceLength: 2 }, 'trailing spaces stay in the document');
    assert.deepEqual(overAutoClosed('a, b)', ');'), { text: 'a, b);', replaceLength: 2 });
    assert.deepEqual(overAutoClosed('x = 1', '   '), { text: 'x = 1', replaceLength: 0 }, 'no closers: nothing replaced');
    assert.deepEqual(overAutoClosed('\n    return 1;\n', '}'), { text: '\n    return 1;\n', replaceLength: 0 }, 'several lines leave the closers alone');
  });
});
