// "Qwen Inline: Check Server": asks the configured server a tiny known question and says in plain
// words whether it can serve completions, and what to change when it cannot.
import { ApiError, type CompletionBackend, type Usage } from './backend';
import { streamCounted } from './countedStream';
import { classifyError, type ApiFailure, type ClassifiedError } from './errors';
import { SERVER_DIALECTS, serverKindOwning, type ServerKind, type WireStyle } from './servers';
import { type Settings, wireStyleOf } from './settings';

/** A prefix every code model continues the same way (" + b"), short enough to cost nothing. */
export const CHECK_PREFIX = 'def add(a, b):\n    return a';
const CHECK_MAX_TOKENS = 24;

export interface ModelEntry {
  readonly id: string;
  readonly ownedBy?: string;
}

export type ModelListing =
  | { readonly kind: 'listed'; readonly models: readonly ModelEntry[] }
  | { readonly kind: 'failed'; readonly failure: ApiFailure };

/** What the check needs of the server: its model list, and a client to stream with. */
export interface ServerProbe {
  readonly backend: CompletionBackend;
  listModels(signal: AbortSignal): Promise<ModelListing>;
}

/** How the server answered the check's prefix. */
export type Verdict =
  /** It wrote what comes next: the dialect is right. */
  | 'continued'
  /** It started a new answer (prose, a fence, the code again): the server ignored the way we asked it to continue. */
  | 'restarted'
  /** It thought aloud first (<think>): thinking was not turned off. */
  | 'thinking'
  /** It wrote special tokens: a FIM prompt the model or endpoint did not read as one. */
  | 'garbled'
  | 'empty';

/** What the user could change; the command offers each as a button. */
export type Fix =
  | { readonly kind: 'setServer'; readonly server: ServerKind }
  | { readonly kind: 'setPromptStyle'; readonly promptStyle: 'partial' | 'fim' }
  | { readonly kind: 'setApiKey' }
  | { readonly kind: 'selectModel'; readonly suggestions: readonly string[] }
  | { readonly kind: 'setBaseUrl' };

export interface CheckAnswer {
  readonly wire: WireStyle;
  readonly verdict: Verdict;
  readonly text: string;
  readonly firstTokenMs?: number;
  readonly totalMs: number;
  /** As the server reported it; absent when it reported none. */
  readonly usage?: Usage;
}

export interface CheckReport {
  readonly endpoint: string;
  readonly wire: WireStyle;
  readonly reachable: boolean;
  /** The server's models, when it lists them (GET {base}/models). */
  readonly models?: readonly ModelEntry[];
  /** undefined: the server does not list its models. */
  readonly modelFound?: boolean;
  /** The server the model list's `owned_by` names, when it names one. */
  readonly detected?: ServerKind;
  readonly answer?: CheckAnswer;
  /** Why the check's completion failed, when it did. */
  readonly failure?: ClassifiedError;
  /** Other dialects tried after a restart, and how the server answered each. */
  readonly alternatives: readonly CheckAnswer[];
  readonly fixes: readonly Fix[];
}

interface CheckInput {
  readonly settings: Settings;
  readonly endpoint: string;
  readonly probe: ServerProbe;
  readonly signal: AbortSignal;
  readonly now: () => number;
}

/** How the server continued CHECK_PREFIX. */
export function judgeContinuation(text: string): Verdict {
  if (text.trim() === '') return 'empty';
  if (text.includes('<think>')) return 'thinking';
  if (/<\|(?:fim_|file_sep|repo_name|endoftext)/.test(text)) return 'garbled';
  // A restart writes a fence, the function again, or prose ("Here is", "Sure,", "The function").
  if (text.includes('```') || text.includes('def add(') || /^\s*[A-Z][a-z]+(?:'[a-z]+)?[\s,:!]/.test(text)) return 'restarted';
  return 'continued';
}

export async function checkServer(input: CheckInput): Promise<CheckReport> {
  const { settings, endpoint, probe, signal } = input;
  const wire = wireStyleOf(settings);
  const listing = await probe.listModels(signal);
  const base = { endpoint, wire, alternatives: [] as CheckAnswer[] };
  if (listing.kind === 'failed' && (listing.failure.kind === 'network' || listing.failure.kind === 'timeout')) {
    return { ...base, reachable: false, failure: classified(listing.failure, input), fixes: [{ kind: 'setBaseUrl' }] };
  }
  const models = listing.kind === 'listed' ? listing.models : undefined;
  const modelFound = models && models.length > 0 ? models.some((model) => model.id === settings.model) : undefined;
  const detected = serverKindOwning(models?.[0]?.ownedBy);
  const attempt = await ask(input, wire);
  if (attempt instanceof ApiError) {
    const failure = classified(attempt.failure, input);
    return { ...base, reachable: true, models, modelFound, detected, failure, fixes: fixesForFailure(failure, models, listing, wire) };
  }
  const alternatives = attempt.verdict === 'continued' ? [] : await tryOtherDialects(input, wire, detected);
  const fixes = fixesForAnswer(attempt, alternatives, detected, settings, modelFound === false ? models : undefined);
  return { ...base, reachable: true, models, modelFound, detected, answer: attempt, alternatives, fixes };
}

function classified(failure: ApiFailure, input: CheckInput): ClassifiedError {
  return classifyError(failure, { model: input.settings.model, endpoint: input.endpoint, now: input.now() });
}

/** Sends CHECK_PREFIX in one dialect; the answer, or the ApiError it failed with. */
async function ask(input: CheckInput, wire: WireStyle): Promise<CheckAnswer | ApiError> {
  const counted = await streamCounted(input.probe.backend, {
    languageId: 'python',
    fileName: 'check.py',
    wire,
    prefix: CHECK_PREFIX,
    suffix: '\n',
    model: input.settings.model,
    maxTokens: CHECK_MAX_TOKENS,
    temperature: 0,
    timeoutMs: input.settings.requestTimeoutMs,
    signal: input.signal,
    onText: () => true,
  });
  if (counted.kind === 'answered') {
    const { text, firstTokenMs, totalMs, usage } = counted.outcome;
    return { wire, verdict: judgeContinuation(text), text, firstTokenMs, totalMs, usage };
  }
  if (counted.kind === 'cancelled') return new ApiError({ kind: 'protocol', message: 'the check was cancelled' });
  return counted.error instanceof ApiError ? counted.error : new ApiError({ kind: 'protocol', message: String(counted.error) });
}

/**
 * One server per way of continuing a message (DashScope's `partial`, vLLM's fields, a plain final
 * assistant message), the detected server's first: a server that restarted in one may continue in another.
 */
async function tryOtherDialects(input: CheckInput, tried: WireStyle, detected: ServerKind | undefined): Promise<CheckAnswer[]> {
  if (tried.promptStyle !== 'partial') return [];
  const representatives: ServerKind[] = ['dashscope', 'vllm', 'llama.cpp'];
  const candidates = [...new Set([...(detected ? [detected] : []), ...representatives])].filter((kind) => !sameContinuation(kind, tried.server));
  const answers: CheckAnswer[] = [];
  for (const server of candidates) {
    if (answers.some((answer) => sameContinuation(answer.wire.server, server))) continue;
    const answer = await ask(input, { server, promptStyle: 'partial' });
    if (answer instanceof ApiError) continue;
    answers.push(answer);
    if (answer.verdict === 'continued') break;
  }
  return answers;
}

/** Two servers continue a final assistant message the same way. */
function sameContinuation(a: ServerKind, b: ServerKind): boolean {
  const [one, other] = [SERVER_DIALECTS[a], SERVER_DIALECTS[b]];
  return one.partialFlag === other.partialFlag && JSON.stringify(one.continueFields) === JSON.stringify(other.continueFields);
}

/** DashScope serves fill-in-the-middle only for these (its "completions" page, Beijing). */
const DASHSCOPE_FIM_MODELS = /^(?:qwen2\.5-coder-|qwen-coder-turbo)/;

function fixesForFailure(failure: ClassifiedError, models: readonly ModelEntry[] | undefined, listing: ModelListing, wire: WireStyle): Fix[] {
  if (failure.category === 'auth' || failure.category === 'missingKey') return [{ kind: 'setApiKey' }];
  const refused = failure.category === 'modelNotFound' || failure.category === 'badRequest';
  if (refused && wire.server === 'dashscope' && wire.promptStyle === 'fim') {
    const fimModels = (models ?? []).map((model) => model.id).filter((id) => DASHSCOPE_FIM_MODELS.test(id));
    return [{ kind: 'setPromptStyle', promptStyle: 'partial' }, { kind: 'selectModel', suggestions: fimModels }];
  }
  if (failure.category === 'modelNotFound' || failure.category === 'forbidden') return [{ kind: 'selectModel', suggestions: likelyModels(models) }];
  if (listing.kind === 'failed' && listing.failure.status === 401) return [{ kind: 'setApiKey' }];
  return [];
}

function fixesForAnswer(
  answer: CheckAnswer,
  alternatives: readonly CheckAnswer[],
  detected: ServerKind | undefined,
  settings: Settings,
  unknownModelAmong: readonly ModelEntry[] | undefined,
): Fix[] {
  const fixes: Fix[] = [];
  const continuing = alternatives.find((alternative) => alternative.verdict === 'continued');
  if (continuing) {
    // The detected server when it continues the same way as the dialect that worked.
    const server = detected && sameContinuation(detected, continuing.wire.server) ? detected : continuing.wire.server;
    fixes.push({ kind: 'setServer', server });
  } else if (answer.verdict === 'continued' && detected && detected !== settings.server && !sameContinuation(detected, settings.server)) {
    fixes.push({ kind: 'setServer', server: detected });
  }
  if (answer.verdict === 'garbled' && settings.promptStyle === 'fim') fixes.push({ kind: 'setPromptStyle', promptStyle: 'partial' });
  if (answer.verdict === 'restarted' && !continuing && settings.promptStyle === 'partial') fixes.push({ kind: 'setPromptStyle', promptStyle: 'fim' });
  if (unknownModelAmong) fixes.push({ kind: 'selectModel', suggestions: likelyModels(unknownModelAmong) });
  return fixes;
}

/** The server's models, coder models first (the rest in the server's order). */
export function coderModelsFirst(models: readonly ModelEntry[]): ModelEntry[] {
  const coder = (model: ModelEntry) => /coder/i.test(model.id);
  return [...models.filter(coder), ...models.filter((model) => !coder(model))];
}

function likelyModels(models: readonly ModelEntry[] | undefined): string[] {
  return coderModelsFirst(models ?? []).map((model) => model.id);
}
