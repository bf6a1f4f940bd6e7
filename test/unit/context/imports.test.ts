import * as assert from 'node:assert/strict';
import type { TextLines } from '../../../src/core/document';
import { dirname, joinPath, parseImports, resolveImports, WorkspaceFiles, type ResolvedImport } from '../../../src/core/context/imports';
import type { ProjectAccess } from '../../../src/core/context/types';

function linesOf(text: string): TextLines {
  const lines = text.split('\n');
  return { lineCount: lines.length, lineAt: (i) => lines[i] };
}

/** A workspace over an in-memory map; `listing: false` leaves filesIn out (existence by reading). */
function workspace(files: Record<string, string>, listing = true): ProjectAccess {
  const access: ProjectAccess = {
    recentFiles: () => [],
    readFile: async (path) => (path in files ? { path, languageId: 'plaintext', text: files[path] } : undefined),
  };
  if (!listing) return access;
  return { ...access, filesIn: async (directory) => Object.keys(files).filter((p) => dirname(p) === directory) };
}

async function resolve(files: Record<string, string>, path: string, languageId: string, listing = true): Promise<ResolvedImport[]> {
  return resolveImports(path, languageId, parseImports(languageId, linesOf(files[path])), new WorkspaceFiles(workspace(files, listing)));
}

/** Each resolved import as `specifier -> paths [names] qualifier`, for readable assertions. */
function summary(resolved: readonly ResolvedImport[]): string[] {
  return resolved.map((r) => {
    const names = r.bindings.map((b) => (b.imported === b.local ? b.imported : `${b.imported} as ${b.local}`)).join(', ');
    return `${r.specifier} -> ${r.paths.join(' ')}${names === '' ? '' : ` [${names}]`}${r.qualifier === undefined ? '' : ` as ${r.qualifier}`}`;
  });
}

describe('context: imports', () => {
  describe('paths', () => {
    it('joins relative paths and refuses to climb out of the workspace', () => {
      assert.equal(joinPath('src/a', '../b/./c'), 'src/b/c');
      assert.equal(joinPath('', './x'), 'x');
      assert.equal(joinPath('src', '../../x'), undefined);
      assert.equal(dirname('src/a/b.ts'), 'src/a');
      assert.equal(dirname('b.ts'), '');
    });
  });

  describe('TypeScript and JavaScript', () => {
    const app = [
      "import { Cart, Item as CartItem } from './cart';",
      "import type { Currency } from './types.js';",
      "import Store, * as util from '../lib/util';",
      "import * as api from './api';",
      "import './polyfill';",
      "export { format } from './format';",
      "export * from './reexport';",
      "import React from 'react';",
      "import { missing } from './missing';",
      'import {',
      '  Multi,',
      '  type Line,',
      "} from './multi';",
      "const legacy = require('./legacy');",
      "const { a, b: bee } = require('./legacy2');",
      '',
      'export async function main(): Promise<void> {',
      "  const lazy = await import('./lazy');",
      '}',
    ].join('\n');
    const project: Record<string, string> = {
      'src/app.ts': app,
      'src/cart.ts': 'export class Cart {}',
      'src/types.ts': 'export type Currency = string;',
      'src/types.js': '// compiled output, not the source',
      'lib/util.ts': 'export default class Store {}',
      'src/api/index.ts': 'export const get = 1;',
      'src/polyfill.js': '',
      'src/format.tsx': 'export function format() {}',
      'src/reexport.d.ts': 'export declare const x: number;',
      'src/multi.ts': 'export const Multi = 1; export type Line = string;',
      'src/legacy.cjs': 'module.exports = {};',
      'src/legacy2.mjs': 'export const a = 1, b = 2;',
      'src/lazy.jsx': 'export default 1;',
    };

    it('reads every import form, with the names each brings in', () => {
      const parsed = parseImports('typescript', linesOf(app));
      const byPath = new Map(parsed.map((p) => [p.specifier, p]));
      assert.deepEqual(byPath.get('./cart')?.bindings, [
        { imported: 'Cart', local: 'Cart' },
        { imported: 'Item', local: 'CartItem' },
      ]);
      assert.deepEqual(byPath.get('../lib/util'), { specifier: '../lib/util', line: 2, bindings: [{ imported: 'default', local: 'Store' }], qualifier: 'util' });
      assert.deepEqual(byPath.get('./multi')?.bindings.map((b) => b.imported), ['Multi', 'Line']);
      assert.equal(byPath.get('./multi')?.line, 9, 'a statement over several lines is at its first line');
      assert.deepEqual(byPath.get('./legacy2')?.bindings, [
        { imported: 'a', local: 'a' },
        { imported: 'b', local: 'bee' },
      ]);
      assert.equal(byPath.get('./legacy')?.qualifier, 'legacy');
      assert.deepEqual(byPath.get('./lazy')?.bindings, []);
      assert.equal(byPath.has('react'), false, 'a bare package name is no workspace file');
    });

    it('resolves each to its file: extensions, index files, TypeScript source for a .js name', async () => {
      assert.deepEqual(summary(await resolve(project, 'src/app.ts', 'typescript')), [
        './cart -> src/cart.ts [Cart, Item as CartItem]',
        './types.js -> src/types.ts [Currency]',
        '../lib/util -> lib/util.ts [default as Store] as util',
        './api -> src/api/index.ts as api',
        './polyfill -> src/polyfill.js',
        './format -> src/format.tsx [format]',
        './reexport -> src/reexport.d.ts',
        './multi -> src/multi.ts [Multi, Line]',
        './legacy -> src/legacy.cjs as legacy',
        './legacy2 -> src/legacy2.mjs [a, b as bee]',
        './lazy -> src/lazy.jsx',
      ]);
    });

    it('finds files by reading them when the workspace cannot list folders', async () => {
      const resolved = await resolve(project, 'src/app.ts', 'typescript', false);
      assert.equal(resolved.length, 11);
      assert.deepEqual(resolved[1].paths, ['src/types.ts']);
    });

    it('reads only the first lines of a file', () => {
      const long = `${'// filler\n'.repeat(400)}import { late } from './late';`;
      let largest = 0;
      const lines = linesOf(long);
      const spy: TextLines = { lineCount: lines.lineCount, lineAt: (i) => ((largest = Math.max(largest, i)), lines.lineAt(i)) };
      assert.deepEqual(parseImports('typescript', spy), []);
      assert.ok(largest < 300, `read up to line ${largest}`);
    });
  });

  describe('Python', () => {
    const service = [
      'import os',
      'from typing import List',
      'from .. import models',
      'from ..models import Item, total',
      'from . import pricing, DEFAULT',
      'from ..util.money import (',
      '    cents,',
      '    euros as eur,',
      ')',
      'import shop.models',
      'import shop.cart.pricing as p',
      '',
      'def run():',
      '    pass',
    ].join('\n');
    const project: Record<string, string> = {
      'shop/__init__.py': '',
      'shop/models.py': 'class Item: ...',
      'shop/cart/__init__.py': 'DEFAULT = 1',
      'shop/cart/pricing.py': 'def price(): ...',
      'shop/cart/service.py': service,
      'shop/util/__init__.py': '',
      'shop/util/money/__init__.py': 'def cents(): ...',
      'backend/src/app/__init__.py': '',
      'backend/src/app/util.py': 'def helper(): ...',
      'backend/src/app/main.py': 'from app.util import helper\nimport app.util as u\n',
    };

    it('reads from-imports (parenthesised too) and module imports with their aliases', () => {
      const parsed = parseImports('python', linesOf(service));
      assert.deepEqual(
        parsed.map((p) => [p.specifier, p.bindings.map((b) => b.local).join(','), p.qualifier ?? '']),
        [
          ['os', '', 'os'],
          ['typing', 'List', ''],
          ['..', 'models', ''],
          ['..models', 'Item,total', ''],
          ['.', 'pricing,DEFAULT', ''],
          ['..util.money', 'cents,eur', ''],
          ['shop.models', '', 'shop.models'],
          ['shop.cart.pricing', '', 'p'],
        ],
      );
    });

    it('resolves relative imports, submodules named in a from-import, and absolute ones from the root', async () => {
      assert.deepEqual(summary(await resolve(project, 'shop/cart/service.py', 'python')), [
        '..models -> shop/models.py as models',
        '..models -> shop/models.py [Item, total]',
        '. -> shop/cart/__init__.py [DEFAULT]',
        '.pricing -> shop/cart/pricing.py as pricing',
        '..util.money -> shop/util/money/__init__.py [cents, euros as eur]',
        'shop.models -> shop/models.py as shop.models',
        'shop.cart.pricing -> shop/cart/pricing.py as p',
      ]);
    });

    it('resolves absolute imports against the ancestors of the file (a src layout)', async () => {
      assert.deepEqual(summary(await resolve(project, 'backend/src/app/main.py', 'python')), [
        'app.util -> backend/src/app/util.py [helper]',
        'app.util -> backend/src/app/util.py as u',
      ]);
    });
  });

  describe('Go', () => {
    const handler = [
      'package api',
      '',
      'import "example.com/shop/store/money"',
      '',
      'import (',
      '\t"fmt"',
      '\t"example.com/shop/store"',
      '\tdb "example.com/shop/internal/db"',
      '\t_ "example.com/shop/migrations"',
      '\t. "example.com/shop/dsl"',
      ')',
      '',
      'func Handle() {}',
    ].join('\n');
    const project: Record<string, string> = {
      'go.mod': 'module example.com/shop\n\ngo 1.22\n',
      'api/handler.go': handler,
      'api/routes.go': 'package api\n\nfunc routes() {}',
      'api/handler_test.go': 'package api',
      'store/cart.go': 'package store',
      'store/item.go': 'package store',
      'store/cart_test.go': 'package store',
      'store/money/money.go': 'package money',
      'internal/db/db.go': 'package db',
      'migrations/m.go': 'package migrations',
      'dsl/dsl.go': 'package dsl',
      'tools/go.mod': 'module example.com/tools',
      'tools/gen/main.go': 'package main\n\nimport "example.com/tools/lib"\nimport "example.com/shop/store"',
      'tools/lib/lib.go': 'package lib',
    };

    it('reads single and grouped imports, with aliases, dot and blank imports', () => {
      const parsed = parseImports('go', linesOf(handler));
      assert.deepEqual(
        parsed.map((p) => `${p.line}:${p.specifier}:${p.qualifier ?? ''}`),
        ['2:example.com/shop/store/money:money', '5:fmt:fmt', '6:example.com/shop/store:store', '7:example.com/shop/internal/db:db', '9:example.com/shop/dsl:'],
      );
    });

    it("resolves module paths through go.mod to a package's files, without tests, and adds the file's own package", async () => {
      assert.deepEqual(summary(await resolve(project, 'api/handler.go', 'go')), [
        'example.com/shop/store/money -> store/money/money.go as money',
        'example.com/shop/store -> store/cart.go store/item.go as store',
        'example.com/shop/internal/db -> internal/db/db.go as db',
        'example.com/shop/dsl -> dsl/dsl.go',
        '. -> api/routes.go',
      ]);
    });

    it('uses the nearest go.mod', async () => {
      assert.deepEqual(summary(await resolve(project, 'tools/gen/main.go', 'go')), ['example.com/tools/lib -> tools/lib/lib.go as lib']);
    });
  });

  it('knows nothing of other languages, and skips an import whose lookup fails', async () => {
    assert.deepEqual(parseImports('ruby', linesOf("require_relative './x'")), []);
    const failing: ProjectAccess = {
      recentFiles: () => [],
      readFile: () => Promise.reject(new Error('disk')),
      filesIn: () => Promise.reject(new Error('disk')),
    };
    const statements = parseImports('typescript', linesOf("import { a } from './a';"));
    assert.deepEqual(await resolveImports('src/x.ts', 'typescript', statements, new WorkspaceFiles(failing)), []);
  });
});
