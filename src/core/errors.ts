/** A failed request as seen on the wire, independent of the HTTP library. */
export interface ApiFailure {
  readonly kind: 'http' | 'network' | 'timeout';
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

export interface ErrorContext {
  readonly model: string;
  readonly endpoint: string;
  readonly now: number;
}

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
  // Not a failed request: nothing is sent while the budget is reached, so there is nothing to back off from.
  dailyBudget: { baseMs: 0, grows: false },
};

/**
 * How long to send no requests after an error: Retry-After when the server gave one, else the
 * category's pause, doubled per earlier error of the same category in a row.
 */
export function backoffMs(error: ClassifiedError, consecutive: number): number {
  if (error.retryAfterMs !== undefined) return Math.min(MAX_BACKOFF_MS, error.retryAfterMs);
  const { baseMs, grows } = BACKOFF[error.category];
  return grows ? Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(consecutive, 10)) : baseMs;
}

/** Not a failed request: there is no key to send one with. */
export const MISSING_KEY: ClassifiedError = {
  category: 'missingKey',
  message: 'Qwen Inline needs a DashScope API key (Model Studio) to suggest code.',
  action: 'setApiKey',
  detail: 'no key in secret storage and no DASHSCOPE_API_KEY',
};

/** Not a failed request: today's estimated cost reached `qwenInline.dailyBudget` ("$2.01", "$2.00"). */
export function dailyBudgetReached(spent: string, budget: string): ClassifiedError {
  return {
    category: 'dailyBudget',
    message: `Today's estimated cost ${spent} has reached your daily budget of ${budget} (qwenInline.dailyBudget). Completions are paused until tomorrow, or until you raise the budget.`,
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

export function classifyError(failure: ApiFailure, context: ErrorContext): ClassifiedError {
  const detail = [
    failure.kind,
    failure.status !== undefined ? `status ${failure.status}` : 'in stream',
    failure.code ? `code ${failure.code}` : undefined,
    failure.requestId ? `request ${failure.requestId}` : undefined,
    failure.message ? `"${failure.message}"` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const make = (category: ErrorCategory, message: string, action: ErrorAction, retryAfterMs?: number): ClassifiedError => ({
    category,
    message,
    action,
    detail,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

  if (failure.kind === 'timeout') {
    return make('timeout', `Qwen did not answer in time (${context.endpoint}). Check your network or raise qwenInline.requestTimeoutMs.`, 'openSettings');
  }
  if (failure.kind === 'network') {
    return make('network', `Cannot reach ${context.endpoint}: ${failure.message ?? 'network error'}. Check your network, proxy or qwenInline.baseUrl.`, 'openSettings');
  }

  const code = (failure.code ?? '').toLowerCase();
  const message = failure.message ?? '';
  const status = failure.status;
  if (status === 401 || code === 'invalid_api_key') {
    return make('auth', 'Your DashScope API key was rejected. Keys belong to one region: check the key and qwenInline.region.', 'setApiKey');
  }
  if (status === 403 || code === 'accessdenied') {
    return make('forbidden', `Access denied to model "${context.model}". Check that your Model Studio account may use it.`, 'selectModel');
  }
  if (status === 404 || code === 'model_not_found') {
    return make('modelNotFound', `Model "${context.model}" does not exist or your key has no access to it. Choose another model.`, 'selectModel');
  }
  if (status === 429 || code === 'limit_requests' || code === 'insufficient_quota') {
    const retryAfterMs = parseRetryAfter(failure.retryAfter, context.now);
    const quota = code === 'insufficient_quota';
    return make(
      'rateLimit',
      quota
        ? 'Your DashScope quota or tokens-per-minute limit is exhausted. Completions pause and resume by themselves.'
        : 'DashScope rate limit reached. Completions pause briefly and resume by themselves.',
      'openLog',
      retryAfterMs,
    );
  }
  if (code === 'arrearage') {
    return make('arrearage', 'Your Model Studio account is in arrears: DashScope refuses requests until it is in good standing.', 'openLog');
  }
  if (code === 'data_inspection_failed') {
    return make('contentInspection', 'DashScope content inspection refused this input or output. Other completions are not affected.', 'openLog');
  }
  if (/range of input length/i.test(message)) {
    return make('inputTooLong', 'The prompt is longer than the model accepts. Lower qwenInline.maxPrefixChars.', 'openSettings');
  }
  if (status === 400 || code === 'invalid_parameter_error') {
    return make('badRequest', `DashScope rejected the request: ${message || 'bad request'}. Check the model and settings.`, 'openSettings');
  }
  if (status !== undefined && status >= 500) {
    return make('server', `DashScope had a server error (${status}). Completions retry shortly.`, 'openLog');
  }
  return make('badRequest', `Unexpected answer from ${context.endpoint}: ${detail}.`, 'openLog');
}
