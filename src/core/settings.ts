// Every setting of the extension, typed, with its default and range, in one place.
// package.json's `contributes.configuration` mirrors this table; a unit test keeps the two equal.

import { DEFAULT_EXCLUDE } from './exclusion';
import { t } from './l10n';
import { PROMPT_STYLES, SERVER_DIALECTS, SERVER_KINDS, type PromptStyle, type ServerKind, type WireStyle } from './servers';

export const SETTINGS_SECTION = 'qwenInline';

type Region = 'singapore' | 'us-virginia' | 'beijing';
const REGIONS: readonly Region[] = ['singapore', 'us-virginia', 'beijing'];

/** Documented base URLs of Model Studio's OpenAI-compatible endpoint. */
export const REGION_BASE_URLS: Readonly<Record<Region, string>> = {
  singapore: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  'us-virginia': 'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
  beijing: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
};

export const SUGGESTED_MODELS: readonly string[] = [
  'qwen3-coder-plus',
  'qwen3-coder-flash',
  'qwen3-coder-480b-a35b-instruct',
  'qwen3-coder-30b-a3b-instruct',
];

/** Money per million tokens, in an ISO 4217 currency ("USD", "CNY", ...): the user's `qwenInline.prices` entries. */
export interface Price {
  readonly input: number;
  readonly output: number;
  readonly currency: string;
}

export interface Settings {
  readonly enable: boolean;
  /** Per-language switch in Copilot's style; "*" is the default for unlisted languages. */
  readonly languages: Readonly<Record<string, boolean>>;
  readonly region: Region;
  /** Overrides the region when set (proxies, self-hosted OpenAI-compatible servers, the simulator). */
  readonly baseUrl: string;
  /** Which server's dialect requests speak (see servers.ts); a self-hosted one's documented URL when baseUrl is empty. */
  readonly server: ServerKind;
  /** Continue the final assistant message (partial), or fill in the middle with Qwen's FIM tokens. */
  readonly promptStyle: PromptStyle;
  readonly model: string;
  /** The typical wait after a keystroke; the engine adapts it within [minDebounceMs, maxDebounceMs]. */
  readonly debounceMs: number;
  readonly minDebounceMs: number;
  readonly maxDebounceMs: number;
  readonly maxTokens: number;
  readonly maxLines: number;
  readonly temperature: number;
  readonly maxPrefixChars: number;
  /** Characters after the cursor sent as context (the rest of the cursor's line is always sent). */
  readonly maxSuffixChars: number;
  readonly requestTimeoutMs: number;
  /** "Continue This Block": max_tokens of one request. */
  readonly 'continueBlock.maxTokens': number;
  /** Requests in a row when the model stops at max_tokens before the block ends. */
  readonly 'continueBlock.maxRounds': number;
  /** Output tokens over all rounds of one run. */
  readonly 'continueBlock.maxTotalTokens': number;
  readonly 'continueBlock.maxPrefixChars': number;
  readonly 'continueBlock.maxSuffixChars': number;
  /** Show the block as ghost text (Tab accepts) instead of writing it into the document. */
  readonly 'continueBlock.preview': boolean;
  /** The user's prices per 1M tokens, by "model" or "scope/model" (scope: a region or "custom"); they win over the documented table. */
  readonly prices: Readonly<Record<string, Price>>;
  /** Ghost text pauses when the day's estimated cost reaches this, in the current model's currency; 0 is off. */
  readonly dailyBudget: number;
  /** Glob patterns of files whose text is never sent (see core/exclusion.ts). */
  readonly exclude: readonly string[];
  /** Project context: snippets of other files in the prompt (see core/context/). */
  readonly 'context.enable': boolean;
  /** Characters of project context per ghost-text request; Continue This Block doubles it. */
  readonly 'context.maxChars': number;
  /** Signatures of what the identifiers near the cursor resolve to (VS Code's definition providers). */
  readonly 'context.definitions': boolean;
  /** Exported signatures of the files the current file imports (works without a language server). */
  readonly 'context.imports': boolean;
  /** Windows of open tabs and recently visited files most like the code at the cursor. */
  readonly 'context.openTabs': boolean;
  /** The user's latest edits in other files (and far from the cursor in this one). */
  readonly 'context.recentEdits': boolean;
}

/**
 * Settings only the user may set (`"scope": "application"` in package.json: user settings only, and
 * the same in remote windows and code-server, where `machine` scope would read them from the remote
 * machine's settings instead): where code and keys go, and what money may be spent. A repository's
 * .vscode/settings.json could otherwise send the user's code and key to its own host, or lift
 * their budget. Their workspace values are ignored, even by a VS Code that did not enforce the scope.
 */
export const USER_ONLY_SETTINGS: readonly (keyof Settings)[] = ['region', 'baseUrl', 'server', 'promptStyle', 'dailyBudget', 'prices'];

/**
 * Settings a user may set per language (`"[python]": { "qwenInline.maxLines": 3 }`), marked
 * `"scope": "language-overridable"` in package.json: how much to ask for and show, and how long to
 * wait, which differ by language. Where code goes, the model, the budget and the switches do not:
 * one answer for the whole window keeps the status bar and the spending honest.
 */
export const LANGUAGE_SETTINGS: readonly (keyof Settings)[] = [
  'debounceMs',
  'minDebounceMs',
  'maxDebounceMs',
  'maxTokens',
  'maxLines',
  'temperature',
  'maxPrefixChars',
  'maxSuffixChars',
  'continueBlock.maxTokens',
  'continueBlock.maxRounds',
  'continueBlock.maxTotalTokens',
  'continueBlock.maxPrefixChars',
  'continueBlock.maxSuffixChars',
  'continueBlock.preview',
  'context.maxChars',
];

/** The document settings are read for: its language's overrides apply (and its folder's values). */
export interface SettingsScope {
  readonly languageId: string;
  /** The document's URI: its workspace folder's values apply. */
  readonly uri?: string;
}

/** Whose settings apply to a request: its document's language and folder. */
export function settingsScope(request: { readonly languageId: string; readonly uri?: string; readonly documentKey?: string }): SettingsScope {
  return { languageId: request.languageId, uri: request.uri ?? request.documentKey };
}

/** The settings in force: for a document when one is named, else the window's. */
export type SettingsSource = (scope?: SettingsScope) => Settings;

interface NumberRange {
  readonly min: number;
  /** Absent: no upper bound. */
  readonly max?: number;
  readonly integer: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  languages: { '*': true, plaintext: false, markdown: false, scminput: false },
  region: 'singapore',
  baseUrl: '',
  server: 'dashscope',
  promptStyle: 'partial',
  model: 'qwen3-coder-plus',
  debounceMs: 250,
  minDebounceMs: 50,
  maxDebounceMs: 600,
  maxTokens: 128,
  maxLines: 6,
  temperature: 0.1,
  maxPrefixChars: 6000,
  maxSuffixChars: 2000,
  requestTimeoutMs: 10000,
  'continueBlock.maxTokens': 512,
  'continueBlock.maxRounds': 4,
  'continueBlock.maxTotalTokens': 2048,
  'continueBlock.maxPrefixChars': 24000,
  'continueBlock.maxSuffixChars': 4000,
  'continueBlock.preview': false,
  prices: {},
  dailyBudget: 0,
  exclude: DEFAULT_EXCLUDE,
  'context.enable': true,
  // npm run bench:context (2026-12-02): recall 67% at 4,000 characters, 79% at 8,000, 81% with no
  // limit: past 8,000 (about 3,500 tokens, nearly all served by the implicit cache) the gain per
  // character is gone.
  'context.maxChars': 8000,
  'context.definitions': true,
  'context.imports': true,
  'context.openTabs': true,
  'context.recentEdits': true,
};

export const NUMBER_RANGES: Readonly<Record<NumericSettingKey, NumberRange>> = {
  debounceMs: { min: 0, max: 2000, integer: true },
  minDebounceMs: { min: 0, max: 2000, integer: true },
  maxDebounceMs: { min: 0, max: 2000, integer: true },
  maxTokens: { min: 1, max: 2048, integer: true },
  maxLines: { min: 1, max: 50, integer: true },
  temperature: { min: 0, max: 1.99, integer: false },
  maxPrefixChars: { min: 200, max: 200000, integer: true },
  maxSuffixChars: { min: 0, max: 100000, integer: true },
  requestTimeoutMs: { min: 1000, max: 120000, integer: true },
  'continueBlock.maxTokens': { min: 16, max: 8192, integer: true },
  'continueBlock.maxRounds': { min: 1, max: 20, integer: true },
  'continueBlock.maxTotalTokens': { min: 16, max: 65536, integer: true },
  'continueBlock.maxPrefixChars': { min: 200, max: 400000, integer: true },
  'continueBlock.maxSuffixChars': { min: 0, max: 100000, integer: true },
  dailyBudget: { min: 0, integer: false },
  'context.maxChars': { min: 0, max: 50000, integer: true },
};

type BooleanSettingKey = {
  [K in keyof Settings]: Settings[K] extends boolean ? K : never;
}[keyof Settings];

type NumericSettingKey = {
  [K in keyof Settings]: Settings[K] extends number ? K : never;
}[keyof Settings];

/** Reads one raw value as the user wrote it (undefined when unset). */
type RawSettingReader = (key: keyof Settings) => unknown;

/** Turns raw user values into valid Settings: wrong types fall back to defaults, numbers are clamped. */
export function normalizeSettings(read: RawSettingReader): Settings {
  const bool = (key: BooleanSettingKey): boolean => {
    const value = read(key);
    return typeof value === 'boolean' ? value : DEFAULT_SETTINGS[key];
  };
  const num = (key: NumericSettingKey): number => {
    const value = read(key);
    const range = NUMBER_RANGES[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_SETTINGS[key];
    const clamped = Math.min(range.max ?? Infinity, Math.max(range.min, value));
    return range.integer ? Math.round(clamped) : clamped;
  };
  const str = (key: 'model' | 'baseUrl'): string => {
    const value = read(key);
    return typeof value === 'string' ? value.trim() : DEFAULT_SETTINGS[key];
  };
  const region = read('region');
  const model = str('model');
  const server = read('server');
  const promptStyle = read('promptStyle');
  return {
    enable: bool('enable'),
    languages: normalizeLanguages(read('languages')),
    region: REGIONS.includes(region as Region) ? (region as Region) : DEFAULT_SETTINGS.region,
    baseUrl: str('baseUrl').replace(/\/+$/, ''),
    server: SERVER_KINDS.includes(server as ServerKind) ? (server as ServerKind) : DEFAULT_SETTINGS.server,
    promptStyle: PROMPT_STYLES.includes(promptStyle as PromptStyle) ? (promptStyle as PromptStyle) : DEFAULT_SETTINGS.promptStyle,
    model: model === '' ? DEFAULT_SETTINGS.model : model,
    debounceMs: num('debounceMs'),
    minDebounceMs: num('minDebounceMs'),
    maxDebounceMs: num('maxDebounceMs'),
    maxTokens: num('maxTokens'),
    maxLines: num('maxLines'),
    temperature: num('temperature'),
    maxPrefixChars: num('maxPrefixChars'),
    maxSuffixChars: num('maxSuffixChars'),
    requestTimeoutMs: num('requestTimeoutMs'),
    'continueBlock.maxTokens': num('continueBlock.maxTokens'),
    'continueBlock.maxRounds': num('continueBlock.maxRounds'),
    'continueBlock.maxTotalTokens': num('continueBlock.maxTotalTokens'),
    'continueBlock.maxPrefixChars': num('continueBlock.maxPrefixChars'),
    'continueBlock.maxSuffixChars': num('continueBlock.maxSuffixChars'),
    'continueBlock.preview': bool('continueBlock.preview'),
    prices: normalizePrices(read('prices')),
    dailyBudget: num('dailyBudget'),
    exclude: normalizeExclude(read('exclude')),
    'context.enable': bool('context.enable'),
    'context.maxChars': num('context.maxChars'),
    'context.definitions': bool('context.definitions'),
    'context.imports': bool('context.imports'),
    'context.openTabs': bool('context.openTabs'),
    'context.recentEdits': bool('context.recentEdits'),
  };
}

/**
 * Keeps the well-formed entries of `prices`: non-negative input and output, and a 3-letter currency
 * (upper-cased), by default CNY for "beijing/…" keys (Beijing bills in CNY) and USD for the rest.
 */
function normalizePrices(value: unknown): Record<string, Price> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const result: Record<string, Price> = {};
  const isAmount = (amount: unknown): amount is number => typeof amount === 'number' && Number.isFinite(amount) && amount >= 0;
  for (const [rawKey, entry] of Object.entries(value)) {
    const key = rawKey.trim();
    if (key === '' || typeof entry !== 'object' || entry === null) continue;
    const { input, output, currency } = entry as Record<string, unknown>;
    if (!isAmount(input) || !isAmount(output)) continue;
    if (currency !== undefined && (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency))) continue;
    result[key] = { input, output, currency: currency?.toUpperCase() ?? (key.startsWith('beijing/') ? 'CNY' : 'USD') };
  }
  return result;
}

function normalizeExclude(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return DEFAULT_EXCLUDE;
  return value.filter((pattern): pattern is string => typeof pattern === 'string' && pattern.trim() !== '').map((pattern) => pattern.trim());
}

function normalizeLanguages(value: unknown): Record<string, boolean> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ...DEFAULT_SETTINGS.languages };
  }
  const result: Record<string, boolean> = {};
  for (const [language, enabled] of Object.entries(value)) {
    if (typeof enabled === 'boolean') result[language] = enabled;
  }
  return result;
}

export function isLanguageEnabled(settings: Settings, languageId: string): boolean {
  const explicit = settings.languages[languageId];
  if (explicit !== undefined) return explicit;
  return settings.languages['*'] ?? true;
}

/** Where requests go: a Model Studio region's own endpoint, or any other OpenAI-compatible server. */
export type Server =
  | { readonly kind: 'dashscope'; readonly region: Region; readonly baseUrl: string }
  | { readonly kind: 'custom'; readonly origin: string; readonly baseUrl: string };

/** "https://host:port" of a URL, lower-cased, or the trimmed text itself when it is not a URL. */
function originOf(url: string): string {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

type ServerSettings = Pick<Settings, 'baseUrl' | 'region'> & Partial<Pick<Settings, 'server'>>;

/**
 * The server the settings point at. A `baseUrl` on a region's own DashScope host is that region
 * (its key may go there); any other `baseUrl` is a custom server. A self-hosted `server` with no
 * `baseUrl` is at its documented local address (vLLM http://localhost:8000/v1, ...).
 */
export function serverOf(settings: ServerSettings): Server {
  const baseUrl = settings.baseUrl || SERVER_DIALECTS[settings.server ?? 'dashscope'].defaultBaseUrl || '';
  if (baseUrl === '') return { kind: 'dashscope', region: settings.region, baseUrl: REGION_BASE_URLS[settings.region] };
  const origin = originOf(baseUrl);
  const region = REGIONS.find((candidate) => originOf(REGION_BASE_URLS[candidate]) === origin);
  return region ? { kind: 'dashscope', region, baseUrl } : { kind: 'custom', origin, baseUrl };
}

/** How requests are written: the server's dialect and the prompt style. */
export function wireStyleOf(settings: Pick<Settings, 'server' | 'promptStyle'>): WireStyle {
  return { server: settings.server, promptStyle: settings.promptStyle };
}

/** The base URL requests go to: the override when set, else the region's. */
export function resolveBaseUrl(settings: ServerSettings): string {
  return serverOf(settings).baseUrl;
}

const CUSTOM_SLOT_PREFIX = 'custom:';

/**
 * Where a key is stored. DashScope keys are region-scoped, so one per region; a custom server has
 * one per origin, so a key typed for one server is never sent to another.
 */
export function apiKeySlot(settings: ServerSettings): string {
  const server = serverOf(settings);
  return server.kind === 'dashscope' ? server.region : CUSTOM_SLOT_PREFIX + server.origin;
}

/** Only a DashScope region's slot may fall back to $DASHSCOPE_API_KEY: that key is for DashScope. */
export function slotTakesEnvironmentKey(slot: string): boolean {
  return REGIONS.includes(slot as Region);
}

/** A custom server's host and port as messages name it: "127.0.0.1:8787" (its origin without the scheme). */
export function serverHost(server: Extract<Server, { kind: 'custom' }>): string {
  return server.origin.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
}

/** How log lines name a server: "DashScope (singapore)", "the server at 127.0.0.1:8787". */
export function serverLabel(server: Server): string {
  if (server.kind === 'dashscope') return `DashScope (${server.region})`;
  return `the server at ${serverHost(server)}`;
}

/** serverLabel in the display language, for the middle of a sentence the user reads. */
export function translatedServerLabel(server: Server): string {
  if (server.kind === 'dashscope') return `DashScope (${server.region})`;
  return t('the server at {0}', serverHost(server));
}
