// Check Server's report in plain words: one line per finding, and the fixes as button labels.
import { formatUsage } from './backend';
import type { CheckAnswer, CheckReport, Fix, Verdict } from './serverCheck';
import { SERVER_DIALECTS } from './servers';

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
  if (!report.reachable) return [...lines, `Not reachable: ${report.failure?.message ?? 'no answer'}`];
  lines.push('Reachable.', modelLine(report, model));
  if (report.failure) lines.push(`The completion failed: ${report.failure.message}`);
  if (report.answer) lines.push(answerLine(report.answer), timingLine(report.answer));
  for (const alternative of report.alternatives) lines.push(answerLine(alternative));
  for (const fix of report.fixes) lines.push(`Fix: ${fixLabel(fix)}.`);
  return lines;
}

/** One sentence: works, or the first thing wrong. */
export function summarize(report: CheckReport): string {
  if (!report.reachable) return `Cannot reach ${report.endpoint}.`;
  if (report.failure) return report.failure.message;
  const verdict = report.answer?.verdict;
  if (verdict === 'continued' && report.modelFound !== false) return `The server continued the text: completions work (first token after ${report.answer?.firstTokenMs ?? '?'} ms).`;
  if (verdict === 'continued') return 'The server continued the text, but does not list the model.';
  return `The server ${VERDICT_WORDS[verdict ?? 'empty']}.`;
}

export function fixLabel(fix: Fix): string {
  switch (fix.kind) {
    case 'setServer':
      return `Set qwenInline.server to "${fix.server}" (${SERVER_DIALECTS[fix.server].label})`;
    case 'setPromptStyle':
      return `Set qwenInline.promptStyle to "${fix.promptStyle}"`;
    case 'setApiKey':
      return 'Set the API key for this server';
    case 'selectModel':
      return fix.suggestions.length > 0 ? `Select a model the server has (${fix.suggestions.slice(0, 3).join(', ')})` : 'Select another model';
    case 'setBaseUrl':
      return 'Start the server, or check qwenInline.baseUrl';
  }
}
