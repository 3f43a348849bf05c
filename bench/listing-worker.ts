/**
 * The measuring side of bench/listing.ts, always in a fresh process started
 * with --expose-gc. n8n's engine is loaded in every mode, so that processes
 * start from the same baseline and their peaks compare.
 *
 *   node --import tsx --expose-gc bench/listing-worker.ts memory <node|raw|typed> <fakeUrl> <region> <warmRegion>
 *     lists `region` once (after 3 warm-up listings of `warmRegion`) and prints
 *     one JSON line: time, CPU, items, memory baseline after GC, sampled peaks, max RSS.
 *   node --import tsx --expose-gc bench/listing-worker.ts time <rounds> <fakeUrl> <region> <warmRegion>
 *     lists `region` with every variant in turn, `rounds` times after a warm-up
 *     round, and prints one JSON line: the samples per round.
 */
import { shutdownN8n } from './lib/n8n-env';

import { allocatedBytes } from './lib/alloc';
import { listingBreakdown } from './lib/listing-breakdown';
import { rotate } from './lib/args';
import {
	type SelfTimes,
	extraFunctions,
	mergeSelfTimes,
	ownerTable,
	profile,
	selfTimes,
	topFunctions,
} from './lib/cpu-profile';
import { benchEngine, expectItems } from './lib/engine';
import { MB, since } from './lib/stats';
import {
	LISTING_MODES,
	type ListingMode,
	type MemorySample,
	type TimeReport,
	type TimeSample,
} from './lib/listing-types';
import { fixture } from './lib/workflows';

type Lister = (region: string) => Promise<number>;

async function listers(fakeUrl: string): Promise<Record<ListingMode, Lister>> {
	const engine = await benchEngine({ fakeUrl });
	const workflow = fixture('instance-get-many-all');
	const sdk = await import('./lib/raw-sdk');
	const host = new URL(fakeUrl).host;
	const clients = new Map<string, InstanceType<typeof sdk.Ecs>>();
	const clientFor = (region: string) => {
		let client = clients.get(region);
		if (!client) clients.set(region, (client = sdk.rawClient(host, region)));
		return client;
	};
	return {
		node: async (region) => {
			const result = await engine.run(workflow, [{ region }]);
			const count = result.items('ECS').length;
			expectItems(result, 'ECS', count);
			return count;
		},
		raw: async (region) => {
			const all: unknown[] = [];
			let nextToken: string | undefined;
			do {
				const body = await sdk.callAction(clientFor(region), 'DescribeManagedInstances', {
					RegionId: region,
					MaxResults: 50,
					NextToken: nextToken,
				});
				all.push(...((body.Instances as unknown[]) ?? []));
				nextToken = (body.NextToken as string) || undefined;
			} while (nextToken);
			return all.length;
		},
		typed: async (region) => {
			const all: unknown[] = [];
			let nextToken: string | undefined;
			do {
				const response = await clientFor(region).describeManagedInstancesWithOptions(
					new sdk.$Ecs.DescribeManagedInstancesRequest({
						regionId: region,
						maxResults: 50,
						nextToken,
					}),
					new sdk.RuntimeOptions({}),
				);
				all.push(...(response.body?.instances ?? []));
				nextToken = response.body?.nextToken || undefined;
			} while (nextToken);
			return all.length;
		},
	};
}

async function timed(mode: ListingMode, list: Lister, region: string): Promise<TimeSample> {
	const cpu = process.cpuUsage();
	const start = performance.now();
	let items = 0;
	let ms = 0;
	const allocated = await allocatedBytes(async () => {
		items = await list(region);
		ms = since(start);
	});
	const used = process.cpuUsage(cpu);
	return { mode, items, ms, cpuMs: (used.user + used.system) / 1000, allocated };
}

async function memory(
	mode: ListingMode,
	list: Lister,
	region: string,
	warmRegion: string,
	gc: () => void,
): Promise<MemorySample> {
	for (let i = 0; i < 3; i++) await list(warmRegion);
	gc();
	gc();
	const baseline = process.memoryUsage();
	let peakRss = baseline.rss;
	let peakHeap = baseline.heapUsed;
	const sample = () => {
		const m = process.memoryUsage();
		peakRss = Math.max(peakRss, m.rss);
		peakHeap = Math.max(peakHeap, m.heapUsed);
	};
	const sampler = setInterval(sample, 2);
	const result = await timed(mode, list, region);
	sample();
	clearInterval(sampler);
	return {
		...result,
		baselineRssMb: baseline.rss / MB,
		peakRssMb: peakRss / MB,
		maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
		baselineHeapMb: baseline.heapUsed / MB,
		peakHeapMb: peakHeap / MB,
	};
}

async function main(): Promise<void> {
	const [what, arg, fakeUrl, region, warmRegion] = process.argv.slice(2);
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('start with --expose-gc');
	const list = await listers(fakeUrl);
	if (what === 'memory') {
		const mode = arg as ListingMode;
		const result = await memory(mode, list[mode], region, warmRegion, gc);
		process.stdout.write(`${JSON.stringify(result)}\n`);
	} else {
		const rounds = Number(arg);
		const samples: TimeSample[][] = [];
		for (let round = -1; round < rounds; round++) {
			const got: TimeSample[] = [];
			for (const mode of rotate(LISTING_MODES, round + 1))
				got.push(await timed(mode, list[mode], region));
			process.stderr.write(
				`  ${round < 0 ? 'warm-up' : `round ${round + 1}`}: ${got.map((s) => `${s.mode} ${s.ms.toFixed(0)} ms`).join(', ')}\n`,
			);
			if (round >= 0) samples.push(got);
		}
		// Where the time goes: CPU profiles of node and raw listings, interleaved.
		const parts: Record<'node' | 'raw', SelfTimes[]> = { node: [], raw: [] };
		for (let round = 0; round < 3; round++) {
			for (const mode of rotate(['node', 'raw'] as const, round)) {
				parts[mode].push(selfTimes(await profile(async () => void (await list[mode](region)))));
			}
		}
		const node = mergeSelfTimes(parts.node);
		const raw = mergeSelfTimes(parts.raw);
		const per = 3 * samples[0][0].items;
		const report: TimeReport = {
			samples,
			owners: ownerTable([
				{ label: 'node', times: node, per, unit: 'µs/instance' },
				{ label: 'raw SDK', times: raw, per, unit: 'µs/instance' },
			]),
			extra: extraFunctions(node, raw, 15, per, 'µs/instance', ['node', 'raw SDK']),
			top: topFunctions(node, 15, per, 'µs/instance'),
			allocation: await listingBreakdown(fakeUrl, region, samples[0][0].items, () =>
				list.node(region),
			),
		};
		process.stdout.write(`${JSON.stringify(report)}\n`);
	}
	await shutdownN8n();
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
