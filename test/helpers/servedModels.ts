import type { Dialect } from '../simulator/server';

/** A model each simulated server serves by default (a coder model, so no thinking switch applies). */
export const SERVED_MODEL: Readonly<Record<Dialect, string>> = {
  dashscope: 'qwen3-coder-plus',
  vllm: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
  sglang: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
  'llama.cpp': 'qwen2.5-coder-7b-instruct-q8_0.gguf',
  ollama: 'qwen2.5-coder:7b',
  lmstudio: 'qwen/qwen3-coder-30b',
};
