/** Runs worker(0..count-1) with at most `limit` in flight, in order (the router's lane scheme). */
export async function forEachIndex(
	count: number,
	limit: number,
	worker: (index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < count) await worker(next++);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
}
