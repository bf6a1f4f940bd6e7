// The extension in another display language: VS Code started with `--locale ja` (or zh-cn) by
// `node out/test/vscode/runSuiteInCodeServer.js --locale ja,zh-cn` (the suite-l10n stage of npm test).
// In English (the ordinary suite run) these tests skip themselves: they are not counted as passed.
//
// Only the extension is localised here: code-server honours --locale through an empty language pack
// made at test time (test/vscode/codeServer.ts, installLanguagePack), so VS Code's own UI stays in
// English while vscode.env.language, vscode.l10n.t and the manifest's package.nls.<locale>.json
// follow the locale.
//
// "Translated" means: written in Chinese characters or kana, and exactly what the locale's files say
// for the English text: l10n/bundle.l10n.<locale>.json for the code's messages (computed here by the
// same core functions, their t() reading that file), package.nls.<locale>.json for the manifest.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { classifyError, type ClassifiedError } from '../../src/core/errors';
import { formatMessage, inEnglish, useTranslator } from '../../src/core/l10n';
import { statusView } from '../../src/core/statusView';
import { waitUntil } from '../helpers/wait';
import { EXTENSION_ID, openEditor, resetWorld, simulatorSlot, triggerAndWatch } from './world';

/** Kana or CJK ideographs: Japanese or Chinese text. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]/;

interface Manifest {
  contributes: { commands: Array<{ command: string; title: string; category?: string }> };
}

interface LocalisedManifest {
  contributes: { commands: Array<{ command: string; title: string | { value: string; original: string } }> };
}

type Bundle = Record<string, string | { message: string; comment?: string[] }>;

function readJson<T>(file: string): T {
  assert.ok(fs.existsSync(file), `${file} is missing`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function assertTranslated(actual: string, expected: string, english: string, what: string): void {
  assert.notStrictEqual(expected, english, `the bundle translates ${what}: ${JSON.stringify(english)}`);
  assert.match(expected, CJK, `${what} in the bundle is in CJK characters: ${JSON.stringify(expected)}`);
  assert.ok(actual.includes(expected), `${what} shows the bundle's translation ${JSON.stringify(expected)}; it shows ${JSON.stringify(actual)}`);
}

describe('display language: the extension speaks the locale VS Code runs in', function () {
  const language = vscode.env.language.toLowerCase();
  /** The locale the runner started VS Code in ('' for English). */
  const requested = (process.env.QWEN_INLINE_SUITE_LOCALE ?? '').toLowerCase();
  const root = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;

  before(function () {
    // A runner that asked for a locale VS Code did not take (the language pack trick failed) must fail, not skip.
    if (requested && language !== requested) {
      throw new Error(`VS Code was started with --locale ${requested} but vscode.env.language is "${vscode.env.language}"`);
    }
    if (!language.startsWith('ja') && !language.startsWith('zh')) this.skip();
    const bundle = readJson<Bundle>(path.join(root(), 'l10n', `bundle.l10n.${language}.json`));
    // This file's own copy of the core (not the extension's bundle) translates by the bundle file.
    useTranslator((message, ...args) => {
      const entry = bundle[message];
      const translated = typeof entry === 'string' ? entry : entry?.message;
      return formatMessage(translated ?? message, args);
    });
  });

  after(() => useTranslator(undefined));

  it('command titles in the command palette come from package.nls.<locale>.json', function () {
    const nls = readJson<Record<string, string>>(path.join(root(), `package.nls.${language}.json`));
    const english = readJson<Record<string, string>>(path.join(root(), 'package.nls.json'));
    const raw = readJson<Manifest>(path.join(root(), 'package.json')).contributes.commands;
    // The manifest as VS Code localised it for the extension host and the palette: a command's
    // title becomes { value: translated, original: English } (a plain string in older versions).
    const shown = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as LocalisedManifest).contributes.commands;
    assert.ok(raw.length > 0);
    for (const command of raw) {
      const key = /^%(.+)%$/.exec(command.title)?.[1];
      assert.ok(key, `package.json's title of ${command.command} is a %placeholder% (it is ${JSON.stringify(command.title)})`);
      const expected = nls[key];
      assert.ok(expected, `package.nls.${language}.json translates ${key}`);
      assert.match(expected, CJK, `${key} in package.nls.${language}.json is in CJK characters: ${JSON.stringify(expected)}`);
      assert.notStrictEqual(expected, english[key], `${key} is translated`);
      const title = shown.find((c) => c.command === command.command)?.title;
      assert.strictEqual(typeof title === 'string' ? title : title?.value, expected, `the title of ${command.command} VS Code shows`);
      if (title && typeof title !== 'string') assert.strictEqual(title.original, english[key], `the English title of ${command.command} VS Code keeps`);
    }
  });

  it('a notification is in the locale: a rejected key (401)', async () => {
    const { simulator, services } = await resetWorld();
    const shown: string[] = [];
    const listening = services.notifier.onDidShow(({ text }) => shown.push(text));
    try {
      await services.keys.store(simulatorSlot(), 'sk-wrong-key-l10n');
      await openEditor('total = █', { extension: 'py' });
      const sent = await triggerAndWatch(simulator, 1000);
      assert.ok(sent.some((request) => request.status === 401), 'the simulator rejected the key');
      await waitUntil(() => shown.length > 0, 'the notification');
      const build = (): ClassifiedError =>
        classifyError({ kind: 'http', status: 401 }, { model: services.config.settings.model, endpoint: simulator.baseUrl, now: Date.now() });
      assertTranslated(shown[0], build().message, inEnglish(build).message, 'the notification');
    } finally {
      listening.dispose();
    }
  });

  it('the status bar tooltip is in the locale', async () => {
    const { services } = await resetWorld();
    // What the tooltip must say, built by this file's copy of the core from the same state.
    const build = () => statusView({ status: services.status.snapshot, spending: services.spending.snapshot, settings: services.config.settings }).tooltip;
    let expected = '';
    try {
      await waitUntil(() => services.statusBar.tooltipText === (expected = build()), 'the tooltip to show the current state', 3_000);
    } catch {
      // Compared below, with the difference in the message.
    }
    assertTranslated(services.statusBar.tooltipText, expected, inEnglish(build), 'the tooltip');
    assert.strictEqual(services.statusBar.tooltipText, expected, 'the whole tooltip is the translated one');
  });
});
