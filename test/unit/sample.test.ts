import * as assert from 'node:assert/strict';
import { useTranslator } from '../../src/core/l10n';
import { sampleDocument } from '../../src/core/sample';

describe('the walkthrough\'s sample file', () => {
  afterEach(() => useTranslator(undefined));

  it('is Python with the cursor at the end of its last line, the first line of a function\'s body', () => {
    const sample = sampleDocument();
    const lines = sample.text.split('\n');
    assert.equal(sample.languageId, 'python');
    assert.equal(sample.cursor.line, lines.length - 1);
    assert.equal(sample.cursor.character, lines.at(-1)!.length);
    assert.equal(lines.at(-1), '    ', 'indented into the body, nothing after the cursor');
    assert.match(lines.at(-2)!, /^ {4}""".+"""$/, 'after the docstring: the model knows what to write');
    assert.match(lines.at(-3)!, /^def \w+\(.*\) -> \w+:$/);
  });

  it('its comments speak the display language; the code does not', () => {
    useTranslator((message, ...args) => `[${message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}]`);
    const lines = sampleDocument().text.split('\n');
    assert.ok(lines.slice(0, 2).every((line) => /^# \[.+\]$/.test(line)), lines.join('\n'));
    assert.ok(lines[1].includes('[Continue This Block]'), 'names the command as the translation of its title');
    assert.ok(lines.slice(2).every((line) => !line.includes('[')));
  });
});
