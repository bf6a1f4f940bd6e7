import * as assert from 'node:assert/strict';
import type { StreamOutcome } from '../../src/core/backend';
import { suggestionSpot, shapeGhostText, type SuggestionSpot } from '../../src/core/ghostText';
import { extractPrefix, extractSuffix } from '../../src/core/prompt';
import { answer, makeEngine, requestFor, ScriptedBackend } from './helpers/harness';
import { DEFAULT_POLICY } from '../../src/core/engine';

function contextAt(marked: string, languageId: string, maxLines = 6, useTabs = false): SuggestionSpot | { skip: string } {
  const request = requestFor(marked, { languageId, useTabs });
  const prefix = extractPrefix(request.lines, request.position, 6000).text;
  const suffix = extractSuffix(request.lines, request.position, 2000);
  return suggestionSpot(request, prefix, suffix, maxLines);
}

function shapeAt(marked: string, languageId: string): string {
  const context = contextAt(marked, languageId);
  return 'skip' in context ? `skip: ${context.skip}` : context.shape;
}

/** [language, document with cursor, expected shape]: the single-line / multi-line rules per language. */
const SHAPES: ReadonlyArray<readonly [string, string, string]> = [
  // A block body starts: an empty line after an opener, or right after it.
  ['python', 'def f(x):\n    █', 'block'],
  ['python', 'def f(x):█', 'block'],
  ['python', 'for item in items:█', 'block'],
  ['typescript', 'function f() {\n  █\n}', 'block'],
  ['typescript', 'const g = () =>█', 'block'],
  ['typescript', 'function f() {█}', 'block'],
  ['javascript', 'items.forEach((item) => {█', 'block'],
  ['go', 'func main() {█', 'block'],
  ['rust', 'match x {\n    Some(v) =>█', 'block'],
  ['java', 'class A {\n    void f() {█}\n}', 'block'],
  ['c', 'int main(void) {\n    █\n}', 'block'],
  ['cpp', 'std::vector<int> v = {█}', 'block'],
  ['json', '{\n  "name": "x",\n  "scripts": {█}\n}', 'block'],
  ['yaml', 'jobs:\n  build:█', 'block'],
  ['yaml', 'steps:\n  -█', 'block'],
  ['yaml', '      - name: Build\n        run: |█', 'block'],
  ['shellscript', 'if [ -f "$f" ]; then█', 'block'],
  ['shellscript', 'for f in *.txt; do█', 'block'],
  ['ruby', 'items.each do |item|█', 'block'],
  ['markdown', '# Title\n\n█', 'block'],
  // A blank line between statements.
  ['python', 'x = 1\n█\ny = 2', 'block'],
  ['go', 'func main() {\n\ta := 1\n\t█\n\tb := 2\n}', 'block'],
  // The middle or the end of a statement: one line.
  ['python', 'total = sum(█)', 'line'],
  ['python', 'x = █', 'line'],
  ['python', 'settings = {"a":█', 'line'],
  ['typescript', 'const x = compute(█);', 'line'],
  ['typescript', 'return a +█', 'line'],
  ['go', 'fmt.Println(█)', 'line'],
  ['rust', 'let v = vec![█];', 'block'],
  ['rust', 'println!("{}", █);', 'line'],
  ['java', 'System.out.println(█);', 'line'],
  ['c', 'printf("%d\\n", █);', 'line'],
  ['json', '{\n  "name": █\n}', 'line'],
  ['yaml', 'name: █', 'line'],
  ['shellscript', 'echo "█"', 'line'],
  ['markdown', 'Some prose that goes on█', 'line'],
  // Comments and strings: one line, even on an opener.
  ['python', '# Steps:█', 'line'],
  ['python', 'def f():\n    """Summary:\n    █', 'line'],
  ['typescript', '// TODO: {█', 'line'],
  ['typescript', '/*\n * Returns:\n *█', 'line'],
  ['go', 's := `template {█', 'line'],
  ['c', 'char *s = "{█";', 'line'],
  // An opener in the middle of the line is not at its end: one line.
  ['python', 'print("elapsed: %s" % t)█', 'line'],
  ['go', 'x := f(a)█', 'line'],
  ['rust', 'let v = f(a);█', 'line'],
  ['ruby', 'total = items.sum(&:price) + tax█', 'line'],
  ['markdown', 'Time: noon█', 'line'],
  ['plaintext', 'note: done█', 'line'],
  ['yaml', 'title: Part 1 -█', 'line'],
  // YAML block scalars with chomping and indentation indicators, Ruby's `do|x|` without a space.
  ['yaml', 'script: |-█', 'block'],
  ['yaml', 'script: >2█', 'block'],
  ['yaml', 'run:  |█', 'block'],
  ['ruby', 'items.each do|item|█', 'block'],
  // Spaces after the cursor are no text after it; a space after `{` still leaves an empty body.
  ['python', 'def f(x):█   ', 'block'],
  ['typescript', 'function f() { █}', 'block'],
  // The middle of a line with more than closers after the cursor: nothing.
  ['python', 'print(█value)', 'skip: in the middle of a line'],
  ['typescript', 'const x = █foo;', 'skip: in the middle of a line'],
  ['go', 'if █x > 0 {', 'skip: in the middle of a line'],
];

describe('ghost text: where a suggestion fits and what shape it takes', () => {
  for (const [languageId, marked, expected] of SHAPES) {
    it(`${languageId}: ${JSON.stringify(marked)} -> ${expected}`, () => assert.equal(shapeAt(marked, languageId), expected));
  }
});

describe('ghost text: shaping on the stream', () => {
  const shaped = (marked: string, languageId: string, raw: string, final: boolean) => {
    const context = contextAt(marked, languageId, 6, languageId === 'go');
    assert.ok(!('skip' in context));
    return shapeGhostText(raw, context, final);
  };

  it('a block ends where its bracket closes, before the model has finished', () => {
    const result = shaped('func main() {█', 'go', '\n\tfmt.Println("hi")\n}\n\nfunc other() {', false);
    assert.deepEqual(result, { ended: true, suggestion: { insertText: '\n\tfmt.Println("hi")\n}', replaceLength: 0 }, rest: '\n\nfunc other() {' });
  });

  it('a Python body ends at the dedent, and waits while the last line is undecided', () => {
    assert.equal(shaped('def f(x):\n    █', 'python', 'y = x * 2\n    return y\n', false).ended, false);
    const result = shaped('def f(x):\n    █', 'python', 'y = x * 2\n    return y\n\ndef g', false);
    assert.deepEqual(result.suggestion, { insertText: 'y = x * 2\n    return y', replaceLength: 0 });
  });

  it('one line ends with its line break', () => {
    assert.equal(shaped('x = █', 'python', 'compute(', false).ended, false);
    assert.deepEqual(shaped('x = █', 'python', 'compute()\ny = 2', false), { ended: true, suggestion: { insertText: 'compute()', replaceLength: 0 }, rest: '\ny = 2' });
  });

  it('at most maxLines lines', () => {
    const context = contextAt('def f():\n    █', 'python', 2);
    assert.ok(!('skip' in context));
    assert.deepEqual(shapeGhostText('a = 1\n    b = 2\n    c = 3\n', context, false).suggestion, { insertText: 'a = 1\n    b = 2', replaceLength: 0 });
  });

  it('stops on a repetition loop', () => {
    const result = shaped('def f():\n    █', 'python', 'log("x")\n    log("x")\n    log("x")\n', false);
    assert.deepEqual(result, { ended: true, suggestion: { insertText: 'log("x")', replaceLength: 0 } });
  });

  it('an empty body between auto-closed braces: the closer keeps its own line, or the model closes it on the same line', () => {
    assert.deepEqual(shaped('function f() {█}', 'typescript', '\n    return 1;\n}\n', false).suggestion, {
      insertText: '\n    return 1;\n',
      replaceLength: 0,
    });
    assert.deepEqual(shaped('function f() {█}', 'typescript', '\n    return 1;', true).suggestion, {
      insertText: '\n    return 1;\n',
      replaceLength: 0,
    });
    assert.deepEqual(shaped('const p = {█}', 'typescript', ' x: 1 };\n', false).suggestion, { insertText: ' x: 1 };', replaceLength: 1 });
  });
});

describe('ghost text: the context at the cursor', () => {
  it('keeps the last three non-blank lines above the cursor, to spot an echo', () => {
    const context = contextAt('a = 1\nb = 2\n\nc = 3\n    \nd = 4\n█', 'python');
    assert.ok(!('skip' in context));
    assert.deepEqual(context.linesAbove, ['b = 2', 'c = 3', 'd = 4']);
    const typed = contextAt('a = 1\nb = 2\nc = 3\nx = █', 'python');
    assert.ok(!('skip' in typed));
    assert.deepEqual(typed.linesAbove, ['a = 1', 'b = 2', 'c = 3'], "not the cursor's own line");
  });
});

describe('ghost text: spaces after the cursor, blank lines and indentation', () => {
  const shaped = (marked: string, languageId: string, raw: string, final = true) => {
    const context = contextAt(marked, languageId);
    assert.ok(!('skip' in context));
    return shapeGhostText(raw, context, final).suggestion;
  };

  it('with only spaces after the cursor, a next line is suggested, unless the document already has it', () => {
    assert.deepEqual(shaped('x = 1█  \nz = 3', 'python', '\ny = 2\n'), { insertText: '\ny = 2', replaceLength: 0 });
    assert.equal(shaped('x = 1█  \ny = 2', 'python', '\ny = 2\n'), undefined);
  });

  it('with only spaces after the cursor, a block opener still gets a block', () => {
    assert.deepEqual(shaped('def f(x):█   ', 'python', '\n    y = x\n    return y\n'), { insertText: '\n    y = x\n    return y', replaceLength: 0 });
  });

  it('mid-line, a suggestion that starts on a new line is none', () => {
    assert.equal(shaped('print(█)', 'python', '\nvalue)\n'), undefined);
  });

  it('an answer of nothing but line breaks is no suggestion', () => {
    assert.equal(shaped('function f() {█}', 'typescript', '\n}\n'), undefined);
    assert.equal(shaped('function f() {\n█\n}', 'typescript', '\n\n'), undefined);
  });

  it("an empty body the model closes on the cursor's line, at the very end of the answer", () => {
    assert.deepEqual(shaped('const p = {█}', 'typescript', ' x: 1 }'), { insertText: ' x: 1 }', replaceLength: 1 });
    // The answer ends on the cursor's line without the closer: Tab adds the document's own.
    assert.deepEqual(shaped('const p = {█}', 'typescript', ' x: 1'), { insertText: ' x: 1}', replaceLength: 1 });
    assert.deepEqual(shaped('function f() {█', 'typescript', ' return 1; }\nconst y = 2;\n'), { insertText: ' return 1; }', replaceLength: 0 });
  });

  it("the model's indentation step is rescaled from where its first line starts", () => {
    const doc = (cursorLine: string) => `function f() {\n  const x = 1;\n  if (x) {\n    x++;\n  }\n${cursorLine}\n}`;
    // A blank line at column 0: the first line's own indentation places it at column 2.
    assert.deepEqual(shaped(doc('█'), 'typescript', '  if (x) {\n      y();\n  }\n'), { insertText: '  if (x) {\n    y();\n  }', replaceLength: 0 });
    // A blank line at column 2 and a first line two columns further: it starts at column 4.
    assert.deepEqual(shaped(doc('  █'), 'typescript', '  if (x) {\n        y();\n    }\n'), { insertText: '  if (x) {\n      y();\n    }', replaceLength: 0 });
  });

  it("after code on the cursor's line, the block starts at that line's indentation", () => {
    const marked = 'function g() {\n  const a = 1;\n  const f = () =>█\n}';
    assert.deepEqual(shaped(marked, 'typescript', ' {\n      y();\n  };\n'), { insertText: ' {\n    y();\n  };', replaceLength: 0 });
  });
});

describe('ghost text: the request', () => {
  it('sends the text after the cursor as labelled context in the user message, within maxSuffixChars', async () => {
    const backend = new ScriptedBackend([answer('a + b')]);
    const { engine } = makeEngine(backend, { debounceMs: 0, maxSuffixChars: 40 });
    const marked = 'def add(a, b):\n    return █\n\nprint(add(1, 2))\n' + '# filler line\n'.repeat(10);
    await engine.complete(requestFor(marked), new AbortController().signal);
    const [system, user, partial] = backend.calls[0].body.messages;
    assert.equal(system.role, 'system');
    assert.match(user.content, /<after_cursor>\n\n\nprint\(add\(1, 2\)\)\n# filler line\n<\/after_cursor>/);
    assert.ok(!user.content.includes('# filler line\n# filler line'), 'the suffix stays within its budget');
    assert.equal(partial.content, 'def add(a, b):\n    return ');
  });

  it('asks nothing in the middle of a line, and does not wait for the debounce to say so', async () => {
    const backend = new ScriptedBackend([answer('x')]);
    const { engine } = makeEngine(backend, { debounceMs: 100000 });
    assert.equal(await engine.complete(requestFor('print(█value)'), new AbortController().signal), undefined);
    assert.equal(backend.calls.length, 0);
  });

  it('stops reading the stream as soon as the block is complete', async () => {
    const full = '\n\tfmt.Println("hi")\n}\n\nfunc other() {\n\treturn\n}\n';
    let outcome: StreamOutcome | undefined;
    const streamed = answer(full, 2);
    const backend = new ScriptedBackend([async (request) => (outcome = await streamed(request))]);
    // Whole, not line by line (progressive ghost text has its own tests).
    const { engine } = makeEngine(backend, { debounceMs: 0 }, undefined, undefined, { ...DEFAULT_POLICY, progressive: false });
    const suggestion = await engine.complete(requestFor('func main() {█', { languageId: 'go', useTabs: true }), new AbortController().signal);
    assert.deepEqual(suggestion, { insertText: '\n\tfmt.Println("hi")\n}', replaceLength: 0 });
    assert.equal(outcome?.stoppedEarly, true);
    assert.equal(outcome?.text, '\n\tfmt.Println("hi")\n}\n\nfunc other() {\n', "read up to the end of the model's next line (read ahead), no further");
  });
});
