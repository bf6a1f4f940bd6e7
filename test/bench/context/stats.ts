// Small statistics and markdown helpers for the context benchmark's tables.

export function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function header(cells: readonly string[]): string[] {
  return [row(cells), row(cells.map((_, i) => (i === 0 ? '---' : '---:')))];
}

export const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
export const fixed = (value: number, digits = 0) => value.toFixed(digits);
