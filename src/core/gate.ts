import { describeExclusion, type Exclusion } from './exclusion';
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

/** Why no suggestion is requested at all. Where in the line one fits is the engine's call. */
export type SkipReason =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'languageDisabled'; readonly languageId: string }
  | { readonly kind: 'excluded'; readonly exclusion: Exclusion }
  | { readonly kind: 'snoozed' }
  | { readonly kind: 'selection' }
  | { readonly kind: 'suggestWidget' }
  | { readonly kind: 'undrawn'; readonly undrawn: Undrawn };

/** The first reason that applies, in order: the file's exclusion, the switches, then the moment. */
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

const DESCRIPTIONS: { readonly [K in SkipReason['kind']]: (reason: Extract<SkipReason, { kind: K }>) => string } = {
  disabled: () => 'disabled',
  languageDisabled: (reason) => `disabled for ${reason.languageId}`,
  excluded: (reason) => describeExclusion(reason.exclusion),
  snoozed: () => 'snoozed',
  selection: () => 'text selected',
  suggestWidget: () => 'suggest widget open',
  undrawn: (reason) => describeUndrawn(reason.undrawn),
};

/** For the log: "disabled for markdown", "this file matches "**\/.env" in qwenInline.exclude". */
export function describeSkip(reason: SkipReason): string {
  return (DESCRIPTIONS[reason.kind] as (reason: SkipReason) => string)(reason);
}
