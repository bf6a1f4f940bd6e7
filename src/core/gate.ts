import { describeExclusion, type Exclusion } from './exclusion';
import { isLanguageEnabled, type Settings } from './settings';

export interface GateInput {
  readonly settings: Settings;
  readonly languageId: string;
  /** Why the document's text may not be sent (qwenInline.exclude), if it may not. */
  readonly excluded?: Exclusion;
  readonly snoozed: boolean;
  readonly hasSelection: boolean;
  /** The IntelliSense suggest widget is open: its choice would fight with ghost text. */
  readonly suggestWidgetOpen: boolean;
}

/** Why no suggestion is requested at all. Where in the line one fits is the engine's call. */
export type SkipReason =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'languageDisabled'; readonly languageId: string }
  | { readonly kind: 'excluded'; readonly exclusion: Exclusion }
  | { readonly kind: 'snoozed' }
  | { readonly kind: 'selection' }
  | { readonly kind: 'suggestWidget' };

/** The first reason that applies, in order: the file's exclusion, the switches, then the moment. */
export function skipReason(input: GateInput): SkipReason | undefined {
  if (input.excluded) return { kind: 'excluded', exclusion: input.excluded };
  if (!input.settings.enable) return { kind: 'disabled' };
  if (!isLanguageEnabled(input.settings, input.languageId)) return { kind: 'languageDisabled', languageId: input.languageId };
  if (input.snoozed) return { kind: 'snoozed' };
  if (input.hasSelection) return { kind: 'selection' };
  if (input.suggestWidgetOpen) return { kind: 'suggestWidget' };
  return undefined;
}

const DESCRIPTIONS: { readonly [K in SkipReason['kind']]: (reason: Extract<SkipReason, { kind: K }>) => string } = {
  disabled: () => 'disabled',
  languageDisabled: (reason) => `disabled for ${reason.languageId}`,
  excluded: (reason) => describeExclusion(reason.exclusion),
  snoozed: () => 'snoozed',
  selection: () => 'text selected',
  suggestWidget: () => 'suggest widget open',
};

/** For the log: "disabled for markdown", "this file matches "**\/.env" in qwenInline.exclude". */
export function describeSkip(reason: SkipReason): string {
  return (DESCRIPTIONS[reason.kind] as (reason: SkipReason) => string)(reason);
}
