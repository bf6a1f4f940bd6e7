// Check Server's report in plain words: one line per finding for the log (English), and the summary
// and the fixes' button labels in the display language.
import { formatUsage } from './backend';
import { inEnglish, t } from './l10n';
import type { CheckAnswer, CheckReport, Fix, Verdict } from './serverCheck';
import { SERVER_DIALECTS } from './servers';

/** The log's words for a verdict (summarize says them to the user). */
const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  continued: 'continued the text',
  restarted: 'restarted the answer instead of continuing the text (the server did not read the request as a continuation)',
  thinking: 'thought aloud before answering (<think>): thinking was not turned off',
  garbled: 'wrote special tokens: it did not read the fill-in-the-middle prompt as one',
  empty: 'answered nothing',
};

/** "DashScope (partial)", "vLLM (fim)". */
function dialectName(answer: Pick<CheckAnswer, 'wire'>): string {
  return `${SERVER_DIALECTS[answer.wire.server].label}, ${answer.wire.promptStyle}`;
}

function answerLine(answer: CheckAnswer): string {
  const shown = JSON.stringify(answer.text.length > 60 ? answer.text.slice(0, 60) + '…' : answer.text);
  return `Asked as ${dialectName(answer)}: it ${VERDICT_WORDS[answer.verdict]}: ${shown}.`;
}

function timingLine(answer: CheckAnswer): string {
  const first = answer.firstTokenMs === undefined ? 'no text' : `first token after ${answer.firstTokenMs} ms`;
  const usage = answer.usage ? `usage reported: ${formatUsage(answer.usage)}` : 'no usage reported (tokens are estimated)';
  return `${first}, done after ${answer.totalMs} ms; ${usage}.`;
}

function modelLine(report: CheckReport, model: string): string {
  if (report.models === undefined) return `The server does not list its models; "${model}" could not be looked up.`;
  const detected = report.detected ? ` (it looks like ${SERVER_DIALECTS[report.detected].label})` : '';
  const found = report.modelFound === false ? `"${model}" is not among them` : `"${model}" is among them`;
  return `It lists ${report.models.length} model${report.models.length === 1 ? '' : 's'}${detected}; ${found}.`;
}

/** The report as lines for the log and the notification's detail. */
export function describeReport(report: CheckReport, model: string): string[] {
  const lines = [`Server ${report.endpoint}, asked as ${dialectName(report)}, model "${model}".`];
  // The failure's message is in the display language; its category and detail are the log's words.
  const failure = report.failure && `${report.failure.category} (${report.failure.detail})`;
  if (!report.reachable) return [...lines, `Not reachable: ${failure ?? 'no answer'}`];
  lines.push('Reachable.', modelLine(report, model));
  if (failure) lines.push(`The completion failed: ${failure}`);
  if (report.answer) lines.push(answerLine(report.answer), timingLine(report.answer));
  for (const alternative of report.alternatives) lines.push(answerLine(alternative));
  for (const fix of report.fixes) lines.push(`Fix: ${inEnglish(() => fixLabel(fix))}.`);
  return lines;
}

/** One sentence for the user: works, or the first thing wrong. */
export function summarize(report: CheckReport): string {
  if (!report.reachable) return t('Cannot reach {0}.', report.endpoint);
  if (report.failure) return report.failure.message;
  const verdict = report.answer?.verdict ?? 'empty';
  if (verdict !== 'continued') return verdictSentence(verdict);
  if (report.modelFound !== false) return t('The server continued the text: completions work (first token after {0} ms).', report.answer?.firstTokenMs ?? '?');
  return t('The server continued the text, but does not list the model.');
}

function verdictSentence(verdict: Exclude<Verdict, 'continued'>): string {
  switch (verdict) {
    case 'restarted':
      return t('The server restarted the answer instead of continuing the text (the server did not read the request as a continuation).');
    case 'thinking':
      return t('The server thought aloud before answering (<think>): thinking was not turned off.');
    case 'garbled':
      return t('The server wrote special tokens: it did not read the fill-in-the-middle prompt as one.');
    case 'empty':
      return t('The server answered nothing.');
  }
}

/** A fix as its button says it, in the display language. */
export function fixLabel(fix: Fix): string {
  switch (fix.kind) {
    case 'setServer':
      return t('Set qwenInline.server to "{0}" ({1})', fix.server, SERVER_DIALECTS[fix.server].label);
    case 'setPromptStyle':
      return t('Set qwenInline.promptStyle to "{0}"', fix.promptStyle);
    case 'setApiKey':
      return t('Set the API key for this server');
    case 'selectModel':
      return fix.suggestions.length > 0 ? t('Select a model the server has ({0})', fix.suggestions.slice(0, 3).join(', ')) : t('Select another model');
    case 'setBaseUrl':
      return t('Start the server, or check qwenInline.baseUrl');
  }
}
