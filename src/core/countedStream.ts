import { CancelledError, type CompletionBackend, type StreamOutcome } from './backend';
import { estimatedUsage, type TokenUsage } from './pricing';
import type { ContextSnippet } from './context/types';
import { buildMessages, buildRequestBody } from './prompt';

/** One partial-mode request as ghost text and Continue This Block send it. */
interface CountedRequest {
  readonly languageId: string;
  readonly fileName: string;
  /** The partial message: the text before the cursor (and, for a later round, what came so far). */
  readonly prefix: string;
  readonly suffix: string;
  /** Snippets of other files (project context), in prompt order. */
  readonly context?: readonly ContextSnippet[];
  readonly model: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Called with the whole text so far after every chunk; false stops reading (and aborts). */
  readonly onText: (textSoFar: string) => boolean;
}

/** How the request ended, always with what it costs: the reported usage, or an estimate of it. */
export type CountedOutcome =
  | { readonly kind: 'answered'; readonly outcome: StreamOutcome; readonly usage: TokenUsage }
  | { readonly kind: 'cancelled'; readonly usage: TokenUsage }
  /** `error`: an ApiError, or anything else the client threw. */
  | { readonly kind: 'failed'; readonly error: unknown; readonly usage: TokenUsage };

/**
 * Streams one request and counts it. A request stopped after it was sent may still be billed: a
 * cancelled or failed one counts what was sent and what arrived before the stop, estimated.
 */
export async function streamCounted(backend: CompletionBackend, request: CountedRequest): Promise<CountedOutcome> {
  const messages = buildMessages(request.languageId, request.fileName, request.prefix, request.suffix, request.context);
  const body = buildRequestBody(request.model, messages, request.maxTokens, request.temperature);
  let textSoFar = '';
  try {
    const outcome = await backend.stream({
      body,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      onText: (text) => {
        textSoFar = text;
        return request.onText(text);
      },
    });
    const usage: TokenUsage = outcome.usage ? { ...outcome.usage, estimated: false } : estimatedUsage(messages, outcome.text);
    return { kind: 'answered', outcome, usage };
  } catch (error) {
    const usage = estimatedUsage(messages, textSoFar);
    return error instanceof CancelledError ? { kind: 'cancelled', usage } : { kind: 'failed', error, usage };
  }
}
