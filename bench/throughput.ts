/**
 * 3. Batch throughput with latency: N deregistrations (default 1,000) through the
 * node in n8n's engine against the fake ECS endpoint adding 50 ms to every
 * request, at concurrency 1, 5, 10, 20 and the default (no option set), plus
 * the minimal node (bench/minimal) and the raw SDK at the default concurrency
 * as references for what n8n and this machine allow. The settings rotate within a round; speed-ups are taken within a round.
 *
 *   npx tsx bench/throughput.ts [--items 1000] [--rounds 3] [--latency 50] [--variant-root DIR]
 */
import { shutdownN8n } from './lib/n8n-env';

import { monitorEventLoopDelay } from 'node:perf_hooks';

import { numberArg, rotate, stringArg } from './lib/args';
import { VARIANT_PREFIX, benchEngine, expectItems } from './lib/engine';
import { RemoteFake, clock } from './lib/fake';
import { machineLine } from './lib/machine';
import { forEachIndex } from './lib/pool';
import { callAction, rawClient } from './lib/raw-sdk';
import { fmt, judge, since, spread, summarize, table } from './lib/stats';
import { deregisterInput, deregisterWorkflow } from './lib/workflows';
import { MINIMAL_NODE_TYPE, MinimalDeregister } from './minimal/MinimalDeregister.node';

const ITEMS = numberArg('items', 1000);
const ROUNDS = numberArg('rounds', 3);
const LATENCY_MS = numberArg('latency', 50);
const REGION = 'cn-hangzhou';
/** The node's default (DEFAULT_CONCURRENCY in nodes/AlibabaEcs/actions/common.descriptions.ts). */
const DEFAULT_CONCURRENCY = 10;
const TARGET_SPEEDUP = 9;
const TARGET_VS_IDEAL = 1.2;
/** A built copy of the package with a proposed change, run as one more setting (default concurrency). */
const VARIANT_ROOT = stringArg('variant-root');

interface Setting {
	label: string;
	/** Undefined: the node's Options collection is left empty. */
	concurrency?: number;
	raw?: boolean;
	type?: string;
}
const SETTINGS: Setting[] = [
	{ label: 'node, 1 (sequential)', concurrency: 1 },
	{ label: 'node, 5', concurrency: 5 },
	{ label: 'node, 10', concurrency: 10 },
	{ label: 'node, 20', concurrency: 20 },
	{ label: 'node, default (option unset)' },
	{ label: 'minimal node, 10 (reference)', concurrency: 10, type: MINIMAL_NODE_TYPE },
	{ label: 'raw SDK, 10 (reference)', concurrency: 10, raw: true },
	...(VARIANT_ROOT
		? [{ label: 'node (variant), default', type: `${VARIANT_PREFIX}.alibabaEcs` }]
		: []),
];
const SEQUENTIAL = 0;
const DEFAULT = 4;

interface Sample {
	ms: number;
	clientCpuMs: number;
	fakeCpuMs: number;
	/** Event-loop delay of the client process during the run, p99, ms. */
	loopP99Ms: number;
	/** From the start of the run to the first request reaching the fake (first answer − latency). */
	leadMs: number;
	/** From the last answer to the end of the run. */
	tailMs: number;
}

async function main(): Promise<void> {
	process.stdout.write(
		`\n## 3. Batch throughput with ${LATENCY_MS} ms latency\n\n${machineLine()}\n`,
	);
	const fake = await RemoteFake.start({ latencyMs: LATENCY_MS, seed: 3, seedSample: false });
	const engine = await benchEngine({
		fakeUrl: fake.url,
		extra: { [MINIMAL_NODE_TYPE]: new MinimalDeregister() },
		variantRoot: VARIANT_ROOT,
	});
	const client = rawClient(fake.host, REGION);
	const workflows = SETTINGS.map((s) =>
		deregisterWorkflow({
			type: s.type,
			nodeOptions: s.concurrency === undefined ? undefined : { concurrency: s.concurrency },
		}),
	);
	const runOnce = async (index: number, items: number): Promise<Sample> => {
		const setting = SETTINGS[index];
		const ids = await fake.prepare({ [REGION]: items });
		const loop = monitorEventLoopDelay({ resolution: 1 });
		loop.enable();
		const cpu = process.cpuUsage();
		const startAt = clock();
		const start = performance.now();
		if (setting.raw) {
			await forEachIndex(ids.length, setting.concurrency ?? DEFAULT_CONCURRENCY, async (i) => {
				await callAction(client, 'DeregisterManagedInstance', {
					RegionId: REGION,
					InstanceId: ids[i],
				});
			});
		} else {
			const input = deregisterInput(REGION, ids);
			expectItems(await engine.run(workflows[index], input), 'Deregister', items);
		}
		const ms = since(start);
		const endAt = clock();
		const used = process.cpuUsage(cpu);
		loop.disable();
		const stats = await fake.expectAllOk(items, setting.label);
		return {
			ms,
			clientCpuMs: (used.user + used.system) / 1000,
			fakeCpuMs: stats.cpuMs,
			loopP99Ms: loop.percentile(99) / 1e6,
			leadMs: (stats.firstAnswerAt ?? Number.NaN) - startAt - LATENCY_MS,
			tailMs: endAt - (stats.lastAnswerAt ?? Number.NaN),
		};
	};

	// Warm-up: load the SDK, build the client, compile the hot paths.
	for (let index = 3; index < SETTINGS.length; index++) await runOnce(index, 200);

	const samples = SETTINGS.map(() => [] as Sample[]);
	const speedups = SETTINGS.map(() => [] as number[]);
	const order = SETTINGS.map((_s, i) => i);
	for (let round = 0; round < ROUNDS; round++) {
		const got: Sample[] = [];
		for (const index of rotate(order, round)) got[index] = await runOnce(index, ITEMS);
		process.stderr.write(
			`  round ${round + 1}: ${SETTINGS.map((s, i) => `${s.label} ${fmt(got[i].ms, 0)} ms`).join(', ')}\n`,
		);
		got.forEach((sample, i) => {
			samples[i].push(sample);
			speedups[i].push(got[SEQUENTIAL].ms / sample.ms);
		});
	}

	process.stdout.write(
		`\n${ITEMS} deregistrations per run; the fake (own process) waits ${LATENCY_MS} ms before answering each request; 1 warm-up run per setting, ${ROUNDS} measured rounds, settings in rotating order; median (min–max). Ideal = N × latency / concurrency. CPU columns: CPU time per call of the client process and of the fake's process; loop p99: the client's event-loop delay, a measure of how long a ready callback waited for the CPU. Lead: from the start of the run to the first request reaching the fake (parameters of every item are read and checked before the first request); tail: from the last answer to the end of the run.\n\n`,
	);
	const med = (i: number, pick: (s: Sample) => number) => summarize(samples[i].map(pick)).median;
	const rows = SETTINGS.map((s, i) => {
		const ideal = (ITEMS * LATENCY_MS) / (s.concurrency ?? DEFAULT_CONCURRENCY);
		return [
			s.label,
			spread(
				samples[i].map((x) => x.ms),
				0,
			),
			fmt(ideal, 0),
			spread(
				samples[i].map((x) => x.ms / ideal),
				3,
			),
			spread(speedups[i], 2),
			fmt((ITEMS * 1000) / med(i, (x) => x.ms), 0),
			fmt((med(i, (x) => x.clientCpuMs) * 1000) / ITEMS, 0),
			fmt((med(i, (x) => x.fakeCpuMs) * 1000) / ITEMS, 0),
			fmt(
				med(i, (x) => x.loopP99Ms),
				1,
			),
			fmt(
				med(i, (x) => x.leadMs),
				0,
			),
			fmt(
				med(i, (x) => x.tailMs),
				0,
			),
		];
	});
	process.stdout.write(
		`${table(
			[
				'setting',
				'wall ms',
				'ideal ms',
				'wall / ideal',
				'speed-up vs sequential',
				'items/s',
				'client CPU µs/call',
				'fake CPU µs/call',
				'loop p99 ms',
				'lead ms',
				'tail ms',
			],
			rows,
		)}\n\n`,
	);
	const speedup = summarize(speedups[DEFAULT]).median;
	const vsIdeal = med(DEFAULT, (x) => x.ms) / ((ITEMS * LATENCY_MS) / DEFAULT_CONCURRENCY);
	process.stdout.write(
		`${table(
			['target (node, default concurrency)', 'measured', 'verdict'],
			[
				[
					`≥ ${TARGET_SPEEDUP}× faster than sequential`,
					`${fmt(speedup, 2)}×`,
					judge(speedups[DEFAULT], TARGET_SPEEDUP, true),
				],
				[
					`within ${TARGET_VS_IDEAL}× of ideal`,
					`${fmt(vsIdeal, 3)}×`,
					judge(
						samples[DEFAULT].map((x) => x.ms / ((ITEMS * LATENCY_MS) / DEFAULT_CONCURRENCY)),
						TARGET_VS_IDEAL,
					),
				],
			],
		)}\n`,
	);
	await fake.close();
	await shutdownN8n();
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
