// The READMEs: README.md's user part (everything above its end marker) is translated in README.ja.md
// and README.zh-cn.md. Prose differs between languages; what must not is compared section by section:
// the headings (level and order), the code blocks (word for word), the images, the links to other
// files, the settings named and the table rows. A section added to README.md without its translations
// fails here, and so does a table row, a code block or a setting added to one language only.
// Also: links inside the documents land on a heading, the settings named exist (and every setting is
// in README's Settings tables), the npm scripts named exist, and README keeps the newcomer's two
// commands (npm run sandbox, npm test) that CI (.ci/run) runs as README tells them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const END_OF_USER_PART = '<!-- end of the user part:';
const TRANSLATIONS = ['README.ja.md', 'README.zh-cn.md'] as const;
/** Named on purpose though not contributed: README says a key put there is never used. */
const NOT_SETTINGS = new Set(['qwenInline.apiKey']);

function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\r\n/g, '\n');
}

/** What a section holds that must be the same in every language. */
interface Section {
  readonly heading: string;
  readonly level: number;
  readonly codeBlocks: string[];
  readonly images: string[];
  readonly fileLinks: string[];
  readonly settings: Set<string>;
  tableRows: number;
}

const SETTING = /qwenInline\.[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*/g;
const IMAGE = /!\[[^\]]*\]\(\s*<?([^)\s>]+)/g;
const LINK = /(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)/g;

/** Splits a Markdown text into sections at headings outside code blocks; the first one holds what is above the first heading. */
function sections(markdown: string): Section[] {
  const start = (heading: string, level: number): Section =>
    ({ heading, level, codeBlocks: [], images: [], fileLinks: [], settings: new Set(), tableRows: 0 });
  const result = [start('(above the first heading)', 0)];
  let fence: { marker: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const current = result[result.length - 1];
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence.marker[0] && fenceMatch[1].length >= fence.marker.length && line.trim() === fenceMatch[1]) {
        current.codeBlocks.push(fence.lines.join('\n'));
        fence = undefined;
      } else {
        fence.lines.push(line);
      }
      continue;
    }
    if (fenceMatch) {
      fence = { marker: fenceMatch[1], lines: [line.trim()] }; // the info string (```bash) counts too
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      result.push(start(heading[2], heading[1].length));
      continue;
    }
    if (/^\s*\|/.test(line)) current.tableRows++;
    for (const match of line.matchAll(IMAGE)) current.images.push(match[1]);
    for (const match of line.matchAll(LINK)) {
      const target = match[1].split('#')[0];
      // The language links differ by language on purpose; web links may point at translated pages.
      if (target && !/^[a-z]+:/i.test(target) && !/^README(\.[\w-]+)?\.md$/.test(target)) current.fileLinks.push(target);
    }
    for (const match of line.matchAll(SETTING)) current.settings.add(match[0]);
  }
  assert.equal(fence, undefined, 'a code block is never closed');
  return result;
}

/** The text of a heading as GitHub renders it, then its anchor (github-slugger's rules, duplicates numbered). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const section of sections(markdown).slice(1)) {
    const text = section.heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
      .replace(/<[^>]+>/g, '') // inline HTML
      .replace(/[`*~]/g, ''); // code and emphasis marks (an underscore stays: GitHub keeps it)
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

function userPart(readme: string): string {
  const at = readme.indexOf(END_OF_USER_PART);
  assert.notEqual(at, -1, `README.md has no "${END_OF_USER_PART} …" comment marking the end of what the translations translate`);
  assert.equal(readme.indexOf(END_OF_USER_PART, at + 1), -1, 'README.md marks the end of its user part once');
  return readme.slice(0, at);
}

function contributedSettings(): string[] {
  const manifest = JSON.parse(read('package.json'));
  const configuration = manifest.contributes.configuration;
  const groups: Array<{ properties?: Record<string, unknown> }> = Array.isArray(configuration) ? configuration : [configuration];
  return groups.flatMap((group) => Object.keys(group.properties ?? {}));
}

function sectionName(section: Section): string {
  return `${'#'.repeat(section.level)} ${section.heading}`.trim();
}

/** Where `file` differs from README.md's user part, one line per difference (empty when in step). */
function differences(english: string, translated: string, file: string): string[] {
  const source = sections(english);
  const translation = sections(translated);
  const outline = (all: Section[]) => all.map((section) => '#'.repeat(section.level) || '(top)').join(' ');
  if (outline(source) !== outline(translation)) {
    return [
      `${file} has other headings than README.md's user part (levels in order):`,
      `  README.md: ${source.map(sectionName).join(' | ')}`,
      `  ${file}: ${translation.map(sectionName).join(' | ')}`,
    ];
  }
  const found: string[] = [];
  source.forEach((section, index) => {
    const other = translation[index];
    const where = `${file}, section "${sectionName(other)}" (README.md: "${sectionName(section)}")`;
    const compare = (what: string, mine: unknown, theirs: unknown) => {
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) found.push(`${where}: ${what} differ:\n  README.md: ${JSON.stringify(mine)}\n  ${file}: ${JSON.stringify(theirs)}`);
    };
    // Code blocks one by one, so a message shows the block that differs rather than all of them.
    const blocks = Math.max(section.codeBlocks.length, other.codeBlocks.length);
    const differing = Array.from({ length: blocks }, (_, block) => block).find((block) => section.codeBlocks[block] !== other.codeBlocks[block]);
    if (differing !== undefined) compare(`code blocks (number ${differing + 1} of ${section.codeBlocks.length})`, section.codeBlocks[differing] ?? null, other.codeBlocks[differing] ?? null);
    compare('images', section.images, other.images);
    compare('links to other files', section.fileLinks, other.fileLinks);
    compare('settings named', [...section.settings].sort(), [...other.settings].sort());
    compare('table rows', section.tableRows, other.tableRows);
  });
  return found;
}

describe('README and its translations', () => {
  const readme = read('README.md');
  const user = userPart(readme);

  it('README.md links the translations before its first section, and each translation links back and to the other', () => {
    const top = user.slice(0, user.indexOf('\n## '));
    for (const file of TRANSLATIONS) assert.ok(top.includes(`](${file})`), `README.md links ${file} near the top`);
    for (const file of TRANSLATIONS) {
      const firstLines = read(file).split('\n').slice(0, 3).join('\n');
      for (const other of ['README.md', ...TRANSLATIONS.filter((name) => name !== file)]) {
        assert.ok(firstLines.includes(`](${other})`), `${file} links ${other} at the top`);
      }
    }
  });

  for (const file of TRANSLATIONS) {
    it(`${file} has README.md's user part: the same headings, code blocks, images, links, settings and table rows per section`, () => {
      assert.deepEqual(differences(user, read(file), file), []);
    });
  }

  it('the comparison fails for a section, a code block, a table row or a setting that only English has', () => {
    const english = '# T\n\n## A\n\n| a |\n| --- |\n| `qwenInline.enable` |\n\n```bash\nnpm test\n```\n';
    const translated = '# T\n\n## あ\n\n| a |\n| --- |\n| `qwenInline.enable` |\n\n```bash\nnpm test\n```\n';
    assert.deepEqual(differences(english, translated, 'x.md'), []);
    assert.equal(differences(`${english}\n## B\n`, translated, 'x.md').length, 3, 'a new section');
    assert.equal(differences(english.replace('npm test', 'npm ci'), translated, 'x.md').length, 1, 'a code block');
    assert.equal(differences(english.replace('| a |\n', '| a |\n| b |\n'), translated, 'x.md').length, 1, 'a table row');
    assert.equal(differences(english.replace('## A\n', '## A\n\nSee `qwenInline.model`.\n'), translated, 'x.md').length, 1, 'a setting');
    assert.equal(differences(english.replace('## A\n', '## A\n\n![x](media/a.png)\n'), translated, 'x.md').length, 1, 'an image');
    assert.equal(differences(english.replace('## A', '### A'), translated, 'x.md').length, 3, 'a heading level');
  });

  it('headings become the anchors GitHub makes, also in Japanese and Chinese', () => {
    assert.deepEqual(
      [...anchors('## Your own server: vLLM, SGLang, llama.cpp, Ollama, LM Studio\n## `qwenInline.server` and keys\n## A\n## A\n## API キーとリージョン\n## 自建服务器：vLLM、SGLang\n')],
      ['your-own-server-vllm-sglang-llamacpp-ollama-lm-studio', 'qweninlineserver-and-keys', 'a', 'a-1', 'api-キーとリージョン', '自建服务器vllmsglang'],
    );
  });

  it('every link to a heading, in these documents or between them, lands on one', () => {
    const files = ['README.md', ...TRANSLATIONS, 'CONTRIBUTING.md'];
    const targets = new Map(files.map((file) => [file, anchors(read(file))]));
    for (const file of files) {
      for (const match of read(file).matchAll(/\]\(([\w.-]*)#([^)\s]+)\)/g)) {
        const target = match[1] || file;
        const known = targets.get(target);
        if (!known) continue;
        assert.ok(known.has(decodeURIComponent(match[2])), `${file} links ${match[0].slice(2, -1)}, which is no heading of ${target}`);
      }
    }
  });

  it('the settings named exist, and README.md\'s Settings tables list every setting', () => {
    const contributed = contributedSettings();
    for (const file of ['README.md', ...TRANSLATIONS, 'CONTRIBUTING.md']) {
      for (const name of read(file).match(SETTING) ?? []) {
        if (NOT_SETTINGS.has(name)) continue;
        assert.ok(contributed.some((key) => key === name || key.startsWith(`${name}.`)), `${file} names ${name}, which package.json does not contribute`);
      }
    }
    const [, settingsPart] = user.split('\n## Settings\n');
    assert.ok(settingsPart, 'README.md has a "## Settings" section');
    const tableRows = settingsPart.split('\n## ')[0].split('\n').filter((line) => line.startsWith('| `qwenInline.'));
    const inTables = new Set(tableRows.map((line) => /`(qwenInline\.[^`]+)`/.exec(line)![1]));
    assert.deepEqual(contributed.filter((key) => !inTables.has(key)), [], 'settings missing from README.md\'s Settings tables');
  });

  it('the npm scripts named exist', () => {
    const scripts = Object.keys(JSON.parse(read('package.json')).scripts);
    for (const file of ['README.md', ...TRANSLATIONS, 'CONTRIBUTING.md']) {
      for (const match of read(file).matchAll(/npm run ([\w:.-]*\w)/g)) {
        assert.ok(scripts.includes(match[1]), `${file} names npm run ${match[1]}, which package.json does not have`);
      }
    }
  });

  it('README.md keeps the newcomer\'s two commands, which CI runs, and points contributors to CONTRIBUTING.md', () => {
    const rest = readme.slice(readme.indexOf(END_OF_USER_PART));
    const commands = sections(rest).flatMap((section) => section.codeBlocks).join('\n');
    assert.match(commands, /^npm ci && npm run sandbox$/m, 'README.md shows how to build and try it: npm ci && npm run sandbox');
    assert.match(commands, /^npm test$/m, 'README.md gives the test command: npm test');
    assert.ok(rest.includes('](CONTRIBUTING.md)'), 'README.md links CONTRIBUTING.md after its user part');
    const contributing = sections(read('CONTRIBUTING.md'));
    const first = contributing.flatMap((section) => section.codeBlocks)[0] ?? '';
    assert.match(first, /npm run sandbox/, 'CONTRIBUTING.md starts with npm run sandbox');
    assert.match(first, /^npm test$/m, 'CONTRIBUTING.md starts with npm test');
  });
});
