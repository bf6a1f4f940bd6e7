import * as assert from 'node:assert/strict';
import { fileSignatures, signatureAt, type SignatureOptions } from '../../../src/core/context/signatures';
import type { ProjectFile } from '../../../src/core/context/types';

const OPTIONS: SignatureOptions = { source: 'imports', score: 0.5, maxChars: 5000 };

const CART_TS = `import { Base } from './base';

/**
 * A shopping cart.
 *
 * Holds items until checkout.
 * @example new Cart()
 */
@Injectable({
  providedIn: 'root',
})
export class Cart extends Base<{ id: string }> implements Iterable<Item> {
  private readonly items: Item[] = [];
  #secret = 1;
  static readonly MAX = 10;
  total: number;

  constructor(private readonly pricing: Pricing, currency = 'EUR') {
    super();
    this.total = 0;
  }

  /** Adds an item. */
  add(item: Item, quantity = 1): void {
    for (let i = 0; i < quantity; i++) {
      this.items.push(item);
    }
  }

  // Removes every item of that id.
  remove(
    id: string,
    options?: { all: boolean },
  ): boolean {
    return this.items.length > 0;
  }

  get size(): number { return this.items.length; }

  private recompute(): void {
    this.total = this.items.length;
  }

  async *entries(): AsyncGenerator<Item> {}

  onChange = (handler: () => void): void => {
    handler();
  };
}

export interface Item {
  id: string;
  /** In cents. */
  price: number;
  describe(locale?: string): string;
}

export type Currency = 'EUR' | 'USD';

export const DEFAULT_CART: Partial<Cart> = {
  total: 0,
};

export function checkout(cart: Cart, payment: { card: string }): Promise<{ ok: boolean }> {
  if (cart.size === 0) {
    throw new Error('empty');
  }
  return Promise.resolve({ ok: true });
}

function helper(): number {
  return 1;
}

export const format = (n: number): string => {
  return n.toFixed(2);
};

export { helper as util };

export default class Store {
  open(path: string): void {}
}
`;

const MODELS_PY = `"""Shop models."""
import os
from dataclasses import dataclass

MAX_ITEMS = 10
_cache = {}
LOOKUP = {
    'a': 1,
}


@dataclass(frozen=True)
class Item:
    """An item in the cart.

    Longer description that is not kept.
    """

    id: str
    price: int = 0
    _hidden: int = 0

    def describe(self, locale: str = "en") -> str:
        """Describe the item."""
        return f"{self.id}"

    def _private(self):
        pass

    @property
    def cents(self) -> int:
        return self.price * 100

    async def fetch(
        self,
        session,
        timeout: float = 1.0,
    ) -> "Item":
        """Fetch it
        from the server.

        More.
        """
        return self

    def __eq__(self, other):  # compares ids
        return self.id == other.id


def total(items: list[Item]) -> int:
    return sum(i.price for i in items)


class Empty:
    pass


def _helper():
    pass
`;

const CART_GO = `package store

import "fmt"

// MaxItems is the most a cart holds.
const MaxItems = 10

const (
	// Red is red.
	Red Color = iota
	Green
	blue
)

// Cart holds items.
type Cart struct {
	Items []Item
	owner string
}

// Item is a thing.
type Item interface {
	Price() int
	Describe(locale string) string
}

// NewCart makes a cart.
func NewCart(owner string) *Cart {
	return &Cart{owner: owner}
}

// Add adds an item.
func (c *Cart) Add(item Item, qty int) error {
	for i := 0; i < qty; i++ {
		c.Items = append(c.Items, item)
	}
	return nil
}

func (c *Cart) total() int { return 0 }

func (c Cart) String() string {
	return fmt.Sprintf("%d", len(c.Items))
}

func helper() {}

var registry = map[string]*Cart{
	"a": nil,
}
`;

const ts: ProjectFile = { path: 'src/cart.ts', languageId: 'typescript', text: CART_TS };
const py: ProjectFile = { path: 'shop/models.py', languageId: 'python', text: MODELS_PY };
const go: ProjectFile = { path: 'store/cart.go', languageId: 'go', text: CART_GO };

function lineOf(file: ProjectFile, needle: string): number {
  const line = file.text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return line;
}

function summary(file: ProjectFile, options: Partial<Parameters<typeof fileSignatures>[1]> = {}): string {
  const snippet = fileSignatures(file, { ...OPTIONS, ...options });
  assert.ok(snippet !== undefined);
  return snippet.text;
}

function at(file: ProjectFile, needle: string, maxChars = 5000): string {
  const snippet = signatureAt(file, lineOf(file, needle), { ...OPTIONS, maxChars });
  assert.ok(snippet !== undefined);
  return snippet.text;
}

describe('context: signatures', () => {
  describe('brief (a base class)', () => {
    it('shows members without their doc comments or docstrings, private ones too when asked; the class keeps its own', () => {
      const python = summary(py, { names: new Set(['Item']), brief: true, includePrivate: true });
      assert.equal(
        python,
        [
          '@dataclass(frozen=True)',
          'class Item:',
          '    """An item in the cart.',
          '    """',
          '    id: str',
          '    price: int = 0',
          '    _hidden: int = 0',
          '    def describe(self, locale: str = "en") -> str: ...',
          '    def _private(self): ...',
          '    @property',
          '    def cents(self) -> int: ...',
          '    async def fetch(self, session, timeout: float = 1.0) -> "Item": ...',
          '    def __eq__(self, other):  # compares ids',
          '        ...',
        ].join('\n'),
      );
      const typescript = summary(ts, { names: new Set(['Cart']), brief: true });
      assert.ok(typescript.startsWith('/**\n * A shopping cart.'), 'the class keeps its doc comment');
      assert.ok(!typescript.includes('/** Adds an item. */') && !typescript.includes('// Removes every item'), typescript);
      assert.ok(typescript.includes('  add(item: Item, quantity = 1): void { … }\n  remove('), typescript);
      assert.ok(summary(ts, { names: new Set(['Cart']) }).includes('/** Adds an item. */'), 'not brief: docs kept');
    });
  });

  describe('brief: a header over several lines', () => {
    const brief = (text: string, path = 'loop.py', languageId = 'python') =>
      fileSignatures({ path, languageId, text }, { source: 'imports', score: 1, maxChars: 1000, names: new Set(['Loop']), brief: true })?.text;

    it('keeps every line of a header that has no docstring, joined on one line, and the decorators above it', () => {
      const text = ['class Loop:', '    @abstract', '    async def create_server(', '            self, factory,', '            start=True):', '        raise NotImplementedError', ''].join('\n');
      assert.equal(brief(text), ['class Loop:', '    @abstract', '    async def create_server(self, factory, start=True): ...'].join('\n'));
    });

    it('joins a TypeScript signature and drops a trailing comma; a header with a comment stays on its lines', () => {
      const ts = ['export class Loop {', '  connect(', '    host: string,', '    port: number,', '  ): Promise<void> {', '    return x;', '  }', '}', ''].join('\n');
      assert.equal(brief(ts, 'loop.ts', 'typescript'), ['export class Loop {', '  connect(host: string, port: number): Promise<void> { … }', '}'].join('\n'));
      const commented = ['class Loop:', '    def connect(self,', '                host,  # a name or an address', '                port):', '        pass', ''].join('\n');
      assert.equal(brief(commented), ['class Loop:', '    def connect(self,', '                host,  # a name or an address', '                port): ...'].join('\n'));
    });
  });

  describe('first: the members the file calls', () => {
    it('come first, so a cut list keeps them; without it, file order', () => {
      const methods = ['run_forever', 'stop', 'close', 'call_soon', 'time', 'get_debug'];
      const text = ['class Loop:', ...methods.map((m) => `    def ${m}(self):\n        raise NotImplementedError\n`)].join('\n');
      const file = { path: 'loop.py', languageId: 'python', text };
      const options = { source: 'imports' as const, score: 1, maxChars: 90, names: new Set(['Loop']), brief: true };
      assert.equal(fileSignatures(file, options)?.text, ['class Loop:', '    def run_forever(self): ...', '    def stop(self): ...', '    # …'].join('\n'));
      assert.equal(
        fileSignatures(file, { ...options, first: new Set(['get_debug', 'time']) })?.text,
        ['class Loop:', '    def time(self): ...', '    def get_debug(self): ...', '    # …'].join('\n'),
      );
    });

    it("a constructor's prototype methods too", () => {
      const text = ['function Suite(title) {', '  this.title = title;', '}', 'Suite.prototype.addTest = function (test) {', '  return this;', '};', 'Suite.prototype.hasOnly = function () {', '  return true;', '};', ''].join('\n');
      const file = { path: 'suite.js', languageId: 'javascript', text };
      const shown = fileSignatures(file, { source: 'imports', score: 1, maxChars: 1000, names: new Set(['Suite']), brief: true, first: new Set(['hasOnly']) });
      assert.deepEqual(shown?.text.split('\n').map((l) => l.split(' = ')[0]), ['function Suite(title) { … }', 'Suite.prototype.hasOnly', 'Suite.prototype.addTest']);
    });
  });

  describe('TypeScript', () => {
    it('shows a class as its header and every public member signature, bodies left out', () => {
      const text = summary(ts);
      for (const member of [
        'static readonly MAX = 10;',
        'total: number;',
        "constructor(private readonly pricing: Pricing, currency = 'EUR') { … }",
        'add(item: Item, quantity = 1): void { … }',
        '  remove(\n    id: string,\n    options?: { all: boolean },\n  ): boolean { … }',
        'get size(): number { … }',
        'async *entries(): AsyncGenerator<Item> { … }',
        'onChange = (handler: () => void): void => { … };',
      ]) {
        assert.ok(text.includes(member), member);
      }
      assert.ok(text.includes('export class Cart extends Base<{ id: string }> implements Iterable<Item> {'));
      for (const body of ['this.items.push', 'super()', 'return', 'handler()', 'throw']) assert.ok(!text.includes(body), body);
      for (const hidden of ['recompute', '#secret', 'private readonly items']) assert.ok(!text.includes(hidden), hidden);
    });

    it('keeps doc comments, decorators, and cuts a long doc comment to its first paragraph', () => {
      const text = summary(ts);
      assert.ok(text.startsWith("/**\n * A shopping cart.\n */\n@Injectable({\n  providedIn: 'root',\n})\nexport class Cart"), text);
      assert.ok(!text.includes('@example'));
      assert.ok(text.includes('  /** Adds an item. */\n  add('));
      assert.ok(text.includes('  // Removes every item of that id.\n  remove('));
      assert.ok(text.includes('  /** In cents. */\n  price: number;'));
    });

    it('shows interfaces and short type aliases whole, functions and values as headers', () => {
      const text = summary(ts);
      assert.ok(text.includes('export interface Item {\n  id: string;\n  /** In cents. */\n  price: number;\n  describe(locale?: string): string;\n}'));
      assert.ok(text.includes("export type Currency = 'EUR' | 'USD';"));
      assert.ok(text.includes('export const DEFAULT_CART: Partial<Cart> = { … };'));
      assert.ok(text.includes('export function checkout(cart: Cart, payment: { card: string }): Promise<{ ok: boolean }> { … }'));
      assert.ok(text.includes('export const format = (n: number): string => { … };'));
      assert.ok(text.includes('function helper(): number { … }'), 'exported through `export { helper as util }`');
      assert.ok(text.includes('export default class Store {\n  open(path: string): void { … }\n}'));
    });

    it('limits a summary to the imported names: declared, aliased or default', () => {
      assert.equal(summary(ts, { names: new Set(['Currency', 'util']) }), "export type Currency = 'EUR' | 'USD';\nfunction helper(): number { … }");
      assert.equal(summary(ts, { names: new Set(['default']) }), 'export default class Store {\n  open(path: string): void { … }\n}');
      assert.equal(fileSignatures(ts, { ...OPTIONS, names: new Set(['Nothing']) }), undefined);
    });

    it('counts every top-level declaration of a script without exports', () => {
      const script: ProjectFile = { path: 'lib/legacy.js', languageId: 'javascript', text: 'function a(x) {\n  return x;\n}\nclass B {\n  m(y) {\n    return y;\n  }\n}\nmodule.exports = { a, B };\n' };
      assert.equal(summary(script), 'function a(x) { … }\nclass B {\n  m(y) { … }\n}');
    });

    it('reports the lines it covers', () => {
      const snippet = fileSignatures(ts, { ...OPTIONS, names: new Set(['Item']) })!;
      assert.deepEqual([snippet.startLine, snippet.endLine, snippet.source, snippet.score, snippet.path], [lineOf(ts, 'export interface Item'), lineOf(ts, 'describe(locale') + 1, 'imports', 0.5, 'src/cart.ts']);
    });

    it('keeps to the character cap, cutting between members and saying so', () => {
      assert.equal(summary(ts, { maxChars: 120 }).split('\n')[0], 'export interface Item {', 'the class does not fit; a smaller declaration after it does');
      for (const maxChars of [200, 300, 420]) {
        const text = summary(ts, { maxChars });
        assert.ok(text.length <= maxChars, `${text.length} > ${maxChars}`);
        assert.ok(text.includes('export class Cart'), 'the class header always fits these caps');
        assert.ok(text.includes('  // …\n}'), `members were left out, and the class is closed:\n${text}`);
        // A member is whole or absent: a multi-line header is never cut.
        assert.equal(text.includes('remove('), text.includes('): boolean { … }'));
        assert.ok(!text.includes('{\n}'), `no container is shown empty:\n${text}`);
      }
      assert.equal(fileSignatures(ts, { ...OPTIONS, maxChars: 20 }), undefined, 'nothing fits');
    });

    it('at a method: the class header and that member only', () => {
      assert.equal(at(ts, 'add(item'), 'export class Cart extends Base<{ id: string }> implements Iterable<Item> {\n  /** Adds an item. */\n  add(item: Item, quantity = 1): void { … }\n}');
      assert.ok(at(ts, 'private recompute').includes('private recompute(): void { … }'), 'a private member shows when it is the one pointed at');
      assert.equal(at(ts, 'describe(locale'), 'export interface Item {\n  describe(locale?: string): string;\n}');
    });

    it('at a class: its member list; at a function: its header', () => {
      const text = at(ts, 'export class Cart');
      assert.ok(text.includes('add(item: Item, quantity = 1): void { … }') && text.includes('get size(): number { … }'));
      assert.ok(!text.includes('this.items.push'));
      assert.equal(at(ts, 'export function checkout'), 'export function checkout(cart: Cart, payment: { card: string }): Promise<{ ok: boolean }> { … }');
    });

    it('at a line of no known shape, or in a language without a record: a few lines around it', () => {
      const inBody = signatureAt(ts, lineOf(ts, 'this.items.push'), OPTIONS)!;
      assert.equal(inBody.text.split('\n')[1], '    this.items.push(item);', 'dedented by the indentation the lines share');
      assert.ok(inBody.text.split('\n').length <= 7);
      const ruby: ProjectFile = { path: 'a.rb', languageId: 'ruby', text: 'a\nb\nc\ndef go\n  1\nend\ne\nf\ng\nh' };
      const snippet = signatureAt(ruby, 3, OPTIONS)!;
      assert.deepEqual([snippet.startLine, snippet.endLine, snippet.text], [2, 8, 'c\ndef go\n  1\nend\ne\nf\ng']);
      assert.equal(signatureAt(ruby, 3, { ...OPTIONS, maxChars: 9 })?.text, 'c\ndef go');
    });
  });

  describe('CommonJS', () => {
    const RUNNER = [
      "'use strict';",
      '/**',
      ' * Runs the suite.',
      ' */',
      'function Runner(suite, opts) {',
      '  this.suite = suite;',
      '}',
      '/** Runs one test. */',
      'Runner.prototype.runTest = function (fn) {',
      '  return fn();',
      '};',
      'function helper() {}',
      'exports.isString = function (obj) {',
      "  return typeof obj === 'string';",
      '};',
      'exports.clean = (str) => {',
      '  return str.trim();',
      '};',
      'module.exports.Runner = Runner;',
    ].join('\n');
    const file: ProjectFile = { path: 'lib/runner.js', languageId: 'javascript', text: RUNNER };
    const options = { source: 'imports' as const, score: 1, maxChars: 1500 };

    it('exports.X = function and arrows are exported; a constructor exported by name comes with its prototype methods; the rest is private', () => {
      assert.equal(
        fileSignatures(file, options)?.text,
        [
          '/**',
          ' * Runs the suite.',
          ' */',
          'function Runner(suite, opts) { … }',
          '/** Runs one test. */',
          'Runner.prototype.runTest = function (fn) { … };',
          'exports.isString = function (obj) { … };',
          'exports.clean = (str) => { … };',
        ].join('\n'),
      );
    });

    it('by name: `utils.isString(` asks for isString only', () => {
      assert.equal(fileSignatures(file, { ...options, names: new Set(['isString']) })?.text, 'exports.isString = function (obj) { … };');
    });
  });

  describe('Python', () => {
    it('shows a class with its decorators, docstring paragraph, attributes and method signatures', () => {
      const text = summary(py);
      assert.ok(text.includes('@dataclass(frozen=True)\nclass Item:\n    """An item in the cart.\n    """\n    id: str\n    price: int = 0\n'), text);
      assert.ok(text.includes('    def describe(self, locale: str = "en") -> str:\n        """Describe the item."""\n'));
      assert.ok(text.includes('    @property\n    def cents(self) -> int: ...\n'));
      assert.ok(text.includes('    async def fetch(\n        self,\n        session,\n        timeout: float = 1.0,\n    ) -> "Item":\n        """Fetch it\n        from the server.\n        """\n'));
      assert.ok(text.includes('    def __eq__(self, other):  # compares ids\n        ...'), 'a dunder is public; a comment keeps the ellipsis on its own line');
      for (const hidden of ['_private', '_hidden', '_helper', '_cache', 'Longer description', 'return', 'More.']) assert.ok(!text.includes(hidden), hidden);
    });

    it('shows module functions and values as one-line headers', () => {
      const text = summary(py);
      assert.ok(text.startsWith('MAX_ITEMS = 10\nLOOKUP = ...\n'), text);
      assert.ok(text.endsWith('def total(items: list[Item]) -> int: ...\nclass Empty: ...'), text);
    });

    it('limits to imported names, keeps to the cap, and points at a method within its class', () => {
      assert.equal(summary(py, { names: new Set(['total', 'MAX_ITEMS']) }), 'MAX_ITEMS = 10\ndef total(items: list[Item]) -> int: ...');
      const capped = summary(py, { maxChars: 150 });
      assert.ok(capped.length <= 150 && capped.endsWith('    price: int = 0\n    # …'), capped);
      assert.equal(at(py, 'def describe'), 'class Item:\n    """An item in the cart.\n    """\n    def describe(self, locale: str = "en") -> str:\n        """Describe the item."""');
    });

    it('shows a nested function alone, dedented', () => {
      const file: ProjectFile = { path: 'a.py', languageId: 'python', text: 'def outer():\n    def inner(a, b):\n        return a\n    return inner\n' };
      assert.equal(signatureAt(file, 1, OPTIONS)?.text, 'def inner(a, b): ...');
    });
  });

  describe('Go', () => {
    it('shows types with their fields and their methods, functions as headers, with doc comments', () => {
      const text = summary(go);
      assert.ok(text.includes('// Cart holds items.\ntype Cart struct {\n\tItems []Item\n\towner string\n}\n// Add adds an item.\nfunc (c *Cart) Add(item Item, qty int) error { … }\nfunc (c Cart) String() string { … }\n'), text);
      assert.ok(text.includes('// Item is a thing.\ntype Item interface {\n\tPrice() int\n\tDescribe(locale string) string\n}'));
      assert.ok(text.includes('// NewCart makes a cart.\nfunc NewCart(owner string) *Cart { … }'));
      assert.ok(text.includes('const (\n\t// Red is red.\n\tRed Color = iota\n\tGreen\n\tblue\n)'));
      for (const hidden of ['total()', 'helper', 'registry', 'append']) assert.ok(!text.includes(hidden), hidden);
    });

    it("includes unexported declarations for the file's own package", () => {
      assert.equal(summary(go, { includePrivate: true, names: new Set(['helper', 'registry']) }), 'func helper() { … }\nvar registry = map[string]*Cart{ … }');
    });

    it('at a type: its fields and methods (unexported too); at a field: the struct with that field', () => {
      const text = at(go, 'type Cart struct');
      assert.ok(text.includes('func (c *Cart) total() int { … }') && text.includes('func (c *Cart) Add(item Item, qty int) error { … }'));
      assert.equal(at(go, 'owner string'), 'type Cart struct {\n\towner string\n}');
      assert.equal(at(go, 'Describe(locale'), 'type Item interface {\n\tDescribe(locale string) string\n}');
    });
  });

  it('finds the top level again after a regular expression the lexer misreads', () => {
    const text = "const OPEN = /\\(/;\nconst ANY = /[{[]/;\n\nexport class After {\n  run(a: string): void {\n    go();\n  }\n}\n";
    assert.equal(summary({ path: 'r.ts', languageId: 'typescript', text }), 'export class After {\n  run(a: string): void { … }\n}');
  });

  // Its speed is the benchmark's to measure (npm run bench:context times every gather); here, what it reads.
  it('reads only the first part of a huge file: a declaration past it is not outlined', () => {
    const body = 'export function f(a: number): number {\n  return a + 1;\n}\n';
    const text = `export class Big {\n  m(): void {}\n}\n${body.repeat(120_000)}export function last(): void {}\n`;
    const file: ProjectFile = { path: 'big.ts', languageId: 'typescript', text };
    const snippet = fileSignatures(file, { ...OPTIONS, maxChars: 1000, names: new Set(['Big', 'last']) });
    assert.equal(snippet?.text, 'export class Big {\n  m(): void { … }\n}');
    const late = signatureAt(file, 3 + 120_000 * 3, OPTIONS);
    assert.equal(late?.text, '}\nexport function last(): void {}', 'past the scanned part: the lines around');
  });
});
