// The pure helpers of the VS Code adapters of project context (src/context/files.ts).
import * as assert from 'assert';
import { isUnder, languageIdOfPath, lineBreaksIn, normalizeLineEndings, relativePathSegments } from '../../../src/context/files';

describe('context adapters: file helpers', () => {
  it('languageIdOfPath: by extension, case-insensitive; plaintext when unknown or without one', () => {
    assert.strictEqual(languageIdOfPath('src/inventory.ts'), 'typescript');
    assert.strictEqual(languageIdOfPath('src/App.TSX'), 'typescriptreact');
    assert.strictEqual(languageIdOfPath('pkg/mod.py'), 'python');
    assert.strictEqual(languageIdOfPath('a.b/c.go'), 'go');
    assert.strictEqual(languageIdOfPath('include/vec.h'), 'c');
    assert.strictEqual(languageIdOfPath('Makefile'), 'plaintext');
    assert.strictEqual(languageIdOfPath('dir.ts/README'), 'plaintext', 'the folder’s dot is not the file’s');
    assert.strictEqual(languageIdOfPath('.env'), 'plaintext', 'a dot file has no extension');
    assert.strictEqual(languageIdOfPath('notes.unknownext'), 'plaintext');
  });

  it('normalizeLineEndings: CRLF and lone CR become LF; LF text is returned as is', () => {
    assert.strictEqual(normalizeLineEndings('a\r\nb\rc\n'), 'a\nb\nc\n');
    const lf = 'a\nb\n';
    assert.strictEqual(normalizeLineEndings(lf), lf);
  });

  it('relativePathSegments: workspace-relative paths only; nothing that can leave the folder', () => {
    assert.deepStrictEqual(relativePathSegments(''), []);
    assert.deepStrictEqual(relativePathSegments('src/a.ts'), ['src', 'a.ts']);
    assert.deepStrictEqual(relativePathSegments('./src//a.ts'), ['src', 'a.ts']);
    assert.deepStrictEqual(relativePathSegments('src\\a.ts'), ['src', 'a.ts']);
    assert.strictEqual(relativePathSegments('../secrets/.env'), undefined);
    assert.strictEqual(relativePathSegments('src/../../x'), undefined);
    assert.strictEqual(relativePathSegments('/etc/passwd'), undefined);
    assert.strictEqual(relativePathSegments('C:/Users/x'), undefined);
    assert.strictEqual(relativePathSegments('c:x'), undefined);
  });

  it('lineBreaksIn: counts \\n (a CRLF break is one)', () => {
    assert.strictEqual(lineBreaksIn(''), 0);
    assert.strictEqual(lineBreaksIn('x'), 0);
    assert.strictEqual(lineBreaksIn('\n'), 1);
    assert.strictEqual(lineBreaksIn('a\r\nb\nc'), 2);
  });

  it('isUnder: the path itself or below it, never a sibling sharing a prefix', () => {
    assert.strictEqual(isUnder('src/a.ts', 'src'), true);
    assert.strictEqual(isUnder('src', 'src'), true);
    assert.strictEqual(isUnder('src2/a.ts', 'src'), false);
    assert.strictEqual(isUnder('a.ts', 'src'), false);
  });
});
