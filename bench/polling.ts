/**
 * 6. Polling cost of a command run: Run (Command resource) on 100 managed instances in n8n's
 * engine against the fake endpoint, whose agents run the script on the real clock, counting the
 * API calls of each kind and the wall time, with 1 instance as the comparison (the number of
 * checks must not grow with the instances; only the result pages do, 50 instances a page).
 *
 * A command that finishes after 5 s and one after 60 s, on 1 and on 100 instances, and one that
 * outlives Max Wait (default 600 s: the documented "10-minute wait") on 100 instances. CPU time and event-loop
 * delay of the process during the wait show what a waiting item costs n8n.
 *
 *   npx tsx bench/polling.ts [--max-wait 600] [--targets 100]
 */
import { shutdownN8n } from './lib/n8n-env';

import { monitorEventLoopDelay } from 'node:perf_hooks';

import { FakeEcs } from '../test/fake-ecs';
import { pollsWithin } from '../nodes/AlibabaEcs/helpers/waiting';
import { numberArg } from './lib/args';
import { benchEngine } from './lib/engine';
import { machineLine } from './lib/machine';
import { fmt, since, table } from './lib/stats';
import { fixture } from './lib/workflows';

const MAX_WAIT_S = numberArg('max-wait', 600);
const TARGETS = numberArg('targets', 100);
const REGION = 'cn-hangzhou';
const PAGE = 50;

interface Case {
	label: string;
	script: string;
	/** When the script ends on the agent, in seconds (Infinity: after Max Wait). */
	runsFor: number;
}

const CASES: Case[] = [
	{ label: 'finishes after 5 s', script: 'echo start\nsleep 5\necho done', runsFor: 5 },
	{ label: 'finishes after 60 s', script: 'echo start\nsleep 60\necho done', runsFor: 60 },
	{
		label: `outlives Max Wait (${MAX_WAIT_S} s)`,
		script: 'echo start\nsleep 86000',
		runsFor: Infinity,
	},
];

interface Row {
	targets: number;
	label: string;
	calls: Record<string, number>;
	ms: number;
	cpuMs: number;
	loopP99Ms: number;
	statuses: string;
}

async function main(): Promise<void> {
	process.stdout.write(`\n## 6. Polling cost of a command run\n\n${machineLine()}\n`);
	const fake = await FakeEcs.start({ seedSample: false });
	const engine = await benchEngine({ fakeUrl: fake.url });
	const workflow = fixture('command-run');
	// Warm-up: load the SDK and compile the hot paths outside the measured runs.
	const [warm] = fake.state.addInstances(1, { RegionId: REGION, OsType: 'linux', Connected: true });
	await engine.run(workflow, [{ script: 'echo warm', instanceIds: warm.InstanceId }]);
	const rows: Row[] = [];
	for (const targets of [1, TARGETS]) {
		for (const c of CASES) {
			if (c.runsFor > MAX_WAIT_S && c.runsFor !== Infinity) continue;
			// The long wait once, with the most instances: the checks do not depend on them.
			if (c.runsFor === Infinity && targets !== TARGETS) continue;
			fake.reset();
			const ids = fake.state
				.addInstances(targets, { RegionId: REGION, OsType: 'linux', Connected: true })
				.map((i) => i.InstanceId);
			const loop = monitorEventLoopDelay({ resolution: 100 });
			loop.enable();
			const cpu = process.cpuUsage();
			const start = performance.now();
			const result = await engine.run(workflow, [
				{ script: c.script, instanceIds: ids, maxWait: MAX_WAIT_S, timeout: 86_400 },
			]);
			const ms = since(start);
			const used = process.cpuUsage(cpu);
			loop.disable();
			if (result.run.status !== 'success') {
				throw new Error(`${c.label}: ${result.run.data.resultData.error?.message ?? 'failed'}`);
			}
			const items = result.json('Run');
			if (items.length !== targets) throw new Error(`${c.label}: ${items.length} items`);
			const calls: Record<string, number> = {};
			for (const r of fake.requests) calls[r.action] = (calls[r.action] ?? 0) + 1;
			const statuses = [...new Set(items.map((i) => String(i.InvocationStatus)))].join(', ');
			rows.push({
				targets,
				label: c.label,
				calls,
				ms,
				cpuMs: (used.user + used.system) / 1000,
				loopP99Ms: loop.percentile(99) / 1e6,
				statuses,
			});
			process.stderr.write(
				`  ${targets} targets, ${c.label}: ${fmt(ms / 1000, 1)} s, ${JSON.stringify(calls)}\n`,
			);
		}
	}
	await fake.close();

	const pages = (targets: number) => Math.ceil(targets / PAGE);
	process.stdout.write(
		`\nRun (Command resource, Wait for Completion, Max Wait ${MAX_WAIT_S} s) in n8n's engine against the fake endpoint on loopback; the fake's agents run the script (\`sleep\`) on the real clock. Checks = DescribeInvocations calls (one per check, however many instances); pages = DescribeInvocationResults calls (50 instances a page). Bound: pollsWithin(Max Wait) checks + ceil(instances / 50) pages (${pollsWithin(MAX_WAIT_S * 1000)} + ${pages(TARGETS)} for ${TARGETS} instances). CPU: user + system time of this process (n8n's engine, the node and the in-process fake) over the whole run; loop p99: its event-loop delay, sampled every 100 ms (a finer sampling costs more CPU over a 10-minute wait than the polling itself).\n\n`,
	);
	process.stdout.write(
		table(
			[
				'instances',
				'command',
				'RunCommand',
				'checks',
				'pages',
				'result calls',
				'bound',
				'wall',
				'CPU',
				'loop p99',
				'status',
			],
			rows.map((r) => {
				const checks = r.calls.DescribeInvocations ?? 0;
				const resultPages = r.calls.DescribeInvocationResults ?? 0;
				return [
					String(r.targets),
					r.label,
					String(r.calls.RunCommand ?? 0),
					String(checks),
					String(resultPages),
					String(checks + resultPages),
					`≤ ${pollsWithin(MAX_WAIT_S * 1000) + pages(r.targets)}`,
					`${fmt(r.ms / 1000, 1)} s`,
					`${fmt(r.cpuMs, 0)} ms`,
					`${fmt(r.loopP99Ms, 1)} ms`,
					r.statuses,
				];
			}),
		),
	);
	await shutdownN8n();
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
