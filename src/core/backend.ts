import type { ApiFailure } from './errors';
import type { CompletionsRequestBody, InfillRequestBody, SuffixCompletionsRequestBody } from './fim';
import type { ChatRequestBody } from './prompt';

export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
}

/** For the log: "prompt 1204 tok (cached 1000), completion 96 tok", or that none was reported. */
export function formatUsage(usage: Usage | undefined): string {
  return usage
    ? `prompt ${usage.promptTokens} tok (cached ${usage.cachedTokens}), completion ${usage.completionTokens} tok`
    : 'no usage reported';
}

/** What is sent where: the chat API (continue the last message), or a fill-in-the-middle endpoint. */
export type WireRequest =
  | { readonly endpoint: 'chat'; readonly body: ChatRequestBody }
  | { readonly endpoint: 'completions'; readonly body: CompletionsRequestBody | SuffixCompletionsRequestBody }
  | { readonly endpoint: 'infill'; readonly body: InfillRequestBody };

export interface StreamRequest {
  /** The chat API when absent. */
  readonly endpoint?: WireRequest['endpoint'];
  readonly body: WireRequest['body'];
  /** Aborting it closes the HTTP connection at once. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Called with the whole text so far after every chunk; return false to stop reading (and abort). */
  readonly onText?: (textSoFar: string) => boolean;
}

export interface StreamOutcome {
  readonly text: string;
  readonly finishReason: string | null;
  /** True when onText stopped the stream before the model finished. */
  readonly stoppedEarly: boolean;
  readonly usage?: Usage;
  readonly requestId?: string;
  readonly firstTokenMs?: number;
  readonly totalMs: number;
}

/** Something that streams a partial-mode continuation: the DashScope client, or a fake in tests. */
export interface CompletionBackend {
  /** Rejects with ApiError on failure, or with CancelledError when the signal aborted. */
  stream(request: StreamRequest): Promise<StreamOutcome>;
}

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message ?? `${failure.kind} error${failure.status ? ` ${failure.status}` : ''}`);
    this.name = 'ApiError';
  }
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
