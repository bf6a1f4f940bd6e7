// `npm run bench`'s table "Load per simulated user while typing": what one typist asks of the
// server per minute of typing, for sizing a self-hosted server (users per GPU) or a rate limit.
// Minutes are the typists' own: from each one's first keystroke to the end of their stretch, as
// they wait on real timers (typist.ts), pauses to read suggestions included. Typists write their
// files at the same time, so per user is the sum of the requests over the sum of their minutes.

/** One policy's load per typist per minute of typing. */
export interface TypingLoadPerUser {
  /** The typists (files typed at once) and their minutes of typing, added up. */
  readonly users: number;
  readonly typingMinutes: number;
  readonly requestsPerMinute: number;
  readonly promptTokensPerMinute: number;
  readonly uncachedPromptTokensPerMinute: number;
  readonly outputTokensPerMinute: number;
}

interface Totals {
  readonly requests: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly completionTokens: number;
}

export function typingLoadPerUser(totals: Totals, typingMs: readonly number[]): TypingLoadPerUser {
  const typingMinutes = typingMs.reduce((sum, ms) => sum + ms, 0) / 60_000;
  const perMinute = (value: number) => (typingMinutes > 0 ? value / typingMinutes : 0);
  return {
    users: typingMs.length,
    typingMinutes,
    requestsPerMinute: perMinute(totals.requests),
    promptTokensPerMinute: perMinute(totals.promptTokens),
    uncachedPromptTokensPerMinute: perMinute(totals.promptTokens - totals.cachedTokens),
    outputTokensPerMinute: perMinute(totals.completionTokens),
  };
}

/** The markdown table: a column per policy. */
export function typingLoadTable(results: ReadonlyArray<{ readonly name: string; readonly load: TypingLoadPerUser }>): string {
  const row = (label: string, cell: (load: TypingLoadPerUser) => string) => `| ${label} | ${results.map((r) => cell(r.load)).join(' | ')} |`;
  const tokens = (value: number) => Math.round(value).toLocaleString('en');
  return [
    'Load per simulated user while typing (per minute of the typist\'s own time, pauses to read included):',
    '',
    `|  | ${results.map((r) => r.name).join(' | ')} |`,
    `| --- | ${results.map(() => '---:').join(' | ')} |`,
    row('requests / min', (load) => load.requestsPerMinute.toFixed(1)),
    row('prompt tokens / min', (load) => tokens(load.promptTokensPerMinute)),
    row('uncached prompt tokens / min', (load) => tokens(load.uncachedPromptTokensPerMinute)),
    row('output tokens / min', (load) => tokens(load.outputTokensPerMinute)),
    row('typists × their mean minutes of typing', (load) => `${load.users} × ${(load.typingMinutes / Math.max(1, load.users)).toFixed(1)}`),
  ].join('\n');
}
