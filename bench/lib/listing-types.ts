/** Shared by bench/listing.ts and bench/listing-worker.ts. */
export const LISTING_MODES = ['node', 'raw', 'typed'] as const;
export type ListingMode = (typeof LISTING_MODES)[number];

export interface TimeSample {
	mode: ListingMode;
	items: number;
	ms: number;
	cpuMs: number;
	/** Bytes allocated on the V8 heap during the listing (see lib/alloc.ts). */
	allocated: number;
}

export interface MemorySample extends TimeSample {
	baselineRssMb: number;
	peakRssMb: number;
	maxRssMb: number;
	baselineHeapMb: number;
	peakHeapMb: number;
}

/** What the time mode of bench/listing-worker.ts prints. */
export interface TimeReport {
	samples: TimeSample[][];
	/** Markdown tables from the CPU profiles (node vs raw SDK). */
	owners: string;
	extra: string;
	top: string;
	/** Markdown table: allocation per instance, piece by piece (lib/listing-breakdown.ts). */
	allocation: string;
}
