/**
 * 2. Per-call overhead: N deregistrations (default 2,000) at the same concurrency
 * against the fake ECS endpoint (signature verification on, in its own process),
 *   - through the package's node in n8n's real engine,
 *   - through a minimal node in the same engine (bench/minimal: the floor),
 *   - through the raw SDK outside n8n (callApi, as the node's transport calls it),
 *   - through the raw SDK's typed method (deregisterManagedInstanceWithOptions).
 * The variants run back to back in every round, in alternating order (the node
 * and the minimal node next to each other); ratios are taken within a round.
 * --variant-root DIR adds "node (variant)": a built copy of the package (its
 * package.json and dist/, node_modules linked) with a proposed change. Then a
 * CPU profile of the node and of the minimal node shows where the time goes.
 *
 *   npx tsx bench/per-call.ts [--items 2000] [--rounds 11] [--warmup 2] [--no-profile] [--variant-root DIR]
 */
import { shutdownN8n } from './lib/n8n-env';

import { flag, numberArg, rotate, stringArg } from './lib/args';
import {
	type SelfTimes,
	extraFunctions,
	mergeSelfTimes,
	ownerTable,
	profile,
	selfTimes,
	topFunctions,
} from './lib/cpu-profile';
import { VARIANT_PREFIX, benchEngine, expectItems } from './lib/engine';
import { RemoteFake } from './lib/fake';
import { machineLine } from './lib/machine';
import { forEachIndex } from './lib/pool';
import { $Ecs, RuntimeOptions, callAction, rawClient } from './lib/raw-sdk';
import { allocatedBytes } from './lib/alloc';
import { fmt, judge, since, spread, summarize, table } from './lib/stats';
import { deregisterInput, deregisterWorkflow } from './lib/workflows';
import { MINIMAL_NODE_TYPE, MinimalDeregister } from './minimal/MinimalDeregister.node';

const ITEMS = numberArg('items', 2000);
const ROUNDS = numberArg('rounds', 11);
const WARMUP = numberArg('warmup', 2);
const CONCURRENCY = 10;
const REGION = 'cn-hangzhou';
const TARGET_VS_MINIMAL = 1.1;
/** A built copy of the package with a proposed change, run as one more variant (docs/BENCHMARKS.md). */
const VARIANT_ROOT = stringArg('variant-root');

type VariantName = 'node' | 'node (variant)' | 'minimal node' | 'raw SDK callApi' | 'raw SDK typed';

interface Sample {
	wallMs: number;
	cpuMs: number;
	/** Bytes allocated on the V8 heap during the run (see lib/alloc.ts). */
	allocated: number;
}

async function main(): Promise<void> {
	process.stdout.write(`\n## 2. Per-call overhead\n\n${machineLine()}\n`);
	const fake = await RemoteFake.start({ seed: 2, seedSample: false });
	const engine = await benchEngine({
		fakeUrl: fake.url,
		extra: { [MINIMAL_NODE_TYPE]: new MinimalDeregister() },
		variantRoot: VARIANT_ROOT,
	});
	const nodeOptions = { concurrency: CONCURRENCY };
	const nodeWorkflow = deregisterWorkflow({ nodeOptions });
	const minimalWorkflow = deregisterWorkflow({ type: MINIMAL_NODE_TYPE, nodeOptions });
	const variantWorkflow = deregisterWorkflow({ type: `${VARIANT_PREFIX}.alibabaEcs`, nodeOptions });
	const client = rawClient(fake.host, REGION);

	const variants: Partial<Record<VariantName, (ids: string[]) => Promise<void>>> = {
		node: async (ids) => {
			expectItems(
				await engine.run(nodeWorkflow, deregisterInput(REGION, ids)),
				'Deregister',
				ids.length,
			);
		},
		...(VARIANT_ROOT && {
			'node (variant)': async (ids: string[]) => {
				expectItems(
					await engine.run(variantWorkflow, deregisterInput(REGION, ids)),
					'Deregister',
					ids.length,
				);
			},
		}),
		'minimal node': async (ids) => {
			expectItems(
				await engine.run(minimalWorkflow, deregisterInput(REGION, ids)),
				'Deregister',
				ids.length,
			);
		},
		'raw SDK callApi': async (ids) => {
			await forEachIndex(ids.length, CONCURRENCY, async (i) => {
				const body = await callAction(client, 'DeregisterManagedInstance', {
					RegionId: REGION,
					InstanceId: ids[i],
				});
				if (!body.Instance) throw new Error('no Instance in the answer');
			});
		},
		'raw SDK typed': async (ids) => {
			await forEachIndex(ids.length, CONCURRENCY, async (i) => {
				const response = await client.deregisterManagedInstanceWithOptions(
					new $Ecs.DeregisterManagedInstanceRequest({ regionId: REGION, instanceId: ids[i] }),
					new RuntimeOptions({}),
				);
				if (!response.body?.instance) throw new Error('no Instance in the answer');
			});
		},
	};
	const names = Object.keys(variants) as VariantName[];

	const runOnce = async (name: VariantName): Promise<Sample> => {
		const ids = await fake.prepare({ [REGION]: ITEMS });
		const cpu = process.cpuUsage();
		const start = performance.now();
		let wallMs = 0;
		const allocated = await allocatedBytes(async () => {
			await variants[name]!(ids);
			wallMs = since(start);
		});
		const used = process.cpuUsage(cpu);
		await fake.expectAllOk(ITEMS, name);
		return { wallMs, cpuMs: (used.user + used.system) / 1000, allocated };
	};

	const samples = new Map<VariantName, Sample[]>(names.map((n) => [n, []]));
	const ratios = {
		nodeVsMinimal: [] as number[],
		nodeVsRaw: [] as number[],
		minimalVsRaw: [] as number[],
	};
	const cpuRatios = { nodeVsMinimal: [] as number[], nodeVsRaw: [] as number[] };
	const allocRatios = { nodeVsMinimal: [] as number[], nodeVsRaw: [] as number[] };
	const variantRatios = {
		wallVsMinimal: [] as number[],
		cpuVsMinimal: [] as number[],
		wallVsNode: [] as number[],
		cpuVsNode: [] as number[],
		allocVsMinimal: [] as number[],
		allocVsNode: [] as number[],
	};
	for (let round = 0; round < WARMUP + ROUNDS; round++) {
		const got = new Map<VariantName, Sample>();
		// The node and the minimal node always run back to back, in alternating order.
		const forward = names;
		const order = round % 2 === 0 ? forward : [...forward].reverse();
		for (const name of order) got.set(name, await runOnce(name));
		const label = round < WARMUP ? `warm-up ${round + 1}` : `round ${round - WARMUP + 1}`;
		process.stderr.write(
			`  ${label}: ${names.map((n) => `${n} ${fmt(got.get(n)!.wallMs, 0)} ms`).join(', ')}\n`,
		);
		if (round < WARMUP) continue;
		for (const name of names) samples.get(name)!.push(got.get(name)!);
		const node = got.get('node')!;
		const minimal = got.get('minimal node')!;
		const raw = got.get('raw SDK callApi')!;
		ratios.nodeVsMinimal.push(node.wallMs / minimal.wallMs);
		ratios.nodeVsRaw.push(node.wallMs / raw.wallMs);
		ratios.minimalVsRaw.push(minimal.wallMs / raw.wallMs);
		cpuRatios.nodeVsMinimal.push(node.cpuMs / minimal.cpuMs);
		cpuRatios.nodeVsRaw.push(node.cpuMs / raw.cpuMs);
		allocRatios.nodeVsMinimal.push(node.allocated / minimal.allocated);
		allocRatios.nodeVsRaw.push(node.allocated / raw.allocated);
		const variant = got.get('node (variant)');
		if (variant) {
			variantRatios.wallVsMinimal.push(variant.wallMs / minimal.wallMs);
			variantRatios.cpuVsMinimal.push(variant.cpuMs / minimal.cpuMs);
			variantRatios.wallVsNode.push(variant.wallMs / node.wallMs);
			variantRatios.cpuVsNode.push(variant.cpuMs / node.cpuMs);
			variantRatios.allocVsMinimal.push(variant.allocated / minimal.allocated);
			variantRatios.allocVsNode.push(variant.allocated / node.allocated);
		}
	}

	process.stdout.write(
		`\n${ITEMS} deregistrations per run, concurrency ${CONCURRENCY}, fake ECS in its own process (signatures verified, all answered 200); ${WARMUP} warm-up rounds, ${ROUNDS} measured; median (min–max).\n\n`,
	);
	process.stdout.write(
		`${table(
			['variant', 'wall ms', 'µs/call (wall)', 'client CPU ms', 'CPU µs/call', 'allocated KB/call'],
			names.map((name) => {
				const s = samples.get(name)!;
				const wall = s.map((x) => x.wallMs);
				const cpu = s.map((x) => x.cpuMs);
				return [
					name,
					spread(wall, 0),
					fmt((summarize(wall).median * 1000) / ITEMS, 0),
					spread(cpu, 0),
					fmt((summarize(cpu).median * 1000) / ITEMS, 0),
					spread(
						s.map((x) => x.allocated / 1024 / ITEMS),
						1,
					),
				];
			}),
		)}\n\n`,
	);
	process.stdout.write(
		`${table(
			['ratio (pair by pair, same round)', 'wall', 'client CPU', 'allocated', 'target'],
			[
				[
					'node / minimal node',
					spread(ratios.nodeVsMinimal, 3),
					spread(cpuRatios.nodeVsMinimal, 3),
					spread(allocRatios.nodeVsMinimal, 3),
					`≤ ${TARGET_VS_MINIMAL}: ${judge(ratios.nodeVsMinimal, TARGET_VS_MINIMAL)}`,
				],
				[
					'node / raw SDK callApi',
					spread(ratios.nodeVsRaw, 3),
					spread(cpuRatios.nodeVsRaw, 3),
					spread(allocRatios.nodeVsRaw, 3),
					'reported',
				],
				['minimal node / raw SDK callApi', spread(ratios.minimalVsRaw, 3), '', '', 'reported'],
				...(VARIANT_ROOT
					? [
							[
								'node (variant) / minimal node',
								spread(variantRatios.wallVsMinimal, 3),
								spread(variantRatios.cpuVsMinimal, 3),
								spread(variantRatios.allocVsMinimal, 3),
								`≤ ${TARGET_VS_MINIMAL}: ${judge(variantRatios.wallVsMinimal, TARGET_VS_MINIMAL)}`,
							],
							[
								'node (variant) / node',
								spread(variantRatios.wallVsNode, 3),
								spread(variantRatios.cpuVsNode, 3),
								spread(variantRatios.allocVsNode, 3),
								`variant: ${VARIANT_ROOT}`,
							],
						]
					: []),
			],
		)}\n`,
	);

	if (!flag('no-profile')) {
		// Interleaved, so that a burst of load on the machine does not hit one variant only.
		const PROFILE_ROUNDS = 3;
		const per = PROFILE_ROUNDS * ITEMS;
		const parts = new Map<VariantName, SelfTimes[]>();
		const profiledNames: VariantName[] = ['node', 'minimal node', 'raw SDK callApi'];
		for (let round = 0; round < PROFILE_ROUNDS; round++) {
			for (const name of rotate(profiledNames, round)) {
				const ids = await fake.prepare({ [REGION]: ITEMS });
				const times = selfTimes(await profile(() => variants[name]!(ids)));
				await fake.expectAllOk(ITEMS, name);
				parts.set(name, [...(parts.get(name) ?? []), times]);
			}
		}
		const nodeTimes = mergeSelfTimes(parts.get('node')!);
		const minimalTimes = mergeSelfTimes(parts.get('minimal node')!);
		const rawTimes = mergeSelfTimes(parts.get('raw SDK callApi')!);
		process.stdout.write(
			`\nCPU profile (V8 sampling profiler, 200 µs, ${PROFILE_ROUNDS} × ${ITEMS} calls per variant, interleaved; the fake's process not included): self time per call.\n\n`,
		);
		process.stdout.write(
			`${ownerTable([
				{ label: 'node', times: nodeTimes, per, unit: 'µs/call' },
				{ label: 'minimal node', times: minimalTimes, per, unit: 'µs/call' },
				{ label: 'raw SDK', times: rawTimes, per, unit: 'µs/call' },
			])}\n\n`,
		);
		process.stdout.write(
			`Where the node's extra time over the minimal node goes (functions by extra self time per call):\n\n${extraFunctions(nodeTimes, minimalTimes, 20, per, 'µs/call')}\n\n`,
		);
		process.stdout.write(
			`Top self-time functions, node run:\n\n${topFunctions(nodeTimes, 20, per, 'µs/call')}\n\n`,
		);
		process.stdout.write(
			`Top self-time functions of this package (dist/, compiled from nodes/), node run:\n\n${topFunctions(nodeTimes, 12, per, 'µs/call', (o) => o === 'this package')}\n\n`,
		);
		process.stdout.write(
			`Top self-time functions, minimal node run:\n\n${topFunctions(minimalTimes, 12, per, 'µs/call')}\n`,
		);
	}
	await fake.close();
	await shutdownN8n();
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
