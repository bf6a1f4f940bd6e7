import type { ContextSnippet } from './context/types';
import { wholeCharacters } from './prompt';

/**
 * Qwen2.5-Coder's and Qwen3-Coder's fill-in-the-middle tokens (Qwen2.5-Coder technical report and
 * README, "file-level" and "repository-level code completion"). The model writes the middle after
 * `<|fim_middle|>`; other files come first, each after `<|file_sep|>` and its path, the repository's
 * name before them all.
 */
export const FIM = {
  prefix: '<|fim_prefix|>',
  suffix: '<|fim_suffix|>',
  middle: '<|fim_middle|>',
  repoName: '<|repo_name|>',
  fileSep: '<|file_sep|>',
} as const;

/**
 * Where a fill-in-the-middle answer ends besides the end-of-text token the server stops at itself: a
 * model that runs past the middle starts another file or another FIM section.
 */
export const FIM_STOPS: readonly string[] = ['<|endoftext|>', '<|file_sep|>', '<|fim_prefix|>', '<|repo_name|>', '<|im_end|>'];

interface FimInput {
  readonly prefix: string;
  readonly suffix: string;
  /** The current file's path, as its `<|file_sep|>` line names it. */
  readonly fileName: string;
  /** The workspace folder's name, for `<|repo_name|>`. */
  readonly projectName?: string;
  readonly context: readonly ContextSnippet[];
}

/**
 * The raw prompt for a /completions endpoint. With no other files it is the file-level form,
 * `<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>`; with project context, the repository-level form:
 * `<|repo_name|>NAME\n<|file_sep|>PATH\nTEXT\n…<|file_sep|>CURRENT\n<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>`.
 * The context comes first so that, like the chat prompt, the stable part leads (prefix caches).
 */
export function buildFimPrompt(input: FimInput): string {
  const middle = `${FIM.prefix}${input.prefix}${FIM.suffix}${input.suffix}${FIM.middle}`;
  if (input.context.length === 0) return middle;
  const files = input.context.map((snippet) => `${FIM.fileSep}${snippet.path}\n${wholeCharacters(snippet.text)}\n`);
  return `${FIM.repoName}${input.projectName ?? 'project'}\n${files.join('')}${FIM.fileSep}${input.fileName}\n${middle}`;
}

/** The JSON body of POST {base}/completions (OpenAI's legacy completions, which every server here keeps). */
export interface CompletionsRequestBody {
  readonly model: string;
  readonly prompt: string;
  readonly stream: true;
  readonly stream_options: { readonly include_usage: true };
  readonly max_tokens: number;
  readonly temperature: number;
  readonly stop: readonly string[];
}

export function buildCompletionsBody(model: string, prompt: string, maxTokens: number, temperature: number): CompletionsRequestBody {
  return { model, prompt, stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens, temperature, stop: FIM_STOPS };
}

/**
 * The JSON body of llama.cpp's POST /infill (tools/server/README.md): the server writes the FIM and
 * repository-level tokens itself from `input_prefix`, `input_suffix` and `input_extra`, so they are
 * right for whichever model it loaded.
 */
export interface InfillRequestBody {
  readonly input_prefix: string;
  readonly input_suffix: string;
  readonly input_extra: ReadonlyArray<{ readonly filename: string; readonly text: string }>;
  readonly n_predict: number;
  readonly temperature: number;
  readonly stream: true;
  /** Reuse the KV cache of the previous request's common prompt start (llama.cpp's prefix cache). */
  readonly cache_prompt: true;
}

export function buildInfillBody(input: FimInput, maxTokens: number, temperature: number): InfillRequestBody {
  return {
    input_prefix: input.prefix,
    input_suffix: input.suffix,
    input_extra: input.context.map((snippet) => ({ filename: snippet.path, text: wholeCharacters(snippet.text) })),
    n_predict: maxTokens,
    temperature,
    stream: true,
    cache_prompt: true,
  };
}

/** The JSON body of POST {base}/completions where the server writes the FIM tokens itself (Ollama). */
export interface SuffixCompletionsRequestBody {
  readonly model: string;
  readonly prompt: string;
  readonly suffix: string;
  readonly stream: true;
  readonly stream_options: { readonly include_usage: true };
  readonly max_tokens: number;
  readonly temperature: number;
}

export function buildSuffixCompletionsBody(model: string, input: FimInput, maxTokens: number, temperature: number): SuffixCompletionsRequestBody {
  return { model, prompt: input.prefix, suffix: input.suffix, stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens, temperature };
}
