/**
 * Runs `worker` over `items` with at most `limit` running at once, starting
 * them in order. After `stop()` turns true no new item starts; the running ones
 * finish. Resolves when all started items are done.
 */
export async function forEachConcurrently<T>(
	items: readonly T[],
	limit: number,
	worker: (item: T) => Promise<void>,
	stop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < items.length && !stop()) {
			const item = items[next++];
			await worker(item);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
