// The one place that masks secrets. Every text that reaches the user or the log (log lines,
// notifications, the status tooltip, prompts that show a server's address) goes through a Redactor,
// whatever produced it: our own messages, a server's error body echoing a header, an SDK's error.

const MASK = '[redacted]';

/**
 * Shapes of secrets that may appear in text nobody wrote for the user: each rule keeps its label
 * (the `$1` group) and masks the value. Ordered so a more specific shape is masked first.
 */
const SECRET_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  // Authorization header values of any scheme: "Authorization: Basic …", "authorization":"Bearer …".
  [/(authorization["']?\s*[:=]\s*["']?(?:[A-Za-z]+\s+)?)[^\s"',;}]+/gi, `$1${MASK}`],
  // A bearer token anywhere.
  [/(Bearer\s+)[^\s"',;}]+/gi, `$1${MASK}`],
  // API-key headers, fields and query parameters: x-api-key: …, "api_key": "…", ?key=…, &access_token=….
  [/((?:x-)?api[_-]?key["']?\s*[:=]\s*["']?)[^\s"',;}&]+/gi, `$1${MASK}`],
  [/([?&](?:key|token|access[_-]?token|secret)=)[^&\s"']+/gi, `$1${MASK}`],
  // Credentials in a URL: https://user:password@host/.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${MASK}@`],
  // DashScope's (and OpenAI's) key shape, wherever it appears.
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${MASK}`],
];

/**
 * Known secrets shorter than this are not masked by value: a 1–3 character "key" (a placeholder
 * for a local server) would otherwise mask that text everywhere and make logs unreadable.
 */
const MIN_KNOWN_SECRET_LENGTH = 4;

/** Masks the known key values, then every secret-shaped piece of text (see SECRET_SHAPES). */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  // Longest first, so a key that contains another known key is masked whole.
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= MIN_KNOWN_SECRET_LENGTH) result = result.split(secret).join(MASK);
  }
  for (const [shape, replacement] of SECRET_SHAPES) result = result.replace(shape, replacement);
  return result;
}

/** Redaction bound to the keys currently known (stored keys and the environment's). */
export class Redactor {
  constructor(private readonly knownSecrets: () => readonly string[] = () => []) {}

  redact(text: string): string {
    return redactSecrets(text, this.knownSecrets());
  }
}
