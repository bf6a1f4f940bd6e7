/**
 * A local simulator of Alibaba Cloud Model Studio (DashScope)'s OpenAI-compatible chat API
 * (`/compatible-mode/v1/chat/completions`) with partial mode, for tests.
 *
 * It follows /work/shared/dashscope-api.md: request validation, error bodies and codes, the
 * non-streaming and streaming (SSE) response shapes, usage with the implicit cache's
 * `cached_tokens`, throttling. What that document marks "inferred" (the `x-request-id` header,
 * `Retry-After` on 429) is sent only while `inferredBehaviour` is true (the default).
 *
 * The "model" is a script (first matching entry wins), an oracle (the true continuation of the
 * prefix, looked up in a corpus of files) or a default completion.
 *
 * Only Node built-ins are used.
 */
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface SimulatorOptions {
  /** 0 = ephemeral (default 0). Only used at start. */
  port?: number;
  /** Default 127.0.0.1. Only used at start. */
  host?: string;
  /** Valid bearer keys; default ['sk-sim-test']. */
  apiKeys?: string[];
  /**
   * Act like a local server started without a key (llama.cpp, vLLM without --api-key): every
   * request is served, with or without an Authorization header. Default false (DashScope).
   */
  keyless?: boolean;
  /**
   * Defaults 0, 0, 2, 0, 0. The first token waits `firstTokenMs`, plus `prefillMsPerKTokens` per
   * thousand prompt tokens the implicit cache did not serve, plus up to `jitterMs` (a seeded
   * pseudo-random share, the same run after run); each further chunk `perChunkMs`.
   */
  latency?: { firstTokenMs?: number; perChunkMs?: number; tokensPerChunk?: number; prefillMsPerKTokens?: number; jitterMs?: number };
  /** Throttling -> 429 limit_requests (+ Retry-After seconds when inferredBehaviour). */
  rateLimit?: { requestsPerMinute: number } | null;
  /** The "model": first matching entry wins. */
  script?: ScriptedResponse[];
  /** When nothing matches (default '' -> empty content, finish_reason stop). */
  defaultCompletion?: string;
  /** Oracle mode: the continuation is the corpus file's true next text. */
  /**
   * `wrongShare` (default 0) makes the oracle a model that is not always right: that share of
   * answers, picked by a hash of the prefix's last 200 characters (so the same cursor gets the
   * same answer whatever the prompt window), has its first word changed.
   */
  /**
   * `contextDependent` makes the oracle a model that cannot guess names from other files: when the
   * continuation's first line uses an identifier declared in another corpus file (and not in the
   * file the prefix comes from) that no message of the prompt contains, that identifier is
   * replaced by a plausible wrong one (plausibleRename). `definitions` (identifier -> corpus files
   * declaring it) says where names are declared (and turns the behaviour on by itself); without
   * it, simple declaration patterns over the corpus do (corpusDefinitions).
   */
  oracle?: {
    files: Record<string, string>;
    maxLines?: number;
    wrongShare?: number;
    contextDependent?: boolean;
    definitions?: Record<string, string[]> | null;
  } | null;
  /** Send what the doc marks "inferred" (x-request-id header, Retry-After). Default true. */
  inferredBehaviour?: boolean;
  /** How many recent prompts to compare for cached_tokens (default 20). */
  recentRequestsForCache?: number;
  /** Called once per recorded request when it is done (not settable over the control API). */
  onSettled?: ((record: RequestRecord) => void) | null;
}

export interface ScriptedResponse {
  /** Match: the partial assistant content ends with this. */
  prefixEndsWith?: string;
  /** Match: the partial assistant content includes this. */
  prefixIncludes?: string;
  /** Match: some message (system, user or the partial one) includes this: e.g. project context in the user message. */
  promptIncludes?: string;
  /** Match: no message includes this (a model that never saw a definition cannot use it). */
  promptExcludes?: string;
  /** Match only this model. */
  model?: string;
  /** The continuation returned (default ''). */
  completion?: string;
  /**
   * Reply with a documented error instead; or (midStreamAfterChunks set, streaming requests only)
   * send that many content chunks, then `data: {"error":{...}}`, and end the response.
   */
  error?: {
    status: number;
    code: string;
    message: string;
    type?: string;
    midStreamAfterChunks?: number;
    retryAfterSeconds?: number;
  };
  /**
   * A fault of the network or of a proxy in front of the server, not a DashScope behaviour (streaming
   * only): after `afterChunks` content chunks, `drop` resets the connection, `truncate` ends the
   * response cleanly with no finish_reason and no [DONE], and `malformed` sends an event whose data is
   * not JSON, then ends.
   */
  fault?: { kind: 'drop' | 'truncate' | 'malformed'; afterChunks: number };
  /** Per-entry latency override (slow responses for cancellation tests). */
  latency?: { firstTokenMs?: number; perChunkMs?: number };
  /** Use at most this many times, then skip the entry. */
  times?: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cache_type: 'implicit'; cached_tokens: number };
}

export interface RequestRecord {
  /** The request id (also in the x-request-id header and the body's request_id on errors). */
  id: string;
  method: string;
  path: string;
  /** Redacted, e.g. 'Bearer sk-s…[redacted]'; never the full key. '' when absent. */
  authorization: string;
  /** Every other request header, lower-cased names (authorization left out: see above). */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when absent or not JSON). */
  body: any;
  /** HTTP status sent (0 until the status line is sent). */
  status: number;
  stream: boolean;
  errorCode?: string;
  /** The prompt's tokens and how many of them the implicit cache served: billed even when the client aborts. */
  prompt?: { tokens: number; cachedTokens: number };
  /** Content actually sent to the client so far (choice 0). */
  completion: string;
  /** SSE content chunks sent (choice 0; the role chunk and usage chunk are not counted; 0 when not streaming). */
  chunksSent: number;
  finishReason?: string;
  usage?: Usage;
  /** The client closed the connection before the response ended. */
  aborted: boolean;
  /** The response ended (normally or by abort). */
  done: boolean;
  startedAt: number;
  endedAt?: number;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** url + '/compatible-mode/v1' (what a client puts as baseURL). */
  readonly baseUrl: string;
  readonly requests: RequestRecord[];
  /** Replace any subset of the options at runtime (port/host are ignored). */
  configure(options: Partial<SimulatorOptions>): void;
  /** Clear the request log, the cache memory, the rate-limit window and script use counts. */
  reset(): void;
  /** Resolves once record.done. */
  settled(record: RequestRecord): Promise<RequestRecord>;
  /** Resolves when the next request (not a control-API request) arrives. */
  nextRequest(): Promise<RequestRecord>;
  /** Stops listening and destroys open sockets. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

export interface ModelInfo {
  id: string;
  context: number;
  maxOutput: number;
  /** Hybrid thinking model: `enable_thinking` applies. */
  hybrid: boolean;
  /** Thinking is on unless `enable_thinking: false` (open-source Qwen3). */
  thinkingByDefault: boolean;
}

export const MAX_OUTPUT_TOKENS = 65536;
const DEFAULT_CONTEXT = 131072;

const MODEL_TABLE: Array<[id: string, context: number, hybrid: boolean, thinkingByDefault: boolean]> = [
  ['qwen3-coder-plus', 1_000_000, false, false],
  ['qwen3-coder-flash', 1_000_000, false, false],
  ['qwen3-coder-480b-a35b-instruct', 262_144, false, false],
  ['qwen3-coder-30b-a3b-instruct', 262_144, false, false],
  ['qwen3-max', DEFAULT_CONTEXT, true, false],
  ['qwen-max', DEFAULT_CONTEXT, false, false],
  ['qwen-plus', DEFAULT_CONTEXT, true, false],
  ['qwen-flash', DEFAULT_CONTEXT, true, false],
  ['qwen-turbo', DEFAULT_CONTEXT, true, false],
  ['qwen3-8b', DEFAULT_CONTEXT, true, true],
  ['qwen3-32b', DEFAULT_CONTEXT, true, true],
  ['qwen3-235b-a22b', DEFAULT_CONTEXT, true, true],
  ['qwen2.5-coder-32b-instruct', DEFAULT_CONTEXT, false, false],
];

/** The models listed by GET /models (dated coder snapshots are accepted too but not listed). */
export const KNOWN_MODELS: readonly string[] = MODEL_TABLE.map(([id]) => id);

const SNAPSHOT_RE = /^qwen3-coder-(plus|flash)-\d{4}-\d{2}-\d{2}$/;

export function modelInfo(id: string): ModelInfo | undefined {
  const row = MODEL_TABLE.find(([name]) => name === id);
  if (row) {
    return { id, context: row[1], maxOutput: MAX_OUTPUT_TOKENS, hybrid: row[2], thinkingByDefault: row[3] };
  }
  if (SNAPSHOT_RE.test(id)) {
    return { id, context: 1_000_000, maxOutput: MAX_OUTPUT_TOKENS, hybrid: false, thinkingByDefault: false };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Token counting (a deterministic approximation)
// ---------------------------------------------------------------------------------------------

const TOKEN_RE = /<\|im_(?:start|end)\|>|\s+|[A-Za-z_]+|\d|[^\sA-Za-z_\d]/gu;
const MAX_PIECE = 4;

/**
 * Splits text into tokens whose concatenation is exactly the text: chat-template markers, runs of
 * whitespace and of letters (both cut every 4 characters), single digits, single other characters.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(TOKEN_RE)) {
    const piece = match[0];
    if (piece.length <= MAX_PIECE || piece.startsWith('<|')) {
      out.push(piece);
    } else {
      for (let i = 0; i < piece.length; i += MAX_PIECE) {
        out.push(piece.slice(i, i + MAX_PIECE));
      }
    }
  }
  return out;
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

/** Text of a message's content: a string, or an array of parts ({type:'text', text}). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

/** A recorded request's last message text: in partial mode, the prefix the client asked to continue. */
export function promptPrefixOf(record: RequestRecord): string {
  const messages = record.body?.messages;
  return Array.isArray(messages) && messages.length > 0 ? contentText(messages[messages.length - 1]?.content) : '';
}

/** The stable serialisation of the messages that prompt tokens (and the cache) are counted on. */
export function serializePrompt(messages: Array<{ role: string; content?: unknown; partial?: unknown }>): string {
  let text = '';
  messages.forEach((message, i) => {
    const openEnded = i === messages.length - 1 && message.role === 'assistant' && message.partial === true;
    text += `<|im_start|>${message.role}\n${contentText(message.content)}`;
    if (!openEnded) text += '<|im_end|>\n';
  });
  const last = messages[messages.length - 1];
  if (!(last && last.role === 'assistant' && last.partial === true)) text += '<|im_start|>assistant\n';
  return text;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** At most the first 4 characters of a secret (fewer for short ones), then an ellipsis. */
export function redactKey(key: string, suffix = '…'): string {
  const shown = Math.min(4, Math.floor(key.length / 2));
  return key.slice(0, shown) + suffix;
}

export function redactAuthorization(header: string | undefined): string {
  if (!header) return '';
  const match = /^(Bearer\s+)(.*)$/i.exec(header);
  if (match) return match[1] + redactKey(match[2], '…[redacted]');
  return redactKey(header, '…[redacted]');
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const API_PREFIX = '/compatible-mode/v1';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly type: string = 'invalid_request_error',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function badParam(message: string, param: string | null): HttpError {
  return new HttpError(400, 'invalid_parameter_error', message, param);
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A timer that an AbortSignal cancels; resolves false when aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function takeLines(text: string, maxLines: number): string {
  const lines = text.split('\n');
  if (lines.length <= maxLines) return text;
  return lines.slice(0, Math.max(0, maxLines)).join('\n');
}

/**
 * Oracle: where does the prefix (a window of a corpus file, maybe with extra text in front) occur,
 * and what follows it? Tries the whole prefix, then its last 2000 and 500 characters, then its last
 * line. Among several occurrences, prefers the one whose preceding text agrees longest with the
 * prefix. Returns undefined when nothing is found.
 */
export function oracleContinuation(prefix: string, files: Record<string, string>, maxLines = 8): string | undefined {
  return oracleMatch(prefix, files, maxLines)?.continuation;
}

/** oracleContinuation, with the corpus file the prefix was found in. */
export function oracleMatch(prefix: string, files: Record<string, string>, maxLines = 8): { path: string; continuation: string } | undefined {
  const p = normaliseNewlines(prefix);
  if (!p) return undefined;
  const needles: string[] = [p];
  if (p.length > 2000) needles.push(p.slice(-2000));
  if (p.length > 500) needles.push(p.slice(-500));
  const lastLineStart = p.lastIndexOf('\n', p.length - 2) + 1;
  const lastLine = p.slice(lastLineStart);
  if (lastLine.trim() && !needles.includes(lastLine)) needles.push(lastLine);

  const corpus = Object.keys(files)
    .sort()
    .map((name) => ({ name, text: normaliseNewlines(files[name] ?? '') }));
  for (const needle of needles) {
    let best: { name: string; text: string; end: number; agreement: number } | undefined;
    for (const { name, text } of corpus) {
      let at = text.indexOf(needle);
      let seen = 0;
      while (at >= 0 && seen < 1000) {
        seen += 1;
        // How far back before this occurrence does the file agree with the prefix?
        let agreement = 0;
        const before = p.length - needle.length;
        while (agreement < before && agreement < at && text[at - 1 - agreement] === p[before - 1 - agreement]) {
          agreement += 1;
        }
        if (!best || agreement > best.agreement) best = { name, text, end: at + needle.length, agreement };
        at = text.indexOf(needle, at + 1);
      }
    }
    if (best) return { path: best.name, continuation: takeLines(best.text.slice(best.end), maxLines) };
  }
  return undefined;
}

/**
 * Declarations by simple line patterns (TS/JS, Python, Go): `function`, `class`, `interface`,
 * `type`, `enum`, `def`, `func` (methods too), and unindented `const`/`let`/`var`.
 */
const DECLARATION_RE =
  /^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?(?:async[ \t]+)?(?:function[ \t]*\*?|class|interface|type|enum|def|func(?:[ \t]*\([^)\n]*\))?)[ \t]+([A-Za-z_$][\w$]*)|^(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)/gm;

/** Identifier -> the corpus files that declare it. */
export function corpusDefinitions(files: Record<string, string>): Record<string, string[]> {
  const definitions: Record<string, string[]> = {};
  for (const [path, text] of Object.entries(files)) {
    for (const match of normaliseNewlines(text).matchAll(DECLARATION_RE)) {
      const name = match[1] ?? match[2];
      const paths = Object.prototype.hasOwnProperty.call(definitions, name) ? definitions[name] : (definitions[name] = []);
      if (!paths.includes(path)) paths.push(path);
    }
  }
  return definitions;
}

/**
 * A wrong name that looks right: the first part of a camelCase or snake_case name dropped
 * (`tryRemoveItems` -> `removeItems`, `get_value` -> `value`), else an `s` added (`Message` -> `Messages`).
 */
export function plausibleRename(name: string): string {
  const humps = name.split(/(?<=[a-z0-9])(?=[A-Z])/);
  if (humps.length >= 2) {
    const rest = humps.slice(1).join('');
    return /^[a-z_$]/.test(name) ? rest[0].toLowerCase() + rest.slice(1) : rest;
  }
  const words = name.split('_');
  if (words.filter(Boolean).length >= 2 && words[0] !== '') return words.slice(1).join('_');
  return `${name}s`;
}

/**
 * The continuation a model that sees only the prompt would give: in its first line, each
 * identifier declared in another corpus file (not in `path`, the prefix's file) that the prompt
 * does not contain is renamed (plausibleRename).
 */
export function contextDependentAnswer(continuation: string, path: string, prompt: string, definitions: Record<string, string[]>): string {
  const end = continuation.indexOf('\n');
  const firstLine = end < 0 ? continuation : continuation.slice(0, end);
  const changed = firstLine.replace(/[A-Za-z_$][\w$]*/g, (word) => {
    const paths = Object.prototype.hasOwnProperty.call(definitions, word) ? definitions[word] : undefined;
    if (!paths || paths.length === 0 || paths.includes(path)) return word;
    return containsWord(prompt, word) ? word : plausibleRename(word);
  });
  return end < 0 ? changed : changed + continuation.slice(end);
}

function containsWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + word.length] ?? '';
    if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) return true;
  }
  return false;
}

/** A stable number in [0, 1) for a text (FNV-1a). */
function shareOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 4294967296;
}

/** A wrong answer that looks like a right one: the first word of two or more letters gets a suffix. */
export function changeFirstWord(text: string): string {
  return text.replace(/[A-Za-z_]{2,}/, (word) => `${word}_x`);
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export interface ResolvedOptions {
  apiKeys: string[];
  keyless: boolean;
  latency: { firstTokenMs: number; perChunkMs: number; tokensPerChunk: number; prefillMsPerKTokens: number; jitterMs: number };
  rateLimit: { requestsPerMinute: number } | null;
  script: ScriptedResponse[];
  defaultCompletion: string;
  oracle: { files: Record<string, string>; maxLines: number; wrongShare: number; definitions: Record<string, string[]> | null } | null;
  inferredBehaviour: boolean;
  recentRequestsForCache: number;
  onSettled: ((record: RequestRecord) => void) | null;
}

/** Every option's default; `configure({ ...SIMULATOR_DEFAULTS, apiKeys })` restores a clean state between tests. */
export const SIMULATOR_DEFAULTS: Readonly<ResolvedOptions> = {
  apiKeys: ['sk-sim-test'],
  keyless: false,
  latency: { firstTokenMs: 0, perChunkMs: 0, tokensPerChunk: 2, prefillMsPerKTokens: 0, jitterMs: 0 },
  rateLimit: null,
  script: [],
  defaultCompletion: '',
  oracle: null,
  inferredBehaviour: true,
  recentRequestsForCache: 20,
  onSettled: null,
};

function resolveOracle(oracle: SimulatorOptions['oracle']): ResolvedOptions['oracle'] {
  const files = oracle?.files;
  if (!files || typeof files !== 'object') return null;
  const kept: Record<string, string> = Object.fromEntries(Object.entries(files).filter(([, v]) => typeof v === 'string'));
  const given = oracle?.definitions;
  const definitions =
    given && typeof given === 'object'
      ? Object.fromEntries(Object.entries(given).map(([name, paths]) => [name, Array.isArray(paths) ? paths.filter((p) => typeof p === 'string') : []]))
      : oracle?.contextDependent === true
        ? corpusDefinitions(kept)
        : null;
  return {
    files: kept,
    maxLines: Math.max(1, Math.floor(nonNegative(oracle?.maxLines, 8))) || 8,
    wrongShare: Math.min(1, nonNegative(oracle?.wrongShare, 0)),
    definitions,
  };
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

interface Generation {
  model: string;
  content: string;
  finishReason: 'stop' | 'length';
  chunks: string[];
  n: number;
  includeUsage: boolean;
  usage: Usage;
  firstTokenMs: number;
  perChunkMs: number;
  midStreamError?: { afterChunks: number; code: string; message: string; type: string };
  fault?: ScriptedResponse['fault'];
}

/** A small deterministic pseudo-random sequence in [0, 1) (mulberry32), so latency jitter repeats run after run. */
export class SeededRandom {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

class SimulatorServer implements Simulator {
  readonly requests: RequestRecord[] = [];
  url = '';
  baseUrl = '';
  private options: ResolvedOptions = { ...SIMULATOR_DEFAULTS, latency: { ...SIMULATOR_DEFAULTS.latency } };
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly events = new EventEmitter();
  private cacheMemory: Array<{ model: string; tokens: string[] }> = [];
  private rateWindow: number[] = [];
  private scriptUses = new Map<ScriptedResponse, number>();
  private jitter = new SeededRandom(1);

  constructor(options: SimulatorOptions) {
    this.events.setMaxListeners(0);
    this.configure(options);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // Should not happen; keep the server alive and answer if still possible.
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: String(error), type: 'internal_error', param: null, code: 'internal_error' } }));
        } else if (!res.writableEnded) {
          res.destroy();
        }
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        const actualPort = typeof address === 'object' && address ? address.port : port;
        const shownHost = host.includes(':') ? `[${host}]` : host;
        this.url = `http://${shownHost}:${actualPort}`;
        this.baseUrl = this.url + API_PREFIX;
        resolve();
      });
    });
  }

  configure(options: Partial<SimulatorOptions>): void {
    const o = this.options;
    if (options.apiKeys !== undefined) {
      o.apiKeys = Array.isArray(options.apiKeys) ? options.apiKeys.filter((k) => typeof k === 'string') : [...SIMULATOR_DEFAULTS.apiKeys];
    }
    if (options.keyless !== undefined) o.keyless = options.keyless === true;
    if (options.latency !== undefined) {
      const l = options.latency ?? {};
      o.latency = {
        firstTokenMs: nonNegative(l.firstTokenMs, SIMULATOR_DEFAULTS.latency.firstTokenMs),
        perChunkMs: nonNegative(l.perChunkMs, SIMULATOR_DEFAULTS.latency.perChunkMs),
        tokensPerChunk: Math.max(1, Math.floor(nonNegative(l.tokensPerChunk, SIMULATOR_DEFAULTS.latency.tokensPerChunk))),
        prefillMsPerKTokens: nonNegative(l.prefillMsPerKTokens, 0),
        jitterMs: nonNegative(l.jitterMs, 0),
      };
    }
    if (options.rateLimit !== undefined) {
      const rpm = options.rateLimit?.requestsPerMinute;
      o.rateLimit = typeof rpm === 'number' && rpm >= 0 ? { requestsPerMinute: rpm } : null;
    }
    if (options.script !== undefined) {
      o.script = Array.isArray(options.script) ? options.script.filter((e) => e && typeof e === 'object') : [];
      this.scriptUses = new Map();
    }
    if (options.defaultCompletion !== undefined) {
      o.defaultCompletion = typeof options.defaultCompletion === 'string' ? options.defaultCompletion : '';
    }
    if (options.oracle !== undefined) o.oracle = resolveOracle(options.oracle);
    if (options.inferredBehaviour !== undefined) o.inferredBehaviour = options.inferredBehaviour !== false;
    if (options.recentRequestsForCache !== undefined) {
      o.recentRequestsForCache = Math.floor(nonNegative(options.recentRequestsForCache, SIMULATOR_DEFAULTS.recentRequestsForCache));
      this.cacheMemory = o.recentRequestsForCache > 0 ? this.cacheMemory.slice(-o.recentRequestsForCache) : [];
    }
    if (options.onSettled !== undefined) o.onSettled = typeof options.onSettled === 'function' ? options.onSettled : null;
  }

  reset(): void {
    this.requests.length = 0;
    this.cacheMemory = [];
    this.rateWindow = [];
    this.scriptUses = new Map();
    this.jitter = new SeededRandom(1);
  }

  settled(record: RequestRecord): Promise<RequestRecord> {
    if (record.done) return Promise.resolve(record);
    return new Promise((resolve) => {
      const listener = (r: RequestRecord) => {
        if (r === record) {
          this.events.off('settled', listener);
          resolve(r);
        }
      };
      this.events.on('settled', listener);
    });
  }

  nextRequest(): Promise<RequestRecord> {
    return new Promise((resolve) => this.events.once('request', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      if (!res.destroyed) res.destroy();
      return;
    }

    if (path.startsWith('/_simulator/')) {
      this.handleControl(method, path, url, raw, res);
      return;
    }

    let body: any;
    let parseError: string | undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        parseError = error instanceof Error ? error.message : String(error);
      }
    }

    const record: RequestRecord = {
      id: crypto.randomUUID(),
      method,
      path,
      authorization: redactAuthorization(req.headers.authorization),
      headers: otherHeaders(req.headers),
      body,
      status: 0,
      stream: body !== null && typeof body === 'object' && body.stream === true,
      completion: '',
      chunksSent: 0,
      aborted: false,
      done: false,
      startedAt,
    };
    this.requests.push(record);

    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) {
        record.aborted = true;
        controller.abort();
      }
      record.done = true;
      record.endedAt = Date.now();
      this.events.emit('settled', record);
      try {
        this.options.onSettled?.(record);
      } catch {
        // a logging callback must not break the server
      }
    });
    this.events.emit('request', record);

    try {
      if (method === 'POST' && path === `${API_PREFIX}/chat/completions`) {
        this.authorize(req);
        this.throttle();
        if (parseError !== undefined || raw.length === 0) {
          throw badParam(
            raw.length === 0 ? 'The request body is empty; expected a JSON object.' : `The request body is not valid JSON: ${parseError}`,
            null,
          );
        }
        await this.chatCompletions(body, record, res, controller.signal);
      } else if (method === 'GET' && path === `${API_PREFIX}/models`) {
        this.authorize(req);
        this.sendJson(res, record, 200, {
          object: 'list',
          data: KNOWN_MODELS.map((id) => ({ id, object: 'model', created: 1735689600, owned_by: 'system' })),
        });
      } else if (method === 'GET' && path.startsWith(`${API_PREFIX}/models/`)) {
        this.authorize(req);
        const id = decodeURIComponent(path.slice(`${API_PREFIX}/models/`.length));
        if (!modelInfo(id)) throw this.modelNotFound(id);
        this.sendJson(res, record, 200, { id, object: 'model', created: 1735689600, owned_by: 'system' });
      } else {
        throw new HttpError(404, 'not_found', `Not found: ${method} ${path}`);
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.sendError(res, record, error);
    }
  }

  private handleControl(method: string, path: string, url: URL, raw: Buffer, res: http.ServerResponse): void {
    const reply = (status: number, value: unknown) => {
      const text = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (method === 'GET' && path === '/_simulator/requests') {
      const since = Math.max(0, Number.parseInt(url.searchParams.get('since') ?? '0', 10) || 0);
      reply(200, this.requests.slice(since));
    } else if (method === 'POST' && path === '/_simulator/configure') {
      let options: unknown;
      try {
        options = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch (error) {
        reply(400, { error: { message: `Invalid JSON: ${String(error)}`, type: 'invalid_request_error', param: null, code: 'invalid_parameter_error' } });
        return;
      }
      if (!options || typeof options !== 'object' || Array.isArray(options)) {
        reply(400, { error: { message: 'Expected a JSON object of simulator options.', type: 'invalid_request_error', param: null, code: 'invalid_parameter_error' } });
        return;
      }
      const { onSettled: _ignored, ...rest } = options as SimulatorOptions;
      void _ignored;
      this.configure(rest);
      reply(200, { ok: true });
    } else if (method === 'POST' && path === '/_simulator/reset') {
      this.reset();
      reply(200, { ok: true });
    } else {
      reply(404, { error: { message: `Not found: ${method} ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } });
    }
  }

  private authorize(req: http.IncomingMessage): void {
    if (this.options.keyless) return;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match || !this.options.apiKeys.includes(match[1].trim())) {
      throw new HttpError(401, 'invalid_api_key', 'Incorrect API key provided. ');
    }
  }

  private throttle(): void {
    const limit = this.options.rateLimit;
    if (!limit) return;
    const now = Date.now();
    this.rateWindow = this.rateWindow.filter((t) => t > now - 60_000);
    if (this.rateWindow.length >= limit.requestsPerMinute) {
      const oldest = this.rateWindow[0] ?? now;
      const seconds = Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
      throw new HttpError(429, 'limit_requests', 'Requests rate limit exceeded, please try again later.', null, 'invalid_request_error', {
        'retry-after': String(seconds),
      });
    }
    this.rateWindow.push(now);
  }

  private modelNotFound(model: string): HttpError {
    return new HttpError(404, 'model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`);
  }

  /** Validates the body; returns the model and the partial prefix (or the last message's text). */
  private validate(body: any): { info: ModelInfo; partial: boolean; prefix: string; maxTokens: number | undefined } {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badParam('The request body must be a JSON object.', null);
    if (!present(body.model)) throw badParam('Model not specified: the `model` parameter is required.', 'model');
    if (typeof body.model !== 'string' || !body.model) throw badParam('The `model` parameter must be a non-empty string.', 'model');
    const info = modelInfo(body.model);
    if (!info) throw this.modelNotFound(body.model);

    const messages = body.messages;
    if (!present(messages)) throw badParam('The `messages` parameter is required.', 'messages');
    if (!Array.isArray(messages)) throw badParam('The `messages` parameter must be an array.', 'messages');
    if (messages.length === 0) throw badParam('The `messages` parameter must not be empty.', 'messages');
    messages.forEach((message: any, i: number) => {
      if (!message || typeof message !== 'object' || Array.isArray(message)) {
        throw badParam(`messages[${i}] must be an object with a role and content.`, `messages[${i}]`);
      }
      if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
        throw badParam(
          `messages[${i}].role must be one of system, user, assistant, tool; got ${JSON.stringify(message.role)}.`,
          `messages[${i}].role`,
        );
      }
      const c = message.content;
      const contentOk = typeof c === 'string' || Array.isArray(c) || (message.role === 'assistant' && (c === null || c === undefined));
      if (!contentOk) throw badParam(`messages[${i}].content must be a string or an array of content parts.`, `messages[${i}].content`);
      if (present(message.partial) && typeof message.partial !== 'boolean') {
        throw badParam(`messages[${i}].partial must be a boolean.`, `messages[${i}].partial`);
      }
      if (message.partial === true) {
        if (i !== messages.length - 1) {
          throw badParam(`Partial mode: only the last message may have "partial": true (found on messages[${i}]).`, `messages[${i}].partial`);
        }
        if (message.role !== 'assistant') {
          throw badParam(
            `Partial mode: the message with "partial": true must have role assistant (messages[${i}] has role ${message.role}).`,
            `messages[${i}].partial`,
          );
        }
      }
    });
    const last = messages[messages.length - 1];
    const partial = last.role === 'assistant' && last.partial === true;

    let maxTokens: number | undefined;
    for (const name of ['max_tokens', 'max_completion_tokens'] as const) {
      const value = body[name];
      if (!present(value)) continue;
      if (!isInt(value) || value < 1 || value > info.maxOutput) {
        throw badParam(`Range of ${name} should be [1, ${info.maxOutput}]`, name);
      }
    }
    if (present(body.max_completion_tokens)) maxTokens = body.max_completion_tokens;
    else if (present(body.max_tokens)) maxTokens = body.max_tokens;

    const t = body.temperature;
    if (present(t) && (typeof t !== 'number' || !(t >= 0 && t < 2))) throw badParam('Range of temperature should be [0.0, 2.0)', 'temperature');
    const p = body.top_p;
    if (present(p) && (typeof p !== 'number' || !(p > 0 && p <= 1))) throw badParam('Range of top_p should be (0.0, 1.0]', 'top_p');
    const n = body.n;
    if (present(n) && (!isInt(n) || n < 1 || n > 4)) throw badParam('Range of n should be [1, 4]', 'n');
    const seed = body.seed;
    if (present(seed) && (!isInt(seed) || seed < 0 || seed > 2 ** 31 - 1)) throw badParam('Range of seed should be [0, 2147483647]', 'seed');
    const stop = body.stop;
    if (present(stop) && typeof stop !== 'string' && !(Array.isArray(stop) && stop.every((s: unknown) => typeof s === 'string'))) {
      throw badParam('The `stop` parameter must be a string or an array of strings.', 'stop');
    }
    if (present(body.stream) && typeof body.stream !== 'boolean') throw badParam('The `stream` parameter must be a boolean.', 'stream');
    if (present(body.stream_options)) {
      if (body.stream !== true) throw badParam("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
      if (typeof body.stream_options !== 'object' || Array.isArray(body.stream_options)) {
        throw badParam('The `stream_options` parameter must be an object.', 'stream_options');
      }
      const inc = body.stream_options.include_usage;
      if (present(inc) && typeof inc !== 'boolean') throw badParam('stream_options.include_usage must be a boolean.', 'stream_options.include_usage');
    }
    if (present(body.enable_thinking) && typeof body.enable_thinking !== 'boolean') {
      throw badParam('The `enable_thinking` parameter must be a boolean.', 'enable_thinking');
    }
    if (partial && info.hybrid) {
      const thinking = present(body.enable_thinking) ? body.enable_thinking === true : info.thinkingByDefault;
      if (thinking) {
        throw badParam(
          `Partial mode is not supported in thinking mode: call ${info.id} with "enable_thinking": false.`,
          'enable_thinking',
        );
      }
    }
    return { info, partial, prefix: contentText(last.content), maxTokens };
  }

  private pickScript(model: string, prefix: string, prompt: string): ScriptedResponse | undefined {
    for (const entry of this.options.script) {
      if (typeof entry.model === 'string' && entry.model !== model) continue;
      if (typeof entry.promptIncludes === 'string' && !prompt.includes(entry.promptIncludes)) continue;
      if (typeof entry.promptExcludes === 'string' && prompt.includes(entry.promptExcludes)) continue;
      if (typeof entry.prefixEndsWith === 'string' && !prefix.endsWith(entry.prefixEndsWith)) continue;
      if (typeof entry.prefixIncludes === 'string' && !prefix.includes(entry.prefixIncludes)) continue;
      const used = this.scriptUses.get(entry) ?? 0;
      if (typeof entry.times === 'number' && used >= entry.times) continue;
      this.scriptUses.set(entry, used + 1);
      return entry;
    }
    return undefined;
  }

  private cachedTokens(model: string, tokens: string[]): number {
    let best = 0;
    for (const previous of this.cacheMemory) {
      if (previous.model !== model) continue;
      const limit = Math.min(previous.tokens.length, tokens.length);
      let i = 0;
      while (i < limit && previous.tokens[i] === tokens[i]) i += 1;
      if (i > best) best = i;
    }
    return best >= 256 ? best : 0;
  }

  private remember(model: string, tokens: string[]): void {
    const keep = this.options.recentRequestsForCache;
    if (keep <= 0) return;
    this.cacheMemory.push({ model, tokens });
    if (this.cacheMemory.length > keep) this.cacheMemory.splice(0, this.cacheMemory.length - keep);
  }

  private async chatCompletions(body: any, record: RequestRecord, res: http.ServerResponse, signal: AbortSignal): Promise<void> {
    const { info, partial, prefix, maxTokens } = this.validate(body);
    const promptText = serializePrompt(body.messages);
    const promptTokens = tokenize(promptText);
    if (promptTokens.length > info.context) {
      throw badParam(`Range of input length should be [1, ${info.context}]`, 'messages');
    }

    const stream = body.stream === true;
    const entry = this.pickScript(info.id, prefix, promptText);
    const latency = this.options.latency;
    const firstTokenMs = nonNegative(entry?.latency?.firstTokenMs, latency.firstTokenMs);
    const perChunkMs = nonNegative(entry?.latency?.perChunkMs, latency.perChunkMs);

    const scriptedError = entry?.error;
    let midStreamError: Generation['midStreamError'];
    if (scriptedError) {
      const status = isInt(scriptedError.status) ? scriptedError.status : 500;
      const type = scriptedError.type ?? (status >= 500 ? 'internal_error' : 'invalid_request_error');
      if (stream && isInt(scriptedError.midStreamAfterChunks) && scriptedError.midStreamAfterChunks >= 0) {
        midStreamError = { afterChunks: scriptedError.midStreamAfterChunks, code: scriptedError.code, message: scriptedError.message, type };
      } else {
        if (entry?.latency?.firstTokenMs !== undefined && !(await sleep(firstTokenMs, signal))) return;
        const headers: Record<string, string> = {};
        if (isInt(scriptedError.retryAfterSeconds)) headers['retry-after'] = String(scriptedError.retryAfterSeconds);
        throw new HttpError(status, scriptedError.code, scriptedError.message, null, type, headers);
      }
    }

    // The model's output: script, oracle or default. Never repeats the prefix.
    let content: string;
    if (entry) content = typeof entry.completion === 'string' ? entry.completion : '';
    else if (partial && this.options.oracle) {
      const { files, maxLines, wrongShare, definitions } = this.options.oracle;
      const match = oracleMatch(prefix, files, maxLines);
      content = match?.continuation ?? this.options.defaultCompletion;
      if (match && definitions) content = contextDependentAnswer(content, match.path, promptText, definitions);
      if (wrongShare > 0 && shareOf(prefix.slice(-200)) < wrongShare) content = changeFirstWord(content);
    } else content = this.options.defaultCompletion;

    const stops: string[] = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : [];
    let cut = content.length;
    for (const s of stops) {
      if (!s) continue;
      const at = content.indexOf(s);
      if (at >= 0 && at < cut) cut = at;
    }
    content = content.slice(0, cut);
    let tokens = tokenize(content);
    let finishReason: 'stop' | 'length' = 'stop';
    if (maxTokens !== undefined && tokens.length > maxTokens) {
      tokens = tokens.slice(0, maxTokens);
      content = tokens.join('');
      finishReason = 'length';
    }

    const n = isInt(body.n) ? body.n : 1;
    const cached = this.cachedTokens(info.id, promptTokens);
    this.remember(info.id, promptTokens);
    record.prompt = { tokens: promptTokens.length, cachedTokens: cached };
    const completionTokens = tokens.length * n;
    const usage: Usage = {
      prompt_tokens: promptTokens.length,
      completion_tokens: completionTokens,
      total_tokens: promptTokens.length + completionTokens,
      prompt_tokens_details: { cache_type: 'implicit', cached_tokens: cached },
    };

    const perChunk = this.options.latency.tokensPerChunk;
    const chunks: string[] = [];
    for (let i = 0; i < tokens.length; i += perChunk) chunks.push(tokens.slice(i, i + perChunk).join(''));

    const generation: Generation = {
      model: body.model,
      content,
      finishReason,
      chunks,
      n,
      includeUsage: stream && body.stream_options?.include_usage === true,
      usage,
      firstTokenMs:
        firstTokenMs +
        (latency.prefillMsPerKTokens * (promptTokens.length - cached)) / 1000 +
        latency.jitterMs * this.jitter.next(),
      perChunkMs,
      midStreamError,
      fault: stream ? entry?.fault : undefined,
    };
    if (stream) await this.sendStream(res, record, generation, signal);
    else await this.sendCompletion(res, record, generation, signal);
  }

  private requestIdHeader(record: RequestRecord): Record<string, string> {
    return this.options.inferredBehaviour ? { 'x-request-id': record.id } : {};
  }

  private sendJson(res: http.ServerResponse, record: RequestRecord, status: number, value: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(value);
    record.status = status;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...this.requestIdHeader(record),
      ...headers,
    });
    res.end(text);
  }

  private sendError(res: http.ServerResponse, record: RequestRecord, error: HttpError): void {
    record.errorCode = error.code;
    const headers = this.options.inferredBehaviour ? error.headers : {};
    this.sendJson(
      res,
      record,
      error.status,
      { error: { message: error.message, type: error.type, param: error.param, code: error.code }, request_id: record.id },
      headers,
    );
  }

  private async sendCompletion(res: http.ServerResponse, record: RequestRecord, g: Generation, signal: AbortSignal): Promise<void> {
    const generationMs = g.firstTokenMs + g.perChunkMs * Math.max(0, g.chunks.length - 1);
    if (!(await sleep(generationMs, signal))) return;
    const choices = Array.from({ length: g.n }, (_, index) => ({
      message: { role: 'assistant', content: g.content },
      finish_reason: g.finishReason,
      index,
      logprobs: null,
    }));
    record.completion = g.content;
    record.finishReason = g.finishReason;
    record.usage = g.usage;
    this.sendJson(res, record, 200, {
      choices,
      object: 'chat.completion',
      usage: g.usage,
      created: Math.floor(Date.now() / 1000),
      system_fingerprint: null,
      model: g.model,
      id: `chatcmpl-${record.id}`,
    });
  }

  private async sendStream(res: http.ServerResponse, record: RequestRecord, g: Generation, signal: AbortSignal): Promise<void> {
    if (res.destroyed) return;
    record.status = 200;
    res.writeHead(200, {
      'content-type': 'text/event-stream;charset=UTF-8',
      'cache-control': 'no-cache',
      ...this.requestIdHeader(record),
    });
    res.flushHeaders();
    const created = Math.floor(Date.now() / 1000);
    const id = `chatcmpl-${record.id}`;
    const send = (data: string): boolean => {
      if (signal.aborted || res.destroyed || res.writableEnded) return false;
      res.write(`data: ${data}\n\n`);
      return true;
    };
    const chunk = (choices: unknown[], usage: Usage | null) =>
      JSON.stringify({ choices, object: 'chat.completion.chunk', usage, created, system_fingerprint: null, model: g.model, id });

    if (!(await sleep(g.firstTokenMs, signal))) return;
    const pieces = g.chunks.length > 0 ? g.chunks : [''];
    const interruption = g.midStreamError ?? g.fault;
    const stopAt = interruption ? Math.min(interruption.afterChunks, g.chunks.length) : pieces.length;
    for (let i = 0; i < stopAt; i++) {
      if (i > 0 && !(await sleep(g.perChunkMs, signal))) return;
      if (i === 0) {
        const roleChoices = Array.from({ length: g.n }, (_, index) => ({
          delta: { content: '', role: 'assistant' },
          finish_reason: null,
          index,
          logprobs: null,
        }));
        if (!send(chunk(roleChoices, null))) return;
      }
      const last = !interruption && i === pieces.length - 1;
      for (let index = 0; index < g.n; index++) {
        const choice = { delta: { content: pieces[i] }, finish_reason: last ? g.finishReason : null, index, logprobs: null };
        if (!send(chunk([choice], null))) return;
      }
      record.completion += pieces[i];
      record.chunksSent += 1;
      if (last) record.finishReason = g.finishReason;
    }
    if (g.fault) {
      if (g.fault.afterChunks > 0 && !(await sleep(g.perChunkMs, signal))) return;
      this.sendFault(res, g.fault.kind, send);
      return;
    }
    if (g.midStreamError) {
      if (g.midStreamError.afterChunks > 0 && !(await sleep(g.perChunkMs, signal))) return;
      record.errorCode = g.midStreamError.code;
      const { message, type, code } = g.midStreamError;
      if (!send(JSON.stringify({ error: { message, type, param: null, code } }))) return;
      res.end();
      return;
    }
    record.usage = g.usage;
    if (g.includeUsage && !send(chunk([], g.usage))) return;
    if (!send('[DONE]')) return;
    res.end();
  }

  private sendFault(res: http.ServerResponse, kind: NonNullable<Generation['fault']>['kind'], send: (data: string) => boolean): void {
    if (kind === 'drop') {
      // A reset mid-body: the client sees the connection fail, not an end of stream.
      res.socket?.resetAndDestroy();
      return;
    }
    if (kind === 'malformed' && !send('{"choices":[{"delta":{"content":"x"},')) return;
    res.end();
  }
}

function otherHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name !== 'authorization' && value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new SimulatorServer(options);
  await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return simulator;
}
