/**
 * What a chat model wraps around its code: `<think>` blocks and a markdown fence around the answer.
 * The answer streams in: until a fence or a think tag is complete, it may still turn into one.
 */

/** Qwen3 closes its reasoning with `</think>` and a blank line; a line break past those is the answer's own. */
const THINK_BLOCK = /<think>[\s\S]*?<\/think>[ \t]*\n?\n?/g;
/** Until its line is complete, an opening fence (or a `<think>` tag) cannot be told apart from code. */
const MAYBE_NOISE_START = /^(?:\n?`{1,3}[\w+#.-]*[^\S\n]*|<(?:t(?:h(?:i(?:n(?:k)?)?)?)?)?)$/;
/** A fence line: its backticks at the start of a line, then what names its language. */
const FENCE_LINE = /(^|\n)```([^\n`]*)/g;

interface FenceRules {
  /** An opening fence at the very start of the answer that wraps it (the line is dropped). */
  readonly wrapper: RegExp;
  /** Whether a bare fence closes an answer that no wrapper opened. */
  readonly closesUnwrapped: boolean;
}

/**
 * In code, any fence around the answer is the model's wrapping. In a Markdown document fences are
 * content: only a ```markdown fence wraps the answer, and only a wrapped answer is closed by a fence.
 */
const FENCES: Readonly<Record<'code' | 'content', FenceRules>> = {
  code: { wrapper: /^\n?```[\w+#.-]*[^\S\n]*\n/, closesUnwrapped: true },
  content: { wrapper: /^\n?```(?:markdown|md)[^\S\n]*\n/, closesUnwrapped: false },
};

interface CleanedOutput {
  readonly text: string;
  /** A closing fence came: the model has finished its code, whatever else follows. */
  readonly fenceClosed: boolean;
  /**
   * The answer starts afresh after an opening fence or a think block, so its first line may carry
   * the full indentation of its line.
   */
  readonly restarted: boolean;
  /** So far the text may still turn into an opening fence or a think tag: wait for more. */
  readonly undecided: boolean;
}

const UNDECIDED: CleanedOutput = { text: '', fenceClosed: false, restarted: false, undecided: true };

/**
 * The model's text without `<think>` blocks (and the blank line after them) and without the markdown
 * fence wrapped around code. In a Markdown document, fences are content: only a ```markdown fence
 * around the whole answer is removed.
 */
export function cleanModelOutput(raw: string, fencesAreContent = false): CleanedOutput {
  const { answer, thinking } = withoutThinking(raw.replace(/\r\n/g, '\n'));
  if (MAYBE_NOISE_START.test(answer)) return UNDECIDED;
  const rules = FENCES[fencesAreContent ? 'content' : 'code'];
  const opening = rules.wrapper.exec(answer);
  const text = opening ? answer.slice(opening[0].length) : answer;
  const restarted = opening !== null || thinking;
  const closing = opening || rules.closesUnwrapped ? closingFence(text) : undefined;
  // A bare fence still on its line is held back: it closes the answer, or opens a block once a language comes.
  if (closing) return { text: text.slice(0, closing.at), fenceClosed: closing.lineComplete, restarted, undecided: false };
  return { text, fenceClosed: false, restarted, undecided: false };
}

/** The text without its think blocks; a think block still open hides everything after its tag. */
function withoutThinking(text: string): { answer: string; thinking: boolean } {
  const thinking = text.includes('<think>');
  const answer = text.replace(THINK_BLOCK, '');
  const unclosed = answer.indexOf('<think>');
  return { answer: unclosed < 0 ? answer : answer.slice(0, unclosed), thinking };
}

/**
 * The fence that closes the answer, if one does. A fence line naming a language opens a block inside
 * the answer (a Markdown answer holding code); a bare fence closes the innermost one, but only once
 * its line is complete: Qwen3 streams "```" and "bash" as two tokens.
 */
function closingFence(text: string): { at: number; lineComplete: boolean } | undefined {
  let depth = 0;
  for (const match of text.matchAll(FENCE_LINE)) {
    if (match[2].trim() !== '') depth++;
    else if (depth > 0) depth--;
    else return { at: match.index, lineComplete: match.index + match[0].length < text.length };
  }
  return undefined;
}
