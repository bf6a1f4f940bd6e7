import * as assert from 'node:assert/strict';
import { SuggestionCache, typeThrough, type PromptKey } from '../../src/core/suggestionCache';

const key = (prefix: string, suffix = '', model = 'qwen3-coder-plus'): PromptKey => ({ model, prefix, suffix });
const text = (insertText: string, replaceLength = 0) => ({ insertText, replaceLength });

describe('suggestion cache: exact lookups', () => {
  it('finds a stored suggestion, and a stored "nothing here", by model, prefix and suffix', () => {
    const cache = new SuggestionCache(4);
    cache.store(key('x = '), text('f()'));
    cache.store(key('y = '), undefined);
    assert.deepEqual(cache.lookup(key('x = '), '\n'), { suggestion: text('f()') });
    assert.deepEqual(cache.lookup(key('y = '), '\n'), { suggestion: undefined }, 'known: the model had nothing');
    assert.equal(cache.lookup(key('x = ', ')'), '\n'), undefined, 'other text after the cursor');
    assert.equal(cache.lookup(key('x = ', '', 'qwen3-coder-flash'), '\n'), undefined, 'another model');
  });

  it('storing a prompt again replaces its suggestion without growing the cache', () => {
    const cache = new SuggestionCache(4);
    cache.store(key('x = '), text('f()'));
    cache.store(key('x = '), text('g()'));
    assert.equal(cache.size, 1);
    assert.deepEqual(cache.lookup(key('x = f'), '\n'), undefined, 'the old suggestion is not typed through');
    assert.deepEqual(cache.lookup(key('x = g'), '\n'), { suggestion: text('()') });
  });

  it('a capacity of 0 keeps nothing', () => {
    const cache = new SuggestionCache(0);
    cache.store(key('x = '), text('f()'));
    assert.equal(cache.size, 0);
    assert.equal(cache.lookup(key('x = '), '\n'), undefined);
  });

  it('clear forgets every entry, for exact and typed-through lookups', () => {
    const cache = new SuggestionCache(4);
    cache.store(key('x = '), text('f()'));
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(cache.lookup(key('x = '), '\n'), undefined);
    assert.equal(cache.lookup(key('x = f'), '\n'), undefined);
  });
});

describe('suggestion cache: typing through a suggestion', () => {
  it('serves the rest of a suggestion only for the same model and the same text after the cursor', () => {
    const cache = new SuggestionCache(4);
    cache.store(key('total = ', 'foo()'), text('sum(xs)'));
    assert.deepEqual(cache.lookup(key('total = su', 'foo()'), '\n'), { suggestion: text('m(xs)') });
    // Written for `foo()` after the cursor: with `bar()` there instead, the model must be asked.
    assert.equal(cache.lookup(key('total = su', 'bar()'), '\n'), undefined);
    assert.equal(cache.lookup(key('total = su', 'foo()', 'qwen3-coder-flash'), '\n'), undefined);
  });

  it('serves it only when the earlier prefix is where the user typed from', () => {
    const cache = new SuggestionCache(4);
    cache.store(key('total = ', ''), text('sum(xs)'));
    assert.equal(cache.lookup(key('other = su'), '\n'), undefined, 'same length, another line');
  });

  it('skips a stored "nothing here" and finds a suggestion further back', () => {
    const cache = new SuggestionCache(4);
    cache.store(key('x = '), text('compute(a)'));
    cache.store(key('x = c'), undefined);
    cache.store(key('x = co'), text('nst'));
    assert.deepEqual(cache.lookup(key('x = com'), '\n'), { suggestion: text('pute(a)') }, 'x = co wrote "nst", x = c nothing');
  });

  it('walks back at most 64 typed characters', () => {
    const MAX_TYPED_THROUGH = 64;
    const cache = new SuggestionCache(4);
    cache.store(key(''), text('y'.repeat(MAX_TYPED_THROUGH + 1) + 'z'));
    assert.deepEqual(cache.lookup(key('y'.repeat(MAX_TYPED_THROUGH)), '\n'), { suggestion: text('yz') });
    assert.equal(cache.lookup(key('y'.repeat(MAX_TYPED_THROUGH + 1)), '\n'), undefined);
  });

  it('a typed-through hit counts as a use: it outlives entries stored after it', () => {
    const cache = new SuggestionCache(2);
    cache.store(key('a = '), text('one()'));
    cache.store(key('b = '), text('two()'));
    assert.ok(cache.lookup(key('a = o'), '\n'));
    cache.store(key('c = '), text('three()'));
    assert.ok(cache.lookup(key('a = '), '\n'), 'used most recently');
    assert.equal(cache.lookup(key('b = '), '\n'), undefined, 'least recently used: dropped');
  });

  it('dropping an entry also drops it from the typed-through index', () => {
    const cache = new SuggestionCache(1);
    cache.store(key('a = '), text('one()'));
    cache.store(key('b = '), text('two()'));
    assert.equal(cache.lookup(key('a = o'), '\n'), undefined);
    assert.deepEqual(cache.lookup(key('b = t'), '\n'), { suggestion: text('wo()') });
  });

  it('an entry replaced at the same prefix length leaves the other entries of that length findable', () => {
    const cache = new SuggestionCache(4);
    cache.store(key('a = '), text('one()'));
    cache.store(key('b = '), text('two()'));
    cache.store(key('a = '), text('uno()'));
    assert.deepEqual(cache.lookup(key('b = t'), '\n'), { suggestion: text('wo()') });
    assert.deepEqual(cache.lookup(key('a = u'), '\n'), { suggestion: text('no()') });
  });
});

describe('typeThrough', () => {
  it('returns the suggestion itself when nothing was typed', () => {
    const suggestion = text('f()', 1);
    assert.equal(typeThrough(suggestion, '', '\n'), suggestion);
  });

  it('types through line breaks in the document line endings, and not past a different character', () => {
    assert.deepEqual(typeThrough(text('a\r\n  b'), 'a\n ', '\r\n'), text(' b'));
    assert.equal(typeThrough(text('a\n  b'), 'a\n', '\r\n'), undefined, 'a CRLF document: the suggestion has CRLF');
    assert.equal(typeThrough(text('abc'), 'x', '\n'), undefined);
  });

  it('nothing visible left is no suggestion', () => {
    assert.equal(typeThrough(text('ab  '), 'ab', '\n'), undefined);
    assert.deepEqual(typeThrough(text('ab c'), 'ab', '\n'), text(' c'));
  });
});
