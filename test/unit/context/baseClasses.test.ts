import * as assert from 'node:assert/strict';
import { textLines } from '../../../src/core/document';
import { enclosingClass, inheritedSnippets } from '../../../src/core/context/baseClasses';
import { importsSource } from '../../../src/core/context/definitions';
import { dirname, parseImports, resolveImports, WorkspaceFiles } from '../../../src/core/context/imports';
import type { ContextQuery, ContextSnippet, ProjectAccess } from '../../../src/core/context/types';

function languageOf(path: string): string {
  return path.endsWith('.py') ? 'python' : path.endsWith('.ts') ? 'typescript' : 'plaintext';
}

function workspace(files: Record<string, string>): ProjectAccess {
  return {
    recentFiles: () => [],
    readFile: async (path) => (files[path] === undefined ? undefined : { path, languageId: languageOf(path), text: files[path] }),
    filesIn: async (directory) => Object.keys(files).filter((p) => dirname(p) === directory),
  };
}

/** The inherited snippets at the line holding `needle` (that line cut to its indentation, as typed). */
async function inheritedAt(files: Record<string, string>, path: string, needle: string): Promise<ContextSnippet[]> {
  const lines = files[path].split('\n');
  const cursorLine = lines.findIndex((l) => l.includes(needle));
  assert.ok(cursorLine >= 0, needle);
  lines[cursorLine] = /^\s*/.exec(lines[cursorLine])![0];
  const text = textLines(lines.join('\n'));
  const query: ContextQuery = { path, languageId: languageOf(path), lines: text, cursorLine };
  const access = new WorkspaceFiles(workspace(files));
  const imports = await resolveImports(path, query.languageId, parseImports(query.languageId, text), access);
  return inheritedSnippets(query, imports, access, { maxChars: 1500 });
}

const PY_FILES: Record<string, string> = {
  'mail/__init__.py': '',
  'mail/message.py': [
    'class Message:',
    '    """A message."""',
    '',
    '    def set_default_type(self, ctype):',
    '        """Set the default type."""',
    '        self._default_type = ctype',
    '',
    '    def _private_helper(self):',
    '        pass',
  ].join('\n'),
  'mail/base.py': 'from mail import message\n\n\nclass MIMEBase(message.Message):\n    def __init__(self, maintype):\n        pass\n',
  'mail/nonmultipart.py': 'from mail.base import MIMEBase\n\n\nclass MIMENonMultipart(MIMEBase):\n    def attach(self, payload):\n        raise TypeError()\n',
  'mail/mime.py': [
    'from mail.nonmultipart import MIMENonMultipart',
    '',
    '',
    'class _Middle(MIMENonMultipart):',
    '    pass',
    '',
    '',
    'class MIMEMessage(_Middle, metaclass=Meta):',
    '    def __init__(self, msg):',
    '        if True:',
    '            x = 1',
    '',
    '        self.set_default_type("message/rfc822")',
    '',
    'def outside():',
    '    return 1',
  ].join('\n'),
};

describe('context: base classes', () => {
  it('finds the class around the cursor by indentation, with its bases (keyword arguments are not bases)', () => {
    const lines = textLines(PY_FILES['mail/mime.py']);
    const at = (needle: string): number => PY_FILES['mail/mime.py'].split('\n').findIndex((l) => l.includes(needle));
    assert.deepEqual(enclosingClass(lines, at('self.set_default_type'), 'python'), { name: 'MIMEMessage', bases: ['_Middle'], indent: 0 });
    assert.deepEqual(enclosingClass(lines, at('x = 1'), 'python')?.name, 'MIMEMessage', 'from a nested block');
    assert.equal(enclosingClass(lines, at('return 1'), 'python'), undefined, 'a function after the class is outside it');
    assert.equal(enclosingClass(textLines('class A(B):\n    pass\n'), 1, 'go'), undefined, 'a language without a table');
    const ts = textLines("import { Base } from './base';\n\nexport abstract class Cart<T> extends Base {\n  add() {\n    this.\n  }\n}\n");
    assert.deepEqual(enclosingClass(ts, 4, 'typescript'), { name: 'Cart', bases: ['Base'], indent: 0 });
  });

  it('shows each class up the chain from other files, brief, private members too, scored lower each level up', async () => {
    const found = await inheritedAt(PY_FILES, 'mail/mime.py', 'self.set_default_type');
    assert.deepEqual(
      found.map((s) => [s.path, Number(s.score.toFixed(3))]),
      [
        ['mail/nonmultipart.py', 0.9],
        ['mail/base.py', 0.72],
        ['mail/message.py', 0.576],
      ],
      'the same-file _Middle is walked through; message.Message through a qualified import',
    );
    assert.equal(found[2].text, 'class Message:\n    """A message."""\n    def set_default_type(self, ctype): ...\n    def _private_helper(self): ...');
  });

  it('stops three classes up, and never walks a cycle', async () => {
    const deeper = { ...PY_FILES, 'mail/message.py': 'from mail.root import Root\n\n\nclass Message(Root):\n    pass\n', 'mail/root.py': 'class Root:\n    def top(self):\n        pass\n' };
    const found = await inheritedAt(deeper, 'mail/mime.py', 'self.set_default_type');
    assert.deepEqual(found.map((s) => s.path), ['mail/nonmultipart.py', 'mail/base.py', 'mail/message.py']);
    const cycle = {
      'a.py': 'from b import B\n\n\nclass A(B):\n    def run(self):\n        pass\n',
      'b.py': 'from a import A\n\n\nclass B(A):\n    pass\n',
    };
    const looped = await inheritedAt(cycle, 'a.py', 'pass');
    assert.deepEqual(looped.map((s) => s.path), ['b.py']);
  });

  it('TypeScript: `extends` through a named import; nothing outside a class or for a base it cannot find', async () => {
    const files: Record<string, string> = {
      'src/base.ts': 'export class Base {\n  /** Emits. */\n  protected emit(name: string): void {}\n}\n',
      'src/cart.ts': "import { Base } from './base';\n\nexport class Cart extends Base {\n  add() {\n    this.emit('add');\n  }\n}\n\nfunction free() {\n  return 1;\n}\n",
      'src/lost.ts': "import { Gone } from './gone';\n\nclass Lost extends Gone {\n  run() {\n    return 1;\n  }\n}\n",
    };
    const found = await inheritedAt(files, 'src/cart.ts', "this.emit('add')");
    assert.deepEqual(found.map((s) => s.text), ['export class Base {\n  protected emit(name: string): void { … }\n}']);
    assert.deepEqual(await inheritedAt(files, 'src/cart.ts', 'return 1'), []);
    assert.deepEqual(await inheritedAt(files, 'src/lost.ts', 'return 1'), []);
  });

  it('the imports source shows a class both inherited and used near the cursor once: brief, at the better score', async () => {
    const files: Record<string, string> = {
      ...PY_FILES,
      'mail/wrap.py': 'from mail import message\n\n\nclass Wrapper(message.Message):\n    def __init__(self, msg):\n        if isinstance(msg, message.Message):\n            pass\n',
    };
    const lines = files['mail/wrap.py'].split('\n');
    const query: ContextQuery = { path: 'mail/wrap.py', languageId: 'python', lines: textLines(files['mail/wrap.py']), cursorLine: lines.length - 2 };
    const found = await importsSource.candidates(query, workspace(files), new AbortController().signal);
    const message = found.filter((s) => s.path === 'mail/message.py');
    assert.equal(message.length, 1);
    assert.ok(message[0].text.includes('def set_default_type(self, ctype): ...'), 'brief');
    assert.ok(message[0].score > 0.9, `${message[0].score}: the score of its use one line up`);
  });
});
