/** Tiny `--name value` / `--flag` reader for the benchmark scripts. */
export function numberArg(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	if (index < 0) return fallback;
	const value = Number(process.argv[index + 1]);
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
	return value;
}

export function stringArg(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index < 0 ? undefined : process.argv[index + 1];
}

export function flag(name: string): boolean {
	return process.argv.includes(`--${name}`);
}

/** Rotates `list` by `round`, so that no variant always runs first (or last) in a round. */
export function rotate<T>(list: readonly T[], round: number): T[] {
	const shift = round % list.length;
	return [...list.slice(shift), ...list.slice(0, shift)];
}
