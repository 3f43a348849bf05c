/**
 * 7. Agent status on a long listing: Get Many with Return All over 10,000 managed instances
 * (200 pages of 50) through the node in n8n's engine, against the fake ECS endpoint adding
 * 50 ms to every request, with and without the option Include Agent Status (one
 * DescribeCloudAssistantStatus call per page, overlapping the listing of the next page). Also
 * the filter Offline For At Least against the listing it replaces (Connected = Disconnected),
 * reported. The variants rotate within a round; ratios are taken within a round.
 *
 *   npx tsx bench/agent-status.ts [--instances 10000] [--rounds 3] [--latency 50]
 */
import { shutdownN8n } from './lib/n8n-env';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { numberArg, rotate } from './lib/args';
import { benchEngine, expectItems } from './lib/engine';
import { RemoteFake } from './lib/fake';
import { machineLine } from './lib/machine';
import { judge, since, spread, table } from './lib/stats';
import { fixture } from './lib/workflows';

const INSTANCES = numberArg('instances', 10_000);
const ROUNDS = numberArg('rounds', 3);
const LATENCY_MS = numberArg('latency', 50);
const REGION = 'cn-shenzhen';
const TARGET = 1.25;
const OFFLINE_HOURS = 720;

interface Variant {
	label: string;
	filters: IDataObject;
	options: IDataObject;
}
const VARIANTS: Variant[] = [
	{ label: 'listing (Return All)', filters: {}, options: {} },
	{ label: 'listing + Include Agent Status', filters: {}, options: { includeAgentStatus: true } },
	{ label: 'Connected = Disconnected', filters: { connected: 'false' }, options: {} },
	{
		label: `Offline For At Least ${OFFLINE_HOURS} h`,
		filters: { offlineForAtLeast: OFFLINE_HOURS },
		options: {},
	},
];
const LISTING = 0;
const WITH_STATUS = 1;

interface Sample {
	ms: number;
	items: number;
	requests: number;
	statusCalls: number;
}

async function main(): Promise<void> {
	process.stdout.write(
		`\n## 7. Agent status on a long listing (${LATENCY_MS} ms latency)\n\n${machineLine()}\n`,
	);
	const fake = await RemoteFake.start({ latencyMs: LATENCY_MS, seed: 6, seedSample: false });
	await fake.prepare({ [REGION]: INSTANCES });
	const engine = await benchEngine({ fakeUrl: fake.url });

	const run = async (variant: Variant): Promise<Sample> => {
		const workflow = fixture('instance-get-many-heartbeat');
		const node = workflow.nodes.find((n) => n.name === 'ECS');
		if (!node) throw new Error('instance-get-many-heartbeat.json has no node ECS');
		node.parameters.filters = variant.filters as INodeParameters;
		node.parameters.options = variant.options as INodeParameters;
		await fake.stats(); // resets the counters
		const start = performance.now();
		const result = await engine.run(workflow, [{ region: REGION, returnAll: true }]);
		const ms = since(start);
		const items = result.items('ECS').length;
		expectItems(result, 'ECS', items);
		const stats = await fake.stats();
		if (stats.invalidSignatures > 0 || stats.ok !== stats.requests) {
			throw new Error(`fake: ${JSON.stringify(stats)}`);
		}
		const statusCalls = stats.byAction.DescribeCloudAssistantStatus ?? 0;
		return { ms, items, requests: stats.requests, statusCalls };
	};

	const samples: Sample[][] = VARIANTS.map(() => []);
	const ratios: number[] = [];
	for (let round = -1; round < ROUNDS; round++) {
		const got = new Map<number, Sample>();
		for (const index of rotate(
			VARIANTS.map((_, i) => i),
			round + 1,
		)) {
			got.set(index, await run(VARIANTS[index]));
		}
		process.stderr.write(
			`  ${round < 0 ? 'warm-up' : `round ${round + 1}`}: ${VARIANTS.map((v, i) => `${v.label} ${got.get(i)!.ms.toFixed(0)} ms`).join(', ')}\n`,
		);
		if (round < 0) continue;
		got.forEach((sample, index) => samples[index].push(sample));
		ratios.push(got.get(WITH_STATUS)!.ms / got.get(LISTING)!.ms);
	}
	const [plain, withStatus] = [samples[LISTING][0], samples[WITH_STATUS][0]];
	if (plain.items !== INSTANCES || withStatus.items !== INSTANCES) {
		throw new Error(`listed ${plain.items} and ${withStatus.items} of ${INSTANCES} instances`);
	}
	await fake.close();

	process.stdout.write(
		`\nGet Many, Return All, over ${INSTANCES} instances in one region (the fake's generated fleet: about 80 % connected); the fake (own process) waits ${LATENCY_MS} ms before answering each request; 1 warm-up round, ${ROUNDS} measured rounds, variants in rotating order; median (min–max).\n\n`,
	);
	process.stdout.write(
		`${table(
			['variant', 'wall ms', 'items', 'requests (of which status)'],
			VARIANTS.map((variant, i) => [
				variant.label,
				spread(
					samples[i].map((s) => s.ms),
					0,
				),
				String(samples[i][0].items),
				`${samples[i][0].requests} (${samples[i][0].statusCalls})`,
			]),
		)}\n\n`,
	);
	process.stdout.write(
		`${table(
			['Include Agent Status vs listing alone', 'measured', 'target'],
			[
				[
					'wall time ratio (same round)',
					spread(ratios, 3),
					`≤ ${TARGET}: ${judge(ratios, TARGET)}`,
				],
			],
		)}\n`,
	);
	await shutdownN8n();
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
