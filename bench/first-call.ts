/**
 * 5. First call: the one-time lazy SDK load and client construction paid by the
 * first execution, and proof that later executions reuse them safely: per
 * credential one transport and one SDK client per region, never another
 * credential's. Each run is a fresh process (bench/first-call-worker.ts).
 *
 *   npx tsx bench/first-call.ts [--processes 7] [--warmup 1]
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { numberArg } from './lib/args';
import type { FirstCallReport } from './lib/first-call-types';
import { machineLine } from './lib/machine';
import { PACKAGE_ROOT } from './lib/paths';
import { fmt, spread, summarize, table, verdict } from './lib/stats';

const PROCESSES = numberArg('processes', 7);
const WARMUP = numberArg('warmup', 1);

async function once(): Promise<FirstCallReport> {
	const { stdout } = await promisify(execFile)(
		process.execPath,
		['--import', 'tsx', join(__dirname, 'first-call-worker.ts')],
		{ cwd: PACKAGE_ROOT, maxBuffer: 1 << 20 },
	);
	return JSON.parse(stdout.trim().split('\n').pop() as string) as FirstCallReport;
}

async function main(): Promise<void> {
	process.stdout.write(`\n## 5. First call\n\n${machineLine()}\n`);
	const reports: FirstCallReport[] = [];
	for (let i = 0; i < WARMUP + PROCESSES; i++) {
		const report = await once();
		process.stderr.write(
			`  ${i < WARMUP ? 'warm-up' : `process ${i - WARMUP + 1}`}: first ${fmt(report.firstMs, 0)} ms, second ${fmt(report.secondMs, 1)} ms\n`,
		);
		if (i >= WARMUP) reports.push(report);
	}
	const steadyOf = (r: FirstCallReport) => summarize(r.steadyMs).median;
	const col = (pick: (r: FirstCallReport) => number, digits?: number) =>
		spread(reports.map(pick), digits);

	process.stdout.write(
		`\n${PROCESSES} fresh processes (after ${WARMUP} warm-up process); in each, n8n's engine is warmed with 3 runs that do not touch the package, then one-item deregistrations run one after another; median (min–max) over the processes.\n\n`,
	);
	process.stdout.write(
		`${table(
			['execution (1 item each)', 'ms'],
			[
				['1st, credential A (loads the SDK, builds A’s client)', col((r) => r.firstMs, 0)],
				['2nd, credential A', col((r) => r.secondMs, 1)],
				['1st with credential B (builds B’s client)', col((r) => r.firstOtherCredentialMs, 1)],
				['steady state, credential A (median of 10 per process)', col(steadyOf, 1)],
				['one-time cost: 1st − steady', col((r) => r.firstMs - steadyOf(r), 0)],
				['  of which loadSdk() (lazy import of the SDK)', col((r) => r.firstLoadSdkMs, 0)],
				['  loadSdk() CPU time', col((r) => r.firstLoadSdkCpuMs, 0)],
				['  of which building the first SDK client', col((r) => r.firstClientMs, 1)],
				['building a client later (credential B)', col((r) => r.otherCredentialClientMs, 2)],
				['loadSdk() after the 1st execution, slowest call', col((r) => r.laterLoadSdkMaxMs, 3)],
			],
		)}\n\n`,
	);
	const allAgree = (pick: (r: FirstCallReport) => boolean) => reports.every(pick);
	const checkRows: string[][] = [
		[
			'package loaded by the engine, no @alicloud/@darabonba module yet',
			verdict(allAgree((r) => r.sdkModulesAfterPackageLoad === 0)),
		],
		[
			`1st execution loads the SDK (${summarize(reports.map((r) => r.sdkModulesAfterFirst)).median} modules); later executions load nothing more`,
			verdict(allAgree((r) => r.sdkLoadedByFirst && !r.sdkModulesGrewLater)),
		],
		...Object.keys(reports[0].checks).map((name) => [
			name,
			verdict(allAgree((r) => r.checks[name])),
		]),
	];
	process.stdout.write(
		`${table([`check (in all ${PROCESSES} processes)`, 'result'], checkRows)}\n`,
	);
	const oneTime = summarize(reports.map((r) => r.firstMs - steadyOf(r))).median;
	process.stdout.write(
		`\nHeadline: the first execution pays ${fmt(oneTime, 0)} ms once (loading the SDK ${fmt(summarize(reports.map((r) => r.firstLoadSdkMs)).median, 0)} ms); afterwards a one-item execution takes ${fmt(summarize(reports.map(steadyOf)).median, 1)} ms, and a new credential costs only its client (${fmt(summarize(reports.map((r) => r.otherCredentialClientMs)).median, 2)} ms).\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
