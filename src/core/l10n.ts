// Every text a user reads goes through t(): English in the source, translated by VS Code's l10n
// bundles (l10n/bundle.l10n.<locale>.json) once the composition root hands over vscode.l10n.t.
// The core never imports vscode, so the translator is injected; until then (unit tests, the
// benchmark) the English message is formatted as vscode.l10n.t would.
//
// Rules a test enforces (test/unit/l10n.test.ts): the first argument is a string literal (the key
// in every bundle), placeholders are {0}, {1}, ..., and every key is in every bundle. Call t() when
// the text is shown, never in a module-level constant: that would run before the translator is set.
// Log lines stay in English (they go into bug reports) and never pass through t().

export type Translator = (message: string, ...args: Array<string | number | boolean>) => string;

/** "{0} of {1}" with ["a", "b"] becomes "a of b"; a placeholder without an argument stays as written. */
export function formatMessage(message: string, args: ReadonlyArray<string | number | boolean>): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

const english: Translator = (message, ...args) => formatMessage(message, args);
let current: Translator = english;

/** Translates a message for the user (see the rules above). */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return current(message, ...args);
}

/** Called once by the composition root with vscode.l10n.t; `undefined` returns to English (tests). */
export function useTranslator(translator: Translator | undefined): void {
  current = translator ?? english;
}

/**
 * Runs a text builder in English: a log line that quotes a text the user also sees (a fix's label,
 * why a run stopped) stays readable in a bug report. Synchronous, so nothing else runs meanwhile.
 */
export function inEnglish<T>(build: () => T): T {
  const saved = current;
  current = english;
  try {
    return build();
  } finally {
    current = saved;
  }
}
