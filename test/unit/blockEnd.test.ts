import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { blockAtCursor, dialectOf, findBlockEnd, keepCloserOnOwnLine, type BlockAtCursor, type BlockEnd, type Dialect } from '../../src/core/blockEnd';
import { cleanModelOutput } from '../../src/core/postprocess';
import { CURSOR, dedent, parseCursor } from '../helpers/cursor';
import { readTextFixtures } from './helpers/fixtures';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/block');

/** The block context for a document written with one cursor marker. */
function contextAt(dialect: Dialect, marked: string, tabSize = 4): BlockAtCursor {
  const { text, offset } = parseCursor(marked);
  return blockAtCursor(dialect, text.slice(0, offset), text.slice(offset), tabSize);
}

function end(dialect: Dialect, marked: string, text: string, final = false, tabSize = 4): BlockEnd {
  return findBlockEnd(text, contextAt(dialect, marked, tabSize), final);
}

const open = (safe: number): BlockEnd => ({ ended: false, safe });
const endsAt = (at: number, trim = true): BlockEnd => ({ ended: true, at, trim });

describe('blockEnd: blockAtCursor', () => {
  it('sees a closer the editor put after the cursor on the same line', () => {
    assert.equal(contextAt('js', 'function f() {█}').suffixCloses, 'sameLine');
    assert.equal(contextAt('js', 'f(a, █)').suffixCloses, 'sameLine');
    assert.equal(contextAt('js', 'foo({█});').suffixCloses, 'sameLine');
    assert.equal(contextAt('python', 'xs = [1, █]').suffixCloses, 'sameLine');
    assert.equal(contextAt('js', 'const o = { █ };').suffixCloses, 'sameLine');
  });

  it('sees a closer on a later line, past blank lines and comments', () => {
    assert.equal(contextAt('js', 'function f() {\n  █\n}').suffixCloses, 'laterLine');
    assert.equal(contextAt('js', 'function f() {\n  █\n\n  // done {\n}').suffixCloses, 'laterLine');
    assert.equal(contextAt('go', 'func f() {\n\tif x {\n\t\t█\n\t}\n}').suffixCloses, 'laterLine');
  });

  it('sees no closer when code, the end of the file, or no open bracket follows', () => {
    assert.equal(contextAt('js', 'function f() {\n  █\n  return 1;\n}').suffixCloses, 'no');
    assert.equal(contextAt('js', 'function f() {\n  █').suffixCloses, 'no');
    assert.equal(contextAt('js', 'const a = 1;\n█\n}').suffixCloses, 'no');
    assert.equal(contextAt('js', 'f("a █")').suffixCloses, 'no');
  });

  it('keeps the lexer state and the text of the cursor line', () => {
    const context = contextAt('js', 'x\n  foo({ a: █');
    assert.deepEqual(context.start.stack, ['(', '{']);
    assert.equal(context.cursorLine, '  foo({ a: ');
    assert.equal(context.dialect, 'js');
  });

  it('takes the Python block level from a non-blank cursor line, deeper after a header', () => {
    assert.equal(contextAt('python', 'def f():\n    █').blockIndent, undefined);
    assert.equal(contextAt('python', 'def f():\n    x = 1█').blockIndent, 4);
    assert.equal(contextAt('python', 'def f():\n    if x:█').blockIndent, 5);
    assert.equal(contextAt('python', 'def f():\n    if x:  # why not█').blockIndent, 5);
    assert.equal(contextAt('python', 'def f():\n\tif x:█', 4).blockIndent, 5);
    assert.equal(contextAt('python', 'def f():█').blockIndent, 1);
  });

  it('does not take a colon in a comment or a string for a header', () => {
    assert.equal(contextAt('python', 'def f():\n    # Steps:█').blockIndent, 4);
    assert.equal(contextAt('python', 'def f():\n    x = 1  # note:█').blockIndent, 4);
    assert.equal(contextAt('python', 'def f():\n    s = "a:█').blockIndent, 4);
    // The comment starts at the first #: a colon before a second one is still comment.
    assert.equal(contextAt('python', 'def f():\n    # Steps: # see below█').blockIndent, 4);
    // Only a colon that ends the line opens a block (a slice is no header).
    assert.equal(contextAt('python', 'def f():\n    y = x[1:2]█').blockIndent, 4);
  });

  it('in YAML, lets the first line written set the level after a key that opens a block', () => {
    assert.equal(contextAt('yaml', 'services:\n  web:█').blockIndent, undefined);
    assert.equal(contextAt('yaml', 'services:\n  web: x█').blockIndent, 2);
  });

  it('remembers the first non-blank line below the cursor line, without trailing whitespace', () => {
    assert.equal(contextAt('js', 'a\n█ rest of line\n\n  b();  \nc').nextLine, '  b();');
    assert.equal(contextAt('js', 'f(█)\n\ng()').nextLine, 'g()');
    assert.equal(contextAt('js', 'a\n█\n\n').nextLine, undefined);
    // A line of spaces is blank too.
    assert.equal(contextAt('js', 'a\n█\n    \n  b();').nextLine, '  b();');
  });
});

describe('blockEnd: findBlockEnd inside brackets', () => {
  const laterLine = 'function f() {\n  █\n}';

  it('with the closer already below: stops before the line of the model’s closer', () => {
    assert.deepEqual(end('js', laterLine, 'return 1;\n'), open(10));
    assert.deepEqual(end('js', laterLine, 'if (x) {\n    y();\n  }\n  z();'), open(28));
    assert.deepEqual(end('js', laterLine, 'return 1;\n}'), endsAt(10));
    assert.deepEqual(end('js', laterLine, 'return 1;\n}\n\nfunction g() {'), endsAt(10));
    // A closer after code on its line: cut just before it.
    assert.deepEqual(end('js', laterLine, 'return 1; }'), endsAt(10));
  });

  it('with the closer on the cursor line: stops at the model’s closer, keeping its indentation', () => {
    const text = '\n    return 1;\n  }\n';
    assert.deepEqual(end('js', 'class A {\n  f() {█}\n}', text), endsAt(text.indexOf('}'), false));
    assert.deepEqual(end('python', 'print(█)', '"a", "b")\nx = 1'), endsAt(8, false));
  });

  it('without a closer: ends after the closer’s line, which is held back until it is complete', () => {
    const context = 'function f() {\n  if (x) {\n    █';
    assert.deepEqual(end('js', context, 'a();\n  }'), open(8));
    assert.deepEqual(end('js', context, 'a();\n  } // done'), open(8));
    assert.deepEqual(end('js', context, 'a();\n  } // done\n'), endsAt(16));
    assert.deepEqual(end('js', context, 'a();\n  }\n  return 1;\n}'), endsAt(8));
  });

  it('cuts a closer line that reopens (`} else {`) just after the closer', () => {
    const context = 'function f() {\n  if (x) {\n    █';
    assert.deepEqual(end('js', context, 'a();\n  } else {'), open(8));
    assert.deepEqual(end('js', context, 'a();\n  } else {\n    b();'), endsAt(8));
  });

  it('cuts `}).catch(() => {` after `})`, where the line is shallowest', () => {
    const text = 'a();\n}).catch(() => {\n  b();\n});';
    assert.deepEqual(end('js', 'p.then(() => {\n  █', text), endsAt(7));
  });

  it('ignores closers in strings, comments and nested blocks of the continuation', () => {
    const text = 'const s = "}";\n  // }\n  /* } */\n  if (x) { y(); }\n  return s;\n';
    assert.deepEqual(end('js', 'function f() {\n  █', text), open(text.length));
  });

  it('with `final`, an unfinished last line counts as complete', () => {
    const context = 'function f() {\n  █';
    assert.deepEqual(end('js', context, 'return 1;\n}'), open(11));
    assert.deepEqual(end('js', context, 'return 1;\n}', true), endsAt(11));
    assert.deepEqual(end('js', context, 'return 1;', true), open(9));
  });

  it('in Rust, a brace in the char literal the cursor opened closes nothing', () => {
    const text = "}';\n    g(c);\n}\nfn h() {}\n";
    assert.deepEqual(end('rust', "fn f() {\n    let c = '█", text), endsAt(text.indexOf('\nfn h')));
  });

  it('follows the Python bracket rule inside an open call', () => {
    const text = '"--width",\n    type=int,\n)\nparser.add_argument("--height")';
    assert.deepEqual(end('python', 'parser.add_argument(\n    █', text), endsAt(text.indexOf(')') + 1));
    assert.deepEqual(end('python', 'parser.add_argument(\n    █\n)', text), endsAt(text.indexOf(')')));
  });
});

describe('blockEnd: findBlockEnd and the line below the cursor', () => {
  const context = 'function f() {\n  █\n  return x;\n}';

  it('stops before a line that repeats it, holding back a line that may become it', () => {
    assert.deepEqual(end('js', context, 'let x = 1;\n  ret'), open(11));
    assert.deepEqual(end('js', context, 'let x = 1;\n  return x;'), open(11));
    assert.deepEqual(end('js', context, 'let x = 1;\n  return x;\n'), endsAt(11));
    assert.deepEqual(end('js', context, 'let x = 1;\n  return x;', true), endsAt(11));
  });

  it('lets a line go once it differs, and compares indentation exactly', () => {
    assert.deepEqual(end('js', context, 'let x = 1;\n  return y'), open(21));
    assert.deepEqual(end('js', context, 'if (a) {\n    return x;\n'), open(23));
    // The first line continues the cursor's line: it is never the line below.
    assert.deepEqual(end('js', 'function f() {\n  █\n  return x;\n}', 'return x;\n'), open(10));
  });

  it('compares indentation by columns: a model writing spaces meets a tab-indented line', () => {
    const tabs = `func f() int {\n\tx := 1\n\t${CURSOR}\n\treturn x\n}`;
    assert.deepEqual(end('go', tabs, 'x++\n    ret'), open(4));
    assert.deepEqual(end('go', tabs, 'x++\n    return x\n'), endsAt(4));
  });
});

describe('blockEnd: findBlockEnd with the Python indentation rule', () => {
  const ifBody = dedent(`
    def f(x):
        if x:
            ${CURSOR}
  `);

  it('ends before the first code line indented less than the block (else:, except:)', () => {
    assert.deepEqual(end('python', ifBody, 'return 1\n    '), open(13));
    assert.deepEqual(end('python', ifBody, 'return 1\n    e'), endsAt(9));
    assert.deepEqual(end('python', ifBody, 'return 1\n\n    else:\n        return 2\n'), endsAt(10));
  });

  it('lets the first line set the level when the cursor line is blank', () => {
    assert.deepEqual(end('python', 'def f():\n    x = 1\n█', '    return x\ndef g():'), endsAt(13));
  });

  it('after a header, wants the body deeper than the header', () => {
    const header = dedent(`
      class A:
          def f(self):${CURSOR}
    `);
    const text = '\n        return 1\n\n    def g(self):\n';
    assert.deepEqual(end('python', header, text), endsAt(text.indexOf('    def g')));
  });

  it('is not fooled by comments, docstrings or bracketed lines at a lower indentation', () => {
    // A docstring that opens at the block's level may hold lines at any indentation.
    const text = 'return 1\n# note\n        s = """\n:)\n"""\n';
    assert.deepEqual(end('python', ifBody, text), open(text.length));
    const body = 'x = [\n1,\n]\n        return x\n';
    assert.deepEqual(end('python', ifBody, body), open(body.length));
  });

  it('at the top level, ends before the statement after the first construct spanning lines', () => {
    const def = 'import os\n\ndef f():\n    pass\n\ndef g():\n';
    assert.deepEqual(end('python', '█', def), endsAt(def.indexOf('def g')));
    const dict = 'X = {\n    "a": 1,\n}\nY = 2\n';
    assert.deepEqual(end('python', '█', dict), endsAt(dict.indexOf('Y')));
    const decorated = '@d(\n    1,\n)\ndef f():\n    pass\nZ = 1\n';
    assert.deepEqual(end('python', '█', decorated), endsAt(decorated.indexOf('Z')));
  });
});

describe('blockEnd: findBlockEnd at the top level', () => {
  it('after `=>` at the end of the cursor’s line, ends after the arrow’s body', () => {
    const body = ' 1;\nconst g = 2;\n';
    assert.deepEqual(end('js', 'const f = () =>█', body), endsAt(3));
    assert.deepEqual(end('js', 'const f = () =>  █', '1;\nconst g = 2;\n'), endsAt(2));
    // `=>` before the end of the line, or in a comment, is no arrow the cursor follows.
    assert.deepEqual(end('js', 'const f = (a) => a +█', body), open(body.length));
    assert.deepEqual(end('js', '// maps each x =>█', body), open(body.length));
  });

  it('ends after the first construct spanning lines, deciding when the next line starts', () => {
    const text = 'type T struct {\n\tX int\n}\n\nfunc f() {}\n';
    const after = text.indexOf('}') + 1;
    assert.deepEqual(end('go', 'package main\n\n█', text.slice(0, after)), open(after));
    assert.deepEqual(end('go', 'package main\n\n█', text.slice(0, after + 2)), open(after));
    assert.deepEqual(end('go', 'package main\n\n█', text), endsAt(after));
  });

  it('does not end at one-line statements', () => {
    const text = 'const a = f(1);\nconst b = [2];\n';
    assert.deepEqual(end('js', '█', text), open(text.length));
  });

  it('goes on into an Allman brace, a deeper line or Rust’s where clause', () => {
    const allman = 'int f(int a,\n      int b)\n{\n    return a + b;\n}\nint g;\n';
    assert.deepEqual(end('c', '█', allman), endsAt(allman.lastIndexOf('}') + 1));
    const prototype = 'int f(int a,\n      int b);\nint g(void);\n';
    assert.deepEqual(end('c', '█', prototype), endsAt(prototype.indexOf(';') + 1));
    const chain = 'app.use(\n  cors(),\n)\n  .listen(3000);\nrun();\n';
    assert.deepEqual(end('js', '█', chain), endsAt(chain.indexOf(';') + 1));
    const where = 'fn f<T>(\n    x: T,\n) -> T\nwhere\n    T: Clone,\n{\n    x\n}\nfn g() {}\n';
    assert.deepEqual(end('rust', '█', where), endsAt(where.indexOf('}\nfn g') + 1));
  });

  it('holds back while the next line may still become `where`', () => {
    const text = 'fn f<T>(\n    x: T,\n) -> T\nwh';
    assert.deepEqual(end('rust', '█', text), open(text.lastIndexOf('\n')));
    assert.deepEqual(end('rust', '█', text, true), endsAt(text.lastIndexOf('\n')));
  });
});

describe('blockEnd: keepCloserOnOwnLine', () => {
  const sameLine = contextAt('js', 'class A {\n  f() {█}\n}');

  it('puts the closer the document has on the cursor’s line back on its own line after a multi-line body', () => {
    assert.equal(keepCloserOnOwnLine('\n    return 1;', sameLine), '\n    return 1;\n  ');
  });

  it('leaves a one-line body, a body that already ends its line, and other cursors alone', () => {
    assert.equal(keepCloserOnOwnLine('return 1;', sameLine), 'return 1;');
    assert.equal(keepCloserOnOwnLine('\n    return 1;\n  ', sameLine), '\n    return 1;\n  ');
    assert.equal(keepCloserOnOwnLine('\n    return 1;\n', sameLine), '\n    return 1;\n');
    assert.equal(keepCloserOnOwnLine('\n    return 1;', contextAt('js', 'class A {\n  f() {\n    █\n  }\n}')), '\n    return 1;');
  });
});

describe('blockEnd: streaming every fixture one character at a time', () => {
  // Decisions look only backwards, so a longer stream never takes back what a shorter one showed:
  // once ended, the end stays put; before that, the visible text only grows.
  for (const fixture of readTextFixtures(FIXTURES)) {
    it(fixture.name, () => {
      const { text, offset } = parseCursor(fixture.section('document'));
      const [, size] = (fixture.options.indent ?? 'spaces 4').split(/\s+/);
      const context = blockAtCursor(dialectOf(fixture.options.language), text.slice(0, offset), text.slice(offset), Number(size));
      const model = cleanModelOutput(fixture.section('model')).text;
      let shown = '';
      let endedAt: number | undefined;
      for (let n = 1; n <= model.length; n++) {
        const result = findBlockEnd(model.slice(0, n), context, false);
        if (endedAt !== undefined) {
          assert.deepEqual(result.ended && result.at, endedAt, `${n} characters: the end moved`);
          continue;
        }
        const visible = model.slice(0, result.ended ? result.at : result.safe).replace(/\s+$/, '');
        assert.ok(visible.startsWith(shown), `${n} characters: ${JSON.stringify(visible)} does not extend ${JSON.stringify(shown)}`);
        shown = visible;
        if (result.ended) endedAt = result.at;
      }
    });
  }
});
