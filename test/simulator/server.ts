/**
 * A local simulator of Alibaba Cloud Model Studio (DashScope)'s OpenAI-compatible chat API
 * (`/compatible-mode/v1/chat/completions`) with partial mode, for tests.
 *
 * It also speaks the dialects of the local servers a user may point the extension at (option
 * `dialect`): vLLM, SGLang, llama.cpp's llama-server, Ollama and LM Studio, each under `/v1`, with
 * that server's way to continue a final assistant message, its FIM endpoint, its usage fields, its
 * model list and its error bodies. Facts come from /tmp/research/servers.md (copied into the
 * comments below as [doc] / [src] / [3p]); what no source confirms is marked "inferred".
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
   * Which server to act as (default 'dashscope'). Every other dialect serves `/v1/...` (see
   * `Simulator.baseUrl`) and needs no key unless `requireKey` is set.
   */
  dialect?: Dialect;
  /**
   * Non-DashScope dialects only: require one of `apiKeys` (like `vllm serve --api-key`,
   * `llama-server --api-key`, LM Studio's "Require Authentication"). Default false: every request
   * is served, like those servers started without a key [doc/src, all five].
   */
  requireKey?: boolean;
  /** Non-DashScope dialects only: the model ids served (default: per dialect, see DIALECT_MODELS); null restores the default. */
  servedModels?: string[] | null;
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

export type Dialect = 'dashscope' | 'vllm' | 'sglang' | 'llama.cpp' | 'ollama' | 'lmstudio';

export const DIALECTS: readonly Dialect[] = ['dashscope', 'vllm', 'sglang', 'llama.cpp', 'ollama', 'lmstudio'];

/**
 * The usage a record keeps: always in DashScope's shape, whatever the dialect (each dialect's own
 * wire shape is built from it: see wireUsage).
 */
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
  /** What a client puts as baseURL: url + '/compatible-mode/v1' (dashscope), else url + '/v1'. Follows `configure({dialect})`. */
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
  ['qwen2.5-coder-14b-instruct', DEFAULT_CONTEXT, false, false],
  ['qwen2.5-coder-7b-instruct', DEFAULT_CONTEXT, false, false],
];

/** The models listed by GET /models (dated coder snapshots are accepted too but not listed). */
export const KNOWN_MODELS: readonly string[] = MODEL_TABLE.map(([id]) => id);

const SNAPSHOT_RE = /^qwen3-coder-(plus|flash)-\d{4}-\d{2}-\d{2}$/;

/**
 * The models each local server serves by default: the ids its docs show for Qwen coder models
 * (vLLM/SGLang: the Hugging Face repo id [doc]; llama.cpp: the GGUF file name, its default id being
 * the `-m` path [doc]; Ollama: library tags [unverified]; LM Studio: model keys [3p]).
 */
export const DIALECT_MODELS: Readonly<Record<Exclude<Dialect, 'dashscope'>, readonly string[]>> = {
  vllm: ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'Qwen/Qwen3-8B'],
  sglang: ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'Qwen/Qwen3-8B'],
  'llama.cpp': ['qwen2.5-coder-7b-instruct-q8_0.gguf'],
  ollama: ['qwen3-coder:30b', 'qwen2.5-coder:7b', 'qwen3:8b'],
  lmstudio: ['qwen/qwen3-coder-30b', 'qwen2.5-coder-7b-instruct'],
};

/** `owned_by` in GET /v1/models: [src] vLLM, SGLang ModelCard; [doc] llama.cpp README, Ollama; [3p] LM Studio. */
const OWNED_BY: Readonly<Record<Dialect, string>> = {
  dashscope: 'system',
  vllm: 'vllm',
  sglang: 'sglang',
  'llama.cpp': 'llamacpp',
  ollama: 'library',
  lmstudio: 'organization_owner',
};

/** A hybrid thinking Qwen3 (not a coder model) by its local-server name: `Qwen/Qwen3-8B`, `qwen3:8b`. */
export function isHybridName(id: string): boolean {
  return /qwen3-\d+b|qwen3:\d+b/i.test(id) && !/coder/i.test(id);
}

/** The API prefix a dialect serves under. */
export function apiPrefixOf(dialect: Dialect): string {
  return dialect === 'dashscope' ? '/compatible-mode/v1' : '/v1';
}

function localModelInfo(id: string): ModelInfo {
  const hybrid = isHybridName(id);
  return { id, context: DEFAULT_CONTEXT, maxOutput: MAX_OUTPUT_TOKENS, hybrid, thinkingByDefault: hybrid };
}

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

const TOKEN_RE = /<\|(?:im_start|im_end|fim_prefix|fim_suffix|fim_middle|fim_pad|repo_name|file_sep|endoftext)\|>|\s+|[A-Za-z_]+|\d|[^\sA-Za-z_\d]/gu;
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

/**
 * The prefix a recorded request asked the model to continue: for chat, the last message's text (in
 * partial mode, the partial assistant content); for `/completions`, the FIM prefix of `prompt` (the
 * whole prompt when it is no FIM prompt; Ollama: `prompt` itself when `suffix` is given); for
 * llama.cpp's `/infill`, `input_prefix`.
 */
export function promptPrefixOf(record: RequestRecord): string {
  const body = record.body;
  if (record.path === '/infill') return typeof body?.input_prefix === 'string' ? body.input_prefix : '';
  if (record.path.endsWith('/completions') && !record.path.endsWith('/chat/completions')) {
    if (typeof body?.prompt !== 'string') return '';
    if (typeof body.suffix === 'string') return body.prompt;
    return parseFimPrompt(body.prompt, true)?.prefix ?? body.prompt;
  }
  const messages = body?.messages;
  return Array.isArray(messages) && messages.length > 0 ? contentText(messages[messages.length - 1]?.content) : '';
}

/**
 * The stable serialisation of the messages that prompt tokens (and the cache) are counted on.
 * `openEnded` (default: the last message is assistant with `partial: true`) leaves the last message
 * open for the model to continue instead of adding a generation prompt.
 */
export function serializePrompt(messages: Array<{ role: string; content?: unknown; partial?: unknown }>, openEnded?: boolean): string {
  const last = messages[messages.length - 1];
  const open = openEnded ?? (last !== undefined && last.role === 'assistant' && last.partial === true);
  let text = '';
  messages.forEach((message, i) => {
    text += `<|im_start|>${message.role}\n${contentText(message.content)}`;
    if (!(open && i === messages.length - 1)) text += '<|im_end|>\n';
  });
  if (!open) text += '<|im_start|>assistant\n';
  return text;
}

/**
 * Qwen2.5-Coder's FIM prompt [doc: QwenLM/Qwen2.5-Coder README]: optional repository part
 * (`<|repo_name|>name`, then `<|file_sep|>path` + content per file), then
 * `<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>` with each marker exactly once, in that order, and
 * nothing after `<|fim_middle|>`. `prefixOnly` also accepts DashScope's documented prefix-only form
 * `<|fim_prefix|>P<|fim_suffix|>` [doc: Model Studio /completions page]. Undefined: not a FIM prompt.
 */
export function parseFimPrompt(prompt: string, prefixOnly = false): { prefix: string; suffix: string } | undefined {
  const [pre, suf, mid] = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'].map((marker) => {
    const at = prompt.indexOf(marker);
    return at >= 0 && prompt.indexOf(marker, at + 1) < 0 ? at : at < 0 ? -1 : -2;
  });
  if (pre < 0 || suf < pre || mid === -2) return undefined;
  // The repository part, `(<|file_sep|>path\n content)*`, is either empty or starts with a file_sep line.
  if (!/^(?:<\|repo_name\|>[^\n]*\n)?(?:<\|file_sep\|>[^\n]*\n[\s\S]*)?$/.test(prompt.slice(0, pre))) return undefined;
  const prefix = prompt.slice(pre + '<|fim_prefix|>'.length, suf);
  if (mid < 0) {
    const whole = prefixOnly && prompt.length === suf + '<|fim_suffix|>'.length;
    return whole ? { prefix, suffix: '' } : undefined;
  }
  if (mid < suf || prompt.length !== mid + '<|fim_middle|>'.length) return undefined;
  return { prefix, suffix: prompt.slice(suf + '<|fim_suffix|>'.length, mid) };
}

/** What a model given a broken FIM prompt writes: deterministic garbage (inferred: no source describes it). */
export const FIM_GARBAGE = '<|fim_pad|>\n}\n}\n';

/** A guess of the language of some code, for the fence of a restarted answer ('' when unsure). */
export function languageGuess(code: string): string {
  if (/^\s*(?:def|class)\s+\w+.*:\s*$/m.test(code) || /^\s*(?:from\s+\S+\s+)?import\s+[\w.]+\s*$/m.test(code)) return 'python';
  if (/^\s*package\s+\w+\s*$/m.test(code) || /^\s*func\s/m.test(code)) return 'go';
  if (/^\s*(?:pub\s+)?fn\s+\w+|\blet\s+mut\s/m.test(code)) return 'rust';
  if (/\b(?:interface|type)\s+\w+|:\s*(?:string|number|boolean)\b/.test(code)) return 'typescript';
  if (/\bfunction\b|=>|\b(?:const|let)\s/.test(code)) return 'javascript';
  return '';
}

/**
 * What a chat model answers when asked for a new turn instead of continuing its message: the whole
 * code again, in a fence, with chatter (inferred: what instruct models typically do).
 */
export function restartAnswer(prefix: string, continuation: string): string {
  return `Here is the completed code:\n\n\`\`\`${languageGuess(prefix)}\n${prefix}${continuation}\n\`\`\`\n`;
}

/** What hybrid Qwen3 models write first when thinking is on (the simulator's fixed thought). */
export const THINKING_PREFIX = '<think>\nThe user wants the function completed.\n</think>\n\n';

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
const MAX_BODY_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly type: string = 'invalid_request_error',
    readonly headers: Record<string, string> = {},
    /** The exact body to send (a dialect's own error shape; a string is sent as text/plain); else built by errorBody. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** An error whose body is given as is. */
function rawError(status: number, code: string, message: string, body: unknown): HttpError {
  return new HttpError(status, code, message, null, 'invalid_request_error', {}, body);
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
  dialect: Dialect;
  requireKey: boolean;
  servedModels: string[] | null;
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
  dialect: 'dashscope',
  requireKey: false,
  servedModels: null,
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

/** What an endpoint generates: chat (`/chat/completions`), text (`/completions`) or llama.cpp's `/infill`. */
type Kind = 'chat' | 'text' | 'infill';

interface Generation {
  kind: Kind;
  model: string;
  content: string;
  finishReason: 'stop' | 'length';
  /** The `stop` string that cut the answer ('' when none did). */
  stoppingWord: string;
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
        resolve();
      });
    });
  }

  get baseUrl(): string {
    return this.url + apiPrefixOf(this.options.dialect);
  }

  configure(options: Partial<SimulatorOptions>): void {
    const o = this.options;
    if (options.dialect !== undefined) o.dialect = DIALECTS.includes(options.dialect) ? options.dialect : 'dashscope';
    if (options.requireKey !== undefined) o.requireKey = options.requireKey === true;
    if (options.servedModels !== undefined) {
      o.servedModels = Array.isArray(options.servedModels) ? options.servedModels.filter((m) => typeof m === 'string' && m) : null;
    }
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
    if (answerCors(req, res)) return;
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

    const bodyError = raw.length === 0 ? 'The request body is empty; expected a JSON object.' : parseError && `The request body is not valid JSON: ${parseError}`;
    const call: Call = { req, res, record, body, bodyError, signal: controller.signal };
    try {
      await this.route(method, path, call);
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
      if (rest.dialect !== undefined && !DIALECTS.includes(rest.dialect)) {
        reply(400, { error: { message: `Unknown dialect ${JSON.stringify(rest.dialect)}; expected one of ${DIALECTS.join(', ')}.`, type: 'invalid_request_error', param: 'dialect', code: 'invalid_parameter_error' } });
        return;
      }
      this.configure(rest);
      reply(200, { ok: true });
    } else if (method === 'POST' && path === '/_simulator/reset') {
      this.reset();
      reply(200, { ok: true });
    } else {
      reply(404, { error: { message: `Not found: ${method} ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } });
    }
  }

  /** Routes a request of the current dialect (every path but the control API). */
  private async route(method: string, path: string, call: Call): Promise<void> {
    const dialect = this.options.dialect;
    const api = apiPrefixOf(dialect);
    if (method === 'POST') {
      const kind: Kind | undefined =
        path === `${api}/chat/completions` ? 'chat'
        : path === `${api}/completions` ? 'text'
        : dialect === 'llama.cpp' && path === '/infill' ? 'infill'
        : undefined;
      if (kind) return this.generate(kind, call);
    } else if (method === 'GET' && path === `${api}/models`) {
      // llama-server lists its models without a key (inferred: /models is among its public endpoints).
      if (dialect !== 'llama.cpp') this.authorize(call.req);
      return this.sendJson(call.res, call.record, 200, { object: 'list', data: this.modelIds().map((id) => this.modelCard(id)) });
    } else if (method === 'GET' && path.startsWith(`${api}/models/`)) {
      this.authorize(call.req);
      const id = decodeURIComponent(path.slice(`${api}/models/`.length));
      if (!this.modelIds().includes(id) && !(dialect === 'dashscope' && modelInfo(id))) throw this.modelNotFound(id);
      return this.sendJson(call.res, call.record, 200, this.modelCard(id));
    }
    throw this.routeNotFound(method, path);
  }

  private async generate(kind: Kind, call: Call): Promise<void> {
    this.authorize(call.req);
    this.throttle();
    if (call.bodyError !== undefined) throw badParam(call.bodyError, null);
    if (kind === 'chat') await this.chatCompletions(call);
    else if (kind === 'text') await this.textCompletions(call);
    else await this.infill(call);
  }

  /** A path the server does not serve: each server's own 404 (all inferred but DashScope's). */
  private routeNotFound(method: string, path: string): HttpError {
    const message = `Not found: ${method} ${path}`;
    switch (this.options.dialect) {
      case 'dashscope':
        return new HttpError(404, 'not_found', message);
      case 'vllm':
      case 'sglang':
        return rawError(404, 'not_found', message, { detail: 'Not Found' }); // FastAPI's default
      case 'llama.cpp':
        return rawError(404, 'not_found', message, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
      case 'ollama':
        return rawError(404, 'not_found', message, '404 page not found'); // Gin's default, text/plain
      case 'lmstudio':
        return rawError(404, 'not_found', message, { error: `Unexpected endpoint or method. (${method} ${path})` });
    }
  }

  private authorize(req: http.IncomingMessage): void {
    const o = this.options;
    if (o.keyless) return;
    // Local servers need a key only when started with one [doc/src: vLLM, SGLang, llama.cpp --api-key; LM Studio "Require Authentication"].
    if (o.dialect !== 'dashscope' && !o.requireKey) return;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match || !o.apiKeys.includes(match[1].trim())) throw this.unauthorized();
  }

  private unauthorized(): HttpError {
    switch (this.options.dialect) {
      case 'dashscope':
        return new HttpError(401, 'invalid_api_key', 'Incorrect API key provided. ');
      case 'vllm': // vLLM's api-key middleware [src]
      case 'sglang': // inferred: SGLang's add_api_key_middleware copies vLLM's (not in the research notes)
        return rawError(401, 'unauthorized', 'Unauthorized', { error: 'Unauthorized' });
      case 'llama.cpp': // [doc] llama.cpp server README
        return rawError(401, 'authentication_error', 'Invalid API Key', { error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' } });
      default: // Ollama (only behind a proxy), LM Studio: OpenAI's shape (inferred)
        return rawError(401, 'invalid_api_key', 'Invalid API key', {
          error: { message: 'Invalid API key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
        });
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

  // -------------------------------------------------------------------------------------------
  // Models

  private servedModels(): readonly string[] {
    const dialect = this.options.dialect;
    return this.options.servedModels ?? (dialect === 'dashscope' ? KNOWN_MODELS : DIALECT_MODELS[dialect]);
  }

  private modelIds(): readonly string[] {
    return this.options.dialect === 'dashscope' ? KNOWN_MODELS : this.servedModels();
  }

  private modelCard(id: string): Record<string, unknown> {
    const card = { id, object: 'model', created: 1735689600, owned_by: OWNED_BY[this.options.dialect] };
    // vLLM's ModelCard also has root, parent and max_model_len [src].
    return this.options.dialect === 'vllm' ? { ...card, root: id, parent: null, max_model_len: DEFAULT_CONTEXT } : card;
  }

  /** The model a request names, or that server's unknown-model error. llama-server serves its one model whatever is asked [doc]. */
  private resolveModel(id: string): ModelInfo {
    const dialect = this.options.dialect;
    if (dialect === 'dashscope') {
      const info = modelInfo(id);
      if (!info) throw this.modelNotFound(id);
      return info;
    }
    const served = this.servedModels();
    if (dialect === 'llama.cpp') return localModelInfo(served[0] ?? id);
    if (!served.includes(id)) throw this.modelNotFound(id);
    return localModelInfo(id);
  }

  private modelNotFound(model: string): HttpError {
    const code = 'model_not_found';
    switch (this.options.dialect) {
      case 'vllm': { // [src] _check_model: 404 NotFoundError; nested shape since v0.10.1 [3p]
        const message = `The model \`${model}\` does not exist.`;
        return rawError(404, code, message, { error: { message, type: 'NotFoundError', param: 'model', code: 404 } });
      }
      case 'sglang': { // flat ErrorResponse [src, one indexed version]; status and wording inferred from the spec
        const message = `The model \`${model}\` does not exist.`;
        return rawError(400, code, message, { object: 'error', message, type: 'BadRequestError', param: null, code: 400 });
      }
      case 'ollama': { // [src] handleScheduleError + openai.NewError (404 -> not_found_error)
        const message = `model "${model}" not found, try pulling it first`;
        return rawError(404, code, message, { error: { message, type: 'not_found_error', param: null, code: null } });
      }
      case 'lmstudio': { // [3p] letta-ai/letta#1876 (0.3.5 beta, which also lists "Your models:" after the message)
        const message = `Model "${model}" not found. Please specify a valid model.`;
        return rawError(404, code, message, { error: { message, type: 'invalid_request_error', param: 'model', code } });
      }
      default:
        return new HttpError(404, code, `The model \`${model}\` does not exist or you do not have access to it.`);
    }
  }

  /** The body's model (llama.cpp: optional); a JSON object body is required. */
  private requireModel(body: any): ModelInfo {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badParam('The request body must be a JSON object.', null);
    if (this.options.dialect === 'llama.cpp' && !present(body.model)) return this.resolveModel('');
    if (!present(body.model)) throw badParam('Model not specified: the `model` parameter is required.', 'model');
    if (typeof body.model !== 'string' || !body.model) throw badParam('The `model` parameter must be a non-empty string.', 'model');
    return this.resolveModel(body.model);
  }

  // -------------------------------------------------------------------------------------------
  // Validation

  /** Roles and contents; DashScope's partial-mode rules too (other servers ignore `partial`). */
  private validateMessages(messages: any): any[] {
    if (!present(messages)) throw badParam('The `messages` parameter is required.', 'messages');
    if (!Array.isArray(messages)) throw badParam('The `messages` parameter must be an array.', 'messages');
    if (messages.length === 0) throw badParam('The `messages` parameter must not be empty.', 'messages');
    const partialRules = this.options.dialect === 'dashscope';
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
      if (partialRules) validatePartial(message, i, messages.length);
    });
    return messages;
  }

  /** Sampling and streaming parameters (both chat and text completions); returns max_tokens or max_completion_tokens. */
  private validateSampling(body: any, info: ModelInfo): number | undefined {
    for (const name of ['max_tokens', 'max_completion_tokens'] as const) {
      const value = body[name];
      if (!present(value)) continue;
      if (!isInt(value) || value < 1 || value > info.maxOutput) {
        throw badParam(`Range of ${name} should be [1, ${info.maxOutput}]`, name);
      }
    }
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
    if (present(body.max_completion_tokens)) return body.max_completion_tokens;
    return present(body.max_tokens) ? body.max_tokens : undefined;
  }

  /**
   * Does the model continue the last message, restart (the last message is the assistant's but is
   * not continued: a new turn), or answer a fresh turn (the last message is not the assistant's)?
   * And does a hybrid model think first?
   */
  private decideTurn(body: any, messages: any[], info: ModelInfo): Turn {
    const last = messages[messages.length - 1];
    const prefix = contentText(last.content);
    const assistantLast = last.role === 'assistant';
    const turn = (continues: boolean, thinking: boolean): Turn => ({ mode: continues ? 'continue' : assistantLast ? 'restart' : 'fresh', prefix, thinking });
    const kwargsThinking = info.hybrid && body.chat_template_kwargs?.enable_thinking !== false; // [doc] vLLM, SGLang, llama.cpp
    switch (this.options.dialect) {
      case 'dashscope': {
        const partial = assistantLast && last.partial === true;
        if (partial && info.hybrid && (present(body.enable_thinking) ? body.enable_thinking === true : info.thinkingByDefault)) {
          throw badParam(`Partial mode is not supported in thinking mode: call ${info.id} with "enable_thinking": false.`, 'enable_thinking');
        }
        return turn(partial, false);
      }
      case 'vllm':
        return turn(vllmContinues(body, assistantLast), kwargsThinking);
      case 'sglang':
        // [src] serving_chat: with continue_final_message and a last assistant message, that message is
        // appended after the generation prompt; SGLang has no add_generation_prompt field (ignored).
        return turn(body.continue_final_message === true && assistantLast, kwargsThinking);
      case 'llama.cpp':
        // [doc] --prefill-assistant (default on): a last assistant message is continued. [3p] #21889: not with thinking.
        if (assistantLast && kwargsThinking) throw badParam('Assistant response prefill is incompatible with enable_thinking.', null);
        return turn(assistantLast, kwargsThinking);
      case 'ollama':
        // Prefill of a last assistant message: [3p] maintainer in ollama#6778; `think` turns thinking off (spec).
        return turn(assistantLast, info.hybrid && body.think !== false);
      case 'lmstudio':
        return turn(assistantLast, false); // inferred: nothing documented; continues like llama.cpp, which it runs on
    }
  }

  // -------------------------------------------------------------------------------------------
  // The model

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

  /** The continuation of `prefix`: script, oracle or default. Never repeats the prefix. */
  private modelAnswer(entry: ScriptedResponse | undefined, prefix: string, promptText: string): string {
    if (entry) return typeof entry.completion === 'string' ? entry.completion : '';
    if (!this.options.oracle) return this.options.defaultCompletion;
    const { files, maxLines, wrongShare, definitions } = this.options.oracle;
    const match = oracleMatch(prefix, files, maxLines);
    let content = match?.continuation ?? this.options.defaultCompletion;
    if (match && definitions) content = contextDependentAnswer(content, match.path, promptText, definitions);
    if (wrongShare > 0 && shareOf(prefix.slice(-200)) < wrongShare) content = changeFirstWord(content);
    return content;
  }

  /** A scripted error: thrown now, or returned to be sent mid-stream; 'aborted' when the client left while waiting. */
  private async scriptedError(entry: ScriptedResponse | undefined, stream: boolean, signal: AbortSignal): Promise<Generation['midStreamError'] | 'aborted'> {
    const scriptedError = entry?.error;
    if (!scriptedError) return undefined;
    const status = isInt(scriptedError.status) ? scriptedError.status : 500;
    const type = scriptedError.type ?? (status >= 500 ? 'internal_error' : 'invalid_request_error');
    if (stream && isInt(scriptedError.midStreamAfterChunks) && scriptedError.midStreamAfterChunks >= 0) {
      return { afterChunks: scriptedError.midStreamAfterChunks, code: scriptedError.code, message: scriptedError.message, type };
    }
    const firstTokenMs = nonNegative(entry?.latency?.firstTokenMs, this.options.latency.firstTokenMs);
    if (entry?.latency?.firstTokenMs !== undefined && !(await sleep(firstTokenMs, signal))) return 'aborted';
    const headers: Record<string, string> = {};
    if (isInt(scriptedError.retryAfterSeconds)) headers['retry-after'] = String(scriptedError.retryAfterSeconds);
    throw new HttpError(status, scriptedError.code, scriptedError.message, null, type, headers);
  }

  /**
   * Tokens of the prompt the prefix cache serves. DashScope's implicit cache: the longest common
   * prefix with a recent prompt, from 256 tokens [doc]. Local servers cache whole blocks of 16 tokens
   * (vLLM's default block size; inferred for the others), never the last prompt token.
   */
  private cachedTokens(model: string, tokens: string[]): number {
    let best = 0;
    for (const previous of this.cacheMemory) {
      if (previous.model !== model) continue;
      const limit = Math.min(previous.tokens.length, tokens.length);
      let i = 0;
      while (i < limit && previous.tokens[i] === tokens[i]) i += 1;
      if (i > best) best = i;
    }
    if (this.options.dialect === 'dashscope') return best >= 256 ? best : 0;
    return Math.floor(Math.min(best, tokens.length - 1) / 16) * 16;
  }

  private remember(model: string, tokens: string[]): void {
    const keep = this.options.recentRequestsForCache;
    if (keep <= 0) return;
    this.cacheMemory.push({ model, tokens });
    if (this.cacheMemory.length > keep) this.cacheMemory.splice(0, this.cacheMemory.length - keep);
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints

  private async chatCompletions(call: Call): Promise<void> {
    const body = call.body;
    const info = this.requireModel(body);
    const messages = this.validateMessages(body.messages);
    const maxTokens = this.validateSampling(body, info);
    const turn = this.decideTurn(body, messages, info);
    const promptText = serializePrompt(messages, turn.mode === 'continue');
    const promptTokens = tokenize(promptText);
    if (promptTokens.length > info.context) {
      throw badParam(`Range of input length should be [1, ${info.context}]`, 'messages');
    }
    const entry = this.pickScript(info.id, turn.prefix, promptText);
    const midStreamError = await this.scriptedError(entry, body.stream === true, call.signal);
    if (midStreamError === 'aborted') return;
    let content: string;
    if (turn.mode === 'fresh') content = entry ? (typeof entry.completion === 'string' ? entry.completion : '') : this.options.defaultCompletion;
    else content = this.modelAnswer(entry, turn.prefix, promptText);
    if (turn.mode === 'restart') content = restartAnswer(turn.prefix, content);
    if (turn.thinking) content = THINKING_PREFIX + content;
    await this.generateAndSend(call, { kind: 'chat', info, content, maxTokens, promptTokens, entry, midStreamError });
  }

  /** `POST {base}/completions`: the OpenAI legacy endpoint, used for FIM (raw prompt). */
  private async textCompletions(call: Call): Promise<void> {
    const body = call.body;
    const dialect = this.options.dialect;
    const info = this.requireModel(body);
    if (dialect === 'dashscope' && !/^qwen2\.5-coder-/.test(info.id)) {
      // [doc] only Qwen2.5-Coder (and qwen-coder-turbo) models are served here; the status and body are
      // inferred (404 not_found, as for a path a model does not serve).
      throw new HttpError(404, 'not_found', `The model ${info.id} does not support this API (fill-in-the-middle completions are served for qwen2.5-coder models).`);
    }
    if (typeof body.prompt !== 'string') throw badParam('The `prompt` parameter is required and must be a string.', 'prompt');
    // [doc] vLLM: "suffix parameter is not supported" (the message is inferred).
    if (dialect === 'vllm' && present(body.suffix)) throw badParam('suffix is not currently supported', 'suffix');
    // vLLM and SGLang default max_tokens to 16 on /v1/completions, like OpenAI's legacy API (inferred from their request schemas).
    const maxTokens = this.validateSampling(body, info) ?? (dialect === 'vllm' || dialect === 'sglang' ? 16 : undefined);
    const reading = this.readFimPrompt(body, info);
    const promptTokens = tokenize(reading.promptText);
    if (promptTokens.length > info.context) throw badParam(`Range of input length should be [1, ${info.context}]`, 'prompt');
    const entry = this.pickScript(info.id, reading.prefix, reading.promptText);
    const midStreamError = await this.scriptedError(entry, body.stream === true, call.signal);
    if (midStreamError === 'aborted') return;
    let content: string;
    if (reading.mode === 'garbage') content = FIM_GARBAGE;
    else if (reading.mode === 'fresh') content = entry ? (typeof entry.completion === 'string' ? entry.completion : '') : this.options.defaultCompletion;
    else content = this.modelAnswer(entry, reading.prefix, reading.promptText);
    if (reading.mode === 'restart') content = restartAnswer(reading.prefix, content);
    await this.generateAndSend(call, { kind: 'text', info, content, maxTokens, promptTokens, entry, midStreamError });
  }

  /**
   * How the model reads a /completions prompt. Raw servers (vLLM, SGLang, llama.cpp, LM Studio
   * "prompt template is not applied" [doc], DashScope): a valid FIM prompt is continued from its
   * prefix; anything else makes garbage. Ollama [src: FromCompleteRequest, GenerateHandler]: with
   * `suffix`, it writes the FIM tokens itself around `prompt` and `suffix` (FIM tokens inside them
   * make garbage; a model without the insert capability is refused); without `suffix` the prompt
   * becomes a user message of the chat template, so the model answers a chat turn.
   */
  private readFimPrompt(body: any, info: ModelInfo): { promptText: string; prefix: string; mode: 'continue' | 'restart' | 'fresh' | 'garbage' } {
    const prompt: string = body.prompt;
    if (this.options.dialect === 'ollama') {
      if (typeof body.suffix === 'string') {
        // Which models have the insert capability is inferred: the coder ones.
        if (!/coder/i.test(info.id)) throw badParam(`"${info.id}" does not support insert`, null);
        const broken = /<\|(?:fim_prefix|fim_suffix|fim_middle)\|>/.test(prompt + body.suffix);
        return { promptText: `<|fim_prefix|>${prompt}<|fim_suffix|>${body.suffix}<|fim_middle|>`, prefix: prompt, mode: broken ? 'garbage' : 'continue' };
      }
      const fim = parseFimPrompt(prompt);
      return { promptText: serializePrompt([{ role: 'user', content: prompt }]), prefix: fim?.prefix ?? prompt, mode: fim ? 'restart' : 'fresh' };
    }
    const fim = parseFimPrompt(prompt, this.options.dialect === 'dashscope');
    return { promptText: prompt, prefix: fim?.prefix ?? prompt, mode: fim ? 'continue' : 'garbage' };
  }

  /** llama.cpp's `POST /infill` [doc: tools/server/README.md; validation messages from server.cpp]. */
  private async infill(call: Call): Promise<void> {
    const body = call.body;
    const extra = validateInfill(body);
    const info = this.requireModel(body);
    const nPredict = body.n_predict;
    if (present(nPredict) && !isInt(nPredict)) throw badParam('"n_predict" must be an integer', 'n_predict');
    const stop = body.stop;
    if (present(stop) && !(Array.isArray(stop) && stop.every((s: unknown) => typeof s === 'string'))) throw badParam('"stop" must be an array of strings', 'stop');
    const prefix = body.input_prefix + (body.prompt ?? '');
    // The repo-level layout llama-server builds for Qwen2.5-Coder [doc].
    const files = extra.map((chunk) => `<|file_sep|>${chunk.filename}\n${chunk.text}`).join('');
    const promptText = `${extra.length ? `<|repo_name|>myproject\n${files}<|file_sep|>filename\n` : ''}<|fim_prefix|>${body.input_prefix}<|fim_suffix|>${body.input_suffix ?? ''}<|fim_middle|>${body.prompt ?? ''}`;
    const promptTokens = tokenize(promptText);
    const entry = this.pickScript(info.id, prefix, promptText);
    const midStreamError = await this.scriptedError(entry, body.stream === true, call.signal);
    if (midStreamError === 'aborted') return;
    const content = this.modelAnswer(entry, prefix, promptText);
    const maxTokens = isInt(nPredict) && nPredict >= 0 ? nPredict : undefined;
    await this.generateAndSend(call, { kind: 'infill', info, content, maxTokens, promptTokens, entry, midStreamError });
  }

  /** Cuts the answer (stop strings, max tokens), counts usage and the cache, plans the chunks and the latency, and sends it. */
  private async generateAndSend(call: Call, spec: GenerationSpec): Promise<void> {
    const { body, record, res, signal } = call;
    const stream = body.stream === true;
    const stops: string[] = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : [];
    const { content, tokens, finishReason, stoppingWord } = cutAnswer(spec.content, stops, spec.maxTokens);
    const n = spec.kind !== 'infill' && isInt(body.n) ? body.n : 1;
    const { promptTokens, info, entry } = spec;
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
    const latency = this.options.latency;
    const chunks: string[] = [];
    for (let i = 0; i < tokens.length; i += latency.tokensPerChunk) chunks.push(tokens.slice(i, i + latency.tokensPerChunk).join(''));
    const generation: Generation = {
      kind: spec.kind,
      model: typeof body.model === 'string' ? body.model : info.id,
      content,
      finishReason,
      stoppingWord,
      chunks,
      n,
      includeUsage: stream && body.stream_options?.include_usage === true,
      usage,
      firstTokenMs:
        nonNegative(entry?.latency?.firstTokenMs, latency.firstTokenMs) +
        (latency.prefillMsPerKTokens * (promptTokens.length - cached)) / 1000 +
        latency.jitterMs * this.jitter.next(),
      perChunkMs: nonNegative(entry?.latency?.perChunkMs, latency.perChunkMs),
      midStreamError: spec.midStreamError,
      fault: stream ? entry?.fault : undefined,
    };
    const framer = this.framer(generation, record);
    if (stream) await this.sendStream(res, record, generation, signal, framer);
    else await this.sendCompletion(res, record, generation, signal, framer);
  }

  // -------------------------------------------------------------------------------------------
  // Response shapes

  /** The usage as each server writes it. */
  private wireUsage(g: Generation, streaming: boolean): unknown {
    const { prompt_tokens, completion_tokens, total_tokens } = g.usage;
    const cached = g.usage.prompt_tokens_details.cached_tokens;
    switch (this.options.dialect) {
      case 'dashscope':
        return g.usage;
      case 'vllm': // with --enable-prompt-tokens-details [src]
        return { prompt_tokens, total_tokens, completion_tokens, prompt_tokens_details: { cached_tokens: cached } };
      case 'sglang': // with --enable-cache-report; when streaming, only when some tokens were cached [src]
        return streaming && cached === 0
          ? { prompt_tokens, total_tokens, completion_tokens }
          : { prompt_tokens, total_tokens, completion_tokens, prompt_tokens_details: { cached_tokens: cached } };
      default:
        // llama.cpp (the older README documents only `timings`; newer builds add prompt_tokens_details [doc]),
        // Ollama [src: openai.Usage], LM Studio [doc: prompt_tokens_details None].
        return { prompt_tokens, completion_tokens, total_tokens };
    }
  }

  /** llama.cpp's `timings` [doc]: cache_n = prompt tokens reused from the cache, prompt_n = the others. */
  private timings(g: Generation): Record<string, number> {
    const cached = g.usage.prompt_tokens_details.cached_tokens;
    return {
      prompt_n: g.usage.prompt_tokens - cached,
      prompt_ms: Math.round(g.firstTokenMs * 1000) / 1000,
      cache_n: cached,
      predicted_n: g.usage.completion_tokens,
      predicted_ms: g.perChunkMs * g.chunks.length,
    };
  }

  private timingsField(g: Generation): Record<string, unknown> {
    return this.options.dialect === 'llama.cpp' ? { timings: this.timings(g) } : {};
  }

  private framer(g: Generation, record: RequestRecord): Framer {
    const created = Math.floor(Date.now() / 1000);
    if (g.kind === 'infill') return this.infillFramer(g);
    if (g.kind === 'text') return this.textFramer(g, record, created);
    return this.chatFramer(g, record, created);
  }

  private chatFramer(g: Generation, record: RequestRecord, created: number): Framer {
    const id = `chatcmpl-${record.id}`;
    const dashscope = this.options.dialect === 'dashscope';
    const chunk = (choices: unknown[], usage: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify(
        dashscope
          ? { choices, object: 'chat.completion.chunk', usage, created, system_fingerprint: null, model: g.model, id }
          : { id, object: 'chat.completion.chunk', created, model: g.model, choices, ...(usage ? { usage } : {}), ...extra },
      );
    const each = <T>(f: (index: number) => T): T[] => Array.from({ length: g.n }, (_, index) => f(index));
    return {
      opening: () => [chunk(each((index) => ({ delta: { content: '', role: 'assistant' }, finish_reason: null, index, logprobs: null })), null)],
      piece: (text, last) =>
        each((index) => chunk([{ delta: { content: text }, finish_reason: last ? g.finishReason : null, index, logprobs: null }], null, last ? this.timingsField(g) : {})),
      closing: () => [...(g.includeUsage ? [chunk([], this.wireUsage(g, true))] : []), '[DONE]'],
      whole: () => {
        const choices = each((index) => ({ message: { role: 'assistant', content: g.content }, finish_reason: g.finishReason, index, logprobs: null }));
        return dashscope
          ? { choices, object: 'chat.completion', usage: g.usage, created, system_fingerprint: null, model: g.model, id }
          : { id, object: 'chat.completion', created, model: g.model, choices, usage: this.wireUsage(g, false), ...this.timingsField(g) };
      },
    };
  }

  /** OpenAI's legacy text completion shape (the same for every dialect; for DashScope inferred). */
  private textFramer(g: Generation, record: RequestRecord, created: number): Framer {
    const id = `cmpl-${record.id}`;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ id, object: 'text_completion', created, model: g.model, choices, ...extra });
    const each = <T>(f: (index: number) => T): T[] => Array.from({ length: g.n }, (_, index) => f(index));
    return {
      opening: () => [],
      piece: (text, last) =>
        each((index) => chunk([{ index, text, logprobs: null, finish_reason: last ? g.finishReason : null }], last ? this.timingsField(g) : {})),
      closing: () => [...(g.includeUsage ? [chunk([], { usage: this.wireUsage(g, true) })] : []), '[DONE]'],
      whole: () => ({
        id,
        object: 'text_completion',
        created,
        model: g.model,
        choices: each((index) => ({ text: g.content, finish_reason: g.finishReason, index, logprobs: null })),
        usage: this.wireUsage(g, false),
        ...this.timingsField(g),
      }),
    };
  }

  /** llama.cpp's /infill: `{content, stop:false}` events, then one final event with stop:true; no [DONE] [doc]. */
  private infillFramer(g: Generation): Framer {
    const final = (content: string) => ({
      content,
      tokens: [],
      id_slot: 0,
      stop: true,
      model: g.model,
      tokens_predicted: g.usage.completion_tokens,
      tokens_evaluated: g.usage.prompt_tokens,
      generation_settings: { n_predict: -1 },
      stop_type: g.finishReason === 'length' ? 'limit' : g.stoppingWord ? 'word' : 'eos',
      stopping_word: g.stoppingWord,
      tokens_cached: g.usage.prompt_tokens_details.cached_tokens,
      truncated: false,
      timings: this.timings(g),
      index: 0,
    });
    return {
      opening: () => [],
      piece: (text) => [JSON.stringify({ content: text, tokens: [], stop: false, id_slot: 0, index: 0 })],
      closing: () => [JSON.stringify(final(''))],
      whole: () => final(g.content),
    };
  }

  private requestIdHeader(record: RequestRecord): Record<string, string> {
    return this.options.inferredBehaviour && this.options.dialect === 'dashscope' ? { 'x-request-id': record.id } : {};
  }

  private sendJson(res: http.ServerResponse, record: RequestRecord, status: number, value: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    record.status = status;
    res.writeHead(status, {
      'content-type': typeof value === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...this.requestIdHeader(record),
      ...headers,
    });
    res.end(text);
  }

  private sendError(res: http.ServerResponse, record: RequestRecord, error: HttpError): void {
    record.errorCode = error.code;
    const headers = this.options.inferredBehaviour ? error.headers : {};
    this.sendJson(res, record, error.status, error.body ?? this.errorBody(error, record), headers);
  }

  /** An error in the dialect's shape (validation, throttling, scripted errors). */
  private errorBody(error: HttpError, record: RequestRecord): unknown {
    const { status, message, param } = error;
    switch (this.options.dialect) {
      case 'dashscope':
        return { error: { message, type: error.type, param, code: error.code }, request_id: record.id };
      case 'vllm': // nested since v0.10.1 [3p PR #22099]; type names inferred from vLLM's ErrorResponse use
        return { error: { message, type: pythonErrorType(status), param, code: status } };
      case 'sglang': // flat [src]
        return { object: 'error', message, type: pythonErrorType(status), param, code: status };
      case 'llama.cpp': // [doc] format_error_response
        return { error: { code: status, message, type: llamaErrorType(status) } };
      case 'ollama': // [src] openai.NewError: param and code always null
        return { error: { message, type: status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error', param: null, code: null } };
      case 'lmstudio':
        return { error: { message, type: error.type, param, code: error.code } };
    }
  }

  private async sendCompletion(res: http.ServerResponse, record: RequestRecord, g: Generation, signal: AbortSignal, framer: Framer): Promise<void> {
    const generationMs = g.firstTokenMs + g.perChunkMs * Math.max(0, g.chunks.length - 1);
    if (!(await sleep(generationMs, signal))) return;
    record.completion = g.content;
    record.finishReason = g.finishReason;
    record.usage = g.usage;
    this.sendJson(res, record, 200, framer.whole());
  }

  private async sendStream(res: http.ServerResponse, record: RequestRecord, g: Generation, signal: AbortSignal, framer: Framer): Promise<void> {
    if (res.destroyed) return;
    record.status = 200;
    res.writeHead(200, {
      'content-type': 'text/event-stream;charset=UTF-8',
      'cache-control': 'no-cache',
      ...this.requestIdHeader(record),
    });
    res.flushHeaders();
    const send = (data: string): boolean => {
      if (signal.aborted || res.destroyed || res.writableEnded) return false;
      res.write(`data: ${data}\n\n`);
      return true;
    };
    const sendAll = (events: string[]): boolean => events.every(send);

    if (!(await sleep(g.firstTokenMs, signal))) return;
    const pieces = g.chunks.length > 0 ? g.chunks : [''];
    const interruption = g.midStreamError ?? g.fault;
    const stopAt = interruption ? Math.min(interruption.afterChunks, g.chunks.length) : pieces.length;
    for (let i = 0; i < stopAt; i++) {
      if (i > 0 && !(await sleep(g.perChunkMs, signal))) return;
      if (i === 0 && !sendAll(framer.opening())) return;
      const last = !interruption && i === pieces.length - 1;
      if (!sendAll(framer.piece(pieces[i], last))) return;
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
    if (!sendAll(framer.closing())) return;
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

/** One request being served. */
interface Call {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  record: RequestRecord;
  body: any;
  /** Why the body is unusable (empty, not JSON); undefined when it parsed. */
  bodyError: string | undefined;
  signal: AbortSignal;
}

interface Turn {
  mode: 'continue' | 'restart' | 'fresh';
  /** The last message's text. */
  prefix: string;
  thinking: boolean;
}

interface GenerationSpec {
  kind: Kind;
  info: ModelInfo;
  content: string;
  maxTokens: number | undefined;
  promptTokens: string[];
  entry: ScriptedResponse | undefined;
  midStreamError: Generation['midStreamError'];
}

/** Turns a generation into the events (SSE `data:` payloads) and the body of one endpoint's responses. */
interface Framer {
  /** Before the first content piece (chat's role chunk). */
  opening(): string[];
  /** One content piece; `last`: it ends the answer. */
  piece(text: string, last: boolean): string[];
  /** After the last piece: usage chunk, [DONE], llama.cpp's final event. */
  closing(): string[];
  /** The non-streamed body. */
  whole(): unknown;
}

function validatePartial(message: any, i: number, count: number): void {
  if (present(message.partial) && typeof message.partial !== 'boolean') {
    throw badParam(`messages[${i}].partial must be a boolean.`, `messages[${i}].partial`);
  }
  if (message.partial !== true) return;
  if (i !== count - 1) {
    throw badParam(`Partial mode: only the last message may have "partial": true (found on messages[${i}]).`, `messages[${i}].partial`);
  }
  if (message.role !== 'assistant') {
    throw badParam(`Partial mode: the message with "partial": true must have role assistant (messages[${i}] has role ${message.role}).`, `messages[${i}].partial`);
  }
}

/**
 * vLLM continues the final message iff `continue_final_message: true` and `add_generation_prompt:
 * false` (it defaults to true) [src: ChatCompletionRequest]; both true is a 400 [src]. A
 * continue_final_message request whose last message is not the assistant's: 400 (inferred).
 */
function vllmContinues(body: any, assistantLast: boolean): boolean {
  const continueFinal = body.continue_final_message === true;
  if (continueFinal && body.add_generation_prompt !== false) {
    throw badParam('Cannot set both `continue_final_message` and `add_generation_prompt` to True.', null);
  }
  if (continueFinal && !assistantLast) {
    throw badParam('continue_final_message is set but the final message is not an assistant message.', 'messages');
  }
  return continueFinal;
}

/** llama.cpp's /infill fields; returns input_extra [src: server.cpp handle_infill]. */
function validateInfill(body: any): Array<{ filename: string; text: string }> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badParam('The request body must be a JSON object.', null);
  if (present(body.prompt) && typeof body.prompt !== 'string') throw badParam('"prompt" must be a string', 'prompt');
  if (typeof body.input_prefix !== 'string') throw badParam('"input_prefix" is required', 'input_prefix');
  // Older builds also require input_suffix; the newest do not [src, two versions].
  if (present(body.input_suffix) && typeof body.input_suffix !== 'string') throw badParam('"input_suffix" must be a string', 'input_suffix');
  const extra = body.input_extra;
  if (!present(extra)) return [];
  if (!Array.isArray(extra)) throw badParam('"input_extra" must be an array of {"filename": string, "text": string}', 'input_extra');
  return extra.map((chunk: any) => {
    if (!chunk || typeof chunk !== 'object' || typeof chunk.text !== 'string') {
      throw badParam('extra_context chunk must contain a "text" field with a string value', 'input_extra');
    }
    if (present(chunk.filename) && typeof chunk.filename !== 'string') {
      throw badParam('extra_context chunk\'s "filename" field must be a string', 'input_extra');
    }
    return { filename: typeof chunk.filename === 'string' ? chunk.filename : 'tmp', text: chunk.text };
  });
}

/** Applies stop strings, then max tokens. */
function cutAnswer(text: string, stops: string[], maxTokens: number | undefined) {
  let cut = text.length;
  let stoppingWord = '';
  for (const s of stops) {
    if (!s) continue;
    const at = text.indexOf(s);
    if (at >= 0 && at < cut) {
      cut = at;
      stoppingWord = s;
    }
  }
  let content = text.slice(0, cut);
  let tokens = tokenize(content);
  let finishReason: 'stop' | 'length' = 'stop';
  if (maxTokens !== undefined && tokens.length > maxTokens) {
    tokens = tokens.slice(0, maxTokens);
    content = tokens.join('');
    finishReason = 'length';
    stoppingWord = '';
  }
  return { content, tokens, finishReason, stoppingWord };
}

/** FastAPI servers' error type names (vLLM, SGLang): the Python exception's name. */
function pythonErrorType(status: number): string {
  if (status === 400) return 'BadRequestError';
  if (status === 401) return 'UnauthorizedError';
  if (status === 404) return 'NotFoundError';
  if (status === 429) return 'TooManyRequestsError';
  return status >= 500 ? 'InternalServerError' : 'BadRequestError';
}

/** llama.cpp's error types [doc]. */
function llamaErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 501) return 'not_supported_error';
  if (status === 503) return 'unavailable_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/**
 * CORS, so that the extension in a web worker extension host (VS Code for the Web) can call the
 * simulator: every answer allows any origin, as vLLM's default `--allowed-origins '*'` does, and a
 * preflight (OPTIONS) is answered here and never recorded as a request. Whether DashScope itself
 * answers a preflight cannot be checked from here.
 */
function answerCors(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
  if ((req.method ?? '').toUpperCase() !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
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
