// The sample file of the walkthrough's "try it" step: a function whose body is left to write, with
// the cursor where a suggestion makes sense (the first line of the body), so ghost text shows within
// a moment of opening it.
import { t } from './l10n';

export interface SampleDocument {
  readonly languageId: string;
  readonly text: string;
  /** Where the cursor goes: the end of the last line, inside the function. */
  readonly cursor: { readonly line: number; readonly character: number };
}

/** A small Python file; its two comments (what to try) are in the display language, the code is not. */
export function sampleDocument(): SampleDocument {
  const lines = [
    `# ${t('Try Qwen Inline here: after a short pause a suggestion appears in grey. Tab accepts it, Escape dismisses it.')}`,
    `# ${t('{0}, in the editor’s context menu, writes the rest of the function at once.', t('Continue This Block'))}`,
    '',
    '',
    'def celsius_to_fahrenheit(celsius: float) -> float:',
    '    """Convert a temperature from degrees Celsius to degrees Fahrenheit."""',
    '    ',
  ];
  const last = lines.length - 1;
  return { languageId: 'python', text: lines.join('\n'), cursor: { line: last, character: lines[last].length } };
}
