/**
 * Bytes allocated on the V8 heap while `work` runs: growth of the used heap,
 * adding back what each garbage collection in between freed (from node:v8's
 * GCProfiler). Unlike CPU time, this barely depends on how busy the machine
 * is, so it compares variants even when timings are noisy. Counts the whole
 * process (engine, SDK, HTTP) in that span.
 */
import { GCProfiler, getHeapStatistics } from 'node:v8';

export async function allocatedBytes(work: () => Promise<void>): Promise<number> {
	const profiler = new GCProfiler();
	const startUsed = getHeapStatistics().used_heap_size;
	profiler.start();
	await work();
	const data = profiler.stop();
	const endUsed = getHeapStatistics().used_heap_size;
	let bytes = 0;
	let previous = startUsed;
	for (const gc of data.statistics) {
		bytes += gc.beforeGC.heapStatistics.usedHeapSize - previous;
		previous = gc.afterGC.heapStatistics.usedHeapSize;
	}
	return bytes + endUsed - previous;
}
