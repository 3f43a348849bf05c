/** Medians, spreads and Markdown tables for the benchmark scripts. */

export function median(values: readonly number[]): number {
	return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in 0..1) of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const position = (sorted.length - 1) * q;
	const low = Math.floor(position);
	const high = Math.ceil(position);
	return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export interface Summary {
	n: number;
	median: number;
	min: number;
	max: number;
	p25: number;
	p75: number;
}

export function summarize(values: readonly number[]): Summary {
	return {
		n: values.length,
		median: median(values),
		min: Math.min(...values),
		max: Math.max(...values),
		p25: quantile(values, 0.25),
		p75: quantile(values, 0.75),
	};
}

/** A number with a sensible number of digits for a table cell. */
export function fmt(value: number, digits?: number): string {
	if (!Number.isFinite(value)) return String(value);
	const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
	return value.toFixed(d);
}

/** "median (min–max)" of a list. */
export function spread(values: readonly number[], digits?: number): string {
	const s = summarize(values);
	return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** A Markdown table with padded columns: readable in a terminal, pasteable into a document. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: readonly string[]) =>
		`| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
	return [
		line(headers),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...rows.map(line),
	].join('\n');
}

export function verdict(met: boolean): string {
	return met ? 'met' : 'MISSED';
}

/** Milliseconds since `start` (a performance.now() reading). */
export function since(start: number): number {
	return performance.now() - start;
}

export const MB = 1024 * 1024;

function binomialCdf(k: number, n: number): number {
	// P(X ≤ k) for X ~ Binomial(n, 1/2)
	let sum = 0;
	let term = 0.5 ** n; // C(n, 0) / 2^n
	for (let i = 0; i <= k; i++) {
		sum += term;
		term = (term * (n - i)) / (i + 1);
	}
	return sum;
}

/**
 * A distribution-free confidence interval (≥ `level`) for the median, from
 * order statistics; undefined when there are too few values for that level.
 */
export function medianInterval(
	values: readonly number[],
	level = 0.95,
): { low: number; high: number; level: number } | undefined {
	const n = values.length;
	const sorted = [...values].sort((a, b) => a - b);
	let best: { low: number; high: number; level: number } | undefined;
	for (let k = 1; k <= Math.floor(n / 2); k++) {
		const coverage = 1 - 2 * binomialCdf(k - 1, n);
		if (coverage < level) break;
		best = { low: sorted[k - 1], high: sorted[n - k], level: coverage };
	}
	return best;
}

/**
 * "met" / "MISSED" on the median (targets of the form value ≤ limit, or ≥ with
 * `atLeast`), and whether the median's 95 % interval lies on one side of the limit.
 */
export function judge(values: readonly number[], limit: number, atLeast = false): string {
	const m = median(values);
	const met = atLeast ? m >= limit : m <= limit;
	const ci = medianInterval(values);
	if (!ci) return verdict(met);
	const clear = atLeast ? ci.low >= limit || ci.high < limit : ci.high <= limit || ci.low > limit;
	const range = `95% CI of the median ${fmt(ci.low, 3)}–${fmt(ci.high, 3)}`;
	return `${verdict(met)} (${range}${clear ? '' : ', straddles the target: within noise'})`;
}
