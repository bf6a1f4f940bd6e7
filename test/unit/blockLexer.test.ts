import * as assert from 'node:assert/strict';
import { dialectOf, type Dialect } from '../../src/core/block/languages';
import { Lexer } from '../../src/core/block/lexer';

/** Runs a fresh lexer over the whole text. */
function lex(dialect: Dialect, text: string): Lexer {
  const lexer = new Lexer(dialect);
  for (let i = 0; i < text.length; ) i = lexer.advance(text, i);
  return lexer;
}

/** The open brackets after the text, innermost last ('${' for a template expression). */
function stackAfter(dialect: Dialect, text: string): string {
  return lex(dialect, text).state.stack.join(' ');
}

/** The indexes at which the lexer's tokens start. */
function tokenStarts(dialect: Dialect, text: string): number[] {
  const lexer = new Lexer(dialect);
  const starts: number[] = [];
  for (let i = 0; i < text.length; ) {
    starts.push(i);
    i = lexer.advance(text, i);
  }
  return starts;
}

describe('block lexer: languages', () => {
  it('maps each VS Code language to its family', () => {
    const families: Record<Dialect, string[]> = {
      python: ['python'],
      js: ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'vue', 'svelte'],
      go: ['go'],
      rust: ['rust'],
      c: ['c', 'cpp', 'cuda-cpp', 'objc', 'objcpp', 'java', 'csharp', 'kotlin', 'swift', 'scala', 'dart', 'php', 'groovy', 'css', 'scss', 'less', 'jsonc', 'json'],
      shell: ['shellscript'],
      yaml: ['yaml'],
      hash: ['ruby', 'perl', 'r', 'toml', 'makefile', 'dockerfile', 'powershell', 'elixir', 'julia'],
      markdown: ['markdown'],
      plain: ['plaintext', 'no-such-language'],
    };
    for (const [dialect, languages] of Object.entries(families)) {
      for (const language of languages) assert.equal(dialectOf(language), dialect, language);
    }
  });
});

describe('block lexer: brackets', () => {
  it('follows brackets and reports the depth a closer returns to', () => {
    assert.equal(stackAfter('js', 'foo({ a: [1, 2'), '( { [');
    const lexer = new Lexer('js');
    let i = 0;
    for (const expected of [undefined, undefined, 1, 0, undefined]) {
      i = lexer.advance('{[]}x', i);
      assert.equal(lexer.closedToDepth, expected, `after ${i} characters`);
    }
  });

  it('ignores a closer without its opener and lets one close the unclosed openers it skips', () => {
    assert.equal(stackAfter('c', '{ ]'), '{');
    assert.equal(stackAfter('c', '{ ( [ }'), '');
    assert.equal(stackAfter('c', ') } {'), '{');
    const lexer = new Lexer('c');
    lexer.advance(')', 0);
    assert.equal(lexer.closedToDepth, undefined);
  });

  it('follows brackets in every family, plain text and Markdown included', () => {
    for (const dialect of ['python', 'js', 'go', 'rust', 'c', 'shell', 'yaml', 'hash', 'markdown', 'plain'] as const) {
      assert.equal(stackAfter(dialect, 'a(b[c{d}e]'), '(', dialect);
    }
  });

  it('continues from a copied state without sharing it', () => {
    const first = lex('js', 'f({`');
    const saved = first.state;
    const second = new Lexer('js', saved);
    const rest = '${x}`})';
    for (let i = 0; i < rest.length; ) i = second.advance(rest, i);
    assert.equal(second.depth, 0);
    assert.deepEqual(saved.stack, ['(', '{']);
    assert.equal(first.depth, 2);
  });
});

describe('block lexer: comments', () => {
  it('skips brackets in // and /* */ comments (js, go, rust, c)', () => {
    for (const dialect of ['js', 'go', 'rust', 'c'] as const) {
      assert.equal(stackAfter(dialect, '{ // }\n /* }\n } */ x'), '{', dialect);
      assert.equal(lex(dialect, '{ /* } */').inCode, true, dialect);
    }
    // A lone slash is code: division.
    assert.equal(stackAfter('js', '{ a / (b) }'), '');
  });

  it('ends a line comment with its line, and a block comment at */ only', () => {
    assert.equal(stackAfter('js', '( // x\n)'), '');
    assert.equal(stackAfter('js', '( /* x\n) */ )'), '');
    assert.equal(stackAfter('js', '( /* * / ) */'), '(');
    assert.deepEqual(tokenStarts('js', '/* */x'), [0, 2, 3, 5]);
    assert.deepEqual(tokenStarts('js', '//x\ny'), [0, 1, 2, 3, 4]);
  });

  it('nests block comments in Rust only', () => {
    assert.equal(stackAfter('rust', '{ /* a /* b */ } */'), '{');
    assert.equal(lex('rust', '{ /* a /* b */ } */').inCode, true);
    assert.equal(lex('rust', '/* a /* b */').state.mode, 'blockComment');
    assert.equal(stackAfter('c', '{ /* a /* b */ } */'), '');
    assert.deepEqual(tokenStarts('rust', '/*/**/*/x'), [0, 2, 4, 6, 8]);
  });

  it('knows # comments for Python and the hash languages, anywhere on a line', () => {
    assert.equal(stackAfter('python', 'f(  # )\n'), '(');
    assert.equal(stackAfter('hash', '( # )'), '(');
    assert.equal(stackAfter('hash', '(a# )'), '(');
    assert.equal(lex('python', 'x = 1 # (').state.mode, 'lineComment');
    assert.equal(stackAfter('python', '( // )'), '');
  });

  it('in shell and YAML, starts a # comment only at the start of a word', () => {
    for (const dialect of ['shell', 'yaml'] as const) {
      assert.equal(stackAfter(dialect, '# )\n('), '(', dialect);
      assert.equal(stackAfter(dialect, '( # )'), '(', dialect);
      assert.equal(stackAfter(dialect, '(\t# )'), '(', dialect);
      assert.equal(stackAfter(dialect, '(;# )'), '(', dialect);
      assert.equal(stackAfter(dialect, '( a#b )'), '', dialect);
      assert.equal(stackAfter(dialect, '( $# )'), '', dialect);
    }
    const lexer = new Lexer('shell');
    assert.equal(lexer.startsComment('a #', 2), true);
    assert.equal(lexer.startsComment('a#', 1), false);
    assert.equal(lexer.startsComment('#', 0), true);
  });

  it('knows no comments in plain text and Markdown', () => {
    for (const dialect of ['plain', 'markdown'] as const) {
      assert.equal(stackAfter(dialect, '"(" // )'), '', dialect);
      assert.equal(stackAfter(dialect, "'{' # x"), '{', dialect);
      assert.equal(stackAfter(dialect, '( /* ) */'), '', dialect);
    }
  });
});

describe('block lexer: strings', () => {
  it('skips brackets in strings, escapes included (js, c)', () => {
    assert.equal(stackAfter('js', `{ "}" '}' x`), '{');
    assert.equal(stackAfter('c', `{ c == '}' || s == "}\\"}"`), '{');
    assert.equal(lex('c', '"a\\\\"').inCode, true);
    // A one-line string left open ends with its line.
    assert.equal(stackAfter('js', `{ "unterminated }\n}`), '');
    assert.equal(lex('js', '"a\nb').inCode, true);
  });

  it('reads "" and \'\' strings in every family with strings', () => {
    for (const dialect of ['python', 'js', 'go', 'c', 'shell', 'yaml', 'hash'] as const) {
      assert.equal(stackAfter(dialect, `( ")" ')' x`), '(', dialect);
      assert.equal(lex(dialect, '"x').state.mode, 'string', dialect);
      assert.equal(lex(dialect, "'x").state.mode, 'string', dialect);
      assert.equal(lex(dialect, `"\\"`).state.mode, 'string', dialect);
    }
  });

  it('enters code for ${...} in a template literal and goes back into the template after its }', () => {
    const lexer = lex('js', 'f(`a ${');
    assert.deepEqual(lexer.state.stack, ['(', '${']);
    assert.equal(lexer.inCode, true);
    assert.equal(stackAfter('js', 'f(`x ${ { y: `${z}` } } }`'), '(');
    assert.equal(lex('js', 'f(`x ${ { y: `${z}` } } }`').inCode, true);
    assert.equal(lex('js', '`${a}').state.mode, 'string');
    assert.equal(lex('js', '`${a}\n)').state.mode, 'string');
    assert.equal(lex('js', '`\\${a}').state.mode, 'string');
    // Braces in the template text are text.
    assert.equal(stackAfter('js', '{ `function ${name}() {\n  return 1;\n}` }'), '');
    // `${` outside a template and in other quotes is code and text.
    assert.equal(stackAfter('js', '{ "${" }'), '');
    assert.equal(stackAfter('go', '{ `${` }'), '');
  });

  it('handles Python triple quotes, one-line strings and # comments', () => {
    assert.equal(stackAfter('python', 'f(\n"""\n)\nx: ) """'), '(');
    assert.equal(stackAfter('python', "f(\n'''\n)\nx: ) '''"), '(');
    assert.equal(lex('python', 'x = """doc )').state.mode, 'string');
    assert.equal(lex('python', 'x = """a\\"""').state.mode, 'string');
    assert.equal(lex('python', 'x = """a""" (').inCode, true);
    assert.equal(stackAfter('python', "f('abc\n)"), '');
    assert.deepEqual(tokenStarts('python', "'''x"), [0, 3]);
  });

  it('handles Go raw strings (no escapes, several lines) and runes', () => {
    assert.equal(stackAfter('go', '{ s := `}\n\\` }'), '');
    assert.equal(stackAfter('go', "{ r := '}'"), '{');
  });

  it('handles Rust raw strings, byte strings, strings over lines, lifetimes and char literals', () => {
    assert.equal(stackAfter('rust', '{ let s = r#"a "quoted" }"#;'), '{');
    assert.equal(stackAfter('rust', '{ let s = r##"a "# }"##;'), '{');
    // No escapes in raw strings: the backslash is text, the quote closes.
    assert.equal(stackAfter('rust', '{ let s = br"\\"; }'), '');
    assert.equal(stackAfter('rust', '{ let s = r"\\"; }'), '');
    assert.equal(stackAfter('rust', '{ f(attr"\\"); }'), '{ (');
    assert.equal(lex('rust', 'r"a').state.mode, 'string');
    assert.equal(stackAfter('rust', '{ let s = "a\n}";'), '{');
    assert.equal(stackAfter('rust', "impl<'a> Foo<'a> { fn f(x: &'static str) {"), '{ {');
    assert.equal(stackAfter('rust', "{ let c = '}'; let q = '\\''; }"), '');
    assert.equal(stackAfter('rust', "{ let c = 'a'; let u = '\\u{7d}'; }"), '');
    assert.equal(stackAfter('rust', "{ 'outer: loop {"), '{ {');
    assert.equal(stackAfter('rust', "{ 'x'.to_string() }"), '');
    // A line break ends a char literal that has no closing quote.
    assert.equal(stackAfter('rust', "{ '\n'}"), '{');
    // Escapes in "" strings: an escaped quote does not close one.
    assert.equal(stackAfter('rust', '{ let s = "\\"{"; '), '{');
  });

  it('reads a Rust quote at the end of the text (the cursor just after it) as an open literal', () => {
    assert.equal(lex('rust', "let c = '").state.mode, 'string');
  });

  it("reads a Rust char literal whose closing quote has not streamed yet ('}) as a literal", () => {
    const lexer = lex('rust', "{ if c == '}");
    assert.deepEqual(lexer.state.stack, ['{']);
    assert.equal(lexer.state.mode, 'string');
  });

  it('handles C++ raw strings, with and without a delimiter', () => {
    assert.equal(stackAfter('c', '{ s = R"(int main() {\n})";'), '{');
    assert.equal(stackAfter('c', 'f(R"js(})")js")'), '');
    assert.equal(lex('c', 'R"0123456789abcdef(")0123456789abcdef"').inCode, true);
    // A quote inside ends a string, not a raw string.
    assert.equal(stackAfter('c', '{ s = R"(")"; }'), '');
    for (const prefix of ['u8', 'u', 'U', 'L']) assert.equal(stackAfter('c', `{ s = ${prefix}R"(")"; }`), '', prefix);
    // Not raw: a longer delimiter, one with a space or a backslash, or R ending a name.
    assert.equal(stackAfter('c', 'f(R"0123456789abcdefg(")'), '');
    assert.equal(stackAfter('c', 'f(R"a b(")'), '');
    assert.equal(stackAfter('c', 'f(R"a\\b(")'), '');
    assert.equal(stackAfter('c', '{ xR"(")"; }'), '{');
    assert.equal(stackAfter('c', '{ xu8R"(")"; }'), '{');
  });

  it('reads a shell here-document as a string up to its delimiter line', () => {
    assert.equal(stackAfter('shell', 'f() {\n  cat <<EOF\n}\nEOF\n'), '{');
    assert.equal(stackAfter('shell', "f() {\n  cat <<-'END_1'\n}\nEND_1\n"), '{');
    assert.equal(stackAfter('shell', 'f() {\n  cat << "X"\n}\nX\n'), '{');
    assert.equal(lex('shell', 'cat <<EOF\n$(').state.mode, 'string');
    // Not a here-document: a delimiter must start with a letter or _, and quotes must match.
    assert.equal(stackAfter('shell', '( cat <<1\n)'), '');
    assert.equal(stackAfter('shell', '( cat <<"X\'\n)'), '');
  });

  it('has no strings in plain text and Markdown', () => {
    assert.equal(stackAfter('plain', '"("'), '(');
    assert.equal(stackAfter('markdown', "it's ("), '(');
  });
});

describe('block lexer: shell keywords', () => {
  it('follows if/fi, do/done and case/esac like brackets', () => {
    assert.equal(stackAfter('shell', 'if true; then\n  for x in a; do'), 'if do');
    assert.equal(stackAfter('shell', 'if true; then\n  for x in a; do\n    y\n  done\nfi'), '');
    assert.equal(stackAfter('shell', 'case $x in\n  a) y ;;\nesac'), '');
    const lexer = lex('shell', 'if a; then b; ');
    const i = lexer.advance('fi', 0);
    assert.equal(i, 2);
    assert.equal(lexer.closedToDepth, 0);
  });

  it('takes a keyword only as a whole word', () => {
    assert.equal(stackAfter('shell', 'diff a b; done_x=1; iffy; casey'), '');
    assert.equal(stackAfter('shell', 'x=if'), '');
    for (const before of [' ', '\t', '\n', ';', '&', '|', '(']) assert.ok(stackAfter('shell', `true${before}if`).endsWith('if'), JSON.stringify(before));
    for (const after of ['', ' ', ';', '&', '|', ')', '<', '>', '\n']) assert.equal(stackAfter('shell', `if${after}`), 'if', JSON.stringify(after));
  });

  it('is shell only', () => {
    assert.equal(stackAfter('hash', 'if x\n  do'), '');
    assert.equal(stackAfter('python', 'if x:'), '');
  });
});
