import * as assert from 'node:assert/strict';
import { BracketCloseRule, type SuffixCloses } from '../../src/core/block/bracketClose';
import { IndentationRule } from '../../src/core/block/indentation';
import type { Dialect } from '../../src/core/block/languages';
import { Lexer } from '../../src/core/block/lexer';
import { NextLineRule } from '../../src/core/block/nextLine';
import { scanBlock, type BlockEnd, type BlockRule, type ScanPoint } from '../../src/core/block/scanner';
import { TopLevelRule } from '../../src/core/block/topLevel';
import { CURSOR } from '../helpers/cursor';

const open = (safe: number): BlockEnd => ({ ended: false, safe });
const endsAt = (at: number, trim = true): BlockEnd => ({ ended: true, at, trim });

/** Scans `text` written at the cursor of `marked` (a document up to its cursor marker) with `rules`. */
function scan(dialect: Dialect, marked: string, text: string, ...rules: BlockRule[]): BlockEnd {
  const prefix = marked.slice(0, marked.indexOf(CURSOR));
  const lexer = new Lexer(dialect);
  for (let i = 0; i < prefix.length; ) i = lexer.advance(prefix, i);
  return scanBlock(text, lexer, prefix.slice(prefix.lastIndexOf('\n') + 1), rules);
}

/** A rule that writes down what the scanner tells it, and decides nothing. */
class Recorder implements BlockRule {
  readonly events: string[] = [];
  lineContent(at: number, point: ScanPoint): undefined {
    this.events.push(`content ${at} line ${point.lineIndex}@${point.lineStart} ${JSON.stringify(point.lineBefore(at))}`);
  }
  bracketClosed(closerAt: number, after: number, depth: number): undefined {
    this.events.push(`closed ${closerAt}-${after} to ${depth}`);
  }
  lineEnd(at: number, point: ScanPoint): undefined {
    this.events.push(`end ${at} line ${point.lineIndex}@${point.lineStart} depth ${point.lexer.depth}`);
  }
}

/** A rule that decides at one event. */
function decider(event: keyof BlockRule, at: number, decision: BlockEnd): BlockRule {
  return { [event]: (where: number) => (where === at ? decision : undefined) };
}

describe('block scanner', () => {
  it('tells rules of each line’s first content, closed brackets and line ends, in order', () => {
    const recorder = new Recorder();
    assert.deepEqual(scan('js', `  f(${CURSOR}`, 'a)\n  \n\t{ x }\n', recorder), open(13));
    assert.deepEqual(recorder.events, [
      'content 0 line 0@0 "  f("',
      'closed 1-2 to 0',
      'end 2 line 0@0 depth 0',
      'end 5 line 1@3 depth 0',
      'content 7 line 2@6 "\\t"',
      'closed 11-12 to 0',
      'end 12 line 2@6 depth 0',
    ]);
  });

  it('sees the first token of a line in strings and comments, and only the first', () => {
    const recorder = new Recorder();
    scan('js', CURSOR, '`\n  a b`\n  // c d\n', recorder);
    assert.deepEqual(
      recorder.events.filter((event) => event.startsWith('content')),
      ['content 0 line 0@0 ""', 'content 4 line 1@2 "  "', 'content 11 line 2@9 "  "'],
    );
  });

  it('follows the lexer’s tokens: an escaped line break is no line end; a here-document’s delimiter goes with the line break before it', () => {
    const escaped = new Recorder();
    scan('python', CURSOR, "'a\\\nb'\n", escaped);
    assert.deepEqual(escaped.events, ['content 0 line 0@0 ""', 'end 6 line 0@0 depth 0']);
    const heredoc = new Recorder();
    scan('shell', CURSOR, 'cat <<EOF\nx\nEOF\ny', heredoc);
    assert.deepEqual(heredoc.events, [
      'content 0 line 0@0 ""',
      'end 9 line 0@0 depth 0',
      'content 10 line 1@10 ""',
      'end 11 line 1@10 depth 0',
      'end 15 line 2@15 depth 0',
      'content 16 line 3@16 ""',
    ]);
  });

  it('stops at the first rule that decides, whatever the event', () => {
    const text = 'a(\n)\nb';
    assert.deepEqual(scan('js', CURSOR, text, decider('lineEnd', 4, endsAt(1)), decider('lineEnd', 4, endsAt(2))), endsAt(1));
    assert.deepEqual(scan('js', CURSOR, text, decider('lineEnd', 2, open(0)), decider('lineEnd', 4, endsAt(2))), open(0));
    assert.deepEqual(scan('js', CURSOR, text, decider('lineContent', 5, endsAt(3, false))), endsAt(3, false));
    assert.deepEqual(scan('js', CURSOR, text, decider('bracketClosed', 3, endsAt(4))), endsAt(4));
    // A decision on a line's first token stands, even when that token closes a bracket.
    assert.deepEqual(scan('js', CURSOR, text, decider('lineContent', 3, endsAt(2))), endsAt(2));
  });

  it('with nothing decided, shows what the first rule holding text back allows, else everything', () => {
    const holds = (safe: number | undefined): BlockRule => ({ heldBack: () => safe });
    assert.deepEqual(scan('js', CURSOR, 'abc', holds(undefined), holds(2), holds(1)), open(2));
    assert.deepEqual(scan('js', CURSOR, 'abc', holds(undefined)), open(3));
    assert.deepEqual(scan('js', CURSOR, 'abc'), open(3));
  });
});

describe('block rule: bracket close', () => {
  const inIf = `function f() {\n  if (x) {\n    ${CURSOR}`;
  const rule = (suffixCloses: SuffixCloses = 'no', depth = 2) => new BracketCloseRule(depth, suffixCloses);

  it('without the closer in the document: ends after the closer’s line, held back until that line is complete', () => {
    assert.deepEqual(scan('js', inIf, 'a();\n  }', rule()), open(8));
    assert.deepEqual(scan('js', inIf, 'a();\n  } // done', rule()), open(8));
    assert.deepEqual(scan('js', inIf, 'a();\n  } // done\n', rule()), endsAt(16));
    assert.deepEqual(scan('js', inIf, 'a();\n  }\n  return 1;\n}', rule()), endsAt(8));
  });

  it('ignores closers of brackets opened by the continuation', () => {
    assert.deepEqual(scan('js', inIf, 'if (y) { z(); }\n', rule()), open(16));
    assert.deepEqual(scan('js', inIf, 'g(\n);\n', rule()), open(6));
  });

  it('ends at a closer that closes the enclosing bracket and more', () => {
    assert.deepEqual(scan('js', inIf, 'a();\n}\n', rule()), endsAt(6));
    assert.deepEqual(scan('js', `f(a, ${CURSOR}`, 'b)\n', rule('no', 1)), endsAt(2));
  });

  it('cuts a closer line that reopens (`} else {`) just after the closer', () => {
    assert.deepEqual(scan('js', inIf, 'a();\n  } else {', rule()), open(8));
    assert.deepEqual(scan('js', inIf, 'a();\n  } else {\n    b();', rule()), endsAt(8));
  });

  it('cuts `}).catch(() => {` after `})`, where the line is shallowest', () => {
    const text = 'a();\n}).catch(() => {\n  b();\n});';
    assert.deepEqual(scan('js', `p.then(() => {\n  ${CURSOR}`, text, rule('no')), endsAt(7));
    // A line that ends less deep than the cursor was is kept whole.
    assert.deepEqual(scan('js', `p.then(() => {\n  ${CURSOR}`, 'a();\n}).x(\n', rule('no')), endsAt(10));
    // A later closer on that line that goes no lower leaves the cut where it is.
    assert.deepEqual(scan('js', `f(g(() => {\n  ${CURSOR}`, 'a();\n}), h(), g(() => {\n', rule('no', 3)), endsAt(7));
  });

  it('with the closer on a later line of the document: stops before the line of the model’s closer', () => {
    assert.deepEqual(scan('js', inIf, 'a();\n  }\n', rule('laterLine')), endsAt(5));
    assert.deepEqual(scan('js', inIf, 'a();\n\t}', rule('laterLine')), endsAt(5));
    // A closer after code on its line: cut just before it.
    assert.deepEqual(scan('js', inIf, 'a(); }', rule('laterLine')), endsAt(5));
    assert.deepEqual(scan('js', inIf, 'a();\n  b(); }', rule('laterLine')), endsAt(12));
  });

  it('with the closer on the cursor’s line: stops just before the model’s closer, keeping the whitespace', () => {
    const text = '\n  return 1;\n}';
    assert.deepEqual(scan('js', `f() {${CURSOR}`, text, rule('sameLine', 1)), endsAt(text.indexOf('}'), false));
  });

  it('holds nothing back and decides nothing while the block is open', () => {
    assert.deepEqual(scan('js', inIf, 'a();\n  b();\n', rule()), open(12));
  });
});

describe('block rule: indentation', () => {
  const ifBody = `def f(x):\n    if x:\n        ${CURSOR}`;
  const rule = (blockIndent: number | undefined, tabSize = 4) => new IndentationRule(blockIndent, tabSize);

  it('ends before the first code line indented less than the block', () => {
    assert.deepEqual(scan('python', ifBody, 'return 1\n    e', rule(8)), endsAt(9));
    assert.deepEqual(scan('python', ifBody, 'return 1\n\n    else:\n', rule(8)), endsAt(10));
    const deeper = 'return 1\n        x\n           y\n        z\n';
    assert.deepEqual(scan('python', ifBody, deeper, rule(8)), open(deeper.length));
    assert.deepEqual(scan('python', ifBody, 'return 1\n       x', rule(8)), endsAt(9));
  });

  it('counts tabs to the next tab stop', () => {
    assert.deepEqual(scan('python', ifBody, 'return 1\n\tx\n', rule(8, 8)), open(12));
    assert.deepEqual(scan('python', ifBody, 'return 1\n\tx\n', rule(8, 4)), endsAt(9));
  });

  it('lets the first code line set the level when the cursor line is blank', () => {
    assert.deepEqual(scan('python', `def f():\n${CURSOR}`, '    x = 1\n    return x\ndef g():', rule(undefined)), endsAt(23));
    // The cursor's line counts: `x` is at column 4, `return` at column 2.
    assert.deepEqual(scan('python', `def f():\n  ${CURSOR}`, '  x = 1\n  return x\n', rule(undefined)), endsAt(8));
    assert.deepEqual(scan('python', `def f():\n    ${CURSOR}`, 'x = 1\n  y\n', rule(undefined)), endsAt(6));
  });

  it('on the first line, sets nothing but the level and ends nothing', () => {
    assert.deepEqual(scan('python', `x = [${CURSOR}`, ']\ny\n', rule(8)), endsAt(2));
    assert.deepEqual(scan('python', `${CURSOR}`, 'a\nb\n', rule(4)), endsAt(2));
  });

  it('does not count lines in brackets, strings or comments', () => {
    const text = 'x = [\n1,\n]\n# note\n        s = """\n:)\n"""\n        return x\n';
    assert.deepEqual(scan('python', ifBody, text, rule(8)), open(text.length));
    const yaml = 'b: [\nc]\n  # x\n# y\n  d: 1\ne:';
    assert.deepEqual(scan('yaml', `a:\n  ${CURSOR}`, yaml, rule(2)), endsAt(yaml.indexOf('e:')));
  });

  describe('at the top level', () => {
    it('ends before a statement at column 0 after a construct spanning lines', () => {
      const def = 'import os\n\ndef f():\n    pass\n\ndef g():\n';
      assert.deepEqual(scan('python', CURSOR, def, rule(0)), endsAt(def.indexOf('def g')));
      const dict = 'X = {\n    "a": 1,\n}\nY = 2\n';
      assert.deepEqual(scan('python', CURSOR, dict, rule(0)), endsAt(dict.indexOf('Y')));
      assert.deepEqual(scan('python', CURSOR, 'X = f(\n1)\nY = 2\n', rule(0)), endsAt(10));
    });

    it('goes on over one-line statements and lines at the block’s own level', () => {
      const text = 'import os\nimport re\nX = 1\n';
      assert.deepEqual(scan('python', CURSOR, text, rule(0)), open(text.length));
      assert.deepEqual(scan('python', CURSOR, 'a\n  b\nc\n', rule(2)), endsAt(6));
    });

    it('keeps a decorator with the definition below it, however many lines its arguments take', () => {
      const decorated = '@d(\n    1,\n)\ndef f():\n    pass\nZ = 1\n';
      assert.deepEqual(scan('python', CURSOR, decorated, rule(0)), endsAt(decorated.indexOf('Z')));
      const twice = '@a\n@b(\n  1)\ndef f():\n    pass\nZ = 1\n';
      assert.deepEqual(scan('python', CURSOR, twice, rule(0)), endsAt(twice.indexOf('Z')));
      // After a decorated definition, the next decorator starts the next one.
      const next = 'def f():\n    pass\n@d\ndef g():\n';
      assert.deepEqual(scan('python', CURSOR, next, rule(0)), endsAt(next.indexOf('@d')));
      // Only a decorator at the top level holds the next top-level line: a nested one does not.
      const nested = 'class A:\n    x = 1\n    @d\nZ = 1\n';
      assert.deepEqual(scan('python', CURSOR, nested, rule(0)), endsAt(nested.indexOf('Z')));
    });
  });
});

describe('block rule: top level', () => {
  const rule = (arrowBody = false, tabSize = 4) => new TopLevelRule(arrowBody, tabSize);

  it('ends after the first construct spanning lines, deciding when the next line starts', () => {
    const text = 'type T struct {\n\tX int\n}\n\nfunc f() {}\n';
    const after = text.indexOf('}') + 1;
    assert.deepEqual(scan('go', CURSOR, text.slice(0, after), rule()), open(after));
    assert.deepEqual(scan('go', CURSOR, text.slice(0, after + 2), rule()), open(after));
    assert.deepEqual(scan('go', CURSOR, text, rule()), endsAt(after));
  });

  it('does not end at one-line statements', () => {
    const text = 'const a = f(1);\nconst b = [2];\nc({});\n';
    assert.deepEqual(scan('js', CURSOR, text, rule()), open(text.length));
  });

  it('goes on into a deeper line or an Allman brace', () => {
    const allman = 'int f(int a,\n      int b)\n{\n    return a + b;\n}\nint g;\n';
    assert.deepEqual(scan('c', CURSOR, allman, rule()), endsAt(allman.lastIndexOf('}') + 1));
    const prototype = 'int f(int a,\n      int b);\nint g(void);\n';
    assert.deepEqual(scan('c', CURSOR, prototype, rule()), endsAt(prototype.indexOf(';') + 1));
    const chain = 'app.use(\n  cors(),\n)\n  .listen(3000);\nrun();\n';
    assert.deepEqual(scan('js', CURSOR, chain, rule()), endsAt(chain.indexOf(';') + 1));
    // Measured from the first line written, tabs to the next stop.
    const tabs = '  f(\n  )\n\t.g();\n  h();\n';
    assert.deepEqual(scan('js', CURSOR, tabs, rule(false, 4)), endsAt(tabs.indexOf(';') + 1));
    assert.deepEqual(scan('js', CURSOR, tabs, rule(false, 2)), endsAt(8));
  });

  it('measures the first line with the cursor’s line, whose indentation counts', () => {
    const text = 'f(\n  )\n  .g();\n';
    assert.deepEqual(scan('js', `  ${CURSOR}`, text, rule()), endsAt(6));
    assert.deepEqual(scan('js', `${CURSOR}`, text, rule()), open(text.length - 1));
  });

  it('ends a construct closed with } before a { on the next line (a second JSON object)', () => {
    const objects = '{\n  "a": 1\n}\n{\n  "b": 2\n}\n';
    assert.deepEqual(scan('c', CURSOR, objects, rule()), endsAt(objects.indexOf('}') + 1));
    const call = 'f(\n  1\n)\n{\n}\n';
    assert.deepEqual(scan('c', CURSOR, call, rule()), open(call.lastIndexOf('}') + 1));
  });

  it('goes on into Rust’s where clause, holding back while the next line may still become `where`', () => {
    const where = 'fn f<T>(\n    x: T,\n) -> T\nwhere\n    T: Clone,\n{\n    x\n}\nfn g() {}\n';
    assert.deepEqual(scan('rust', CURSOR, where, rule()), endsAt(where.indexOf('}\nfn g') + 1));
    const head = 'fn f<T>(\n    x: T,\n) -> T\n';
    for (const partial of ['w', 'wh', 'wher']) assert.deepEqual(scan('rust', CURSOR, head + partial, rule()), open(head.length - 1), partial);
    assert.deepEqual(scan('rust', CURSOR, `${head}where T: Clone {\n}\n`, rule()), open(`${head}where T: Clone {\n}`.length));
    assert.deepEqual(scan('rust', CURSOR, `${head}wx`, rule()), endsAt(head.length - 1));
    assert.deepEqual(scan('rust', CURSOR, `${head}whereas`, rule()), endsAt(head.length - 1));
    assert.deepEqual(scan('rust', CURSOR, `${head}wh\n`, rule()), endsAt(head.length - 1));
  });

  it('ends a construct only where the line closing it ends at the top level', () => {
    // `}).then(() => {` reopens: the construct goes on to the next closing line.
    const text = 'p(() => {\n  a();\n}).then(() => {\n  b();\n});\nc();\n';
    assert.deepEqual(scan('js', CURSOR, text, rule()), endsAt(text.indexOf('c();') - 1));
    // Past the reopening line, nothing is held back.
    const reopened = text.slice(0, text.indexOf('  b();'));
    assert.deepEqual(scan('js', CURSOR, reopened, rule()), open(reopened.length));
  });

  it('holds back the rest of the line after the closer that ends a construct, until that line ends', () => {
    assert.deepEqual(scan('js', CURSOR, 'f(\n  1\n), g()', rule()), open(8));
    assert.deepEqual(scan('js', CURSOR, 'f(\n  1\n), g();\nh();', rule()), endsAt(14));
  });

  it('after `=>`, ends after the arrow’s body even when it fits on one line', () => {
    const arrow = `const f = () =>${CURSOR}`;
    assert.deepEqual(scan('js', arrow, ' 1;\nconst g = 2;\n', rule(true)), endsAt(3));
    assert.deepEqual(scan('js', arrow, ' 1;', rule(true)), open(3));
    // The body ends with its own line, not after the blank lines below it.
    assert.deepEqual(scan('js', arrow, ' 1;\n\n\nconst g = 2;\n', rule(true)), endsAt(3));
    assert.deepEqual(scan('js', arrow, '\n  a +\n    b;\nc;\n', rule(true)), endsAt(13));
    // A blank first line, an open bracket or a string are not the end of the body.
    assert.deepEqual(scan('js', arrow, '\n\n  1;\nc;\n', rule(true)), endsAt(6));
    assert.deepEqual(scan('js', arrow, ' f(\n  1);\nc;\n', rule(true)), endsAt(9));
    assert.deepEqual(scan('js', arrow, ' `\n`;\nc;\n', rule(true)), endsAt(5));
    assert.deepEqual(scan('js', arrow, ' 1;\nconst g = 2;\n', rule(false)), open(17));
  });
});

describe('block rule: the line below the cursor', () => {
  const rule = (nextLine = '  return x;', tabSize = 4) => new NextLineRule(nextLine, tabSize);
  const body = `function f() {\n  ${CURSOR}`;

  it('stops before a line that repeats it, holding back a line that may become it', () => {
    assert.deepEqual(scan('js', body, 'let x = 1;\n  ret', rule()), open(11));
    assert.deepEqual(scan('js', body, 'let x = 1;\n  return x;', rule()), open(11));
    assert.deepEqual(scan('js', body, 'let x = 1;\n  return x;  \n', rule()), endsAt(11));
    assert.deepEqual(scan('js', body, 'let x = 1;\n\n  return x;\n', rule()), endsAt(12));
  });

  it('lets a line go once it differs, and compares indentation exactly', () => {
    assert.deepEqual(scan('js', body, 'let x = 1;\n  return y', rule()), open(21));
    assert.deepEqual(scan('js', body, 'let x = 1;\n    return x;\n', rule()), open(25));
    assert.deepEqual(scan('js', body, 'let x = 1;\n return x;\n', rule()), open(22));
    assert.deepEqual(scan('js', body, 'let x = 1;\n  return x;;\n', rule()), open(24));
    // Blank or unindented partial lines are not held back for it.
    assert.deepEqual(scan('js', body, 'let x = 1;\n  ', rule()), open(13));
    assert.deepEqual(scan('js', body, 'let x = 1;\nr', rule()), open(12));
  });

  it('never takes the first line, which continues the cursor’s line', () => {
    assert.deepEqual(scan('js', body, 'return x;\n', rule('return x;')), open(10));
    assert.deepEqual(scan('js', body, 'return x;', rule('return x;')), open(9));
  });

  it('neither takes nor holds back a line of a string that goes on past it (a docstring, a here-document)', () => {
    const doc = `def f():\n    ${CURSOR}`;
    assert.deepEqual(scan('python', doc, '"""Doc.\n    return x', rule('    return x')), open(20));
    assert.deepEqual(scan('python', doc, '"""Doc.\n    return x\n"""\n', rule('    return x')), open(25));
    // Once the string is closed, the line counts again.
    assert.deepEqual(scan('python', doc, '"""Doc."""\n    ret', rule('    return x')), open(11));
  });

  it('compares indentation by columns: a model writing spaces meets a tab-indented line', () => {
    const tabs = `func f() int {\n\t${CURSOR}`;
    assert.deepEqual(scan('go', tabs, 'x++\n    ret', rule('\treturn x')), open(4));
    assert.deepEqual(scan('go', tabs, 'x++\n    return x\n', rule('\treturn x')), endsAt(4));
    assert.deepEqual(scan('go', tabs, 'x++\n  return x\n', rule('\treturn x', 2)), endsAt(4));
    assert.deepEqual(scan('go', tabs, 'x++\n\treturn x\n', rule('    return x')), endsAt(4));
  });
});
