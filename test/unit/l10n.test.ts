// Every text a user reads goes through t() with its English as the key, and every l10n bundle
// translates each key in use, no more: read from the source itself with the TypeScript compiler.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { classifyError } from '../../src/core/errors';
import { formatMessage, inEnglish, t, useTranslator } from '../../src/core/l10n';

const ROOT = path.resolve(__dirname, '../../..');
const SOURCE_ROOT = path.join(ROOT, 'src');
const L10N_MODULE = path.join(SOURCE_ROOT, 'core', 'l10n');
const BUNDLES = ['ja', 'zh-cn'];

/** Keys whose translation may read as the English does: names and notation no language translates. */
const SAME_IN_EVERY_LANGUAGE = new Set<string>([]);

/** One t() call as written in the source. */
interface TranslatedCall {
  readonly where: string;
  /** The first argument's text when it is a string literal. */
  readonly key: string | undefined;
  readonly argumentCount: number;
  /** Not inside any function: it would run before the composition root hands over the translator. */
  readonly atModuleLevel: boolean;
}

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The names a file calls t() by: `t` (or its alias) and `l10n` in `l10n.t` for a namespace import, `vscode` in `vscode.l10n.t`. */
function translatorNames(file: ts.SourceFile): { functions: Set<string>; namespaces: Set<string>; vscode: Set<string> } {
  const names = { functions: new Set<string>(), namespaces: new Set<string>(), vscode: new Set<string>() };
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const bindings = statement.importClause?.namedBindings;
    if (specifier === 'vscode' && bindings && ts.isNamespaceImport(bindings)) names.vscode.add(bindings.name.text);
    if (!specifier.startsWith('.') || path.resolve(path.dirname(file.fileName), specifier) !== L10N_MODULE || !bindings) continue;
    if (ts.isNamespaceImport(bindings)) names.namespaces.add(bindings.name.text);
    else for (const element of bindings.elements) if ((element.propertyName ?? element.name).text === 't') names.functions.add(element.name.text);
  }
  return names;
}

function isTranslatorCall(callee: ts.Expression, names: ReturnType<typeof translatorNames>): boolean {
  if (ts.isIdentifier(callee)) return names.functions.has(callee.text);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const owner = callee.expression;
  if (ts.isIdentifier(owner)) return names.namespaces.has(owner.text);
  return ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n' && ts.isIdentifier(owner.expression) && names.vscode.has(owner.expression.text);
}

/** The composition root hands vscode.l10n.t over as the translator: that call passes keys through, it has none of its own. */
function isTranslatorHandOver(call: ts.CallExpression): boolean {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'useTranslator') return true;
  }
  return false;
}

function insideFunction(node: ts.Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (ts.isFunctionLike(parent)) return true;
  return false;
}

function translatedCalls(fileName: string, text: string): TranslatedCall[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const names = translatorNames(file);
  const calls: TranslatedCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTranslatorCall(node.expression, names) && !isTranslatorHandOver(node)) {
      const first = node.arguments[0];
      const literal = first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text : undefined;
      const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      calls.push({ where: `${path.relative(ROOT, fileName)}:${line}`, key: literal, argumentCount: node.arguments.length - 1, atModuleLevel: !insideFunction(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return calls;
}

/** The distinct placeholders of a text, sorted: "{1} of {0}, {0}" has ["{0}", "{1}"]. */
function placeholders(text: string): string[] {
  return [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
}

function readBundle(locale: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', `bundle.l10n.${locale}.json`), 'utf8')) as Record<string, unknown>;
}

/** What is wrong with the calls and the bundles, one line per finding (empty when all is well). */
function l10nProblems(calls: readonly TranslatedCall[], bundles: Readonly<Record<string, Record<string, unknown>>>): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const call of calls) {
    if (call.atModuleLevel) problems.push(`${call.where}: t() outside a function runs before the translator is set`);
    if (call.key === undefined) {
      problems.push(`${call.where}: the first argument of t() is not a string literal`);
      continue;
    }
    keys.add(call.key);
    const wanted = placeholders(call.key);
    const numbered = wanted.every((placeholder, index) => placeholder === `{${index}}`);
    if (!numbered || wanted.length !== call.argumentCount) problems.push(`${call.where}: ${JSON.stringify(call.key)} has placeholders ${wanted.join(' ') || 'none'} but ${call.argumentCount} arguments`);
    if (call.key.includes('$(')) problems.push(`${call.where}: ${JSON.stringify(call.key)}: codicons stay outside the translated text`);
  }
  for (const [locale, bundle] of Object.entries(bundles)) {
    for (const key of keys) {
      const translation = bundle[key];
      if (translation === undefined) {
        problems.push(`${locale}: no translation of ${JSON.stringify(key)}`);
        continue;
      }
      if (typeof translation !== 'string' || translation.trim() === '') problems.push(`${locale}: an empty translation of ${JSON.stringify(key)}`);
      else problems.push(...translationProblems(locale, key, translation));
    }
    for (const key of Object.keys(bundle)) if (!keys.has(key)) problems.push(`${locale}: ${JSON.stringify(key)} is translated but no t() call uses it`);
  }
  return problems;
}

function translationProblems(locale: string, key: string, translation: string): string[] {
  const problems: string[] = [];
  if (placeholders(translation).join() !== placeholders(key).join()) problems.push(`${locale}: the placeholders of ${JSON.stringify(translation)} differ from ${JSON.stringify(key)}'s`);
  if (translation === key && /[A-Za-z]/.test(key) && !SAME_IN_EVERY_LANGUAGE.has(key)) problems.push(`${locale}: ${JSON.stringify(key)} is not translated (the same as the English)`);
  if (translation.includes('$(')) problems.push(`${locale}: ${JSON.stringify(key)}: the translation holds a codicon`);
  return problems;
}

function allCalls(): TranslatedCall[] {
  return sourceFiles(SOURCE_ROOT).flatMap((file) => translatedCalls(file, fs.readFileSync(file, 'utf8')));
}

describe('l10n: every text the user reads is translated', () => {
  const calls = allCalls();
  const bundles = Object.fromEntries(BUNDLES.map((locale) => [locale, readBundle(locale)]));

  it('finds the t() calls in the source (the scan itself works)', () => {
    assert.ok(calls.length > 50, `only ${calls.length} t() calls found`);
    assert.ok(calls.some((call) => call.where.startsWith(path.join('src', 'core', 'errors.ts'))), 'core/errors.ts calls t()');
  });

  it('every call has a literal key with numbered placeholders, and every bundle translates exactly the keys in use', () => {
    const problems = l10nProblems(calls, bundles);
    assert.ok(problems.length === 0, `${problems.length} problems:\n${problems.join('\n')}`);
  });

  it('the bundles are sorted by key, as the read-modify-write keeps them', () => {
    for (const [locale, bundle] of Object.entries(bundles)) {
      const keys = Object.keys(bundle);
      assert.deepEqual(keys, [...keys].sort(), `${locale} is not sorted`);
    }
  });

  it('the check fails on each kind of mistake', () => {
    const at = (key: string | undefined, argumentCount = 0, atModuleLevel = false): TranslatedCall => ({ where: 'src/x.ts:1', key, argumentCount, atModuleLevel });
    const good = { 'Saved for {0}.': '{0} に保存しました。' };
    assert.deepEqual(l10nProblems([at('Saved for {0}.', 1)], { ja: good }), []);
    const problems = (calls: TranslatedCall[], bundle: Record<string, unknown>) => l10nProblems(calls, { ja: bundle }).join('\n');
    assert.match(problems([at(undefined)], {}), /not a string literal/);
    assert.match(problems([at('Saved for {0}.', 1, true)], good), /outside a function/);
    assert.match(problems([at('Saved for {0}.', 2)], good), /placeholders \{0\} but 2 arguments/);
    assert.match(problems([at('Saved for {1}.', 1)], { 'Saved for {1}.': '{1} に保存しました。' }), /placeholders \{1\} but 1 arguments/);
    assert.match(problems([at('Saved for {0}.', 1)], {}), /ja: no translation of "Saved for \{0\}\."/);
    assert.match(problems([at('Saved for {0}.', 1)], { ...good, Gone: 'なし' }), /"Gone" is translated but no t\(\) call uses it/);
    assert.match(problems([at('Saved for {0}.', 1)], { 'Saved for {0}.': '保存しました。' }), /placeholders .* differ/);
    assert.match(problems([at('Saved for {0}.', 1)], { 'Saved for {0}.': ' ' }), /empty translation/);
    assert.match(problems([at('Saved for {0}.', 1)], { 'Saved for {0}.': 'Saved for {0}.' }), /not translated/);
    assert.match(problems([at('Saved for {0}.', 1)], { 'Saved for {0}.': '$(key) {0}' }), /codicon/);
    assert.deepEqual(l10nProblems([at('{0} / {1}', 2)], { ja: { '{0} / {1}': '{0} / {1}' } }), [], 'nothing to translate without letters');
  });

  it('finds t, an aliased t, l10n.t and vscode.l10n.t, and tells a literal from anything else', () => {
    const file = path.join(SOURCE_ROOT, 'commands', 'example.ts');
    const source = [
      "import * as vscode from 'vscode';",
      "import { t, t as tr } from '../core/l10n';",
      "import * as l10n from '../core/l10n';",
      'const early = t("Too early");',
      'function show(name: string) {',
      '  t("Saved {0}.", name); tr(`Plain`); l10n.t(name); vscode.l10n.t("Direct");',
      '  other("Not a translation"); useTranslator((m, ...a) => vscode.l10n.t(m, ...a));',
      '}',
    ].join('\n');
    const found = translatedCalls(file, source).map((call) => [call.key, call.argumentCount, call.atModuleLevel]);
    assert.deepEqual(found, [
      ['Too early', 0, true],
      ['Saved {0}.', 1, false],
      ['Plain', 0, false],
      [undefined, 0, false],
      ['Direct', 0, false],
    ]);
  });
});

describe('l10n: t() and its translator', () => {
  afterEach(() => useTranslator(undefined));

  it('formatMessage fills numbered placeholders, any number of times, and leaves one without an argument as written', () => {
    assert.equal(formatMessage('{0} of {1}', ['a', 'b']), 'a of b');
    assert.equal(formatMessage('{1}, {0}, {1}', ['x', 2]), '2, x, 2');
    assert.equal(formatMessage('{0} and {2}', [true]), 'true and {2}');
    assert.equal(formatMessage('no placeholders {a}', ['x']), 'no placeholders {a}');
  });

  it('speaks English until a translator is set, then asks it with the key and the arguments', () => {
    assert.equal(t('Saved for {0}.', 'vLLM'), 'Saved for vLLM.');
    const asked: unknown[][] = [];
    useTranslator((message, ...args) => {
      asked.push([message, ...args]);
      return `«${formatMessage(message, args)}»`;
    });
    assert.equal(t('Saved for {0}.', 'vLLM'), '«Saved for vLLM.»');
    assert.deepEqual(asked, [['Saved for {0}.', 'vLLM']]);
    useTranslator(undefined);
    assert.equal(t('Saved for {0}.', 'vLLM'), 'Saved for vLLM.');
  });

  it('inEnglish builds a text in English for the log, and restores the translator even when the builder throws', () => {
    useTranslator((message) => `«${message}»`);
    assert.equal(inEnglish(() => t('Fix: {0}', 'a')), 'Fix: a');
    assert.throws(() => inEnglish(() => { throw new Error('boom'); }), /boom/);
    assert.equal(t('x'), '«x»');
  });

  it('error messages are built when classified, in the display language', () => {
    useTranslator((message, ...args) => `[ja] ${formatMessage(message, args)}`);
    const error = classifyError({ kind: 'http', status: 500 }, { model: 'm', endpoint: 'http://localhost:8000/v1', now: 0 });
    assert.match(error.message, /^\[ja\] \[ja\] The server at localhost:8000 had a server error \(500\)/);
    assert.doesNotMatch(error.detail, /\[ja\]/, 'the log detail stays English');
  });
});

describe('error wording: whose key to check', () => {
  const failure = { kind: 'http', status: 401, code: 'invalid_api_key' } as const;

  it('a 401 from a custom server names its host, not a region', () => {
    const error = classifyError(failure, { model: 'm', endpoint: 'http://localhost:8000/v1', now: 0 });
    assert.match(error.message, /check the key for localhost:8000/i);
    assert.doesNotMatch(error.message, /region|http:\/\//);
  });

  it("DashScope's 401 keeps the region hint", () => {
    const error = classifyError(failure, { model: 'm', endpoint: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', now: 0 });
    assert.match(error.message, /qwenInline\.region/);
  });
});
