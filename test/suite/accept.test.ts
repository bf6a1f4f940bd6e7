// Trigger, accept with the real inline-suggest command, and compare the exact document text.
import * as assert from 'assert';
import { dedent } from '../helpers/cursor';
import { openEditor, resetWorld, triggerAndAccept, typeText } from './world';

describe('accepting a suggestion', () => {
  it('Python: a multi-line function body', async () => {
    await resetWorld({
      script: [{ prefixEndsWith: 'def add(a, b):\n', completion: '    """Sum."""\n    return a + b\n' }],
    });
    const editor = await openEditor('def add(a, b):\n█', { extension: 'py' });
    assert.strictEqual(await triggerAndAccept(editor), 'def add(a, b):\n    """Sum."""\n    return a + b');
  });

  it('TypeScript: completes a line inside a function, above existing code', async () => {
    await resetWorld({
      script: [{ prefixEndsWith: '  const doubled = ', completion: 'values.map((v) => v * 2);\n  return doubled;\n}' }],
    });
    const document = dedent(`
      function double(values: number[]): number[] {
        const doubled = █
        return doubled;
      }
    `);
    const editor = await openEditor(document, { extension: 'ts', tabSize: 2 });
    // Only up to the next existing line: "return doubled;" is already there and is not repeated.
    assert.strictEqual(
      await triggerAndAccept(editor),
      'function double(values: number[]): number[] {\n  const doubled = values.map((v) => v * 2);\n  return doubled;\n}',
    );
  });

  it('a tab-indented file gets tabs, whatever the model indents with', async () => {
    await resetWorld({
      script: [{ prefixEndsWith: 'if ready:\n\t\t', completion: 'start()\n        log("started")\n' }],
    });
    const editor = await openEditor('def main():\n\tif ready:\n\t\t█', { extension: 'py', tabs: true });
    assert.strictEqual(await triggerAndAccept(editor), 'def main():\n\tif ready:\n\t\tstart()\n\t\tlog("started")');
  });

  it('a CRLF file keeps CRLF line endings', async () => {
    await resetWorld({
      script: [{ prefixEndsWith: 'for i in range(3):\n', completion: '    print(i)\n    total += i\n' }],
    });
    const editor = await openEditor('total = 0\nfor i in range(3):\n█', { extension: 'py', eol: 'crlf' });
    assert.strictEqual(await triggerAndAccept(editor), 'total = 0\r\nfor i in range(3):\r\n    print(i)\r\n    total += i');
  });

  it('an auto-closed bracket after the cursor is not doubled', async () => {
    await resetWorld({ script: [{ prefixEndsWith: 'print(', completion: '"hello")\n' }] });
    const editor = await openEditor('name = "x"\n█', { extension: 'py' });
    await typeText('print(');
    assert.strictEqual(editor.document.getText(), 'name = "x"\nprint()', 'VS Code auto-closed the bracket');
    assert.strictEqual(await triggerAndAccept(editor), 'name = "x"\nprint("hello")');
  });
});
