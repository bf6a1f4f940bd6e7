// Identifier sets and their similarity: how the open-tabs source ranks windows (the field's
// baseline, Jaccard over identifier sets, as Copilot and Cody use it).

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/**
 * Words that say nothing about what code is about: keywords and builtins shared by the languages we
 * complete. Counting them would make every window of a file alike.
 */
const COMMON_WORDS = new Set(
  (
    'if else for while do return function const let var new this self class def import from export ' +
    'default public private protected static async await try catch finally throw raise in of is not and or ' +
    'true false null undefined None True False void int string number boolean bool type interface func ' +
    'package struct go defer range nil err break continue case switch with as pass elif lambda yield ' +
    'extends implements super typeof instanceof delete get set println printf fmt len str print'
  ).split(' '),
);

/** The identifiers of a text worth comparing: two characters or more, not a common word. */
export function identifiersOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(IDENTIFIER)) {
    const word = match[0];
    if (word.length >= 2 && !COMMON_WORDS.has(word)) found.add(word);
  }
  return found;
}

/** |a ∩ b| / |a ∪ b|; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** The lower-case words of an identifier: `getAPIList` → get, api, list; `_load_module` → load, module. One letter is no word. */
export function subwordsOf(identifier: string): string[] {
  const spaced = identifier.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced
    .split(/[^A-Za-z0-9]+|(?<=[A-Za-z])(?=[0-9])/)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length >= 2);
}

/**
 * How much of a name the code around the cursor already speaks of: the share of its words found in
 * `nearWords` (0 to 1). Ranks the exports of a module the cursor does not use yet: next to
 * `errors.HeaderParseError` and a charset, `CharsetError` is likelier than `BoundaryError`.
 */
export function nameAffinity(name: string, nearWords: ReadonlySet<string>): number {
  const words = subwordsOf(name);
  if (words.length === 0) return 0;
  return words.filter((w) => nearWords.has(w)).length / words.length;
}
