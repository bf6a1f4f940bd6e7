// What the status bar item shows: at a glance, the state's icon, "Qwen" and today's estimated cost;
// on hover, a Markdown tooltip with the state explained, the model and server, the last request and
// today in a labelled table, the daily budget and, for a self-hosted server, the load while typing.
// Pure (no vscode), so every text can be tested; the UI adapter only redacts and draws it.
import { t } from './l10n';
import { languageName } from './languageNames';
import { describeLoad } from './load';
import { formatMoney, formatShortMoney, priceOf } from './pricing';
import { resolveBaseUrl, serverOf, type Settings } from './settings';
import type { LastRequest, SpendingSnapshot, SpendingTotals } from './spending';
import type { StatusSnapshot, StatusState } from './status';

export interface StatusView {
  /** "$(sparkle) Qwen $0.012" */
  readonly text: string;
  /** Markdown. */
  readonly tooltip: string;
  /** Drawn on the warning background: something needs the user. */
  readonly warning: boolean;
}

export interface StatusViewInput {
  readonly status: StatusSnapshot;
  readonly spending: SpendingSnapshot;
  readonly settings: Pick<Settings, 'model' | 'server' | 'region' | 'baseUrl' | 'prices'>;
}

interface StateLook {
  readonly icon: string;
  readonly warning: boolean;
  /** A few words after "Qwen Inline:". */
  readonly label: (status: StatusSnapshot) => string;
  /** What it means and what to do, when there is more to say. */
  readonly explanation: (status: StatusSnapshot) => string | undefined;
}

/** "14:05" in the system's locale: when a snooze ends. */
function timeOf(epochMs: number | undefined): string {
  return new Date(epochMs ?? 0).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Markdown code spans: a pattern's `*` and `**` would otherwise turn into emphasis. */
function code(text: string): string {
  return `\`${text}\``;
}

const STATES: { readonly [S in StatusState]: StateLook } = {
  ready: {
    icon: '$(sparkle)',
    warning: false,
    label: () => t('ready'),
    explanation: () => t('Suggestions appear in grey as you type; Tab accepts them.'),
  },
  loading: {
    icon: '$(loading~spin)',
    warning: false,
    label: () => t('asking Qwen…'),
    explanation: () => undefined,
  },
  disabled: {
    icon: '$(circle-slash)',
    warning: false,
    label: (status) => (status.disabledLanguage === undefined ? t('disabled everywhere') : t('disabled for {0}', languageName(status.disabledLanguage))),
    explanation: (status) =>
      status.disabledLanguage === undefined
        ? t('Completions are turned off ({0}).', code('qwenInline.enable'))
        : t('Completions are turned off for {0} files ({1}).', languageName(status.disabledLanguage), code('qwenInline.languages')),
  },
  excluded: {
    icon: '$(shield)',
    warning: false,
    label: () => t('no suggestions in this file'),
    explanation: (status) =>
      status.excluded?.kind === 'pattern'
        ? t('It matches {0} in {1}, so none of its text is sent.', code(status.excluded.pattern), code('qwenInline.exclude'))
        : t('Its text holds a private key, so none of it is sent.'),
  },
  snoozed: {
    icon: '$(clock)',
    warning: false,
    label: (status) => t('snoozed until {0}', timeOf(status.snoozedUntil)),
    explanation: () => t('Suggestions come back by themselves, or resume them from the menu.'),
  },
  overBudget: {
    icon: '$(debug-pause)',
    warning: true,
    label: () => t('paused: the daily budget is reached'),
    explanation: (status) => status.error?.message,
  },
  needsKey: {
    icon: '$(key)',
    warning: true,
    label: () => t('needs an API key'),
    explanation: (status) => status.error?.message ?? t('Choose {0} in the menu.', t('Set API Key…')),
  },
  error: {
    icon: '$(warning)',
    warning: true,
    label: () => t('the last request failed'),
    explanation: (status) => status.error?.message,
  },
};

/** Renders the status and the spending for the status bar item. */
export function statusView(input: StatusViewInput): StatusView {
  const look = STATES[input.status.state];
  const cost = todaysCost(input.spending.today);
  return {
    text: `${look.icon} Qwen${cost ? ` ${cost}` : ''}`,
    tooltip: tooltipOf(input, look),
    warning: look.warning,
  };
}

/** Today's estimated cost for the item's text ("$0.012", "$0.012 + CN¥0.030"); undefined when none is known or nothing was spent. */
function todaysCost(today: SpendingTotals): string | undefined {
  const spent = Object.entries(today.cost).filter(([, amount]) => amount > 0);
  return spent.length > 0 ? spent.map(([currency, amount]) => formatShortMoney({ amount, currency })).join(' + ') : undefined;
}

function tooltipOf(input: StatusViewInput, look: StateLook): string {
  const { status, spending, settings } = input;
  const selfHosted = serverOf(settings).kind === 'custom';
  const paragraphs = [
    `**Qwen Inline**: ${look.label(status)}`,
    look.explanation(status),
    t('Model {0} at {1}', code(settings.model), code(resolveBaseUrl(settings))),
    usageTable(spending, !selfHosted),
    firstTokenLine(spending.lastRequest),
    ...priceNotes(input, selfHosted),
    budgetLine(spending),
    selfHosted ? describeLoad(spending.load) : undefined,
    t('Click for the menu.'),
  ];
  return paragraphs.filter((paragraph): paragraph is string => paragraph !== undefined).join('\n\n');
}

/** A row of the usage table: counts marked "≈" where some were estimated (a stream stopped before its usage). */
interface UsageRow {
  readonly label: string;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly completionTokens: number;
  readonly estimated: boolean;
  /** Formatted, or "—" when no price is known. */
  readonly cost: string;
}

/** The last request and today, in columns: in, cached, out and (where prices exist) cost. */
function usageTable(spending: SpendingSnapshot, dashScope: boolean): string {
  const today = spending.today;
  const requests = today.ghostRequests + today.blockRequests;
  if (requests === 0 && !spending.lastRequest) return t('No requests yet today.');
  const rows = [...(spending.lastRequest ? [lastRequestRow(spending.lastRequest)] : []), todayRow(today, requests)];
  // Self-hosted servers have no price: a column of dashes would only say so again.
  const withCost = dashScope || rows.some((row) => row.cost !== '—');
  const header = ['', t('In'), t('Cached'), t('Out'), ...(withCost ? [t('Cost')] : [])];
  const count = (n: number, estimated: boolean) => `${estimated ? '≈ ' : ''}${n.toLocaleString('en')}`;
  const cells = (row: UsageRow) => [
    row.label,
    count(row.promptTokens, row.estimated),
    count(row.cachedTokens, row.estimated),
    count(row.completionTokens, row.estimated),
    ...(withCost ? [row.cost] : []),
  ];
  const line = (values: readonly string[]) => `| ${values.join(' | ')} |`;
  return [line(header), line([':--', ...header.slice(1).map(() => '--:')]), ...rows.map((row) => line(cells(row)))].join('\n');
}

function lastRequestRow(last: LastRequest): UsageRow {
  const block = t('Continue This Block');
  const label = last.feature === 'ghost' ? t('Last request') : last.requests === 1 ? t('Last run of {0}', block) : t('Last run of {0} ({1} requests)', block, last.requests);
  return { label, ...last.usage, cost: last.cost ? `≈ ${formatMoney(last.cost)}` : '—' };
}

function todayRow(today: SpendingTotals, requests: number): UsageRow {
  const label = requests === 1 ? t('Today, 1 request') : t('Today, {0} requests', requests.toLocaleString('en'));
  const known = Object.entries(today.cost).map(([currency, amount]) => formatMoney({ amount, currency }));
  return { label, ...today, estimated: today.estimatedRequests > 0, cost: known.length > 0 ? `≈ ${known.join(' + ')}` : '—' };
}

function firstTokenLine(last: LastRequest | undefined): string | undefined {
  if (last?.firstTokenMs === undefined) return undefined;
  const first = last.firstTokenMs.toLocaleString('en');
  return last.totalMs === undefined ? t('First token after {0} ms.', first) : t('First token after {0} ms, done after {1} ms.', first, last.totalMs.toLocaleString('en'));
}

/** Why a cost is missing: the current model has no price here, or some of today's requests had none. */
function priceNotes({ spending, settings }: StatusViewInput, selfHosted: boolean): string[] {
  const notes: string[] = [];
  // A self-hosted server costs no money per token: no advice to add a price there.
  if (!selfHosted && !priceOf(settings.model, settings)) {
    notes.push(t('No price is known for {0} in this region: add it to {1} to see the cost.', code(settings.model), code('qwenInline.prices')));
  }
  const unpriced = spending.today.unpricedRequests;
  const priced = Object.keys(spending.today.cost).length > 0;
  if (priced && unpriced === 1) notes.push(t('1 request today had no known price and is not in the cost.'));
  else if (priced && unpriced > 1) notes.push(t('{0} requests today had no known price and are not in the cost.', unpriced.toLocaleString('en')));
  return notes;
}

/** What is left of the daily budget, that it paused completions, or that it cannot apply. */
function budgetLine(spending: SpendingSnapshot): string | undefined {
  const budget = spending.budget;
  if (!budget) return undefined;
  const currency = budget.currency;
  if (!currency) return t('Daily budget {0}: not applied, the current model has no known price here (add it to {1}).', budget.limit, code('qwenInline.prices'));
  const money = (amount: number) => formatMoney({ amount, currency });
  if (budget.reached) return t('Daily budget of {0} reached: completions are paused until tomorrow or a higher budget.', money(budget.limit));
  return t('Daily budget: {0} left of {1}.', money(budget.limit - budget.spent), money(budget.limit));
}

/** The menu's title: "Qwen Inline · today 12 requests, ≈ $0.0081", the money only where a price is known. */
export function menuTitle(spending: SpendingSnapshot): string {
  const today = spending.today;
  const requests = today.ghostRequests + today.blockRequests;
  if (requests === 0) return 'Qwen Inline';
  const known = Object.entries(today.cost).map(([currency, amount]) => formatMoney({ amount, currency }));
  const count = requests.toLocaleString('en');
  if (known.length === 0) return requests === 1 ? t('Qwen Inline · today 1 request') : t('Qwen Inline · today {0} requests', count);
  const cost = known.join(' + ');
  return requests === 1 ? t('Qwen Inline · today 1 request, ≈ {0}', cost) : t('Qwen Inline · today {0} requests, ≈ {1}', count, cost);
}
