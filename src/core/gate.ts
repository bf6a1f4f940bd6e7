// Why nothing is shown: every reason a keystroke gets no suggestion, as one typed union, and the
// rules that decide before anything is asked. The engine asks them in order: the moment (this
// module's skipReason, before any prompt is built), the place (mid-line), then, once a request is
// due, what may be sent (requestSkip, then the pause after errors in backoff.ts).
import type { ErrorCategory } from './errors';
import { describeExclusion, textExclusion, type Exclusion } from './exclusion';
import type { Suggestion } from './ghostText';
import { inEnglish } from './l10n';
import { isLanguageEnabled, type Settings } from './settings';
import { describeUndrawn, type Undrawn } from './visibility';

export interface GateInput {
  readonly settings: Settings;
  readonly languageId: string;
  /** Why the document's text may not be sent (qwenInline.exclude), if it may not. */
  readonly excluded?: Exclusion;
  readonly snoozed: boolean;
  readonly hasSelection: boolean;
  /** The IntelliSense suggest widget is open: its choice would fight with ghost text. */
  readonly suggestWidgetOpen: boolean;
  /** Why VS Code would draw no ghost text at the cursor, if it would not. */
  readonly undrawn?: Undrawn;
}

/** Why no suggestion is shown. */
export type SkipReason =
  // The moment: the file, the switches, the editor.
  | { readonly kind: 'excluded'; readonly exclusion: Exclusion }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'languageDisabled'; readonly languageId: string }
  | { readonly kind: 'snoozed' }
  | { readonly kind: 'selection' }
  | { readonly kind: 'suggestWidget' }
  | { readonly kind: 'undrawn'; readonly undrawn: Undrawn }
  /** Continue This Block is writing into the document. */
  | { readonly kind: 'continuing' }
  // The place.
  | { readonly kind: 'midLine' }
  // Sending.
  | { readonly kind: 'noKey' }
  | { readonly kind: 'budget' }
  | { readonly kind: 'paused'; readonly category: ErrorCategory; readonly waitMs: number }
  /** The ghost-text shaper found no suggestion fits the cursor. */
  | { readonly kind: 'unfit'; readonly detail: string }
  // The answer.
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly category: ErrorCategory }
  /** The model had nothing useful to add here (`cached`: known from an earlier request). */
  | { readonly kind: 'empty'; readonly cached: boolean }
  /** VS Code would not draw all of the answer's first line. */
  | { readonly kind: 'notDrawn' };

/** What a keystroke gets: a suggestion to show, or why there is none. */
/** `streaming`: the first lines of a block whose rest is still coming (the flight announces each new line). */
export type Completion = { readonly kind: 'shown'; readonly suggestion: Suggestion; readonly streaming?: boolean } | { readonly kind: 'skipped'; readonly reason: SkipReason };

/** The moment's reasons, the first that applies, in order: the file's exclusion, the switches, then the editor. */
export function skipReason(input: GateInput): SkipReason | undefined {
  if (input.excluded) return { kind: 'excluded', exclusion: input.excluded };
  if (!input.settings.enable) return { kind: 'disabled' };
  if (!isLanguageEnabled(input.settings, input.languageId)) return { kind: 'languageDisabled', languageId: input.languageId };
  if (input.snoozed) return { kind: 'snoozed' };
  if (input.hasSelection) return { kind: 'selection' };
  if (input.suggestWidgetOpen) return { kind: 'suggestWidget' };
  if (input.undrawn) return { kind: 'undrawn', undrawn: input.undrawn };
  return undefined;
}

/**
 * Why no request may go for this text now, once one is due (the cache and a request in flight still
 * serve meanwhile): the daily budget, then a private key in the text. `budgetReached` is asked only
 * when needed: it may start a new day.
 */
export function requestSkip(budgetReached: () => boolean, text: { readonly prefix: string; readonly suffix: string }): SkipReason | undefined {
  // The spending tracker shows the budget message itself (status bar and one notification).
  if (budgetReached()) return { kind: 'budget' };
  const secret = textExclusion(text.prefix) ?? textExclusion(text.suffix);
  return secret && { kind: 'excluded', exclusion: secret };
}

const DESCRIPTIONS: { readonly [K in SkipReason['kind']]: (reason: Extract<SkipReason, { kind: K }>) => string } = {
  excluded: (reason) => describeExclusion(reason.exclusion),
  disabled: () => 'disabled',
  languageDisabled: (reason) => `disabled for ${reason.languageId}`,
  snoozed: () => 'snoozed',
  selection: () => 'text selected',
  suggestWidget: () => 'suggest widget open',
  undrawn: (reason) => describeUndrawn(reason.undrawn),
  continuing: () => 'Continue This Block is writing into this document',
  midLine: () => 'in the middle of a line',
  noKey: () => 'no API key',
  budget: () => 'the daily budget is reached',
  paused: (reason) => `paused after ${reason.category} for ${reason.waitMs} ms more`,
  unfit: (reason) => reason.detail,
  cancelled: () => 'cancelled',
  failed: (reason) => `the request failed (${reason.category})`,
  empty: (reason) => (reason.cached ? 'cached: nothing to suggest here' : 'the model had nothing to suggest here'),
  notDrawn: () => 'VS Code would not draw all of its first line (editor.stopRenderingLineAfter)',
};

/** For the log: "disabled for markdown", "this file matches "**\/.env" in qwenInline.exclude". */
export function describeSkip(reason: SkipReason): string {
  // In English: the exclusion's and the undrawn line's descriptions also reach the user, translated.
  return inEnglish(() => (DESCRIPTIONS[reason.kind] as (reason: SkipReason) => string)(reason));
}
