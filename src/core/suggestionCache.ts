import type { Suggestion } from './ghostText';

/** What decides a suggestion: the model and the text on both sides of the cursor, as sent. */
export interface PromptKey {
  readonly model: string;
  readonly prefix: string;
  readonly suffix: string;
}

/**
 * How far back a lookup walks over typed characters to find a suggestion they type through: a line
 * of code (most are under 64 characters), so typing a whole suggested line is served from the cache,
 * while a miss costs at most 64 map lookups on a keystroke.
 */
const MAX_TYPED_THROUGH = 64;

interface Entry extends PromptKey {
  readonly key: string;
  /** Undefined: the model had nothing useful here, so asking again would be wasted. */
  readonly suggestion: Suggestion | undefined;
}

/**
 * The suggestions of recent requests, least recently used dropped first. Keyed by model, prefix
 * AND suffix (a prefix-only key would show a suggestion written for other text after the cursor).
 * A lookup also finds a suggestion made a few characters earlier that the user has since typed
 * through, and returns the rest of it: Backspace, undo and typing what is shown need no request.
 */
export class SuggestionCache {
  private readonly entries = new Map<string, Entry>();
  /** Entries by prefix length, so walking back over typed characters costs a map lookup per step. */
  private readonly byPrefixLength = new Map<number, Set<Entry>>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The suggestion for this prompt: `{ suggestion }` when known (possibly "nothing"), undefined when
   * the model must be asked. `eol` is the document's line ending, used by the typed-through text.
   */
  lookup(prompt: PromptKey, eol: string): { suggestion: Suggestion | undefined } | undefined {
    const exact = this.entries.get(keyOf(prompt));
    if (exact) {
      this.touch(exact);
      return { suggestion: exact.suggestion };
    }
    const walk = Math.min(MAX_TYPED_THROUGH, prompt.prefix.length);
    for (let typed = 1; typed <= walk; typed++) {
      const candidates = this.byPrefixLength.get(prompt.prefix.length - typed);
      if (!candidates) continue;
      const typedText = prompt.prefix.slice(prompt.prefix.length - typed);
      for (const entry of candidates) {
        if (entry.suggestion === undefined) continue;
        // The cheap test first: the long prefix and suffix are compared only for a suggestion that fits.
        const rest = typeThrough(entry.suggestion, typedText, eol);
        if (rest && entry.model === prompt.model && entry.suffix === prompt.suffix && prompt.prefix.startsWith(entry.prefix)) {
          this.touch(entry);
          return { suggestion: rest };
        }
      }
    }
    return undefined;
  }

  /** A capacity of 0 keeps nothing: the entry is dropped as soon as it is stored. */
  store(prompt: PromptKey, suggestion: Suggestion | undefined): void {
    const key = keyOf(prompt);
    this.remove(key);
    const entry: Entry = { key, model: prompt.model, prefix: prompt.prefix, suffix: prompt.suffix, suggestion };
    this.entries.set(key, entry);
    let bucket = this.byPrefixLength.get(entry.prefix.length);
    if (!bucket) this.byPrefixLength.set(entry.prefix.length, (bucket = new Set()));
    bucket.add(entry);
    while (this.entries.size > this.capacity) this.remove(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
    this.byPrefixLength.clear();
  }

  private touch(entry: Entry): void {
    // A Map iterates in insertion order: re-inserting makes the entry the most recently used.
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const bucket = this.byPrefixLength.get(entry.prefix.length);
    bucket?.delete(entry);
    if (bucket?.size === 0) this.byPrefixLength.delete(entry.prefix.length);
  }
}

/**
 * What is left of `suggestion` once the user has typed `typed` ('\n' line endings) at its start, or
 * undefined when they typed something else or nothing visible is left.
 */
export function typeThrough(suggestion: Suggestion, typed: string, eol: string): Suggestion | undefined {
  if (typed === '') return suggestion;
  const written = typed.split('\n').join(eol);
  if (!suggestion.insertText.startsWith(written)) return undefined;
  const insertText = suggestion.insertText.slice(written.length);
  return insertText.trim() === '' ? undefined : { insertText, replaceLength: suggestion.replaceLength };
}

function keyOf(prompt: PromptKey): string {
  return `${prompt.model}\u0000${prompt.suffix}\u0000${prompt.prefix}`;
}
