import * as assert from 'node:assert/strict';
import { languageName } from '../../src/core/languageNames';

describe('language names', () => {
  it('shows the names VS Code shows for its language ids', () => {
    const expected: Record<string, string> = {
      python: 'Python',
      typescript: 'TypeScript',
      typescriptreact: 'TypeScript React',
      javascriptreact: 'JavaScript React',
      cpp: 'C++',
      csharp: 'C#',
      go: 'Go',
      rust: 'Rust',
      java: 'Java',
      shellscript: 'Shell Script',
      jsonc: 'JSON with Comments',
      markdown: 'Markdown',
      plaintext: 'Plain Text',
      'objective-c': 'Objective-C',
    };
    for (const [id, name] of Object.entries(expected)) assert.equal(languageName(id), name, id);
  });

  it('an id it does not know gets a capital first letter, and nothing inherited from Object counts as known', () => {
    assert.equal(languageName('nim'), 'Nim');
    assert.equal(languageName('constructor'), 'Constructor');
    assert.equal(languageName('toString'), 'ToString');
    assert.equal(languageName(''), '');
  });
});
