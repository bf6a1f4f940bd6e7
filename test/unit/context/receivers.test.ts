import * as assert from 'node:assert/strict';
import { textLines } from '../../../src/core/document';
import { importsSource } from '../../../src/core/context/definitions';
import { dirname, parseImports, resolveImports, WorkspaceFiles } from '../../../src/core/context/imports';
import { abbreviates, classesIn, evidenceNear, nameMatch, receiversNear, scanAbove, receiverSnippets } from '../../../src/core/context/receivers';
import type { ContextQuery, ContextSnippet, ProjectAccess } from '../../../src/core/context/types';

function languageOf(path: string): string {
  return path.endsWith('.py') ? 'python' : path.endsWith('.ts') ? 'typescript' : path.endsWith('.js') ? 'javascript' : 'plaintext';
}

function workspace(files: Record<string, string>): ProjectAccess {
  return {
    recentFiles: () => [],
    readFile: async (path) => (files[path] === undefined ? undefined : { path, languageId: languageOf(path), text: files[path] }),
    filesIn: async (directory) => Object.keys(files).filter((p) => dirname(p) === directory),
  };
}

/** The query at the line holding `needle`, that line cut to its indentation (not typed yet). */
function queryAt(files: Record<string, string>, path: string, needle: string): ContextQuery {
  const lines = files[path].split('\n');
  const cursorLine = lines.findIndex((l) => l.includes(needle));
  assert.ok(cursorLine >= 0, needle);
  lines[cursorLine] = /^\s*/.exec(lines[cursorLine])![0];
  return { path, languageId: languageOf(path), lines: textLines(lines.join('\n')), cursorLine };
}

async function guessedAt(files: Record<string, string>, path: string, needle: string): Promise<ContextSnippet[]> {
  const query = queryAt(files, path, needle);
  const access = new WorkspaceFiles(workspace(files));
  const imports = await resolveImports(path, query.languageId, parseImports(query.languageId, query.lines), access);
  return receiverSnippets(query, imports, access, { maxChars: 1500 });
}

const ASYNC: Record<string, string> = {
  'aio/events.py': [
    'class AbstractEventLoop:',
    '    """Abstract event loop."""',
    '',
    '    def call_soon(self, callback, *args):',
    '        raise NotImplementedError',
    '',
    '    def get_debug(self):',
    '        raise NotImplementedError',
    '',
    '',
    'def get_event_loop():',
    '    pass',
  ].join('\n'),
  'aio/base_events.py': 'from . import events\n\n\nclass BaseEventLoop(events.AbstractEventLoop):\n    def call_soon(self, callback, *args):\n        pass\n',
  // BaseEventLoop is extended twice, AbstractEventLoop once: the root of the family still wins.
  'aio/unix_events.py': 'from . import base_events\n\n\nclass _UnixSelectorEventLoop(base_events.BaseEventLoop):\n    pass\n\n\nclass ProactorLoop(base_events.BaseEventLoop):\n    pass\n',
  'aio/futures.py': 'class Future:\n    def set_result(self, result):\n        pass\n\n    def _private(self):\n        pass\n',
  'aio/transports.py': [
    'class BaseTransport:',
    '    def __init__(self, loop):',
    '        self._loop = loop',
    '',
    '    def close(self):',
    '        if self._loop.is_closed():',
    '            return',
    '        self._loop.call_soon(self._done)',
    '        fut = self._make()',
    '        fut.set_result(None)',
  ].join('\n'),
};

describe('project context: the classes of the objects near the cursor', () => {
  it('abbreviations: the same first letter and the letters in order, three letters or more', () => {
    assert.equal(abbreviates('msg', 'message'), true);
    assert.equal(abbreviates('fut', 'future'), true);
    assert.equal(abbreviates('loop', 'loop'), true);
    assert.equal(abbreviates('fn', 'function'), false);
    assert.equal(abbreviates('gsm', 'message'), false);
    assert.equal(abbreviates('mgs', 'message'), false);
    assert.equal(abbreviates('message', 'msg'), false);
  });

  it('a receiver names a class by its whole name, or by the noun at the end of both', () => {
    assert.equal(nameMatch('feedparser', 'FeedParser'), 1);
    assert.equal(nameMatch('_complete_fut', 'Future'), 0.9);
    assert.ok(nameMatch('msg', 'Message') > nameMatch('msg', 'MIMEMessage'));
    assert.ok(nameMatch('_loop', 'AbstractEventLoop') > 0);
    assert.ok(nameMatch('event_loop', 'AbstractEventLoop') > nameMatch('loop', 'AbstractEventLoop'));
    assert.equal(nameMatch('loop_count', 'AbstractEventLoop'), 0);
    assert.equal(nameMatch('part', 'Parser'), 0);
  });

  it('reads the receivers above the cursor, not self, modules, keywords or what is in strings and comments', () => {
    const lines = textLines(['x = events.get()  # the loop', 'self._loop.call_soon(f)', "print('a.b')", 'msg.get(1); self.close()', ''].join('\n'));
    const near = receiversNear(lines, 4, 'python', new Set(['events']));
    assert.deepEqual(near.get('msg'), { distance: 1, strong: true });
    assert.deepEqual(near.get('_loop'), { distance: 3, strong: true });
    assert.deepEqual(near.get('x'), { distance: 4, strong: true }, 'assigned');
    assert.deepEqual(near.get('f'), { distance: 3, strong: false }, 'an argument: maybe a word of prose');
    assert.equal(near.get('call_soon'), undefined);
    assert.equal(near.get('events'), undefined);
    assert.equal(near.get('b'), undefined);
    assert.equal(near.get('self'), undefined);
    assert.equal(near.get('the'), undefined, 'a comment is no code');
    assert.equal(near.get('print'), undefined, 'a keyword or builtin is nobody (`def` is no Defect)');
  });

  it('a name seen only bare names a class by the same word, never by an abbreviation', () => {
    assert.equal(nameMatch('the', 'Thread', false), 0);
    assert.equal(nameMatch('fut', 'Future', false), 0);
    assert.equal(nameMatch('loop', 'EventLoop', false), 0.45);
    assert.equal(nameMatch('message', 'Message', false), 1);
  });

  it("reads the attributes the class around the cursor sets, up to the class's first line", () => {
    const lines = textLines(['x = 1', 'class T:', '    def __init__(self, loop):', '        self._loop: L = loop', '        self.n == 2', '', '    def f(self):', '        pass'].join('\n'));
    assert.deepEqual([...scanAbove(lines, 7, 'python').attributes], ['_loop']);
    const ts = textLines(['export class Planner {', '  constructor(', '    private readonly testCoverage: TestCoverage,', '    log: Logger,', '  ) {}', '  run() {', '    x();'].join('\n'));
    assert.deepEqual([...scanAbove(ts, 6, 'typescript').attributes], ['testCoverage']);
  });

  it('takes the class the file constructs or annotates the receiver with', () => {
    const lines = textLines(['def f(self, msg: Optional[Message]):', '    parser = feedparser.FeedParser(x)', '    this.client = new OpenAI<T>()', ''].join('\n'));
    const evidence = evidenceNear(lines, 3);
    assert.equal(evidence.get('msg'), 'Message');
    assert.equal(evidence.get('parser'), 'FeedParser');
    assert.equal(evidence.get('client'), 'OpenAI');
    assert.equal(evidence.get('other'), undefined);
  });

  it('reads class declarations and their bases per language', () => {
    assert.deepEqual(classesIn({ path: 'a.py', languageId: 'python', text: 'class A(base.B, C):\n  pass\nclass D:\n  pass' }), [
      { name: 'A', bases: ['B', 'C'] },
      { name: 'D', bases: [] },
    ]);
    const ts = 'export abstract class Runner<T> extends events.Emitter {\n}\nexport interface Options extends Base<X>, Other {\n}\nfunction Suite(title) {\n}\nfunction helper() {}';
    assert.deepEqual(classesIn({ path: 'a.ts', languageId: 'typescript', text: ts }), [
      { name: 'Runner', bases: ['Emitter'] },
      { name: 'Options', bases: ['Base', 'Other'] },
      { name: 'Suite', bases: [] },
    ]);
  });

  it('shows the general class of a family for `self._loop`, and the future for `fut`, public members only', async () => {
    const found = await guessedAt(ASYNC, 'aio/transports.py', 'fut.set_result');
    const names = found.map((s) => `${s.path}:${s.text.split('\n')[0]}`);
    assert.deepEqual(names.sort(), ['aio/events.py:class AbstractEventLoop:', 'aio/futures.py:class Future:']);
    const future = found.find((s) => s.path === 'aio/futures.py')!;
    assert.match(future.text, /def set_result\(self, result\)/);
    assert.doesNotMatch(future.text, /def _private/);
    // fut is one line above (bare: three), _loop four as a receiver: the nearer scores higher.
    assert.ok(future.score > found.find((s) => s.path === 'aio/events.py')!.score);
  });

  it("keeps first the methods the file calls on the receiver, above the cursor or below it, when a big class's list is cut", async () => {
    const methods = Array.from({ length: 60 }, (_, i) => `method_number_${i}`);
    const files = {
      ...ASYNC,
      'aio/events.py': ['class AbstractEventLoop:', ...methods.map((m) => `    def ${m}(self, argument):\n        raise NotImplementedError\n`)].join('\n'),
      'aio/transports.py': ['class T:', '    def f(self):', '        self._loop.method_number_57(1)', '', '    def g(self):', '        if self._loop.method_number_59(2):', '            pass', '        x = 1', '', '    def h(self):', '        self._loop.method_number_58()'].join('\n'),
    };
    const found = await guessedAt(files, 'aio/transports.py', 'x = 1');
    const loop = found.find((s) => s.path === 'aio/events.py')!;
    assert.match(loop.text, /^class AbstractEventLoop:\n    def method_number_57\(self, argument\): \.\.\.\n    def method_number_58\(self, argument\): \.\.\.\n    def method_number_59\(self, argument\): \.\.\.\n    def method_number_0\(/);
    assert.ok(loop.text.length <= 1500);
  });

  it('shows nothing when no receiver names a visible class', async () => {
    const files = { ...ASYNC, 'aio/transports.py': 'def f(data):\n    data.strip()\n    x = 1\n' };
    assert.deepEqual(await guessedAt(files, 'aio/transports.py', 'x = 1'), []);
  });

  it('reaches the prompt through the imports source, brief', async () => {
    const query = queryAt(ASYNC, 'aio/transports.py', 'fut.set_result');
    const snippets = await importsSource.candidates(query, workspace(ASYNC), new AbortController().signal);
    const future = snippets.find((s) => s.path === 'aio/futures.py');
    assert.ok(future, JSON.stringify(snippets.map((s) => s.path)));
    assert.equal(future.source, 'imports');
  });

  it('a JS constructor function brings its prototype methods', async () => {
    const files = {
      'lib/suite.js': 'function Suite(title) {\n  this.title = title;\n}\n\nSuite.prototype.addTest = function (test) {\n  return this;\n};\n\nmodule.exports = Suite;\n',
      'lib/tdd.js': "module.exports = function (suite) {\n  suite.on('pre-require', function () {});\n  var test = 1;\n};\n",
    };
    const found = await guessedAt(files, 'lib/tdd.js', 'var test');
    assert.equal(found.length, 1);
    assert.match(found[0].text, /Suite\.prototype\.addTest = function \(test\)/);
  });
});
