/**
 * Queue-mode throughput: the deregistration workload of the queue-mode e2e test (50 webhook
 * calls of 100 instances sent at once; Webhook → Split Out → Deregister with Concurrent Requests
 * 10; test/e2e/lib/queue-workload.ts) through real n8n in queue mode (Redis, PostgreSQL, one
 * main, workers running 10 executions each), first with 1 worker, then with 2, against the fake
 * ECS endpoint in its own process adding 50 ms to every request. Every round checks that each
 * execution succeeded and the fake answered every request 200 with a valid signature.
 * Not part of `npm run bench` (it starts n8n, Redis and PostgreSQL: minutes).
 *
 *   npm run build && npx tsx bench/queue-mode.ts [--line n8n2-node20] [--rounds 3] [--batches 50] [--size 100] [--latency 50] [--env NAME=value,NAME=value]
 * --env: extra environment for every n8n process (e.g. N8N_EXPRESSION_ENGINE=legacy on 2.41.1).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

import {
	ensureLine,
	installPackageInto,
	makeUserFolder,
	packBuiltPackage,
	removePackedPackage,
} from '../test/e2e/lib';
import { processGuard, removeTree } from '../test/e2e/lib/process-guard';
import { startQueueCluster, type QueueCluster } from '../test/e2e/lib/queue-mode';
import {
	WORKLOAD_REGIONS,
	batchesOf,
	executionRows,
	sendBatches,
	setUpDeregisterWorkflow,
	waitForExecutions,
} from '../test/e2e/lib/queue-workload';
import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../test/fake-ecs';
import { numberArg, stringArg } from './lib/args';
import { RemoteFake } from './lib/fake';
import { machineLine } from './lib/machine';
import { fmt, median } from './lib/stats';

const LINE = stringArg('line') ?? 'n8n2-node20';
const ROUNDS = numberArg('rounds', 3);
const BATCHES = numberArg('batches', 50);
const SIZE = numberArg('size', 100);
const LATENCY_MS = numberArg('latency', 50);
const NODE_CONCURRENCY = 10;
const WORKER_CONCURRENCY = 10;
const PATH = 'bench-deregister';
const EXTRA_ENV: Record<string, string> = Object.fromEntries(
	(stringArg('env') ?? '')
		.split(',')
		.filter(Boolean)
		.map((pair) => {
			const at = pair.indexOf('=');
			if (at < 1) throw new Error(`--env: expected NAME=value, got ${pair}`);
			return [pair.slice(0, at), pair.slice(at + 1)];
		}),
);

interface Round {
	workers: number;
	round: number;
	/** first webhook call sent → last execution stopped (n8n's stoppedAt) */
	seconds: number;
	instancesPerSecond: number;
	/** median execution time (stoppedAt − startedAt) */
	executionSeconds: number;
	fakeCpuSeconds: number;
	load1: number;
	/** resident memory of each n8n process group (process + task runner), MB */
	rssMb: Record<string, number>;
}

/** Resident memory of a process group in MB (ps over the group). */
function groupRssMb(pgid: number): number {
	const r = spawnSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
	const kb = r.stdout
		.split('\n')
		.map((l) => Number(l.trim()))
		.filter((n) => Number.isFinite(n) && n > 0)
		.reduce((a, b) => a + b, 0);
	return Math.round(kb / 1024);
}

async function runRound(
	cluster: QueueCluster,
	fake: RemoteFake,
	workflowId: string,
	round: number,
): Promise<Round> {
	const perRegion = Math.ceil((BATCHES * SIZE) / WORKLOAD_REGIONS.length);
	const byRegion: Record<string, string[]> = {};
	for (const region of WORKLOAD_REGIONS)
		byRegion[region] = await fake.prepare({ [region]: perRegion }, false);
	const batches = batchesOf(byRegion, BATCHES, SIZE);
	const before = (await executionRows(cluster.postgres, workflowId)).length;
	await fake.stats(); // resets the counters
	const sent = Date.now();
	const answers = await sendBatches(cluster.main.url, PATH, batches);
	const bad = answers.filter((a) => a !== '200');
	if (bad.length) throw new Error(`webhook answers: ${bad.join(', ')}`);
	const rows = (
		await waitForExecutions(cluster.postgres, workflowId, before + BATCHES, {
			timeoutMs: 600_000,
			pollMs: 200,
		})
	).slice(before);
	const failed = rows.filter((r) => r.status !== 'success');
	if (failed.length)
		throw new Error(`${failed.length} executions did not succeed: ${JSON.stringify(failed[0])}`);
	const stats = await fake.expectAllOk(BATCHES * SIZE, `round ${round}`);
	const last = Math.max(...rows.map((r) => Date.parse(r.stoppedAt as string)));
	const seconds = (last - sent) / 1000;
	const rssMb: Record<string, number> = { main: groupRssMb(cluster.main.pid) };
	for (const w of cluster.workers) rssMb[w.name] = groupRssMb(w.pid);
	return {
		workers: cluster.workers.length,
		round,
		seconds,
		instancesPerSecond: (BATCHES * SIZE) / seconds,
		executionSeconds: median(
			rows.map(
				(r) => (Date.parse(r.stoppedAt as string) - Date.parse(r.startedAt as string)) / 1000,
			),
		),
		fakeCpuSeconds: stats.cpuMs / 1000,
		load1: loadavg()[0],
		rssMb,
	};
}

async function main(): Promise<void> {
	process.stderr.write(`machine: ${machineLine()}\n`);
	const line = ensureLine(LINE);
	const fake = await RemoteFake.start({ latencyMs: LATENCY_MS });
	const tarball = packBuiltPackage();
	const installFolder = makeUserFolder('bench-queue-package-');
	processGuard().addFolder(installFolder);
	let cluster: QueueCluster | undefined;
	const rounds: Round[] = [];
	try {
		installPackageInto(installFolder, tarball, { line });
		cluster = await startQueueCluster({
			line,
			nodesFrom: installFolder,
			workers: 1,
			workerConcurrency: WORKER_CONCURRENCY,
			env: EXTRA_ENV,
		});
		const { workflowId } = await setUpDeregisterWorkflow(cluster.api, cluster.postgres, {
			endpoint: fake.url,
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			path: PATH,
			concurrency: NODE_CONCURRENCY,
		});
		// one unmeasured round: the first execution on a worker loads the SDK
		process.stderr.write('warm-up round (1 worker)\n');
		await runRound(cluster, fake, workflowId, 0);
		for (const workers of [1, 2]) {
			if (workers === 2) {
				await cluster.addWorker('worker2');
				process.stderr.write('warm-up round (2 workers)\n');
				await runRound(cluster, fake, workflowId, 0);
			}
			for (let round = 1; round <= ROUNDS; round++) {
				const r = await runRound(cluster, fake, workflowId, round);
				process.stderr.write(
					`${workers} worker(s), round ${round}: ${fmt(r.seconds)} s, ${fmt(r.instancesPerSecond)}/s, load ${fmt(r.load1)}\n`,
				);
				rounds.push(r);
			}
		}
	} finally {
		await cluster?.stop();
		await fake.close();
		removePackedPackage(tarball);
		removeTree(installFolder);
		processGuard().removeFolder(installFolder);
	}

	const out: string[] = [];
	out.push(
		`# Queue-mode throughput (n8n ${line.n8n}, ${BATCHES} × ${SIZE} instances, ${LATENCY_MS} ms latency)`,
		'',
	);
	out.push(`Machine: ${machineLine()}`, '');
	if (Object.keys(EXTRA_ENV).length) out.push(`Environment: ${JSON.stringify(EXTRA_ENV)}`, '');
	out.push(
		'| workers | round | seconds | instances/s | median execution s | fake CPU s | load (1 min) | RSS MB (main; workers) |',
	);
	out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
	for (const r of rounds) {
		const rss = Object.entries(r.rssMb)
			.map(([k, v]) => `${k} ${v}`)
			.join('; ');
		out.push(
			`| ${r.workers} | ${r.round} | ${fmt(r.seconds)} | ${fmt(r.instancesPerSecond)} | ${fmt(r.executionSeconds)} | ${fmt(r.fakeCpuSeconds)} | ${fmt(r.load1)} | ${rss} |`,
		);
	}
	out.push('');
	for (const workers of [1, 2]) {
		const mine = rounds.filter((r) => r.workers === workers);
		out.push(
			`- ${workers} worker(s): median ${fmt(median(mine.map((r) => r.instancesPerSecond)))} instances/s (${fmt(median(mine.map((r) => r.seconds)))} s per 5,000)`,
		);
	}
	const one = median(rounds.filter((r) => r.workers === 1).map((r) => r.instancesPerSecond));
	const two = median(rounds.filter((r) => r.workers === 2).map((r) => r.instancesPerSecond));
	out.push(`- 2 workers ÷ 1 worker: ${fmt(two / one)}×`);
	process.stdout.write(out.join('\n') + '\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
