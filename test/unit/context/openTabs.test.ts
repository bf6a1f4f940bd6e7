import * as assert from 'node:assert/strict';
import { identifiersOf, jaccard, nameAffinity, subwordsOf } from '../../../src/core/context/identifiers';
import { bestWindow, cursorIdentifiers, openTabsSource, sameFamily, WINDOW_LINES } from '../../../src/core/context/openTabs';
import type { ContextQuery, ProjectAccess, ProjectFile } from '../../../src/core/context/types';

export function linesOf(text: string): ContextQuery['lines'] {
  const lines = text.split('\n');
  return { lineCount: lines.length, lineAt: (line) => lines[line] };
}

export function queryAt(path: string, languageId: string, text: string): ContextQuery {
  const lines = text.split('\n');
  return { path, languageId, lines: linesOf(text), cursorLine: lines.length - 1 };
}

export function accessOver(files: readonly ProjectFile[], extra: Partial<ProjectAccess> = {}): ProjectAccess {
  return {
    recentFiles: () => files,
    readFile: (path) => Promise.resolve(files.find((file) => file.path === path)),
    ...extra,
  };
}

// Real code repeats its names: a few per file, over many lines.
const filler = (count: number, word: string) => Array.from({ length: count }, (_, i) => `${word}Total += ${word}Step * ${i};`).join('\n');

describe('context: identifiers and similarity', () => {
  it('keeps identifiers of two characters or more, without keywords', () => {
    assert.deepEqual([...identifiersOf('const total = inventory.count(x) + self.itemCount; return total')], ['total', 'inventory', 'count', 'itemCount']);
  });

  it('Jaccard: shared over all, 0 for two empty sets, symmetric', () => {
    assert.equal(jaccard(new Set(['a1', 'b1']), new Set(['b1', 'c1'])), 1 / 3);
    assert.equal(jaccard(new Set(), new Set()), 0);
    assert.equal(jaccard(new Set(['a1']), new Set(['a1', 'b1', 'c1', 'd1'])), jaccard(new Set(['a1', 'b1', 'c1', 'd1']), new Set(['a1'])));
  });

  it('splits an identifier into its lower-case words: camelCase, acronyms, snake_case, digits apart; no one-letter words', () => {
    assert.deepEqual(subwordsOf('getAPIList'), ['get', 'api', 'list']);
    assert.deepEqual(subwordsOf('_load_module_shim'), ['load', 'module', 'shim']);
    assert.deepEqual(subwordsOf('ResponseFunctionToolCall2'), ['response', 'function', 'tool', 'call']);
    assert.deepEqual(subwordsOf('utf8Decode'), ['utf', 'decode']);
    assert.deepEqual(subwordsOf('x'), []);
  });

  it("a name's affinity is the share of its words the nearby code uses", () => {
    const near = new Set(['header', 'parse', 'error', 'charset']);
    assert.equal(nameAffinity('CharsetError', near), 1);
    assert.equal(nameAffinity('BoundaryError', near), 0.5);
    assert.equal(nameAffinity('MessageDefect', near), 0);
    assert.equal(nameAffinity('_', near), 0, 'no words: no affinity');
  });

  it('the cursor identifiers come from the cursor line and the 30 lines above, not from further up', () => {
    const text = ['far_away_name', ...Array.from({ length: 30 }, () => 'x'), 'nearName = 1', 'cursorWord'].join('\n');
    const ids = cursorIdentifiers(queryAt('a.py', 'python', text));
    assert.ok(ids.has('cursorWord') && ids.has('nearName'));
    assert.ok(!ids.has('far_away_name'));
  });

  it('TypeScript and JavaScript files inform each other; Python and TypeScript do not', () => {
    assert.ok(sameFamily('typescript', 'javascriptreact'));
    assert.ok(sameFamily('go', 'go'));
    assert.ok(!sameFamily('python', 'typescript'));
  });
});

describe('context: open tabs', () => {
  const wanted = identifiersOf('cart.addItem(item); cart.total()');

  it('picks the window of a long file that shares the cursor code identifiers', () => {
    const text = [filler(100, 'noise'), 'export class Cart {', '  addItem(item: Item): void {}', '  total(): number { return 0; }', '}', filler(100, 'other')].join('\n');
    const window = bestWindow({ path: 'src/cart.ts', languageId: 'typescript', text }, wanted);
    assert.ok(window, 'a window is found');
    assert.ok(window.text.includes('addItem(item: Item)'), 'the window holds the class');
    assert.equal(window.endLine - window.startLine + 1, WINDOW_LINES);
    assert.equal(window.text.split('\n').length, WINDOW_LINES);
    assert.equal(window.source, 'openTabs');
    assert.equal(window.text, text.split('\n').slice(window.startLine, window.endLine + 1).join('\n'), 'whole lines, exactly the range');
  });

  it('a short file is one window: all of it', () => {
    const text = 'class Cart:\n    def addItem(self, item): ...\n    def total(self): ...';
    const window = bestWindow({ path: 'cart.py', languageId: 'python', text }, wanted);
    assert.deepEqual(window && [window.startLine, window.endLine, window.text], [0, 2, text]);
  });

  it('a file with nothing in common gives no window', () => {
    assert.equal(bestWindow({ path: 'x.ts', languageId: 'typescript', text: filler(80, 'unrelated') }, wanted), undefined);
  });

  it('skips the current file and other languages; ranks each remaining file once', async () => {
    const files: ProjectFile[] = [
      { path: 'main.ts', languageId: 'typescript', text: 'cart.addItem(item)' },
      { path: 'cart.py', languageId: 'python', text: 'def addItem(item): pass' },
      { path: 'cart.ts', languageId: 'typescript', text: 'export class Cart { addItem(item: Item) {} total() {} }' },
      { path: 'cartView.js', languageId: 'javascript', text: 'cart.total(); render(cart.addItem)' },
    ];
    const query = queryAt('main.ts', 'typescript', 'const cart = new Cart();\ncart.addItem(item); cart.total()');
    const found = await openTabsSource.candidates(query, accessOver(files), new AbortController().signal);
    assert.deepEqual(found.filter((s) => !s.summary).map((s) => s.path).sort(), ['cart.ts', 'cartView.js'], 'a window of each');
    const outline = found.find((s) => s.summary);
    assert.deepEqual([outline?.path, outline?.text], ['cart.ts', 'export class Cart { addItem(item: Item) { … } total() { … } }'], 'and the outline of a file that has one');
    assert.equal(outline?.score, found.find((s) => s.path === 'cart.ts' && !s.summary)?.score, 'as relevant as its best window');
  });
});
