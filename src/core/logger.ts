/** The logging surface the core writes to; VS Code's LogOutputChannel satisfies it. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const BEARER = /(Bearer\s+)[^\s"',}]+/gi;
const KEY_LIKE = /\bsk-[A-Za-z0-9_-]{6,}/g;

/** Masks API keys: the known key values, any bearer token, and anything shaped like a DashScope key. */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result.replace(BEARER, '$1[redacted]').replace(KEY_LIKE, 'sk-[redacted]');
}

/** Wraps a logger so that no line it writes can carry a key. */
export function redactingLogger(inner: Logger, knownSecrets: () => readonly string[]): Logger {
  const wrap = (write: (message: string) => void) => (message: string) =>
    write(redactSecrets(message, knownSecrets()));
  return {
    trace: wrap((m) => inner.trace(m)),
    debug: wrap((m) => inner.debug(m)),
    info: wrap((m) => inner.info(m)),
    warn: wrap((m) => inner.warn(m)),
    error: wrap((m) => inner.error(m)),
  };
}
