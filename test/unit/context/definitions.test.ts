import * as assert from 'node:assert/strict';
import type { TextLines } from '../../../src/core/document';
import { definitionsSource, identifiersNear, importsSource } from '../../../src/core/context/definitions';
import { dirname } from '../../../src/core/context/imports';
import type { ContextQuery, ContextSnippet, DefinitionSite, ProjectAccess } from '../../../src/core/context/types';

const LANGUAGE_BY_EXTENSION: Record<string, string> = { ts: 'typescript', py: 'python', go: 'go', mod: 'go.mod' };

function linesOf(text: string): TextLines {
  const lines = text.split('\n');
  return { lineCount: lines.length, lineAt: (i) => lines[i] };
}

function queryAt(path: string, text: string, needle: string): ContextQuery {
  const cursorLine = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(cursorLine >= 0, needle);
  return { path, languageId: LANGUAGE_BY_EXTENSION[path.split('.').pop()!], lines: linesOf(text), cursorLine };
}

interface FakeOptions {
  /** Identifier -> where the language server says it is defined. */
  readonly sites?: Record<string, readonly DefinitionSite[] | 'hang' | 'fail'>;
  /** Files whose reading never finishes, or fails. */
  readonly hang?: readonly string[];
  readonly fail?: readonly string[];
}

/** A workspace over an in-memory map, with a language server that knows `sites`; it records what was asked. */
function workspace(files: Record<string, string>, options: FakeOptions = {}): ProjectAccess & { asked: string[]; read: string[] } {
  const asked: string[] = [];
  const read: string[] = [];
  const never = new Promise<never>(() => undefined);
  return {
    asked,
    read,
    recentFiles: () => [],
    async readFile(path) {
      read.push(path);
      if (options.hang?.includes(path)) return never;
      if (options.fail?.includes(path)) throw new Error('EACCES');
      const text = files[path];
      return text === undefined ? undefined : { path, languageId: LANGUAGE_BY_EXTENSION[path.split('.').pop()!] ?? 'plaintext', text };
    },
    filesIn: async (directory) => Object.keys(files).filter((p) => dirname(p) === directory),
    async definitions(query, line, character) {
      const name = /^[\w$]+/.exec(query.lines.lineAt(line).slice(character))?.[0] ?? '';
      asked.push(name);
      const sites = options.sites?.[name] ?? [];
      if (sites === 'hang') return never;
      if (sites === 'fail') throw new Error('language server crashed');
      return sites;
    },
  };
}

function run(source: typeof definitionsSource, query: ContextQuery, access: ProjectAccess, signal = new AbortController().signal): Promise<readonly ContextSnippet[]> {
  return source.candidates(query, access, signal);
}

/** Each path's best snippet (a qualified module's related exports come lower than what is used). */
function byPath(snippets: readonly ContextSnippet[]): Map<string, ContextSnippet> {
  const best = new Map<string, ContextSnippet>();
  for (const s of snippets) if ((best.get(s.path)?.score ?? -1) < s.score) best.set(s.path, s);
  return best;
}

// A tiny TypeScript project.
const CART = `import type { Item } from './item';

/** A shopping cart. */
export class Cart {
  private items: Item[] = [];

  /** Adds an item. */
  add(item: Item, quantity = 1): void {
    this.items.push(item);
  }

  remove(id: string): boolean {
    return this.items.length > 0;
  }
}

export function emptyCart(): Cart {
  return new Cart();
}
`;
const PRICING = `import type { Item } from './item';

export const TAX = 0.2;

/** The price of an item, tax included. */
export function price(item: Item): number {
  return item.cents * (1 + TAX);
}

export function discount(item: Item, percent: number): number {
  return item.cents * (1 - percent / 100);
}
`;
const UTIL = `export function format(cents: number, currency = 'EUR'): string {
  return (cents / 100).toFixed(2) + ' ' + currency;
}

export function parse(text: string): number {
  return Number(text);
}
`;
const ITEM = `export interface Item {
  id: string;
  cents: number;
}
`;
const APP = `import { Cart } from './cart';
import { price, TAX as VAT } from './pricing';
import * as util from './util';
import type { Item } from './item';
import { missing } from './missing';

export function main(item: Item): string {
  // A comment that mentions Ghost, which is looked up never.
  const cart = new Cart();
  cart.add(item, 2);
  const label = "price of Phantom";
  return util.format(price(item) * VAT);
}
`;
const TS_FILES: Record<string, string> = { 'src/cart.ts': CART, 'src/pricing.ts': PRICING, 'src/util.ts': UTIL, 'src/item.ts': ITEM, 'src/app.ts': APP };

function line(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle));
}

const TS_SITES: Record<string, readonly DefinitionSite[]> = {
  Cart: [{ path: 'src/cart.ts', line: line(CART, 'export class Cart') }],
  add: [{ path: 'src/cart.ts', line: line(CART, 'add(item') }],
  cart: [{ path: 'src/app.ts', line: line(APP, 'const cart') }],
  item: [{ path: 'src/app.ts', line: line(APP, 'export function main') }],
  price: [{ path: 'src/pricing.ts', line: line(PRICING, 'export function price') }],
  VAT: [{ path: 'src/pricing.ts', line: line(PRICING, 'export const TAX') }],
  format: [{ path: 'src/util.ts', line: 0 }],
  util: [{ path: 'src/util.ts', line: 0 }],
  main: [{ path: 'src/app.ts', line: line(APP, 'export function main') }],
  Item: [{ path: 'src/item.ts', line: 0 }],
};

describe('context: definitions and imports sources', () => {
  describe('identifiers near the cursor', () => {
    it('takes the cursor line from its end, then the lines above, skipping keywords, strings, comments, repeats and one-letter names', () => {
      const query = queryAt('src/app.ts', APP, 'return util.format');
      const names = identifiersNear(query, 100).map((i) => `${i.name}@${i.distance}`);
      assert.deepEqual(names.slice(0, 6), ['VAT@0', 'item@0', 'price@0', 'format@0', 'util@0', 'label@1']);
      for (const skipped of ['return', 'const', 'new', 'Ghost', 'Phantom', 'A']) assert.ok(!names.some((n) => n.startsWith(`${skipped}@`)), skipped);
      assert.equal(names.filter((n) => n.startsWith('item@')).length, 1);
    });

    it('looks up at most twelve, at most ten lines above', () => {
      const text = Array.from({ length: 30 }, (_, i) => `value${i} = other${i}`).join('\n');
      const query: ContextQuery = { path: 'a.py', languageId: 'python', lines: linesOf(text), cursorLine: 29 };
      const found = identifiersNear(query);
      assert.equal(found.length, 12);
      assert.deepEqual(found.slice(0, 2).map((i) => i.name), ['other29', 'value29']);
      assert.equal(identifiersNear(query, 100).at(-1)?.line, 19);
    });
  });

  describe('definitions source', () => {
    it("shows each definition's signature from other files, scored by distance from the cursor", async () => {
      const access = workspace(TS_FILES, { sites: TS_SITES });
      const snippets = await run(definitionsSource, queryAt('src/app.ts', APP, 'return util.format'), access);
      assert.ok(snippets.every((s) => s.source === 'definitions' && s.path !== 'src/app.ts'), 'sites in the current file are skipped');
      const price = snippets.find((s) => s.text.startsWith('/** The price'))!;
      assert.equal(price.text, '/** The price of an item, tax included. */\nexport function price(item: Item): number { … }');
      assert.equal(price.score, 1, 'used on the cursor line');
      const add = snippets.find((s) => s.text.includes('add(item'))!;
      assert.equal(add.text, 'export class Cart {\n  /** Adds an item. */\n  add(item: Item, quantity = 1): void { … }\n}');
      assert.ok(add.score < 1 && add.score > 0.5, `${add.score}`);
      const cart = snippets.find((s) => s.text.startsWith('/** A shopping cart. */'))!;
      assert.ok(cart.text.includes('remove(id: string): boolean { … }') && !cart.text.includes('push'));
      assert.ok(cart.score < add.score, 'further up, lower');
      assert.ok(snippets.some((s) => s.text === 'export const TAX = 0.2;'));
      assert.ok(!access.asked.includes('Ghost') && !access.asked.includes('return'));
    });

    it('shows a site once, at the best score of the identifiers that lead to it', async () => {
      const access = workspace(TS_FILES, { sites: TS_SITES });
      const snippets = await run(definitionsSource, queryAt('src/app.ts', APP, 'return util.format'), access);
      const util = snippets.filter((s) => s.path === 'src/util.ts');
      assert.equal(util.length, 1, '`util` and `format` both point at line 0');
      assert.equal(util[0].score, 1);
      assert.equal(util[0].text, "export function format(cents: number, currency = 'EUR'): string { … }");
    });

    it('returns what it has when the signal aborts, while other lookups still hang', async () => {
      const access = workspace(TS_FILES, { sites: { ...TS_SITES, format: 'hang', util: 'hang', item: 'fail' } });
      const controller = new AbortController();
      const pending = run(definitionsSource, queryAt('src/app.ts', APP, 'return util.format'), access, controller.signal);
      setTimeout(() => controller.abort(), 20);
      const snippets = await pending;
      assert.ok(snippets.some((s) => s.path === 'src/pricing.ts'), 'lookups that answered count');
      assert.ok(!snippets.some((s) => s.path === 'src/util.ts'));
      assert.deepEqual(await run(definitionsSource, queryAt('src/app.ts', APP, 'return'), access, AbortSignal.abort()), []);
    });

    it('skips a missing or unreadable file, and works without a language server', async () => {
      const sites = { ...TS_SITES, price: [{ path: 'src/gone.ts', line: 3 }], VAT: [{ path: 'src/secret.ts', line: 0 }] };
      const access = workspace({ ...TS_FILES, 'src/secret.ts': 'export const KEY = 1;' }, { sites, fail: ['src/secret.ts'] });
      const snippets = await run(definitionsSource, queryAt('src/app.ts', APP, 'return util.format'), access);
      assert.ok(snippets.length > 0);
      assert.ok(!snippets.some((s) => s.path === 'src/gone.ts' || s.path === 'src/secret.ts'));
      const { definitions: _unused, ...withoutServer } = workspace(TS_FILES);
      assert.deepEqual(await run(definitionsSource, queryAt('src/app.ts', APP, 'return'), withoutServer), []);
    });
  });

  describe('imports source', () => {
    it('shows what a TypeScript file imports, limited to the imported names, higher when used near the cursor', async () => {
      const access = workspace(TS_FILES);
      const all = await run(importsSource, queryAt('src/app.ts', APP, 'return util.format'), access);
      const snippets = byPath(all);
      assert.deepEqual([...snippets.keys()].sort(), ['src/cart.ts', 'src/item.ts', 'src/pricing.ts', 'src/util.ts']);
      // Two names imported from pricing.ts: a snippet each, each scored by its own use.
      const pricing = all.filter((s) => s.path === 'src/pricing.ts');
      assert.deepEqual(
        pricing.map((s) => [s.text, s.score]).sort(),
        [['/** The price of an item, tax included. */\nexport function price(item: Item): number { … }', 1], ['export const TAX = 0.2;', 1]],
      );
      assert.equal(
        snippets.get('src/util.ts')?.text,
        "export function format(cents: number, currency = 'EUR'): string { … }\nexport function parse(text: string): number { … }",
        'a small module used as util.X is shown whole',
      );
      assert.ok(!snippets.get('src/cart.ts')?.text.includes('emptyCart'));
      assert.ok(snippets.get('src/cart.ts')?.text.includes('add(item: Item, quantity = 1): void { … }'));
      assert.equal(snippets.get('src/pricing.ts')?.score, 1, 'price and VAT are on the cursor line');
      assert.ok(snippets.get('src/cart.ts')!.score < 1 && snippets.get('src/cart.ts')!.score > 0.5);
      const far = byPath(await run(importsSource, { ...queryAt('src/app.ts', APP, 'return util.format'), cursorLine: 0 }, access));
      assert.ok(far.get('src/pricing.ts')!.score < snippets.get('src/pricing.ts')!.score, 'used further from the cursor, lower');
    });

    it('follows an index that re-exports: the names come from the files that declare them, two levels deep at most', async () => {
      const files: Record<string, string> = {
        'src/index.ts': "export * from './client';\nexport { Helper } from './helpers/index';\n",
        'src/client.ts': 'export class Client {\n  send(body: string): Promise<void> { return Promise.resolve(); }\n}\n',
        'src/helpers/index.ts': "export * from './helper';\n",
        'src/helpers/helper.ts': 'export function Helper(x: number): number { return x; }\nexport function other(): void {}\n',
        'src/app.ts': "import { Client, Helper } from './index';\n\nconst c = new Client();\n",
      };
      const found = await run(importsSource, queryAt('src/app.ts', files['src/app.ts'], 'new Client'), workspace(files));
      const texts = found.map((snippet) => `${snippet.path}: ${snippet.text}`).sort();
      assert.deepEqual(texts, [
        'src/client.ts: export class Client {\n  send(body: string): Promise<void> { … }\n}',
        'src/helpers/helper.ts: export function Helper(x: number): number { … }',
      ]);
      const deeper = { ...files, 'src/helpers/index.ts': "export * from './more/index';\n", 'src/helpers/more/index.ts': "export * from './helper';\n", 'src/helpers/more/helper.ts': files['src/helpers/helper.ts'] };
      const tooDeep = await run(importsSource, queryAt('src/app.ts', files['src/app.ts'], 'new Client'), workspace(deeper));
      assert.deepEqual(tooDeep.map((snippet) => snippet.path), ['src/client.ts'], 'three re-exports deep is not followed');
    });

    it('shows a Python package: relative and absolute imports, a module alias by its uses', async () => {
      const files: Record<string, string> = {
        'shop/__init__.py': '',
        'shop/models.py': 'class Item:\n    """An item."""\n\n    def describe(self, locale: str) -> str:\n        return locale\n\n\nclass Order:\n    pass\n',
        'shop/util.py': 'def helper(x: int) -> int:\n    return x\n\n\ndef other():\n    pass\n',
        'shop/cart.py': 'from .models import Item\nimport shop.util as u\n\n\ndef total(items):\n    return u.helper(len(items))\n',
      };
      const query = queryAt('shop/cart.py', files['shop/cart.py'], 'return u.helper');
      const snippets = byPath(await run(importsSource, query, workspace(files)));
      assert.equal(snippets.get('shop/models.py')?.text, 'class Item:\n    """An item."""\n    def describe(self, locale: str) -> str: ...');
      assert.equal(snippets.get('shop/util.py')?.text, 'def helper(x: int) -> int: ...\ndef other(): ...', 'a small module: whole');
      assert.equal(snippets.get('shop/util.py')?.score, 1);
    });

    it("shows a qualified Python module whole and brief when only its docs make it too long, private functions included", async () => {
      const doc = '    """' + 'Explain at length. '.repeat(40) + '"""\n';
      const files: Record<string, string> = {
        'aio/__init__.py': '',
        'aio/format_helpers.py': `def _get_function_source(func):\n${doc}    pass\n\n\ndef _format_callback_source(func, args):\n${doc}    pass\n\n\ndef extract_stack(f=None, limit=None):\n${doc}    pass\n`,
        'aio/events.py': 'from . import format_helpers\n\n\ndef info(cb):\n    stack = format_helpers.extract_stack()\n    x = 1\n',
      };
      const query = queryAt('aio/events.py', files['aio/events.py'], 'x = 1');
      const snippets = byPath(await run(importsSource, query, workspace(files)));
      assert.equal(
        snippets.get('aio/format_helpers.py')?.text,
        'def _get_function_source(func): ...\ndef _format_callback_source(func, args): ...\ndef extract_stack(f=None, limit=None): ...',
      );
    });

    it('reads a module re-exported as a namespace (`export * as coreTokens from`) as a qualified import', async () => {
      const files: Record<string, string> = {
        'src/di/core-tokens.ts': "export const execa = 'execa';\nexport const loggingSink = 'loggingSink';\nexport const testRunnerPool = 'testRunnerPool';\n",
        'src/di/index.ts': "export * as coreTokens from './core-tokens';\nexport { other } from './other';\n",
        'src/di/other.ts': 'export function other(): void {}\n',
        'src/stryker.ts': "import { coreTokens as tokens } from './di/index';\n\nconst provided = {\n  [tokens.execa]: 1,\n  x: 2,\n};\n",
      };
      const query = queryAt('src/stryker.ts', files['src/stryker.ts'], 'x: 2');
      const snippets = byPath(await run(importsSource, query, workspace(files)));
      assert.equal(snippets.get('src/di/core-tokens.ts')?.text, files['src/di/core-tokens.ts'].trimEnd(), 'a small module: whole');
      assert.ok(snippets.get('src/di/core-tokens.ts')!.score > 0.5, 'used as tokens.execa one line up');
      assert.equal(snippets.has('src/di/other.ts'), false, 'only what the file imports');
    });

    it("offers a qualified module's exports the nearby code speaks of, below the ones it uses, each its own small snippet", async () => {
      const errors = ['MessageError', 'BoundaryError', 'HeaderParseError', 'MultipartConversionError', 'CharsetError', 'ObsoleteHeaderDefect', 'InvalidBase64Defect', 'NoBoundaryDefect', 'CloseBoundaryNotFoundDefect', 'HeaderDefect', 'HeaderMissingRequiredValue']
        // With 30 more (41 names), the module is too big to be shown whole, even brief (SMALL_MODULE).
        .concat(Array.from({ length: 30 }, (_, i) => `Other${i}Warning`))
        .map((name) => `class ${name}(Exception):\n    """Raised when ${name} stops the message from being read as it was written."""\n`)
        .join('\n\n');
      const files: Record<string, string> = {
        'mail/errors.py': `${errors}\n\ndef _private_helper():\n    pass\n`,
        'mail/charset.py': 'from . import errors\n\n\ndef check(input_charset, header):\n    if not header:\n        raise errors.HeaderParseError(header)\n    if not input_charset:\n        pass\n',
      };
      const query = queryAt('mail/charset.py', files['mail/charset.py'], '        pass');
      const found = (await run(importsSource, query, workspace(files))).filter((s) => s.path === 'mail/errors.py');
      const named = found.map((s) => [/class (\w+)/.exec(s.text)?.[1], Number(s.score.toFixed(3))]);
      // Used: HeaderParseError (two lines up). Related, most alike first (charset, header, parse and
      // error are near; at equal affinity in file order); six at most, none the code does not speak
      // of (InvalidBase64Defect), never a private name.
      assert.deepEqual(named, [
        ['HeaderParseError', Number((0.5 + 0.5 * 0.92 ** 2).toFixed(3))],
        ['CharsetError', 0.5],
        ['MessageError', 0.4],
        ['BoundaryError', 0.4],
        ['HeaderDefect', 0.4],
        ['MultipartConversionError', 0.367],
        ['ObsoleteHeaderDefect', 0.367],
      ]);
      for (const snippet of found) assert.ok(snippet.text.length <= 600);
      // The import line is far above (an import counts as a use within 40 lines).
      const filler = 'LIMIT = 1\n'.repeat(50);
      const bare = { ...files, 'mail/charset.py': `from .errors import HeaderParseError, CharsetError, BoundaryError\n${filler}\n\ndef check(input_charset):\n    pass\n` };
      const imported = await run(importsSource, queryAt('mail/charset.py', bare['mail/charset.py'], '    pass'), workspace(bare));
      const scores = new Map(imported.map((s) => [/class (\w+)/.exec(s.text)?.[1], s.score]));
      assert.deepEqual([...scores.keys()].sort(), ['BoundaryError', 'CharsetError', 'HeaderParseError'], 'names imported one by one: only those');
      assert.ok(scores.get('CharsetError')! > scores.get('BoundaryError')!, 'an unused name the code speaks of ranks higher');
    });

    it("shows a Go package's names used through its qualifier, and what the file's own package declares", async () => {
      const files: Record<string, string> = {
        'go.mod': 'module example.com/shop\n',
        'store/cart.go': 'package store\n\n// NewCart makes a cart.\nfunc NewCart(owner string) *Cart {\n\treturn nil\n}\n\nfunc Other() {}\n',
        'api/handler.go': 'package api\n\nimport (\n\t"fmt"\n\t"example.com/shop/store"\n)\n\nfunc Handle() {\n\tc := store.NewCart(ownerName())\n\tfmt.Println(c)\n}\n',
        'api/names.go': 'package api\n\nfunc ownerName() string {\n\treturn "me"\n}\n',
        'api/routes.go': 'package api\n\nfunc routes() []string {\n\treturn nil\n}\n',
      };
      const query = queryAt('api/handler.go', files['api/handler.go'], 'store.NewCart');
      const snippets = byPath(await run(importsSource, query, workspace(files)));
      assert.equal(snippets.get('store/cart.go')?.text, '// NewCart makes a cart.\nfunc NewCart(owner string) *Cart { … }\nfunc Other() { … }', 'a small package: whole');
      assert.equal(snippets.get('api/names.go')?.text, 'func ownerName() string { … }');
      assert.equal(snippets.get('api/routes.go')?.text, 'func routes() []string { … }', 'nothing of it is used: shown whole, low');
      assert.ok(snippets.get('api/routes.go')!.score < snippets.get('api/names.go')!.score);
      assert.ok(snippets.get('api/names.go')!.score < snippets.get('store/cart.go')!.score);
    });

    it('reads only the first lines of a huge document and the lines around the cursor', async () => {
      const head = "import { price } from './pricing';\n";
      const text = `${head}${'const x = 1;\n'.repeat(100_000)}price(x);`;
      const lines = linesOf(text);
      const touched = new Set<number>();
      const spy: TextLines = { lineCount: lines.lineCount, lineAt: (i) => (touched.add(i), lines.lineAt(i)) };
      const query: ContextQuery = { path: 'src/big.ts', languageId: 'typescript', lines: spy, cursorLine: lines.lineCount - 1 };
      const snippets = await run(importsSource, query, workspace(TS_FILES));
      assert.equal(snippets[0]?.path, 'src/pricing.ts');
      assert.ok(touched.size < 400, `${touched.size} lines read`);
    });

    it('skips missing, unreadable and hanging files, and returns what it has when the signal aborts', async () => {
      const controller = new AbortController();
      const access = workspace(TS_FILES, { fail: ['src/cart.ts'], hang: ['src/util.ts'] });
      const pending = run(importsSource, queryAt('src/app.ts', APP, 'return util.format'), access, controller.signal);
      setTimeout(() => controller.abort(), 20);
      assert.deepEqual([...byPath(await pending).keys()].sort(), ['src/item.ts', 'src/pricing.ts']);
      assert.deepEqual(await run(importsSource, queryAt('src/app.ts', APP, 'return'), workspace(TS_FILES), AbortSignal.abort()), []);
      const ruby: ContextQuery = { path: 'a.rb', languageId: 'ruby', lines: linesOf("require_relative 'b'"), cursorLine: 0 };
      assert.deepEqual(await run(importsSource, ruby, workspace({ 'b.rb': '' })), []);
    });
  });
});
