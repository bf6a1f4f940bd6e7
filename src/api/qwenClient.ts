import OpenAI from 'openai';
import {
  ApiError,
  CancelledError,
  type CompletionBackend,
  type StreamOutcome,
  type StreamRequest,
  type Usage,
} from '../core/backend';
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

  constructor(options: QwenClientOptions) {
    const log = options.logger;
    this.openai = new OpenAI({
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

    let text = '';
    let finishReason: string | null = null;
    let usage: Usage | undefined;
    let firstTokenMs: number | undefined;
    let stoppedEarly = false;
    let requestId: string | undefined;
    try {
      // `partial` and `enable_thinking` are DashScope fields the SDK's types do not know; it sends them as given.
      const body = request.body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
      const { data: stream, request_id } = await this.openai.chat.completions
        .create(body, { signal: controller.signal })
        .withResponse();
      requestId = request_id ?? undefined;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content;
        if (delta) {
          firstTokenMs ??= Math.round(performance.now() - started);
          text += delta;
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) usage = toUsage(chunk.usage);
        if (delta && request.onText && !request.onText(text)) {
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
    if (!stoppedEarly && finishReason === null) {
      throw new ApiError({ kind: 'protocol', message: 'the stream ended before the answer was complete', requestId });
    }
    return { text, finishReason, stoppedEarly, usage, requestId, firstTokenMs, totalMs: Math.round(performance.now() - started) };
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

function toUsage(usage: OpenAI.CompletionUsage): Usage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
  };
}
