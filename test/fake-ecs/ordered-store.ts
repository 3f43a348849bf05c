/**
 * A map kept in key order, for cursor paging: a page starts strictly after the last key the
 * client saw, so deleting or adding items between pages never repeats or skips a survivor.
 */
export interface Page<T> {
	items: T[];
	/** Key of the last item returned, when more matching items follow. */
	nextCursor?: string;
}

export class OrderedStore<T> {
	private readonly byKey = new Map<string, T>();
	private keys: string[] = [];

	get size(): number {
		return this.byKey.size;
	}

	get(key: string): T | undefined {
		return this.byKey.get(key);
	}

	set(key: string, value: T): void {
		if (!this.byKey.has(key)) this.keys.splice(upperBound(this.keys, key), 0, key);
		this.byKey.set(key, value);
	}

	/** Bulk insert: one sort instead of one splice per item. */
	setMany(entries: Iterable<[string, T]>): void {
		for (const [key, value] of entries) {
			if (!this.byKey.has(key)) this.keys.push(key);
			this.byKey.set(key, value);
		}
		this.keys.sort();
	}

	delete(key: string): T | undefined {
		const value = this.byKey.get(key);
		if (value === undefined) return undefined;
		this.byKey.delete(key);
		const at = upperBound(this.keys, key) - 1;
		if (this.keys[at] === key) this.keys.splice(at, 1);
		return value;
	}

	values(): T[] {
		return this.keys.map((k) => this.byKey.get(k) as T);
	}

	clear(): void {
		this.byKey.clear();
		this.keys = [];
	}

	/** How many items match (TotalCount). */
	count(matches: (item: T) => boolean): number {
		let n = 0;
		for (const item of this.byKey.values()) if (matches(item)) n++;
		return n;
	}

	/** Up to `limit` matching items with keys after `after`; `nextCursor` only if another match exists. */
	page(after: string | undefined, limit: number, matches: (item: T) => boolean): Page<T> {
		const items: T[] = [];
		let lastKey: string | undefined;
		for (
			let i = after === undefined ? 0 : upperBound(this.keys, after);
			i < this.keys.length;
			i++
		) {
			const item = this.byKey.get(this.keys[i]) as T;
			if (!matches(item)) continue;
			if (items.length === limit) return { items, nextCursor: lastKey };
			items.push(item);
			lastKey = this.keys[i];
		}
		return { items };
	}
}

/** Index of the first key greater than `key`. */
function upperBound(keys: string[], key: string): number {
	let lo = 0;
	let hi = keys.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (keys[mid] <= key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
