// The ghost-text fixtures in a real editor: for every category, one fixture is opened as a file of its
// language, the simulator answers with the fixture's recorded model output, and Tab must leave exactly
// the expected document. The unit suite runs every fixture; this proves the same holds in VS Code
// (its auto-indentation, its handling of the replace range, its line endings).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TextFixture } from '../unit/helpers/fixtures';
import { CATEGORIES, expectedResult, fixtureCategories, naiveSplice, NO_SUGGESTION, readGhostFixtures } from '../unit/helpers/ghostFixtures';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { waitUntil } from '../helpers/wait';
import { openEditor, resetWorld, triggerAndAccept } from './world';

const FILE_EXTENSION: Readonly<Record<string, string>> = {
  python: 'py',
  typescript: 'ts',
  javascript: 'js',
  go: 'go',
  rust: 'rs',
  java: 'java',
  c: 'c',
  cpp: 'cpp',
  json: 'json',
  jsonc: 'jsonc',
  yaml: 'yaml',
  markdown: 'md',
  shellscript: 'sh',
};

/**
 * One fixture per category: the first (by name) with a suggestion to accept, preferring one that a
 * naive splice gets wrong, so the trimming is what is being shown.
 */
function pickPerCategory(fixtures: readonly TextFixture[]): Array<[string, TextFixture]> {
  const acceptable = fixtures.filter((fixture) => fixture.section('expected') !== NO_SUGGESTION && FILE_EXTENSION[fixture.options.language]);
  return CATEGORIES.map((category) => {
    const inCategory = acceptable.filter((fixture) => fixtureCategories(fixture).includes(category));
    const chosen = inCategory.find((fixture) => naiveSplice(fixture) !== expectedResult(fixture)) ?? inCategory[0];
    if (!chosen) throw new Error(`no fixture with a suggestion in category ${category}`);
    return [category, chosen];
  });
}

describe('ghost-text fixtures accepted with Tab in VS Code, one per category', () => {
  for (const [category, fixture] of pickPerCategory(readGhostFixtures())) {
    it(`${category}: ${fixture.name}`, async () => {
      const { services } = await resetWorld({ script: [{ completion: fixture.section('model') }] });
      const config = vscode.workspace.getConfiguration('qwenInline');
      // Markdown is off by default (VS Code merges this object with its default, so say it).
      const language = fixture.options.language;
      await config.update('languages', { [language]: true }, vscode.ConfigurationTarget.Global);
      const maxLines = Number(fixture.options.maxLines ?? DEFAULT_SETTINGS.maxLines);
      await config.update('maxLines', maxLines, vscode.ConfigurationTarget.Global);
      await waitUntil(
        () => services.config.settings.languages[language] === true && services.config.settings.maxLines === maxLines,
        'the settings to reach the extension',
      );
      const [indentKind, indentSize] = (fixture.options.indent ?? 'spaces 4').split(/\s+/);
      const editor = await openEditor(fixture.section('document'), {
        extension: FILE_EXTENSION[language],
        eol: fixture.options.eol === 'crlf' ? 'crlf' : 'lf',
        tabs: indentKind === 'tabs',
        tabSize: Number(indentSize),
      });
      assert.strictEqual(editor.document.languageId, language, 'VS Code picked the fixture language');
      assert.strictEqual(await triggerAndAccept(editor, `the suggestion of ${fixture.name}`), expectedResult(fixture));
    });
  }
});
