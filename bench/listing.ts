/**
 * 4. Listing: Get Many with Return All over 10,000 managed instances (200
 * pages of 50; fixture instance-get-many-all.json) through the node in n8n's
 * engine, versus a raw SDK paging loop (callApi, as the node's transport calls
 * it; and the typed describeManagedInstancesWithOptions for reference).
 *   - Time: one fresh process runs the variants in turn, round after round
 *     (after a warm-up round), so that the ratio of each pair is taken minutes
 *     apart at most.
 *   - Memory: every measurement is a fresh process (bench/listing-worker.ts),
 *     so that the variants do not pollute each other; each has n8n's engine
 *     loaded, so that all start from the same baseline.
 * The fake runs in its own process and serves all of them.
 *
 *   npx tsx bench/listing.ts [--instances 10000] [--rounds 11] [--memory-rounds 5]
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { numberArg, rotate } from './lib/args';
import { RemoteFake } from './lib/fake';
import { machineLine } from './lib/machine';
import { PACKAGE_ROOT } from './lib/paths';
import { MB, judge, spread, table } from './lib/stats';
import {
	LISTING_MODES,
	type ListingMode,
	type MemorySample,
	type TimeReport,
	type TimeSample,
} from './lib/listing-types';

const INSTANCES = numberArg('instances', 10_000);
const ROUNDS = numberArg('rounds', 11);
const MEMORY_ROUNDS = numberArg('memory-rounds', 5);
const REGION = 'cn-shanghai';
const WARM_REGION = 'cn-beijing';
const WARM_INSTANCES = 500;
const TARGET_TIME = 1.1;
const TARGET_MEMORY_MB = 30;

const LABELS: Record<ListingMode, string> = {
	node: 'node (Get Many, Return All)',
	raw: 'raw SDK paging loop (callApi)',
	typed: 'raw SDK paging loop (typed models)',
};

async function worker(args: string[]): Promise<unknown> {
	const { stdout, stderr } = await promisify(execFile)(
		process.execPath,
		['--import', 'tsx', '--expose-gc', join(__dirname, 'listing-worker.ts'), ...args],
		{ cwd: PACKAGE_ROOT, maxBuffer: 16 << 20 },
	);
	process.stderr.write(stderr);
	return JSON.parse(stdout.trim().split('\n').pop() as string);
}

function checkItems(sample: TimeSample): void {
	if (sample.items !== INSTANCES) {
		throw new Error(`${sample.mode} listed ${sample.items} of ${INSTANCES} instances`);
	}
}

async function main(): Promise<void> {
	process.stdout.write(`\n## 4. Listing\n\n${machineLine()}\n`);
	const fake = await RemoteFake.start({ seed: 4, seedSample: false });
	await fake.prepare({ [REGION]: INSTANCES, [WARM_REGION]: WARM_INSTANCES });
	const place = [fake.url, REGION, WARM_REGION];

	// Time: pairs within one process.
	const timeReport = (await worker(['time', String(ROUNDS), ...place])) as TimeReport;
	const rounds = timeReport.samples;
	const time = new Map<ListingMode, TimeSample[]>(LISTING_MODES.map((m) => [m, []]));
	const timeRatios: number[] = [];
	const cpuRatios: number[] = [];
	const allocRatios: number[] = [];
	for (const round of rounds) {
		round.forEach(checkItems);
		const by = (mode: ListingMode) => round.find((s) => s.mode === mode)!;
		for (const mode of LISTING_MODES) time.get(mode)!.push(by(mode));
		timeRatios.push(by('node').ms / by('raw').ms);
		cpuRatios.push(by('node').cpuMs / by('raw').cpuMs);
		allocRatios.push(by('node').allocated / by('raw').allocated);
	}

	// Memory: a fresh process per measurement.
	const memory = new Map<ListingMode, MemorySample[]>(LISTING_MODES.map((m) => [m, []]));
	const maxRssDiffs: number[] = [];
	const heapDiffs: number[] = [];
	for (let round = 0; round < MEMORY_ROUNDS; round++) {
		const got = new Map<ListingMode, MemorySample>();
		for (const mode of rotate(LISTING_MODES, round)) {
			const sample = (await worker(['memory', mode, ...place])) as MemorySample;
			checkItems(sample);
			got.set(mode, sample);
			memory.get(mode)!.push(sample);
		}
		maxRssDiffs.push(got.get('node')!.maxRssMb - got.get('raw')!.maxRssMb);
		heapDiffs.push(got.get('node')!.peakHeapMb - got.get('raw')!.peakHeapMb);
	}
	const stats = await fake.stats();
	if (stats.invalidSignatures > 0 || stats.ok !== stats.requests) {
		throw new Error(`fake: ${JSON.stringify(stats)}`);
	}
	await fake.close();

	process.stdout.write(
		`\nGet Many with Return All over ${INSTANCES} instances (${INSTANCES / 50} pages of 50), fake ECS in its own process; median (min–max). Time: ${ROUNDS} rounds in one process after a warm-up round, variants rotating. Memory: ${MEMORY_ROUNDS} fresh processes per variant, each with n8n's engine loaded and 3 warm-up listings of ${WARM_INSTANCES} instances, then GC, then the measured listing; max RSS is the kernel's peak for the whole process, heap peak is sampled every 2 ms.\n\n`,
	);
	const t = (mode: ListingMode, pick: (s: TimeSample) => number, digits?: number) =>
		spread(time.get(mode)!.map(pick), digits);
	const m = (mode: ListingMode, pick: (s: MemorySample) => number, digits?: number) =>
		spread(memory.get(mode)!.map(pick), digits);
	process.stdout.write(
		`${table(
			[
				'variant',
				'wall ms',
				'CPU ms',
				'allocated MB',
				'max RSS MB',
				'baseline heap MB',
				'peak heap MB',
				'heap growth MB',
			],
			LISTING_MODES.map((mode) => [
				LABELS[mode],
				t(mode, (s) => s.ms, 0),
				t(mode, (s) => s.cpuMs, 0),
				t(mode, (s) => s.allocated / MB, 1),
				m(mode, (s) => s.maxRssMb, 0),
				m(mode, (s) => s.baselineHeapMb, 1),
				m(mode, (s) => s.peakHeapMb, 1),
				m(mode, (s) => s.peakHeapMb - s.baselineHeapMb, 1),
			]),
		)}\n\n`,
	);
	process.stdout.write(
		`${table(
			['node vs raw SDK callApi', 'measured', 'target'],
			[
				[
					'wall time ratio (same round)',
					spread(timeRatios, 3),
					`≤ ${TARGET_TIME}: ${judge(timeRatios, TARGET_TIME)}`,
				],
				['CPU time ratio (same round)', spread(cpuRatios, 3), 'reported'],
				['allocated bytes ratio (same round)', spread(allocRatios, 3), 'reported'],
				[
					'max RSS, node − raw (MB)',
					spread(maxRssDiffs, 1),
					`≤ ${TARGET_MEMORY_MB} MB: ${judge(maxRssDiffs, TARGET_MEMORY_MB)}`,
				],
				['peak heap, node − raw (MB)', spread(heapDiffs, 1), 'reported'],
			],
		)}\n`,
	);
	process.stdout.write(
		`\nCPU profile of the listing (V8 sampling profiler, 200 µs, 3 listings per variant, interleaved, after the timed rounds; the fake's process not included): self time per instance listed.\n\n${timeReport.owners}\n\nWhere the node's extra time over the raw loop goes:\n\n${timeReport.extra}\n\nTop self-time functions, node listing:\n\n${timeReport.top}\n\nWhere the node's extra allocation comes from (median of 3 listings each, after one round; deterministic enough to compare on a busy machine):\n\n${timeReport.allocation}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
