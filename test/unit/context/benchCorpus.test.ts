// The context benchmark's own pieces (test/bench/context/): its ground truth must be right for
// its numbers to mean anything.
import * as assert from 'node:assert/strict';
import type { ContextSnippet } from '../../../src/core/context/types';
import { declaredOn, declarationsOf, identifiersUsed } from '../../bench/context/declarations';
import { showsDefinition } from '../../bench/context/gather';
import { linesNeedingOtherFiles, type Need } from '../../bench/context/points';
import type { Project } from '../../bench/context/projects';
import { codeLines, usesOn } from '../../bench/context/uses';
import { cachedTokens } from '../../bench/context/typing';

const snippet = (path: string, text: string): ContextSnippet => ({ source: 'openTabs', path, startLine: 0, endLine: 9, text, score: 1 });

describe('context benchmark: declarations', () => {
  it('reads TS/JS declarations, methods included, and not calls or control flow', () => {
    assert.equal(declaredOn('export async function fetchAll(x) {', 'typescript'), 'fetchAll');
    assert.equal(declaredOn('export abstract class Base<T> {', 'typescript'), 'Base');
    assert.equal(declaredOn('export type Id = string;', 'typescript'), 'Id');
    assert.equal(declaredOn('const top = 1;', 'typescript'), 'top');
    assert.equal(declaredOn('  const local = 1;', 'typescript'), undefined);
    assert.equal(declaredOn('  private async load(path: string): Promise<void> {', 'typescript'), 'load');
    assert.equal(declaredOn("Runner.prototype.run = function (fn) {", 'javascript'), 'run');
    assert.equal(declaredOn('  if (ready) {', 'typescript'), undefined);
    assert.equal(declaredOn("  describe('x', () => {", 'typescript'), undefined);
    assert.equal(declaredOn('  foo(bar);', 'typescript'), undefined);
  });

  it('reads Python and Go declarations', () => {
    assert.deepEqual(declarationsOf('class A:\n    async def b(self):\n        c()\n', 'python').map((d) => [d.name, d.line]), [['A', 0], ['b', 1]]);
    assert.equal(declaredOn('func (s *Server) Serve(l net.Listener) error {', 'go'), 'Serve');
    assert.equal(declaredOn('type Header map[string][]string', 'go'), 'Header');
  });

  it('takes a line\'s identifiers outside strings and comments', () => {
    assert.deepEqual(identifiersUsed("x = parse('not this') # nor this", 'python'), ['x', 'parse']);
    assert.deepEqual(identifiersUsed('const a = b("c"); // d', 'typescript'), ['const', 'a', 'b']);
  });
});

describe('context benchmark: what a line needs', () => {
  const used = (line: string, languageId = 'typescript'): string[] => usesOn(line, languageId).map((u) => u.name);

  it('does not count names the line declares: parameters, destructuring, keys, targets, keyword arguments', () => {
    assert.deepEqual(used('items.forEach((pkg) => install(pkg));'), ['items', 'forEach', 'install']);
    assert.deepEqual(used('const { count = Infinity, delay } = config;'), ['const', 'Infinity', 'config']);
    assert.deepEqual(used('  error: reportError,'), ['reportError']);
    assert.deepEqual(used('  private readonly log: Logger,'), ['private', 'readonly', 'Logger']);
    assert.deepEqual(used('this.stream = this.open();'), ['this', 'this', 'open']);
    assert.deepEqual(used('names.sort(key=lambda h: h.name)', 'python'), ['names', 'sort', 'lambda', 'name']);
    assert.deepEqual(used('for name, value in pairs:', 'python'), ['for', 'in', 'pairs']);
    assert.deepEqual(used('self._task: Optional[tasks.Task] = None', 'python'), ['self', '_task', 'Optional', 'tasks', 'Task', 'None']);
  });

  it('tells member calls from bare uses', () => {
    assert.deepEqual(usesOn('obj.run(x)', 'typescript')[1], { name: 'run', member: true, call: true, object: 'obj' });
    assert.deepEqual(usesOn('f(obj.size)', 'typescript')[2], { name: 'size', member: true, call: false, object: 'obj' });
    assert.deepEqual(usesOn('f().size', 'typescript')[1], { name: 'size', member: true, call: false });
  });

  it('needs an export through a module, never as a member of this or of a local', () => {
    const files = new Map([
      ['tokens.ts', "export const project = 'project';\nexport const reporter = 'reporter';\n"],
      [
        'main.ts',
        [
          "import * as coreTokens from './tokens';",
          'const tokens = require("./tokens");',
          '',
          'function run(test) {',
          '  x(coreTokens.project);',
          '  x(this.project);',
          '  x(test.reporter);',
          '  x(tokens.reporter);',
          '}',
        ].join('\n'),
      ],
    ]);
    const project: Project = { name: 'p', languageId: 'typescript', root: '/nowhere', files };
    assert.deepEqual([...linesNeedingOtherFiles(project, 'main.ts')], [[4, ['project']], [7, ['reporter']]]);
  });

  it('leaves out docstrings, block comments, template literals and multi-line import lists', () => {
    const python = ['def f():', '    """Read the', '    helper docs.', '    """', '    return helper()', 'from .x import (', '    helper,', ')', 'y = 1'];
    assert.deepEqual(codeLines(python.join('\n'), 'python'), [true, false, false, false, true, true, false, false, true]);
    const ts = ['import {', '  A,', "} from './a';", '/*', ' A(', ' */', 'const s = `', 'A(x)', '`;', 'A();'];
    assert.deepEqual(codeLines(ts.join('\n'), 'typescript'), [true, false, false, true, false, false, true, false, false, true]);
  });

  it('needs a top-level name by itself, a method only called on an object, and never a builtin name', () => {
    const files = new Map([
      ['lib.py', 'def helper(x):\n    pass\n\nclass Thing:\n    def frob(self):\n        pass\n    def read(self):\n        pass\n'],
      ['main.py', '# main\n\n\ndef run(request):\n    helper(1)\n    t.frob()\n    frob = 2\n    t.read()\n    return request\n    x = Thing()\n'],
    ]);
    const project: Project = { name: 'p', languageId: 'python', root: '/nowhere', files };
    // `frob = 2` makes frob a local of main.py: `t.frob()` does not count then.
    assert.deepEqual([...linesNeedingOtherFiles(project, 'main.py')], [[4, ['helper']], [9, ['Thing']]]);
    files.set('main.py', files.get('main.py')!.replace('    frob = 2\n', ''));
    assert.deepEqual([...linesNeedingOtherFiles(project, 'main.py')], [[4, ['helper']], [5, ['frob']], [8, ['Thing']]]);
  });
});

describe('context benchmark: recall', () => {
  const need: Need = { name: 'parseItems', sites: [{ path: 'src/items.ts', line: 4, name: 'parseItems', text: 'export function parseItems(text: string): Item[] {', kind: 'top' }] };

  it('counts a snippet of the declaring file that shows the declaration, or a signature of it', () => {
    assert.ok(showsDefinition([snippet('src/items.ts', 'export function parseItems(text: string): Item[] {\n  return [];')], need, 'typescript'));
    assert.ok(showsDefinition([snippet('src/items.ts', '  parseItems(text: string): Item[];')], need, 'typescript'));
  });

  it('does not count a use, nor the declaration shown from another file', () => {
    assert.ok(!showsDefinition([snippet('src/items.ts', 'const all = parseItems(text);')], need, 'typescript'));
    assert.ok(!showsDefinition([snippet('src/other.ts', 'export function parseItems(text: string): Item[] {')], need, 'typescript'));
  });
});

describe('context benchmark: prefix cache', () => {
  it('serves the longest common prefix with a remembered prompt, from 256 tokens on', () => {
    const long = Array.from({ length: 300 }, (_, i) => `t${i}`);
    assert.equal(cachedTokens([long], [...long.slice(0, 280), 'other']), 280);
    assert.equal(cachedTokens([long], [...long.slice(0, 200), 'other']), 0);
    assert.equal(cachedTokens([], long), 0);
  });
});
