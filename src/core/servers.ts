// Every kind of server Qwen Inline can talk to, and the dialect each documents for what a completion
// needs: continuing a final assistant message, turning a hybrid model's thinking off, fill-in-the-
// middle, usage. One table: adding a server is adding a row. Sources are cited per row; README's
// "Servers" section repeats them with the command that starts each server.

/** `qwenInline.server`. */
export type ServerKind = 'dashscope' | 'vllm' | 'sglang' | 'llama.cpp' | 'ollama' | 'lmstudio';
export const SERVER_KINDS: readonly ServerKind[] = ['dashscope', 'vllm', 'sglang', 'llama.cpp', 'ollama', 'lmstudio'];

/** `qwenInline.promptStyle`: continue the final assistant message, or fill in the middle. */
export type PromptStyle = 'partial' | 'fim';
export const PROMPT_STYLES: readonly PromptStyle[] = ['partial', 'fim'];

/** Where a fill-in-the-middle request goes. */
export type FimEndpoint =
  /** POST {base}/completions with a raw prompt holding the FIM tokens (OpenAI's legacy completions). */
  | 'completions'
  /**
   * POST {base}/completions with the prefix as `prompt` and the text after the cursor as `suffix`:
   * the server writes the model's FIM tokens itself (Ollama; a raw FIM prompt without `suffix` would
   * be wrapped in the chat template there). Other files cannot go in as `<|file_sep|>` sections.
   */
  | 'suffix'
  /** POST {origin}/infill with `input_prefix`, `input_suffix`, `input_extra` (llama.cpp's server). */
  | 'infill';

export interface ServerDialect {
  /** How messages name it: "vLLM". */
  readonly label: string;
  /** Where it listens when started with its documented defaults (used when `qwenInline.baseUrl` is empty). */
  readonly defaultBaseUrl?: string;
  /** Body fields that make the chat API continue the last assistant message instead of starting a new one. */
  readonly continueFields: Readonly<Record<string, unknown>>;
  /** Whether the last message carries DashScope's `"partial": true`. */
  readonly partialFlag: boolean;
  /** Body fields that turn a hybrid Qwen3 model's thinking off (thinking cannot continue a message). */
  readonly thinkingOffFields: Readonly<Record<string, unknown>>;
  readonly fimEndpoint: FimEndpoint;
  /** `owned_by` in its /v1/models answer, to recognise the server behind a URL (Check Server). */
  readonly ownedBy?: string;
}

export const SERVER_DIALECTS: Readonly<Record<ServerKind, ServerDialect>> = {
  // Model Studio "partial mode": the last message is {"role":"assistant","content":…,"partial":true};
  // hybrids need enable_thinking:false. FIM: the Beijing /completions endpoint, qwen2.5-coder models only.
  dashscope: {
    label: 'DashScope',
    continueFields: {},
    partialFlag: true,
    thinkingOffFields: { enable_thinking: false },
    fimEndpoint: 'completions',
    ownedBy: 'system',
  },
  // vLLM's OpenAI-compatible server (docs/serving/openai_compatible_server.md, extra parameters
  // `continue_final_message`, `add_generation_prompt`, `chat_template_kwargs`): without them a new
  // assistant turn starts, and since add_generation_prompt defaults to true, continue_final_message
  // alone is refused ("Cannot set both ... to True"). /v1/completions applies no template (no `suffix`).
  vllm: {
    label: 'vLLM',
    defaultBaseUrl: 'http://localhost:8000/v1',
    continueFields: { continue_final_message: true, add_generation_prompt: false },
    partialFlag: false,
    thinkingOffFields: { chat_template_kwargs: { enable_thinking: false } },
    fimEndpoint: 'completions',
    ownedBy: 'vllm',
  },
  // SGLang (python/sglang/srt/entrypoints/openai/protocol.py): `continue_final_message` appends the
  // last assistant message after the generation prompt; `add_generation_prompt` is ignored where
  // unknown; `chat_template_kwargs` reaches the template. Cached tokens with --enable-cache-report.
  sglang: {
    label: 'SGLang',
    defaultBaseUrl: 'http://localhost:30000/v1',
    continueFields: { continue_final_message: true, add_generation_prompt: false },
    partialFlag: false,
    thinkingOffFields: { chat_template_kwargs: { enable_thinking: false } },
    fimEndpoint: 'completions',
    ownedBy: 'sglang',
  },
  // llama.cpp's llama-server (tools/server/README.md): a final assistant message is prefilled by
  // default (`--prefill-assistant`, PR #13174); prefill is refused with thinking on, hence
  // `chat_template_kwargs`; /infill is its FIM endpoint; cached tokens in `timings.cache_n`.
  'llama.cpp': {
    label: 'llama.cpp',
    defaultBaseUrl: 'http://localhost:8080/v1',
    continueFields: {},
    partialFlag: false,
    thinkingOffFields: { chat_template_kwargs: { enable_thinking: false } },
    fimEndpoint: 'infill',
    ownedBy: 'llamacpp',
  },
  // Ollama (docs/api/openai-compatibility.mdx): no continuation field; server/routes.go hands the
  // last assistant message to the template as a prefill (the maintainers' word in ollama#6778;
  // template-dependent, not verifiable here: Check Server tells). `think: false` is its native
  // thinking switch. FIM: /v1/completions with `suffix` (Ollama inserts the FIM tokens).
  ollama: {
    label: 'Ollama',
    defaultBaseUrl: 'http://localhost:11434/v1',
    continueFields: {},
    partialFlag: false,
    thinkingOffFields: { think: false },
    fimEndpoint: 'suffix',
    ownedBy: 'library',
  },
  // LM Studio (docs 1_developer/3_openai-compat): no continuation field is documented (Check Server
  // tells whether the loaded model's template continues a final assistant message); /v1/completions
  // applies no prompt template, so a raw FIM prompt reaches the model as written.
  lmstudio: {
    label: 'LM Studio',
    defaultBaseUrl: 'http://localhost:1234/v1',
    continueFields: {},
    partialFlag: false,
    thinkingOffFields: {},
    fimEndpoint: 'completions',
    ownedBy: 'organization_owner',
  },
};

/** How requests are written for the server the settings name. */
export interface WireStyle {
  readonly server: ServerKind;
  readonly promptStyle: PromptStyle;
}

export const DASHSCOPE_PARTIAL: WireStyle = { server: 'dashscope', promptStyle: 'partial' };

/** llama.cpp's /infill lives at the server's root, beside /v1: "http://host:8080/v1" → "http://host:8080/infill". */
export function infillUrlOf(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '') + '/infill';
}

/** The server kind whose /v1/models `owned_by` this is, if any row claims it. */
export function serverKindOwning(ownedBy: string | undefined): ServerKind | undefined {
  if (ownedBy === undefined) return undefined;
  return SERVER_KINDS.find((kind) => SERVER_DIALECTS[kind].ownedBy === ownedBy);
}
