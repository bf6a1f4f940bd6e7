import { t } from './l10n';
import { serverHost, serverOf } from './settings';

/** A failed request as seen on the wire, independent of the HTTP library. */
export interface ApiFailure {
  /** protocol: the server answered, but the stream could not be read (invalid JSON, cut short). */
  readonly kind: 'http' | 'network' | 'timeout' | 'protocol';
  /** HTTP status; absent for an error that arrived inside the stream. */
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  /** The Retry-After header, if any (seconds or an HTTP date). */
  readonly retryAfter?: string | null;
  readonly requestId?: string;
}

export type ErrorCategory =
  | 'missingKey'
  | 'auth'
  | 'forbidden'
  | 'modelNotFound'
  | 'rateLimit'
  | 'inputTooLong'
  | 'contentInspection'
  | 'arrearage'
  | 'badRequest'
  | 'server'
  | 'network'
  | 'timeout'
  | 'badResponse'
  | 'dailyBudget';

/** The one action a notification offers for a category. */
export type ErrorAction = 'setApiKey' | 'openSettings' | 'selectModel' | 'openLog';

export interface ClassifiedError {
  readonly category: ErrorCategory;
  /** Shown to the user; never contains the key. */
  readonly message: string;
  readonly action: ErrorAction;
  /** The server's Retry-After, when it sent one. */
  readonly retryAfterMs?: number;
  /** Everything known, for the log. */
  readonly detail: string;
}

interface FailedRequest {
  readonly model: string;
  readonly endpoint: string;
  readonly now: number;
}

/** Transient pauses double up to 5 minutes: long enough to stop hammering a server that is down, short enough that a user who walks away comes back to working suggestions. */
const MAX_BACKOFF_MS = 5 * 60_000;

/** Base pause per category; transient ones double with each repeat, the rest stay fixed. */
const BACKOFF: Readonly<Record<ErrorCategory, { readonly baseMs: number; readonly grows: boolean }>> = {
  missingKey: { baseMs: 0, grows: false },
  auth: { baseMs: 60_000, grows: false },
  forbidden: { baseMs: 60_000, grows: false },
  modelNotFound: { baseMs: 60_000, grows: false },
  rateLimit: { baseMs: 2_000, grows: true },
  arrearage: { baseMs: 5 * 60_000, grows: false },
  // Only the one request is refused; the next one may be fine.
  contentInspection: { baseMs: 0, grows: false },
  inputTooLong: { baseMs: 0, grows: false },
  badRequest: { baseMs: 10_000, grows: false },
  server: { baseMs: 2_000, grows: true },
  network: { baseMs: 2_000, grows: true },
  timeout: { baseMs: 1_000, grows: true },
  badResponse: { baseMs: 2_000, grows: true },
  // Not a failed request: nothing is sent while the budget is reached, so there is nothing to back off from.
  dailyBudget: { baseMs: 0, grows: false },
};

/** A failure that may clear by itself (rate limit, outage, network): worth probing for recovery. */
export function isTransient(category: ErrorCategory): boolean {
  return BACKOFF[category].grows;
}

/**
 * How long to send no requests after an error: Retry-After when the server gave one, else the
 * category's pause, doubled per earlier error of the same category in a row.
 */
export function backoffMs(error: ClassifiedError, consecutive: number): number {
  if (error.retryAfterMs !== undefined) return Math.min(MAX_BACKOFF_MS, error.retryAfterMs);
  const { baseMs, grows } = BACKOFF[error.category];
  return grows ? Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(consecutive, 10)) : baseMs;
}

/** Not a failed request: there is no key to send one with. A function: its message is in the display language. */
export function missingKeyError(): ClassifiedError {
  return {
    category: 'missingKey',
    message: t('Qwen Inline needs a DashScope API key (Model Studio) to suggest code.'),
    action: 'setApiKey',
    detail: 'no key in secret storage and no DASHSCOPE_API_KEY',
  };
}

/** Not a failed request: today's estimated cost reached `qwenInline.dailyBudget` ("$2.01", "$2.00"). */
export function dailyBudgetReached(spent: string, budget: string): ClassifiedError {
  return {
    category: 'dailyBudget',
    message: t("Today's estimated cost {0} has reached your daily budget of {1} (qwenInline.dailyBudget). Completions are paused until tomorrow, or until you raise the budget.", spent, budget),
    action: 'openSettings',
    detail: `daily budget ${budget}, spent ${spent} today`,
  };
}

/** Parses Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What a rule reads: the failure, its lower-cased code, and how to name the server in a message. */
interface Facts {
  readonly failure: ApiFailure;
  readonly code: string;
  readonly context: FailedRequest;
  /** "DashScope" or "The server at 127.0.0.1:8787", in the display language. */
  readonly server: string;
  /** A custom server's "127.0.0.1:8787"; empty for DashScope. */
  readonly host: string;
  readonly custom: boolean;
}

interface Rule {
  readonly when: (facts: Facts) => boolean;
  readonly category: ErrorCategory;
  readonly action: ErrorAction;
  readonly message: (facts: Facts) => string;
}

const isStatus = (status: number) => (facts: Facts) => facts.failure.status === status;

/** The first rule that matches a failure classifies it; the last one catches everything. */
const RULES: readonly Rule[] = [
  {
    when: (f) => f.failure.kind === 'timeout',
    category: 'timeout',
    action: 'openSettings',
    message: (f) => t('Qwen did not answer in time ({0}). Check your network or raise qwenInline.requestTimeoutMs.', f.context.endpoint),
  },
  {
    when: (f) => f.failure.kind === 'network',
    category: 'network',
    action: 'openSettings',
    message: (f) => t('Cannot reach {0}: {1}. Check your network, proxy or qwenInline.baseUrl.', f.context.endpoint, f.failure.message ?? t('network error')),
  },
  {
    when: (f) => f.failure.kind === 'protocol',
    category: 'badResponse',
    action: 'openLog',
    message: (f) => t('{0} sent an answer that could not be read ({1}). Completions retry shortly.', f.server, f.failure.message ?? t('malformed stream')),
  },
  {
    when: (f) => isStatus(401)(f) || f.code === 'invalid_api_key',
    category: 'auth',
    action: 'setApiKey',
    // A custom server has no region: name its host, whose key Set API Key stores.
    message: (f) =>
      f.custom
        ? t('The server at {0} refused the request as unauthorized (401). Check the key for {0}: Set API Key stores a key for this server only.', f.host)
        : t('Your DashScope API key was rejected. Keys belong to one region: check the key and qwenInline.region.'),
  },
  {
    when: (f) => isStatus(403)(f) || f.code === 'accessdenied',
    category: 'forbidden',
    action: 'selectModel',
    message: (f) =>
      f.custom
        ? t('Access denied to model "{0}". Check that your account on the server may use it.', f.context.model)
        : t('Access denied to model "{0}". Check that your Model Studio account may use it.', f.context.model),
  },
  {
    when: (f) => isStatus(404)(f) || f.code === 'model_not_found',
    category: 'modelNotFound',
    action: 'selectModel',
    message: (f) => t('Model "{0}" does not exist or your key has no access to it. Choose another model.', f.context.model),
  },
  {
    when: (f) => isStatus(429)(f) || f.code === 'limit_requests' || f.code === 'insufficient_quota',
    category: 'rateLimit',
    action: 'openLog',
    message: rateLimitMessage,
  },
  {
    when: (f) => f.code === 'arrearage',
    category: 'arrearage',
    action: 'openLog',
    message: () => t('Your Model Studio account is in arrears: DashScope refuses requests until it is in good standing.'),
  },
  {
    when: (f) => f.code === 'data_inspection_failed',
    category: 'contentInspection',
    action: 'openLog',
    message: () => t('DashScope content inspection refused this input or output. Other completions are not affected.'),
  },
  {
    when: (f) => /range of input length/i.test(f.failure.message ?? ''),
    category: 'inputTooLong',
    action: 'openSettings',
    message: () => t('The prompt is longer than the model accepts. Lower qwenInline.maxPrefixChars.'),
  },
  {
    when: (f) => isStatus(400)(f) || f.code === 'invalid_parameter_error',
    category: 'badRequest',
    action: 'openSettings',
    message: (f) => t('{0} rejected the request: {1}. Check the model and settings.', f.server, f.failure.message || t('bad request')),
  },
  {
    when: (f) => f.failure.status !== undefined && f.failure.status >= 500,
    category: 'server',
    action: 'openLog',
    message: (f) => t('{0} had a server error ({1}). Completions retry shortly.', f.server, f.failure.status ?? ''),
  },
  {
    when: () => true,
    category: 'badResponse',
    action: 'openLog',
    message: (f) => t('Unexpected answer from {0}: {1}.', f.context.endpoint, describeFailure(f.failure)),
  },
];

function rateLimitMessage(f: Facts): string {
  if (f.code !== 'insufficient_quota') return t('{0} rate limit reached. Completions pause briefly and resume by themselves.', f.server);
  return f.custom
    ? t('Your quota on the server is exhausted. Completions pause and resume by themselves.')
    : t('Your DashScope quota or tokens-per-minute limit is exhausted. Completions pause and resume by themselves.');
}

/** For the log: "http, status 429, code limit_requests, request 7f…, "Requests rate limit exceeded"", "network, "ECONNREFUSED"". */
function describeFailure(failure: ApiFailure): string {
  return [
    failure.kind,
    failure.status !== undefined ? `status ${failure.status}` : failure.kind === 'http' ? 'in stream' : undefined,
    failure.code ? `code ${failure.code}` : undefined,
    failure.requestId ? `request ${failure.requestId}` : undefined,
    failure.message ? `"${failure.message}"` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

export function classifyError(failure: ApiFailure, context: FailedRequest): ClassifiedError {
  const server = serverOf({ baseUrl: context.endpoint, region: 'singapore' });
  const host = server.kind === 'custom' ? serverHost(server) : '';
  const facts: Facts = {
    failure,
    code: (failure.code ?? '').toLowerCase(),
    context,
    custom: server.kind === 'custom',
    host,
    server: server.kind === 'custom' ? t('The server at {0}', host) : 'DashScope',
  };
  const rule = RULES.find((candidate) => candidate.when(facts))!;
  const retryAfterMs = rule.category === 'rateLimit' ? parseRetryAfter(failure.retryAfter, context.now) : undefined;
  return {
    category: rule.category,
    message: rule.message(facts),
    action: rule.action,
    detail: describeFailure(failure),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}
