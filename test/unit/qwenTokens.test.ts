import * as assert from 'node:assert/strict';
import { chunksOf, qwenTokenPieces } from '../helpers/qwenTokens';

describe('streaming splits used by the fixtures', () => {
  it('Qwen3 tokens split a Markdown fence from its language, as the real model streams it', () => {
    const pieces = qwenTokenPieces('```bash\nnpm ci\n```\n');
    assert.equal(pieces[0], '```');
    assert.equal(pieces[1], 'bash');
    assert.equal(pieces.join(''), '```bash\nnpm ci\n```\n');
  });

  it('Qwen3 tokens never split a character, even one that takes several tokens', () => {
    const text = '// 注释: 𝒳 → ✓ 😀\nconst café = "naïve";';
    const pieces = qwenTokenPieces(text);
    assert.equal(pieces.join(''), text);
    assert.ok(pieces.every((piece) => !piece.includes('\uFFFD')), JSON.stringify(pieces));
  });

  it('chunks count code points, so a surrogate pair stays whole', () => {
    assert.deepEqual(chunksOf(1)('a😀b'), ['a', '😀', 'b']);
    assert.deepEqual(chunksOf(2)('abcde'), ['ab', 'cd', 'e']);
  });
});
