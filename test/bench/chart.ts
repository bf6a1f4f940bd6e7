// The benchmark's chart: one row per measure, a bar per policy, each row scaled to its largest value.

interface Charted {
  readonly name: string;
  readonly requestsPer100Chars: number;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly correctShare: number;
  readonly cachedShare: number;
  readonly costPer1000AcceptedUsd: number | null;
}

interface Measure {
  readonly label: string;
  readonly better: 'lower' | 'higher';
  readonly value: (result: Charted) => number | null;
  readonly format: (value: number) => string;
}

const MEASURES: readonly Measure[] = [
  { label: 'requests per 100 chars written', better: 'lower', value: (r) => r.requestsPer100Chars, format: (v) => v.toFixed(2) },
  { label: 'keystroke → suggestion, p50', better: 'lower', value: (r) => r.latencyP50Ms, format: (v) => `${v.toFixed(0)} ms` },
  { label: 'keystroke → suggestion, p95', better: 'lower', value: (r) => r.latencyP95Ms, format: (v) => `${v.toFixed(0)} ms` },
  { label: 'pauses with a correct suggestion', better: 'higher', value: (r) => r.correctShare * 100, format: (v) => `${v.toFixed(1)} %` },
  { label: 'prompt tokens cached', better: 'higher', value: (r) => r.cachedShare * 100, format: (v) => `${v.toFixed(1)} %` },
  { label: 'cost per 1000 accepted chars', better: 'lower', value: (r) => r.costPer1000AcceptedUsd, format: (v) => `$${v.toFixed(4)}` },
];

const COLORS = ['#0f8b7d', '#a0a4ab'];
const LABEL_WIDTH = 250;
const BAR_WIDTH = 330;
const BAR_HEIGHT = 14;
const ROW_HEIGHT = 2 * BAR_HEIGHT + 18;

export function renderChart(results: readonly Charted[], cpu: ReadonlyArray<{ documentChars: number; syncMsPerKeystroke: number }>): string {
  const width = LABEL_WIDTH + BAR_WIDTH + 110;
  const top = 58;
  const height = top + MEASURES.length * ROW_HEIGHT + 34;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#1f2328">Qwen Inline vs a naive policy, typing real files against the simulator</text>`,
  ];
  results.forEach((result, i) => {
    const x = 12 + i * 160;
    parts.push(`<rect x="${x}" y="34" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`);
    parts.push(`<text x="${x + 18}" y="44" fill="#1f2328">${escape(result.name)}</text>`);
  });
  MEASURES.forEach((measure, row) => {
    const y = top + row * ROW_HEIGHT;
    const values = results.map((result) => measure.value(result));
    const max = Math.max(...values.map((v) => v ?? 0), Number.EPSILON);
    parts.push(`<text x="12" y="${y + BAR_HEIGHT + 4}" fill="#1f2328">${escape(measure.label)}</text>`);
    parts.push(`<text x="12" y="${y + BAR_HEIGHT + 18}" fill="#656d76" font-size="10">${measure.better} is better</text>`);
    values.forEach((value, i) => {
      const barY = y + i * BAR_HEIGHT;
      const barWidth = value === null ? 0 : Math.max(1, (value / max) * BAR_WIDTH);
      parts.push(`<rect x="${LABEL_WIDTH}" y="${barY}" width="${barWidth.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${COLORS[i % COLORS.length]}"/>`);
      parts.push(`<text x="${LABEL_WIDTH + barWidth + 6}" y="${barY + BAR_HEIGHT - 3}" fill="#1f2328">${value === null ? 'n/a' : escape(measure.format(value))}</text>`);
    });
  });
  const cpuText = cpu.map((c) => `${(c.documentChars / 1000).toLocaleString('en')} KB file ${c.syncMsPerKeystroke.toFixed(3)} ms`).join(', ');
  parts.push(`<text x="12" y="${height - 14}" fill="#656d76">Provider CPU per keystroke (Qwen Inline): ${escape(cpuText)}</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
