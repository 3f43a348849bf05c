/**
 * Runs every benchmark in sequence, each in a fresh process, and prints all
 * their tables (progress goes to stderr). Expects a current build in dist/
 * (`npm run bench` builds first).
 *
 *   npx tsx bench/run-all.ts [--quick] [--out results.md]
 * --quick: fewer rounds, for trying the scripts out; not for recorded results.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';

import { flag, stringArg } from './lib/args';
import { machineLine } from './lib/machine';
import { PACKAGE_ROOT } from './lib/paths';
import { fmt, since } from './lib/stats';

const QUICK: Record<string, string[]> = {
	'startup.ts': ['--rounds', '10', '--warmup', '1'],
	'per-call.ts': ['--rounds', '2', '--warmup', '1', '--items', '500'],
	'throughput.ts': ['--rounds', '1', '--items', '200'],
	'listing.ts': ['--rounds', '2', '--memory-rounds', '1'],
	'first-call.ts': ['--processes', '2', '--warmup', '0'],
	'polling.ts': ['--max-wait', '20'],
	'agent-status.ts': ['--rounds', '1', '--instances', '2000'],
	'n8n-boot.ts': ['--rounds', '3', '--warmup', '0'],
	'trigger-state.ts': ['--rounds', '3'],
};
const SCRIPTS = Object.keys(QUICK);

async function runScript(
	script: string,
	args: string[],
	sink: (chunk: Buffer) => void,
): Promise<number> {
	const start = performance.now();
	const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, script), ...args], {
		cwd: PACKAGE_ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	child.stdout.on('data', sink);
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	if (code !== 0) throw new Error(`${script} exited with ${code}`);
	return since(start);
}

async function main(): Promise<void> {
	if (!existsSync(join(PACKAGE_ROOT, 'dist/nodes/AlibabaEcs/AlibabaEcs.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
	}
	const outPath = stringArg('out');
	const out = outPath ? createWriteStream(outPath) : undefined;
	const sink = (chunk: Buffer | string) => {
		process.stdout.write(chunk);
		out?.write(chunk);
	};
	const quick = flag('quick');
	sink(
		`# n8n-nodes-alibaba-ecs benchmarks${quick ? ' (quick: not for the record)' : ''}\n\nMachine: ${machineLine()}\n`,
	);
	const start = performance.now();
	const durations: string[] = [];
	for (const script of SCRIPTS) {
		process.stderr.write(`\n> ${script}\n`);
		const ms = await runScript(script, quick ? QUICK[script] : [], sink);
		durations.push(`${script} ${fmt(ms / 1000, 0)} s`);
	}
	sink(
		`\nDurations: ${durations.join(', ')}; all ${fmt(since(start) / 1000, 0)} s. Finished ${new Date().toISOString()}.\n`,
	);
	await new Promise<void>((resolve) => (out ? out.end(resolve) : resolve()));
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
