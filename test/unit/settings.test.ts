import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  apiKeySlot,
  DEFAULT_SETTINGS,
  isLanguageEnabled,
  normalizeSettings,
  NUMBER_RANGES,
  REGION_BASE_URLS,
  resolveBaseUrl,
  serverOf,
  slotTakesEnvironmentKey,
  USER_ONLY_SETTINGS,
  LANGUAGE_SETTINGS,
  type Settings,
} from '../../src/core/settings';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
// The settings of every section of `contributes.configuration`, in one table.
const contributed: Record<string, { default: unknown; minimum?: number; maximum?: number; enum?: string[] }> = Object.assign(
  {},
  ...manifest.contributes.configuration.map((section: { properties: object }) => section.properties),
);

describe('settings', () => {
  it('package.json contributes exactly the typed settings, with the same defaults and ranges', () => {
    assert.deepEqual(
      Object.keys(contributed).sort(),
      Object.keys(DEFAULT_SETTINGS).map((key) => `qwenInline.${key}`).sort(),
    );
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      assert.deepEqual(contributed[`qwenInline.${key}`].default, value, key);
    }
    for (const [key, range] of Object.entries(NUMBER_RANGES)) {
      assert.equal(contributed[`qwenInline.${key}`].minimum, range.min, key);
      assert.equal(contributed[`qwenInline.${key}`].maximum, range.max, key);
    }
    assert.deepEqual(contributed['qwenInline.region'].enum, Object.keys(REGION_BASE_URLS));
  });

  it('exactly the per-language settings are language-overridable in package.json, and none of them chooses a server or money', () => {
    const overridable = Object.entries(contributed).filter(([, schema]) => (schema as { scope?: string }).scope === 'language-overridable').map(([key]) => key);
    assert.deepEqual(overridable.sort(), LANGUAGE_SETTINGS.map((key) => `qwenInline.${key}`).sort());
    for (const key of LANGUAGE_SETTINGS) assert.ok(!USER_ONLY_SETTINGS.includes(key), key);
    assert.ok(LANGUAGE_SETTINGS.includes('maxLines'));
  });

  it('only the user can set where code goes and what may be spent: application scope, and workspace values ignored', () => {
    const userOnly = Object.entries(contributed).filter(([, schema]) => (schema as { scope?: string }).scope === 'application').map(([key]) => key);
    assert.deepEqual(userOnly.sort(), USER_ONLY_SETTINGS.map((key) => `qwenInline.${key}`).sort());
    assert.ok(USER_ONLY_SETTINGS.includes('baseUrl') && USER_ONLY_SETTINGS.includes('region'));
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of restricted) assert.ok(key in contributed, `${key} is a setting`);
    assert.ok(!restricted.includes('qwenInline.exclude'), 'Restricted Mode must not drop what a workspace adds to the exclusion list');
  });

  it('every command is in the palette category "Qwen Inline"', () => {
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'Qwen Inline', command.command);
  });

  it('falls back to defaults for wrong types and clamps numbers', () => {
    const raw: Partial<Record<keyof Settings, unknown>> = {
      enable: 'yes',
      debounceMs: -5,
      maxTokens: 99999,
      temperature: 'hot',
      region: 'mars',
      model: '   ',
      baseUrl: ' http://127.0.0.1:8787/compatible-mode/v1/ ',
      languages: { '*': false, python: true, go: 'maybe' },
      dailyBudget: -3,
    };
    const settings = normalizeSettings((key) => raw[key]);
    assert.equal(settings.enable, true);
    assert.equal(settings.debounceMs, 0);
    assert.equal(settings.maxTokens, 2048);
    assert.equal(settings.temperature, DEFAULT_SETTINGS.temperature);
    assert.equal(settings.region, 'singapore');
    assert.equal(settings.model, 'qwen3-coder-plus');
    assert.equal(settings.baseUrl, 'http://127.0.0.1:8787/compatible-mode/v1');
    assert.deepEqual(settings.languages, { '*': false, python: true });
    assert.equal(settings.dailyBudget, 0, 'a budget is never negative');
    assert.equal(normalizeSettings((key) => (key === 'dailyBudget' ? 12.5 : undefined)).dailyBudget, 12.5, 'and has no upper bound');
  });

  it('per-language map: explicit entries win, "*" covers the rest', () => {
    assert.equal(isLanguageEnabled(DEFAULT_SETTINGS, 'python'), true);
    assert.equal(isLanguageEnabled(DEFAULT_SETTINGS, 'markdown'), false);
    assert.equal(isLanguageEnabled({ ...DEFAULT_SETTINGS, languages: { '*': false, go: true } }, 'go'), true);
    assert.equal(isLanguageEnabled({ ...DEFAULT_SETTINGS, languages: { '*': false, go: true } }, 'rust'), false);
  });

  it('maps regions to the documented base URLs; baseUrl overrides with a key slot of its own', () => {
    assert.equal(resolveBaseUrl({ region: 'singapore', baseUrl: '' }), 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
    assert.equal(resolveBaseUrl({ region: 'us-virginia', baseUrl: '' }), 'https://dashscope-us.aliyuncs.com/compatible-mode/v1');
    assert.equal(resolveBaseUrl({ region: 'beijing', baseUrl: '' }), 'https://dashscope.aliyuncs.com/compatible-mode/v1');
    assert.equal(resolveBaseUrl({ region: 'beijing', baseUrl: 'http://localhost:1/v1' }), 'http://localhost:1/v1');
    assert.equal(apiKeySlot({ region: 'beijing', baseUrl: '' }), 'beijing');
    assert.equal(apiKeySlot({ region: 'beijing', baseUrl: 'http://localhost:1/v1' }), 'custom:http://localhost:1');
  });

  it('keeps one key per custom server origin, and gives the DashScope key only to its region\'s host', () => {
    const slot = (baseUrl: string) => apiKeySlot({ region: 'singapore', baseUrl });
    assert.equal(slot('http://127.0.0.1:8000/v1'), slot('http://127.0.0.1:8000/other/v1'), 'the same origin shares a key');
    assert.notEqual(slot('http://127.0.0.1:8000/v1'), slot('http://127.0.0.1:8001/v1'), 'another port is another server');
    assert.notEqual(slot('https://evil.example/v1'), slot('https://EVIL.example.com/v1'));
    assert.equal(slot('https://user:pw@Proxy.Example:8443/v1'), 'custom:https://proxy.example:8443', 'no credentials in the slot name');
    // A base URL on a region's own host is that region: its key may go there.
    assert.deepEqual(serverOf({ region: 'singapore', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1' }), {
      kind: 'dashscope',
      region: 'beijing',
      baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    });
    // Look-alike hosts are not.
    for (const lookalike of ['https://dashscope-intl.aliyuncs.com.evil.example/v1', 'http://dashscope-intl.aliyuncs.com/compatible-mode/v1', 'https://dashscope-intl.aliyuncs.com:8443/v1']) {
      assert.equal(serverOf({ region: 'singapore', baseUrl: lookalike }).kind, 'custom', lookalike);
    }
    assert.equal(slotTakesEnvironmentKey('singapore'), true);
    assert.equal(slotTakesEnvironmentKey(slot('http://127.0.0.1:8000/v1')), false, 'DASHSCOPE_API_KEY never goes to a custom server');
    assert.equal(slotTakesEnvironmentKey('custom'), false);
  });
});
