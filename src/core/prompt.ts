import type { ContextSnippet } from './context/types';
import type { Position, TextLines } from './document';
import { SERVER_DIALECTS, type ServerKind } from './servers';

export interface Prefix {
  /** The text before the cursor within the budget, with '\n' line endings. */
  readonly text: string;
  /** The first line included (0 when the prefix reaches the top of the file). */
  readonly startLine: number;
}

/**
 * Window starts snap forward to a multiple of one of these line counts, tried in order: the prompt's
 * start then stays byte-identical while the user types (DashScope's implicit cache bills repeated
 * leading tokens at 20%) and moves in coarse steps. A finer step is taken when a coarse one would
 * throw away more than a quarter of the budget (very long lines).
 */
const ANCHOR_STEPS = [32, 8, 1];

/**
 * The text before the cursor, at most `maxChars` long, cut at a line boundary so the model never
 * sees half a line at the top, and starting at an anchor line (see ANCHOR_STEPS). Reads only the
 * lines it keeps.
 */
export function extractPrefix(doc: TextLines, position: Position, maxChars: number): Prefix {
  const cursorLine = doc.lineAt(position.line).slice(0, position.character);
  if (cursorLine.length >= maxChars) {
    // A single line longer than the budget: nothing to cut at, keep its end (whole characters only).
    return { text: wholeCharacters(cursorLine.slice(cursorLine.length - maxChars)), startLine: position.line };
  }
  // lines[i] is line `position.line - i`; lengths[i] the length of the window starting there.
  const lines = [cursorLine];
  const lengths = [cursorLine.length];
  for (let line = position.line - 1; line >= 0; line--) {
    const text = doc.lineAt(line);
    const length = lengths[lengths.length - 1] + text.length + 1;
    if (length > maxChars) break;
    lines.push(text);
    lengths.push(length);
  }
  const firstFit = position.line - lines.length + 1;
  let start = firstFit;
  // At the top of the file (firstFit 0) every anchor is line 0 itself.
  for (const step of ANCHOR_STEPS) {
    const anchor = Math.ceil(firstFit / step) * step;
    if (anchor <= position.line && lengths[position.line - anchor] >= maxChars * 0.75) {
      start = anchor;
      break;
    }
  }
  return { text: wholeCharacters(lines.slice(0, position.line - start + 1).reverse().join('\n')), startLine: start };
}

/**
 * Drops half a character at either end: a cut (or a cursor) between the two UTF-16 halves of an
 * emoji or other astral character would otherwise send invalid Unicode, which a server may refuse
 * or garble. Every text the prompt is built from goes through here.
 */
export function wholeCharacters(text: string): string {
  const start = /^[\uDC00-\uDFFF]/.test(text) ? 1 : 0;
  const end = /[\uD800-\uDBFF]$/.test(text) ? text.length - 1 : text.length;
  return text.slice(start, end);
}

/**
 * The text after the cursor, at most `maxChars` long, cut at a line boundary (the cursor's own
 * line is always whole).
 */
export function extractSuffix(doc: TextLines, position: Position, maxChars: number): string {
  const lines = [lineSuffixAt(doc, position)];
  let length = lines[0].length;
  for (let line = position.line + 1; line < doc.lineCount; line++) {
    const text = doc.lineAt(line);
    if (length + text.length + 1 > maxChars) break;
    lines.push(text);
    length += text.length + 1;
  }
  return wholeCharacters(lines.join('\n'));
}

/** Text after the cursor on the cursor's line. */
function lineSuffixAt(doc: TextLines, position: Position): string {
  return doc.lineAt(position.line).slice(position.character);
}

interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
  readonly partial?: boolean;
}

/**
 * Kept byte-identical across requests so that DashScope's implicit cache can serve the start of
 * every prompt: only the final partial message changes while the user types.
 */
export const SYSTEM_INSTRUCTION =
  'You are a code completion engine. The assistant message is the beginning of a source file, ' +
  'cut at the cursor. Continue it exactly where it stops: output only the text that comes next, ' +
  'with no explanation, no markdown fences, and without repeating what is already written.';

function fileInstruction(languageId: string, fileName: string): string {
  return `Complete the ${languageId} file "${fileName}" at the end of the text. Add nothing else.`;
}

/**
 * The text after the cursor goes in the user message as context, ahead of the partial message, so
 * the growing prefix stays the end of the prompt.
 */
function suffixContext(suffix: string): string {
  return (
    '\n\nFor context, this text already follows the cursor in the file. Do not write it again; ' +
    `stop where your continuation would reach it:\n<after_cursor>\n${suffix}\n</after_cursor>`
  );
}

/**
 * Snippets of other files, each labelled with its path and lines. They come before the text after
 * the cursor: the user message's start stays the same while the set does (see context/selection.ts),
 * so the implicit cache keeps serving it.
 */
export function renderContext(snippets: readonly ContextSnippet[]): string {
  if (snippets.length === 0) return '';
  const files = snippets.map(
    (snippet) => `<file path="${snippet.path}" lines="${snippet.startLine + 1}-${snippet.endLine + 1}">\n${wholeCharacters(snippet.text)}\n</file>`,
  );
  return '\n\nCode from other files of this project, for reference (use the names it defines):\n' + files.join('\n');
}

export function buildMessages(
  languageId: string,
  fileName: string,
  prefix: string,
  suffix = '',
  context: readonly ContextSnippet[] = [],
): ChatMessage[] {
  const after = suffix.trim() === '' ? '' : suffixContext(suffix);
  return [
    { role: 'system', content: SYSTEM_INSTRUCTION },
    { role: 'user', content: fileInstruction(languageId, fileName) + renderContext(context) + after },
    { role: 'assistant', content: prefix, partial: true },
  ];
}

/**
 * Hybrid Qwen3 models think by default, and thinking cannot be combined with partial mode, so they
 * need `enable_thinking: false`. qwen3-coder models are not hybrid and get no flag.
 */
export function isHybridThinkingModel(model: string): boolean {
  const name = model.toLowerCase();
  if (name.includes('coder')) return false;
  // At the start, or after an organisation (`Qwen/Qwen3-8B`, as vLLM and SGLang name it).
  return /(?:^|\/)(?:qwen-plus|qwen-flash|qwen-turbo|qwen3-max|qwen3-\d+(?:\.\d+)?b)/.test(name);
}

/** The JSON body sent to POST {base}/chat/completions, in the dialect of the server (see servers.ts). */
export interface ChatRequestBody {
  readonly model: string;
  readonly messages: ChatMessage[];
  readonly stream: true;
  readonly stream_options: { readonly include_usage: true };
  readonly max_tokens: number;
  readonly temperature: number;
  /** DashScope: hybrids only. */
  readonly enable_thinking?: false;
  /** vLLM and SGLang: continue the last assistant message instead of starting a new turn. */
  readonly continue_final_message?: true;
  readonly add_generation_prompt?: false;
  /** vLLM, SGLang, llama.cpp: hybrids only. */
  readonly chat_template_kwargs?: { readonly enable_thinking: false };
  /** Ollama: hybrids only. */
  readonly think?: false;
}

export function buildRequestBody(
  model: string,
  messages: ChatMessage[],
  maxTokens: number,
  temperature: number,
  server: ServerKind = 'dashscope',
): ChatRequestBody {
  const dialect = SERVER_DIALECTS[server];
  // Only DashScope reads `partial`; the others continue the message because of continueFields.
  const sent = dialect.partialFlag ? messages : messages.map(({ role, content }) => ({ role, content }));
  return {
    model,
    messages: sent,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: maxTokens,
    temperature,
    ...dialect.continueFields,
    ...(isHybridThinkingModel(model) ? dialect.thinkingOffFields : {}),
  };
}
