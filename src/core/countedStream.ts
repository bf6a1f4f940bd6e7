import { CancelledError, type CompletionBackend, type StreamOutcome, type WireRequest } from './backend';
import { estimatedUsage, type TokenUsage } from './pricing';
import type { ContextSnippet } from './context/types';
import { buildCompletionsBody, buildFimPrompt, buildInfillBody, buildSuffixCompletionsBody } from './fim';
import { buildMessages, buildRequestBody } from './prompt';
import { SERVER_DIALECTS, type WireStyle } from './servers';

/** One partial-mode request as ghost text and Continue This Block send it. */
interface CountedRequest {
  readonly languageId: string;
  readonly fileName: string;
  /** The workspace folder's name (the FIM prompt's repository name). */
  readonly projectName?: string;
  /** The server's dialect and the prompt style (qwenInline.server, qwenInline.promptStyle). */
  readonly wire: WireStyle;
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
  const { wire, sentTexts } = wireRequestOf(request);
  let textSoFar = '';
  try {
    const outcome = await backend.stream({
      ...wire,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      onText: (text) => {
        textSoFar = text;
        return request.onText(text);
      },
    });
    const usage: TokenUsage = outcome.usage ? { ...outcome.usage, estimated: false } : estimatedUsage(sentTexts, outcome.text);
    return { kind: 'answered', outcome, usage };
  } catch (error) {
    const usage = estimatedUsage(sentTexts, textSoFar);
    return error instanceof CancelledError ? { kind: 'cancelled', usage } : { kind: 'failed', error, usage };
  }
}

/** The request in the server's dialect, and the texts it sends (for a usage estimate when none is reported). */
function wireRequestOf(request: CountedRequest): { wire: WireRequest; sentTexts: ReadonlyArray<{ content: string }> } {
  const { server, promptStyle } = request.wire;
  if (promptStyle === 'partial') {
    const messages = buildMessages(request.languageId, request.fileName, request.prefix, request.suffix, request.context);
    return { wire: { endpoint: 'chat', body: buildRequestBody(request.model, messages, request.maxTokens, request.temperature, server) }, sentTexts: messages };
  }
  const input = { prefix: request.prefix, suffix: request.suffix, fileName: request.fileName, projectName: request.projectName, context: request.context ?? [] };
  const { model, maxTokens, temperature } = request;
  switch (SERVER_DIALECTS[server].fimEndpoint) {
    case 'infill': {
      const body = buildInfillBody(input, maxTokens, temperature);
      return { wire: { endpoint: 'infill', body }, sentTexts: [{ content: body.input_prefix }, { content: body.input_suffix }, ...body.input_extra.map((file) => ({ content: file.text }))] };
    }
    case 'suffix':
      return { wire: { endpoint: 'completions', body: buildSuffixCompletionsBody(model, input, maxTokens, temperature) }, sentTexts: [{ content: input.prefix }, { content: input.suffix }] };
    case 'completions': {
      const prompt = buildFimPrompt(input);
      return { wire: { endpoint: 'completions', body: buildCompletionsBody(model, prompt, maxTokens, temperature) }, sentTexts: [{ content: prompt }] };
    }
  }
}
