// package.json as people see it: every text localised through package.nls*.json (English, Japanese,
// Simplified Chinese), the settings in titled sections, the walkthrough's steps and their images, and
// the Marketplace metadata.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, name), 'utf8'));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  readonly type?: string;
  readonly order?: number;
  readonly enum?: string[];
  readonly enumItemLabels?: string[];
  readonly enumDescriptions?: string[];
  readonly markdownEnumDescriptions?: string[];
  readonly [key: string]: unknown;
}
interface Section {
  readonly title: string;
  readonly order: number;
  readonly properties: Record<string, Schema>;
}
interface Step {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly media: { readonly image?: string; readonly altText?: string; readonly markdown?: string };
  readonly completionEvents?: string[];
}

const manifest = readJson('package.json');
const LOCALES = ['', 'ja', 'zh-cn'] as const;
const bundles: Record<string, Record<string, string>> = Object.fromEntries(
  LOCALES.map((locale) => [locale, readJson(locale ? `package.nls.${locale}.json` : 'package.nls.json')]),
);
const english = bundles[''];
const sections: Section[] = manifest.contributes.configuration;
const commands: Array<{ command: string; title: string; category?: string; icon?: string }> = manifest.contributes.commands;
const walkthroughs: Array<{ id: string; title: string; description: string; steps: Step[] }> = manifest.contributes.walkthroughs;

/** The key of a "%key%" reference (VS Code's and vsce's form: letters, digits, `_` and dots), or undefined. */
function referenceKey(text: unknown): string | undefined {
  return typeof text === 'string' ? /^%([\w.]+)%$/.exec(text)?.[1] : undefined;
}

/** Every string of a JSON value, with where it is ("contributes.commands[0].title"). */
function* strings(value: Json, where = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [where, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, `${where}[${i}]`);
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) yield* strings(item, where ? `${where}.${key}` : key);
}

const usedKeys = new Set<string>();
for (const [, text] of strings(manifest)) {
  const key = referenceKey(text);
  if (key) usedKeys.add(key);
}

/** The manifest with every reference replaced by `bundle`'s text (what VS Code shows in that language). */
function localised(value: unknown, bundle: Record<string, string>): any {
  return JSON.parse(JSON.stringify(value), (_, item) => {
    const key = referenceKey(item);
    return key === undefined ? item : bundle[key];
  });
}

/**
 * What a translation must keep exactly as the English has it: code spans (`x`, ``x`` in the
 * walkthrough, fenced blocks), which hold setting names, identifiers and URLs; link targets;
 * `{0}` placeholders and `$(icon)`s; and which lines are a link alone (a walkthrough button).
 */
function invariants(text: string): string[] {
  const kept: string[] = [];
  const rest = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (span) => {
    kept.push(span);
    return ' ';
  });
  for (const match of rest.matchAll(/\]\(([^)\s]+)\)/g)) kept.push(`link ${match[1]}`);
  for (const match of rest.matchAll(/\{\d+\}|\$\([\w-]+\)/g)) kept.push(match[0]);
  for (const line of text.split('\n')) if (/^\[[^\]]+\]\([^)\s]+\)$/.test(line.trim())) kept.push(`button ${line.trim().replace(/^\[[^\]]+\]/, '')}`);
  return kept.sort();
}

/** Texts a translation keeps in English: product names. */
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  ja: ['displayName', 'config.server.enumItemLabels.dashscope'],
  'zh-cn': ['displayName'],
};

/** Product names shown as they are in every language, so package.json holds them literally. */
const LITERAL_TEXTS = new Set(['Qwen Inline', 'vLLM', 'SGLang', 'llama.cpp', 'Ollama', 'LM Studio']);

/** The user-facing texts of a setting's schema, nested schemas included, with where they are. */
function* schemaTexts(schema: Schema, where: string): Generator<[string, unknown]> {
  for (const field of ['title', 'description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) {
    if (field in schema) yield [`${where}.${field}`, schema[field]];
  }
  for (const field of ['enumItemLabels', 'enumDescriptions', 'markdownEnumDescriptions'] as const) {
    for (const [i, text] of (schema[field] ?? []).entries()) yield [`${where}.${field}[${i}]`, text];
  }
  for (const nested of ['items', 'additionalProperties']) {
    const child = schema[nested];
    if (child && typeof child === 'object') yield* schemaTexts(child as Schema, `${where}.${nested}`);
  }
  const properties = schema.properties as Record<string, Schema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) yield* schemaTexts(child, `${where}.properties.${name}`);
}

/** Every text of package.json a person reads in VS Code or on the Marketplace, with where it is. */
function* userFacingTexts(): Generator<[string, unknown]> {
  yield ['displayName', manifest.displayName];
  yield ['description', manifest.description];
  for (const [name, capability] of Object.entries(manifest.capabilities as Record<string, { description?: string }>)) {
    yield [`capabilities.${name}.description`, capability.description];
  }
  for (const command of commands) {
    yield [`${command.command}.title`, command.title];
    yield [`${command.command}.category`, command.category];
  }
  for (const section of sections) {
    yield [`configuration section ${section.title}`, section.title];
    for (const [name, schema] of Object.entries(section.properties)) yield* schemaTexts(schema, name);
  }
  for (const walkthrough of walkthroughs) {
    yield [`${walkthrough.id}.title`, walkthrough.title];
    yield [`${walkthrough.id}.description`, walkthrough.description];
    for (const step of walkthrough.steps) {
      yield [`${walkthrough.id}#${step.id}.title`, step.title];
      yield [`${walkthrough.id}#${step.id}.description`, step.description];
      yield [`${walkthrough.id}#${step.id}.media.altText`, step.media.altText];
    }
  }
}

describe('manifest (package.json)', () => {
  describe('localisation', () => {
    it('every %key% of package.json is in package.nls.json, package.nls.ja.json and package.nls.zh-cn.json', () => {
      assert.ok(usedKeys.size > 50, `only ${usedKeys.size} references: is package.json localised at all?`);
      for (const locale of LOCALES) {
        const missing = [...usedKeys].filter((key) => typeof bundles[locale][key] !== 'string' || bundles[locale][key].trim() === '');
        assert.deepEqual(missing, [], `package.nls${locale && `.${locale}`}.json lacks these keys`);
      }
    });

    it('no package.nls file holds a key package.json does not use', () => {
      for (const locale of LOCALES) {
        const unused = Object.keys(bundles[locale]).filter((key) => !usedKeys.has(key));
        assert.deepEqual(unused, [], `package.nls${locale && `.${locale}`}.json has keys package.json never uses`);
      }
    });

    it('every text a person reads is a %key% reference, except product names', () => {
      const literal = [...userFacingTexts()].filter(([, text]) => typeof text === 'string' && !referenceKey(text) && !LITERAL_TEXTS.has(text));
      assert.deepEqual(literal, [], 'texts to move into package.nls.json');
    });

    it('a translation keeps every code span, setting name, link target and button of the English', () => {
      for (const locale of ['ja', 'zh-cn']) {
        for (const [key, text] of Object.entries(english)) {
          if (!(key in bundles[locale])) continue;
          assert.deepEqual(invariants(bundles[locale][key]), invariants(text), `${locale}: ${key}`);
        }
      }
    });

    it('Japanese and Chinese texts are translated, not English copies (product names aside)', () => {
      for (const locale of ['ja', 'zh-cn']) {
        const copies = Object.entries(english)
          .filter(([key, text]) => /[A-Za-z]/.test(text) && bundles[locale][key] === text && !SAME_AS_ENGLISH[locale].includes(key))
          .map(([key]) => key);
        assert.deepEqual(copies, [], `${locale}: texts left in English`);
        const noLonger = SAME_AS_ENGLISH[locale].filter((key) => bundles[locale][key] !== english[key]);
        assert.deepEqual(noLonger, [], `${locale}: exceptions that are translated after all (drop them from SAME_AS_ENGLISH)`);
        const untranslated = Object.entries(bundles[locale])
          .filter(([key, text]) => !SAME_AS_ENGLISH[locale].includes(key) && !/[\u3040-\u30ff\u4e00-\u9fff]/.test(text))
          .map(([key]) => key);
        assert.deepEqual(untranslated, [], `${locale}: texts without a single Japanese or Chinese character`);
      }
    });

    it('in Japanese and Chinese every command keeps the product name as its category and has a title', () => {
      for (const locale of ['ja', 'zh-cn']) {
        const translated = localised(manifest, bundles[locale]);
        for (const command of translated.contributes.commands) {
          assert.equal(command.category, 'Qwen Inline', `${locale}: ${command.command} keeps the product name as its category`);
          assert.ok(command.title && !/%/.test(command.title), `${locale}: ${command.command} has a title`);
        }
      }
    });
  });

  describe('commands', () => {
    it('every command has a localised title in the category "Qwen Inline"', () => {
      const ids = commands.map((command) => command.command);
      assert.equal(new Set(ids).size, ids.length, 'a command is contributed twice');
      for (const command of commands) {
        const key = referenceKey(command.title);
        assert.ok(key, `${command.command}: the title is not a %key% reference`);
        assert.ok(english[key], `${command.command}: package.nls.json has no ${key}`);
        assert.equal(command.category, 'Qwen Inline', command.command);
      }
    });

    it('Get Started and Open a Sample File are contributed', () => {
      const titles = Object.fromEntries(commands.map((command) => [command.command, english[referenceKey(command.title) ?? '']]));
      assert.equal(titles['qwenInline.getStarted'], 'Get Started');
      assert.equal(titles['qwenInline.openSample'], 'Open a Sample File');
    });
  });

  describe('settings', () => {
    it('are in titled, ordered sections, each setting in one section with an order of its own', () => {
      assert.ok(Array.isArray(sections) && sections.length >= 5, 'contributes.configuration is an array of sections');
      const orders = sections.map((section) => section.order);
      assert.ok(orders.every((order) => Number.isInteger(order)), `every section has an order: ${orders}`);
      assert.equal(new Set(orders).size, orders.length, `section orders are distinct: ${orders}`);
      const titles = sections.map((section) => english[referenceKey(section.title) ?? '']);
      assert.equal(new Set(titles).size, titles.length, `section titles are distinct: ${titles}`);
      const names = sections.flatMap((section) => Object.keys(section.properties));
      assert.equal(new Set(names).size, names.length, 'a setting is in two sections');
      for (const section of sections) {
        const within = Object.entries(section.properties).map(([name, schema]) => [name, schema.order] as const);
        for (const [name, order] of within) assert.ok(Number.isInteger(order), `${name} has an order`);
        assert.equal(new Set(within.map(([, order]) => order)).size, within.length, `orders are distinct in ${titles[sections.indexOf(section)]}`);
      }
    });

    it('each section holds the settings of its kind', () => {
      const sectionOf = (setting: string) => english[referenceKey(sections.find((section) => setting in section.properties)?.title) ?? ''];
      assert.equal(sectionOf('qwenInline.enable'), 'Completions');
      assert.equal(sectionOf('qwenInline.debounceMs'), 'Completions');
      assert.equal(sectionOf('qwenInline.requestTimeoutMs'), 'Completions');
      assert.equal(sectionOf('qwenInline.continueBlock.maxRounds'), 'Continue This Block');
      assert.equal(sectionOf('qwenInline.region'), sectionOf('qwenInline.baseUrl'));
      assert.equal(sectionOf('qwenInline.region'), sectionOf('qwenInline.server'));
      assert.equal(sectionOf('qwenInline.dailyBudget'), 'Cost');
      assert.equal(sectionOf('qwenInline.prices'), 'Cost');
      assert.equal(sectionOf('qwenInline.context.openTabs'), 'Project Context');
      assert.equal(sectionOf('qwenInline.exclude'), 'Privacy');
      for (const section of sections) {
        const prefix = /^qwenInline\.(continueBlock|context)\./;
        const groups = new Set(Object.keys(section.properties).map((name) => prefix.exec(name)?.[1] ?? 'other'));
        assert.equal(groups.size, 1, `${english[referenceKey(section.title) ?? '']} mixes ${[...groups]}`);
      }
    });

    it('every enum has as many labels and descriptions as values', () => {
      let labelled = 0;
      for (const section of sections) {
        for (const [name, schema] of Object.entries(section.properties)) {
          for (const field of ['enumItemLabels', 'enumDescriptions', 'markdownEnumDescriptions'] as const) {
            if (!schema[field]) continue;
            assert.ok(schema.enum, `${name} has ${field} but no enum`);
            assert.equal(schema[field]!.length, schema.enum.length, `${name}.${field}`);
          }
          if (schema.enumItemLabels) labelled++;
        }
      }
      assert.ok(labelled >= 3, 'region, server and promptStyle have labels');
    });

    it('regions and servers are named as people say them', () => {
      const all: Record<string, Schema> = Object.assign({}, ...sections.map((section) => section.properties));
      const labels = (setting: string, bundle: Record<string, string>) => {
        const schema = all[setting];
        return Object.fromEntries(schema.enum!.map((value, i) => [value, localised(schema.enumItemLabels![i], bundle)]));
      };
      assert.deepEqual(labels('qwenInline.region', english), { singapore: 'Singapore', 'us-virginia': 'US (Virginia)', beijing: 'China (Beijing)' });
      assert.deepEqual(labels('qwenInline.server', english), {
        dashscope: 'Alibaba Cloud Model Studio (DashScope)',
        vllm: 'vLLM',
        sglang: 'SGLang',
        'llama.cpp': 'llama.cpp',
        ollama: 'Ollama',
        lmstudio: 'LM Studio',
      });
      assert.equal(labels('qwenInline.region', bundles.ja).beijing, '中国 (北京)');
      assert.equal(labels('qwenInline.region', bundles['zh-cn']).singapore, '新加坡');
    });
  });

  describe('walkthrough', () => {
    const walkthrough = walkthroughs?.find((w) => w.id === 'qwenInline.getStarted');
    const settings = new Set(sections.flatMap((section) => Object.keys(section.properties)));
    const commandIds = new Set(commands.map((command) => command.command));

    it('Get Started has its six steps, each with a title, a description, an image and completion events', () => {
      assert.ok(walkthrough, 'contributes.walkthroughs has qwenInline.getStarted');
      assert.deepEqual(
        walkthrough.steps.map((step) => step.id),
        ['apiKey', 'regionModel', 'ghostText', 'continueBlock', 'cost', 'ownServer'],
      );
      for (const step of walkthrough.steps) {
        assert.ok(referenceKey(step.title) && referenceKey(step.description), `${step.id}: title and description are localised`);
        assert.match(step.media.image ?? '', /^media\/walkthrough\/\d-[a-z-]+\.png$/, `${step.id}: an image in media/walkthrough/`);
        assert.ok(referenceKey(step.media.altText), `${step.id}: the image has a localised alt text`);
        assert.ok(step.completionEvents && step.completionEvents.length > 0, `${step.id}: has completion events`);
      }
      const images = walkthrough.steps.map((step) => step.media.image);
      assert.equal(new Set(images).size, images.length, 'each step has an image of its own');
    });

    it("buttons run the extension's commands and open its settings; completion events name real commands and settings", () => {
      for (const step of walkthrough!.steps) {
        const description = english[referenceKey(step.description)!];
        const buttons = description.split('\n').filter((line) => /^\[[^\]]+\]\(command:[^)]+\)$/.test(line));
        assert.ok(buttons.length >= 1, `${step.id}: at least one button (a command link alone on its line)`);
        for (const [, target] of description.matchAll(/\]\((command:[^)\s]+)\)/g)) {
          const [, id, args] = /^command:([\w.]+)(?:\?(.*))?$/.exec(target) ?? [];
          assert.ok(id, `${step.id}: ${target}`);
          if (id === 'workbench.action.openSettings') {
            const [query] = JSON.parse(decodeURIComponent(args ?? '')) as string[];
            assert.ok(settings.has(query), `${step.id}: opens the settings at ${query}, which is not a setting`);
          } else {
            assert.ok(commandIds.has(id), `${step.id}: ${id} is not a contributed command`);
          }
        }
        for (const event of step.completionEvents!) {
          const [, kind, name] = /^(\w+)(?::(.*))?$/.exec(event) ?? [];
          if (kind === 'onCommand' && name.startsWith('qwenInline.')) assert.ok(commandIds.has(name), `${step.id}: ${event}`);
          else if (kind === 'onSettingChanged') assert.ok(settings.has(name), `${step.id}: ${event}`);
          else if (kind === 'onContext') assert.ok(setContextKeys().has(name), `${step.id}: ${event} is a context key the extension never sets`);
          else assert.ok(['onCommand', 'onStepSelected'].includes(kind), `${step.id}: ${event}`);
        }
      }
      const steps = Object.fromEntries(walkthrough!.steps.map((step) => [step.id, english[referenceKey(step.description)!]]));
      assert.match(steps.apiKey, /\(command:qwenInline\.setApiKey\)/);
      assert.match(steps.regionModel, /\(command:workbench\.action\.openSettings\?%5B%22qwenInline\.region%22%5D\)/);
      assert.match(steps.regionModel, /\(command:qwenInline\.selectModel\)/);
      assert.match(steps.ghostText, /\(command:qwenInline\.openSample\)/);
      assert.match(steps.ownServer, /\(command:qwenInline\.checkServer\)/);
    });

    it('every step image exists (the screenshots of the browser tests, media/walkthrough/*.png)', () => {
      const missing = walkthrough!.steps.map((step) => step.media.image!).filter((image) => !fs.existsSync(path.join(REPO_ROOT, image)));
      assert.deepEqual(missing, [], 'walkthrough images to make (QWEN_INLINE_UPDATE_SCREENSHOTS=1 with the browser tests)');
    });
  });

  describe('Marketplace metadata', () => {
    it('names its category, links, price and keywords', () => {
      assert.ok(manifest.categories.includes('AI'), `categories: ${manifest.categories}`);
      assert.ok(!manifest.categories.includes('Other'), 'a category that says nothing');
      assert.deepEqual(manifest.bugs, { url: 'https://github.com/qwen-inline/qwen-inline/issues' });
      assert.equal(manifest.homepage, 'https://github.com/qwen-inline/qwen-inline#readme');
      assert.equal(manifest.qna, 'https://github.com/qwen-inline/qwen-inline/discussions');
      assert.equal(manifest.pricing, 'Free');
      for (const keyword of ['qwen', 'copilot', 'autocomplete', 'ai', 'completion', 'inline completion']) {
        assert.ok(manifest.keywords.includes(keyword), `keyword ${keyword}`);
      }
      assert.equal(new Set(manifest.keywords).size, manifest.keywords.length, 'a keyword twice');
      assert.equal(manifest.l10n, './l10n', 'the runtime strings (vscode.l10n) stay where they are');
    });
  });
});

/** The context keys the extension sets by name (`setContext`, '<key>'), read from its sources. */
function setContextKeys(): Set<string> {
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [fs.readFileSync(path.join(dir, entry.name), 'utf8')] : []));
  const keys = new Set<string>();
  for (const text of sources(path.resolve(__dirname, '../../../src'))) {
    for (const match of text.matchAll(/'setContext',\s*'([\w.]+)'/g)) keys.add(match[1]);
  }
  return keys;
}
