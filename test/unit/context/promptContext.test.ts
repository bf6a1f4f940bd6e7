import * as assert from 'node:assert/strict';
import type { ContextSnippet } from '../../../src/core/context/types';
import { buildMessages, renderContext } from '../../../src/core/prompt';
import { answer, makeEngine, requestFor, ScriptedBackend } from '../helpers/harness';
import { FakeClock } from '../helpers/fakeClock';

const inventory: ContextSnippet = {
  source: 'definitions',
  path: 'src/inventory.ts',
  startLine: 9,
  endLine: 14,
  text: 'export class Inventory {\n  tryRemoveItems(count: number): boolean;\n}',
  score: 1,
};
const cart: ContextSnippet = { source: 'openTabs', path: 'src/cart.ts', startLine: 0, endLine: 1, text: 'cart.add(x)\ncart.total()', score: 0.2 };

describe('context: in the prompt', () => {
  it('each snippet is labelled with its path and 1-based lines, in the order given', () => {
    assert.equal(
      renderContext([cart, inventory]),
      '\n\nCode from other files of this project, for reference (use the names it defines):\n' +
        '<file path="src/cart.ts" lines="1-2">\ncart.add(x)\ncart.total()\n</file>\n' +
        '<file path="src/inventory.ts" lines="10-15">\nexport class Inventory {\n  tryRemoveItems(count: number): boolean;\n}\n</file>',
    );
    assert.equal(renderContext([]), '');
  });

  it('goes in the user message after the file instruction and before the text after the cursor; the partial message is untouched', () => {
    const messages = buildMessages('typescript', 'main.ts', 'inv.', '\nexport {}', [inventory]);
    const user = messages[1].content;
    assert.ok(user.startsWith('Complete the typescript file "main.ts"'));
    assert.ok(user.indexOf('<file path="src/inventory.ts"') < user.indexOf('<after_cursor>'));
    assert.deepEqual(messages[2], { role: 'assistant', content: 'inv.', partial: true });
    assert.equal(buildMessages('typescript', 'main.ts', 'inv.', '\nexport {}')[1].content, user.replace(renderContext([inventory]), ''));
  });

  it('a snippet cut inside an emoji sends whole characters only', () => {
    const rendered = renderContext([{ ...inventory, text: '\uDE00 smile \uD83D' }]);
    assert.ok(rendered.includes('\n smile \n'));
  });

  it('the engine sends the context ready when the request starts, and the log line counts it', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('tryRemoveItems(3)')]);
    const asked: string[] = [];
    const lines: string[] = [];
    const logger = { trace: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined, info: (m: string) => lines.push(m) };
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock, logger, undefined, (request) => {
      asked.push(request.documentKey);
      return [inventory];
    });
    const result = engine.complete(requestFor('inv.█', { languageId: 'typescript', documentKey: 'file:///w/main.ts' }), new AbortController().signal);
    await clock.tick(10);
    assert.deepEqual(await result, { insertText: 'tryRemoveItems(3)', replaceLength: 0 });
    assert.deepEqual(asked, ['file:///w/main.ts']);
    const user = backend.calls[0].body.messages[1].content;
    assert.ok(user.includes('tryRemoveItems(count: number): boolean'), 'the request holds the signature');
    assert.ok(lines.some((line) => line.includes(`context ${inventory.text.length} chars`)));
  });

  it('with no context source the request is the same as before', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend([answer('x')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, clock);
    const result = engine.complete(requestFor('inv.█', { languageId: 'typescript' }), new AbortController().signal);
    await clock.tick(10);
    await result;
    assert.ok(!backend.calls[0].body.messages[1].content.includes('<file'));
  });
});
