import { isLanguageEnabled, type Settings } from './settings';

export interface GateInput {
  readonly settings: Settings;
  readonly languageId: string;
  readonly snoozed: boolean;
  readonly hasSelection: boolean;
  /** The IntelliSense suggest widget is open: its choice would fight with ghost text. */
  readonly suggestWidgetOpen: boolean;
}

/**
 * Why no suggestion should be requested now, or undefined when one may be. Where in the line one
 * fits is the engine's call (`suggestionShape`).
 */
export function skipReason(input: GateInput): string | undefined {
  if (!input.settings.enable) return 'disabled';
  if (!isLanguageEnabled(input.settings, input.languageId)) return `disabled for ${input.languageId}`;
  if (input.snoozed) return 'snoozed';
  if (input.hasSelection) return 'text selected';
  if (input.suggestWidgetOpen) return 'suggest widget open';
  return undefined;
}
