import OpenAI from 'openai';
import type { Stream } from 'openai/streaming';
import {
  ApiError,
  CancelledError,
  type CompletionBackend,
  type StreamOutcome,
  type StreamRequest,
  type Usage,
} from '../core/backend';
import type { ModelListing } from '../core/serverCheck';
import { infillUrlOf } from '../core/servers';

/** A model list is small: a server that takes longer is as good as unreachable for the menu that waits on it. */
const LIST_MODELS_TIMEOUT_MS = 5000;
import type { ApiFailure } from '../core/errors';
import type { Logger } from '../core/logger';

interface QwenClientOptions {
  readonly baseURL: string;
  /** Absent for a server that needs none (a local llama.cpp or vLLM): no Authorization header is sent. */
  readonly apiKey?: string;
  readonly logger: Logger;
}

/**
 * DashScope's OpenAI-compatible chat API in partial mode, through the official openai SDK
 * (which does the HTTP, the SSE parsing and the error bodies). Retries are ours to decide, so the
 * SDK's own are off: a stale completion is worth nothing.
 */
export class QwenClient implements CompletionBackend {
  private readonly openai: OpenAI;
  private readonly baseURL: string;

  constructor(options: QwenClientOptions) {
    const log = options.logger;
    this.baseURL = options.baseURL;
    this.openai = new ServerClient({
      baseURL: options.baseURL,
      // The SDK insists on a key; without one, the Authorization header it would build is removed below.
      apiKey: options.apiKey ?? 'no-key',
      // Never read OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment: they are not this server's business.
      organization: null,
      project: null,
      webhookSecret: null,
      ...(options.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
      maxRetries: 0,
      logLevel: 'warn',
      logger: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    });
  }

  async stream(request: StreamRequest): Promise<StreamOutcome> {
    const started = performance.now();
    const controller = new AbortController();
    const cancel = () => controller.abort();
    if (request.signal.aborted) throw new CancelledError();
    request.signal.addEventListener('abort', cancel, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);

    const received = new Received(started);
    let stoppedEarly = false;
    let requestId: string | undefined;
    try {
      const { data: stream, request_id } = await this.open(request, controller.signal);
      requestId = request_id ?? undefined;
      for await (const raw of stream) {
        const delta = received.add(readChunk(raw as RawChunk));
        if (delta && request.onText && !request.onText(received.text)) {
          // Enough text: stop reading and close the connection so no more tokens are generated.
          stoppedEarly = true;
          controller.abort();
          break;
        }
      }
    } catch (error) {
      throw this.toError(error, timedOut, request.signal, requestId);
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', cancel);
    }
    // The SDK ends the iteration quietly when the request is aborted mid-stream.
    if (!stoppedEarly && controller.signal.aborted) {
      if (timedOut) throw new ApiError({ kind: 'timeout', message: `no complete answer within ${request.timeoutMs} ms` });
      throw new CancelledError();
    }
    // ...and when the server (or a proxy) closes the stream early: then no finish_reason ever came.
    if (!stoppedEarly && received.finishReason === null) {
      throw new ApiError({ kind: 'protocol', message: 'the stream ended before the answer was complete', requestId });
    }
    const { text, finishReason, firstTokenMs } = received;
    return { text, finishReason, stoppedEarly, usage: received.usage(), requestId, firstTokenMs, totalMs: Math.round(performance.now() - started) };
  }

  /** GET {base}/models: the models the server serves, with `owned_by` (which names the server software). */
  async listModels(signal: AbortSignal): Promise<ModelListing> {
    try {
      const page = await this.openai.models.list({ signal, timeout: LIST_MODELS_TIMEOUT_MS });
      return { kind: 'listed', models: page.data.map((model) => ({ id: model.id, ownedBy: model.owned_by })) };
    } catch (error) {
      const converted = this.toError(error, false, signal);
      return { kind: 'failed', failure: converted instanceof ApiError ? converted.failure : { kind: 'protocol', message: converted.message } };
    }
  }

  /** Sends the request to its endpoint; the SDK parses the SSE stream of each alike. */
  private async open(request: StreamRequest, signal: AbortSignal): Promise<{ data: AsyncIterable<unknown>; request_id: string | null }> {
    // Fields the SDK's types do not know (`partial`, `continue_final_message`, ...) are sent as given.
    const body = request.body as never;
    if (request.endpoint === 'completions') {
      return this.openai.completions.create(body as OpenAI.CompletionCreateParamsStreaming, { signal }).withResponse();
    }
    if (request.endpoint === 'infill') {
      return this.openai.post<Stream<unknown>>(infillUrlOf(this.baseURL), { body, stream: true, signal }).withResponse();
    }
    return this.openai.chat.completions.create(body as OpenAI.Chat.ChatCompletionCreateParamsStreaming, { signal }).withResponse();
  }

  private toError(error: unknown, timedOut: boolean, signal: AbortSignal, requestId?: string): Error {
    if (timedOut) return new ApiError({ kind: 'timeout', message: 'request timed out', requestId });
    if (signal.aborted) return new CancelledError();
    if (error instanceof OpenAI.APIConnectionTimeoutError) return new ApiError({ kind: 'timeout', message: error.message });
    if (error instanceof OpenAI.APIConnectionError) {
      const cause = (error as { cause?: { message?: string; code?: string } }).cause;
      return new ApiError({ kind: 'network', message: cause?.code ?? cause?.message ?? error.message });
    }
    if (error instanceof OpenAI.APIError) {
      const body = (error.error ?? {}) as { message?: string; code?: string };
      const failure: ApiFailure = {
        kind: 'http',
        status: error.status,
        code: error.code ?? body.code ?? undefined,
        message: body.message ?? error.message,
        retryAfter: error.headers?.get('retry-after') ?? null,
        requestId: error.requestID ?? requestId,
      };
      return new ApiError(failure);
    }
    return unreadable(error, requestId);
  }
}

/**
 * Failures below the SDK's own types: undici's "terminated" when the connection breaks mid-body is a
 * network failure; the SDK's JSON.parse of an SSE event that is not JSON, a protocol failure.
 */
function unreadable(error: unknown, requestId: string | undefined): ApiError {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (error instanceof TypeError && (error.message === 'terminated' || cause?.code?.startsWith('UND_ERR'))) {
    return new ApiError({ kind: 'network', message: `the connection broke off mid-answer (${cause?.code ?? error.message})`, requestId });
  }
  if (error instanceof SyntaxError) {
    return new ApiError({ kind: 'protocol', message: 'an event of the stream is not valid JSON', requestId });
  }
  return new ApiError({ kind: 'protocol', message: error instanceof Error ? error.message : String(error), requestId });
}

/**
 * One streamed event of any endpoint: a chat chunk (`choices[0].delta.content`), a completions
 * chunk (`choices[0].text`), or a llama.cpp /infill event (`content`, `stop`, `stop_type`,
 * `timings`). Usage comes as `usage` (OpenAI's shape; cached tokens in
 * `prompt_tokens_details.cached_tokens`: DashScope, vLLM with --enable-prompt-tokens-details,
 * SGLang with --enable-cache-report) or, from llama.cpp, as `timings` (`prompt_n`, `cache_n`, `predicted_n`).
 */
interface RawChunk {
  readonly choices?: ReadonlyArray<{ readonly delta?: { readonly content?: string | null }; readonly text?: string; readonly finish_reason?: string | null }>;
  readonly usage?: OpenAI.CompletionUsage | null;
  readonly content?: string;
  readonly stop?: boolean;
  readonly stop_type?: string;
  readonly timings?: { readonly prompt_n?: number; readonly cache_n?: number; readonly predicted_n?: number };
}

interface Chunk {
  readonly delta?: string;
  readonly finishReason?: string;
  readonly usage?: Usage;
  /** llama.cpp's `timings.cache_n`: prompt tokens served from its KV cache. */
  readonly cachedInTimings?: number;
}

/** What a stream has brought so far. */
class Received {
  text = '';
  finishReason: string | null = null;
  firstTokenMs: number | undefined;
  private reported: Usage | undefined;
  // llama.cpp reports cache hits in `timings` of the last content chunk, not in the usage chunk.
  private cachedInTimings: number | undefined;

  constructor(private readonly started: number) {}

  /** Takes one chunk in; returns its text. */
  add(chunk: Chunk): string | undefined {
    if (chunk.delta) {
      this.firstTokenMs ??= Math.round(performance.now() - this.started);
      this.text += chunk.delta;
    }
    if (chunk.finishReason) this.finishReason = chunk.finishReason;
    if (chunk.usage) this.reported = chunk.usage;
    if (chunk.cachedInTimings !== undefined) this.cachedInTimings = chunk.cachedInTimings;
    return chunk.delta;
  }

  usage(): Usage | undefined {
    const usage = this.reported;
    return usage && usage.cachedTokens === 0 && this.cachedInTimings ? { ...usage, cachedTokens: this.cachedInTimings } : usage;
  }
}

function readChunk(chunk: RawChunk): Chunk {
  if (chunk.choices === undefined) return readInfillChunk(chunk);
  const choice = chunk.choices[0];
  const usage = chunk.usage ? toUsage(chunk.usage) : undefined;
  return { delta: choice?.delta?.content ?? choice?.text ?? undefined, finishReason: choice?.finish_reason ?? undefined, usage, cachedInTimings: chunk.timings?.cache_n };
}

/** llama.cpp's /infill: `stop` marks the last event, `stop_type` "limit" means n_predict was reached. */
function readInfillChunk(chunk: RawChunk): Chunk {
  if (!chunk.stop) return { delta: chunk.content };
  const timings = chunk.timings;
  const usage = timings ? { promptTokens: (timings.prompt_n ?? 0) + (timings.cache_n ?? 0), completionTokens: timings.predicted_n ?? 0, cachedTokens: timings.cache_n ?? 0 } : undefined;
  return { delta: chunk.content, finishReason: chunk.stop_type === 'limit' ? 'length' : 'stop', usage };
}

function toUsage(usage: OpenAI.CompletionUsage): Usage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

/**
 * The SDK, reading every server's error body: OpenAI's `{"error":{"message",…}}` (DashScope, recent
 * vLLM, llama.cpp, Ollama's /v1), and the flat shapes others send: `{"object":"error","message",…}`
 * (older vLLM and SGLang) or `{"error":"text"}` (Ollama's native API, LM Studio).
 */
class ServerClient extends OpenAI {
  protected override makeStatusError(...[status, error, message, headers]: Parameters<OpenAI['makeStatusError']>) {
    return super.makeStatusError(status, nestedError(error) as typeof error, message, headers);
  }
}

function nestedError(body: unknown): unknown {
  const value = body as { error?: unknown; message?: unknown; code?: unknown; type?: unknown } | undefined;
  if (value === undefined || (typeof value.error === 'object' && value.error !== null)) return body;
  if (typeof value.error === 'string') return { error: { message: value.error } };
  if (typeof value.message === 'string') return { error: { message: value.message, type: value.type, code: typeof value.code === 'string' ? value.code : undefined } };
  return body;
}
