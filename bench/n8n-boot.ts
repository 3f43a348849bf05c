/**
 * 7. n8n boot: what installing the package costs a real `n8n start`. Three user folders of one
 * n8n line: without the package, with the package as built (lazy-loaded from dist/known and
 * dist/types), and with the same package minus those files (eagerly loaded: every release before
 * them, and what n8n does with a package installed from the UI until it restarts). Boots rotate
 * through the three in every round; a boot is spawn → "Editor is now accessible via" on stdout
 * (n8n prints it once the server listens and the workflows are activated), with the main
 * process's CPU time and RSS at that moment, and a require hook (test/e2e/lib/module-load-log.js)
 * counting the modules loaded from .n8n/nodes/node_modules (the package and its dependencies)
 * before it. Each folder boots once first (database migrations), then warm-up rounds.
 *
 *   npx tsx bench/n8n-boot.ts [--line n8n2-node20] [--rounds 12] [--warmup 2]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import {
	ensureLine,
	getFreePort,
	installPackageInto,
	killGroup,
	makeUserFolder,
	n8nEnv,
	packBuiltPackage,
	removePackedPackage,
	removeUserFolder,
	request,
	type N8nLine,
} from '../test/e2e/lib';
import { numberArg, rotate, stringArg } from './lib/args';
import { machineLine } from './lib/machine';
import { PACKAGE_ROOT } from './lib/paths';
import { MB, fmt, judge, medianInterval, spread, summarize, table } from './lib/stats';

const LINE = stringArg('line') ?? 'n8n2-node20';
const ROUNDS = numberArg('rounds', 12);
const WARMUP = numberArg('warmup', 2);
const TARGET_RATIO = 1.01;
const PACKAGE_NAME = 'n8n-nodes-alibaba-ecs';
const HOOK = join(PACKAGE_ROOT, 'test/e2e/lib/module-load-log.js');
const LOADER_HOOK = join(__dirname, 'lib/loader-timing.js');
const READY = /Editor is now accessible via/;

type Variant = 'none' | 'lazy' | 'eager';
const VARIANTS: Variant[] = ['none', 'lazy', 'eager'];
const LABEL: Record<Variant, string> = {
	none: 'without the package',
	lazy: 'package, lazy-loaded (this build)',
	eager: 'package, eagerly loaded (no dist/known, dist/types: before)',
};

interface Folder {
	userFolder: string;
	nodeModules: string;
}

interface Boot {
	wallMs: number;
	cpuMs: number;
	rssMb: number;
	/** modules loaded from .n8n/nodes/node_modules before ready: the package's, its dependencies' */
	packageModules: number;
	dependencyModules: number;
	/** those modules, relative to .n8n/nodes/node_modules */
	files: string[];
	/** time in the outermost of those loads (the hook's depth 0), ms */
	requireMs: number;
	/** n8n's loader step for the package (LazyPackageDirectoryLoader.loadAll): wall, process CPU */
	loaderMs: number;
	loaderCpuMs: number;
	/** what n8n's debug log said about the package (verification boots only) */
	loader?: string;
}

/** user + system CPU time of a process, ms (Linux /proc; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function rssMbOf(pid: number): number {
	const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? (Number(match[1]) * 1024) / MB : Number.NaN;
}

function prepare(line: N8nLine, tarball: string, variant: Variant): Folder {
	const userFolder = makeUserFolder(`bench-boot-${variant}-`);
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	if (variant === 'none') {
		// the folder n8n scans for community packages exists, empty
		mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
		);
	} else {
		const pkg = installPackageInto(userFolder, tarball, { line });
		if (variant === 'eager') {
			for (const dir of ['dist/known', 'dist/types'])
				rmSync(join(pkg.dir, dir), { recursive: true });
		}
	}
	return { userFolder, nodeModules: realpathSync(join(nodesDir, 'node_modules')) };
}

/** The lines of a hook's log, split into fields (none when nothing was logged). */
function readLog(file: string): string[][] {
	try {
		return readFileSync(file, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => line.split(' '));
	} catch {
		return [];
	}
}

async function boot(line: N8nLine, folder: Folder, debug = false): Promise<Boot> {
	const port = await getFreePort();
	let brokerPort = await getFreePort();
	while (brokerPort === port) brokerPort = await getFreePort();
	const loadLog = join(folder.userFolder, `loads-${Date.now()}.log`);
	const loaderLog = join(folder.userFolder, `loader-${Date.now()}.log`);
	const env = n8nEnv({
		line,
		userFolder: folder.userFolder,
		port,
		brokerPort,
		logLevel: debug ? 'debug' : 'info',
		extra: {
			NODE_OPTIONS: `--require ${HOOK} --require ${LOADER_HOOK}`,
			LOADER_TIMING_LOG: loaderLog,
			MODULE_LOAD_LOG: loadLog,
			MODULE_LOAD_LOG_MATCH: folder.nodeModules + sep,
		},
	});
	const started = performance.now();
	const child = spawn(line.nodeBin, [line.n8nBin, 'start'], {
		cwd: folder.userFolder,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const pid = child.pid as number;
	let output = '';
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	try {
		const measured = await new Promise<Pick<Boot, 'wallMs' | 'cpuMs' | 'rssMb'>>(
			(resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`not ready after 180 s\n${output.slice(-3000)}`)),
					180_000,
				);
				const onData = (chunk: string) => {
					output += chunk;
					if (!READY.test(output)) return;
					const wallMs = performance.now() - started;
					clearTimeout(timer);
					child.stdout.off('data', onData);
					resolve({ wallMs, cpuMs: cpuMsOf(pid), rssMb: rssMbOf(pid) });
				};
				child.stdout.setEncoding('utf8').on('data', onData);
				child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
				child.on('exit', (code) =>
					reject(new Error(`n8n exited (${code}) before ready\n${output.slice(-3000)}`)),
				);
			},
		);
		const loads = readLog(loadLog).filter(([, loadPid]) => Number(loadPid) === pid);
		const loaderStep = readLog(loaderLog).find(
			([stepPid, name]) => Number(stepPid) === pid && name === PACKAGE_NAME,
		);
		const inPackage = (file: string) =>
			file.startsWith(join(folder.nodeModules, PACKAGE_NAME) + sep);
		const files = loads.map((fields) => fields.slice(4).join(' '));
		// the server answers: the boot was a real one
		const ready = await request('GET', `http://127.0.0.1:${port}/healthz/readiness`, {
			timeoutMs: 10_000,
		});
		if (ready.status !== 200) throw new Error(`/healthz/readiness answered ${ready.status}`);
		const said = new RegExp(
			`(Lazy-loading|Loaded all) (nodes and credentials|credentials and nodes) from ${PACKAGE_NAME}`,
		).exec(output);
		return {
			...measured,
			files: files.map((f) => relative(folder.nodeModules, f)),
			packageModules: files.filter(inPackage).length,
			dependencyModules: files.filter((f) => !inPackage(f)).length,
			requireMs: loads
				.filter((fields) => fields[2] === '0')
				.reduce((sum, fields) => sum + Number(fields[3]), 0),
			loaderMs: loaderStep ? Number(loaderStep[3]) : 0,
			loaderCpuMs: loaderStep ? Number(loaderStep[4]) : 0,
			loader: debug ? (said ? said[0] : 'no line about the package') : undefined,
		};
	} finally {
		killGroup(pid, 'SIGTERM');
		const force = setTimeout(() => killGroup(pid, 'SIGKILL'), 15_000);
		await exited;
		clearTimeout(force);
		killGroup(pid, 'SIGKILL'); // task runners left in the group
		rmSync(loadLog, { force: true });
		rmSync(loaderLog, { force: true });
	}
}

/** A ratio's median with its distribution-free 95 % interval, e.g. "1.004 (0.991–1.012)". */
function ratioCell(values: number[]): string {
	const ci = medianInterval(values);
	return `${fmt(summarize(values).median, 3)}${ci ? ` (95% CI ${fmt(ci.low, 3)}–${fmt(ci.high, 3)})` : ''}`;
}

async function main(): Promise<void> {
	const line = ensureLine(LINE);
	process.stdout.write(
		`\n## 7. n8n boot (n8n ${line.n8n}, Node ${line.nodeVersion})\n\n${machineLine()}\n`,
	);
	const tarball = packBuiltPackage();
	const folders = Object.fromEntries(VARIANTS.map((v) => [v, prepare(line, tarball, v)])) as Record<
		Variant,
		Folder
	>;
	try {
		const verification: Record<string, Boot> = {};
		for (const v of VARIANTS) {
			// first boot of each folder: migrations; with the debug log, to record the loader used
			verification[v] = await boot(line, folders[v], true);
			process.stderr.write(
				`  ${v}: first boot ${fmt(verification[v].wallMs, 0)} ms, ${verification[v].loader}\n`,
			);
		}
		const boots: Record<Variant, Boot[]> = { none: [], lazy: [], eager: [] };
		const ratios = {
			lazy: [] as number[],
			eager: [] as number[],
			lazyCpu: [] as number[],
			eagerCpu: [] as number[],
		};
		for (let round = 0; round < WARMUP + ROUNDS; round++) {
			const got = {} as Record<Variant, Boot>;
			for (const v of rotate(VARIANTS, round)) got[v] = await boot(line, folders[v]);
			process.stderr.write(
				`  ${round < WARMUP ? 'warm-up' : `round ${round - WARMUP + 1}`}: ${VARIANTS.map((v) => `${v} ${fmt(got[v].wallMs, 0)} ms`).join(', ')}\n`,
			);
			if (round < WARMUP) continue;
			for (const v of VARIANTS) boots[v].push(got[v]);
			ratios.lazy.push(got.lazy.wallMs / got.none.wallMs);
			ratios.eager.push(got.eager.wallMs / got.none.wallMs);
			ratios.lazyCpu.push(got.lazy.cpuMs / got.none.cpuMs);
			ratios.eagerCpu.push(got.eager.cpuMs / got.none.cpuMs);
		}

		process.stdout.write(
			`\n${ROUNDS} boots per variant (after one first boot per user folder and ${WARMUP} warm-up rounds), the three variants in rotating order within each round; median (min–max). Wall: spawn of \`n8n start\` to "Editor is now accessible via" on its stdout; CPU and RSS: the n8n main process at that moment (task runners not included). Modules: loaded from \`.n8n/nodes/node_modules\` before ready, by a require hook (\`test/e2e/lib/module-load-log.js\`); require ms: time inside the outermost of those loads. Loader step: n8n-core's LazyPackageDirectoryLoader.loadAll for the package (\`bench/lib/loader-timing.js\`), which reads the metadata or, without it, requires the package; its CPU is the whole process's during that call, an upper bound.\n\n`,
		);
		const col = (v: Variant, pick: (b: Boot) => number, digits?: number) =>
			spread(boots[v].map(pick), digits);
		process.stdout.write(
			`${table(
				[
					'variant',
					'n8n says (debug log, first boot)',
					'boot wall ms',
					'boot CPU ms',
					'RSS MB',
					'package modules',
					'dependency modules',
					'require ms',
					'loader step ms',
					'loader step CPU ms',
				],
				VARIANTS.map((v) => [
					LABEL[v],
					v === 'none' ? '—' : `${verification[v].loader}`,
					col(v, (b) => b.wallMs, 0),
					col(v, (b) => b.cpuMs, 0),
					col(v, (b) => b.rssMb, 0),
					String(Math.max(...boots[v].map((b) => b.packageModules))),
					String(Math.max(...boots[v].map((b) => b.dependencyModules))),
					col(v, (b) => b.requireMs, 1),
					v === 'none' ? '—' : col(v, (b) => b.loaderMs, 1),
					v === 'none' ? '—' : col(v, (b) => b.loaderCpuMs, 1),
				]),
			)}\n\n`,
		);
		const lazyFiles = [...new Set(boots.lazy.flatMap((b) => b.files))];
		process.stdout.write(
			`${table(
				['same round, ÷ without the package', 'wall time', 'CPU time', 'target'],
				[
					[
						'lazy-loaded',
						ratioCell(ratios.lazy),
						ratioCell(ratios.lazyCpu),
						`≤ ${TARGET_RATIO}: wall ${judge(ratios.lazy, TARGET_RATIO)}; CPU ${judge(ratios.lazyCpu, TARGET_RATIO)}`,
					],
					[
						'eagerly loaded (before)',
						ratioCell(ratios.eager),
						ratioCell(ratios.eagerCpu),
						'reported',
					],
				],
			)}\n\n`,
		);
		process.stdout.write(
			`Require cost at boot, lazy-loaded: ${lazyFiles.length} modules of the package or its dependencies in any boot${lazyFiles.length ? ` (${lazyFiles.join(', ')})` : ''} (target: none): ${lazyFiles.length === 0 ? 'met' : 'MISSED'}; eagerly loaded: ${summarize(boots.eager.map((b) => b.packageModules)).median} modules, ${fmt(summarize(boots.eager.map((b) => b.requireMs)).median, 1)} ms.\n`,
		);
	} finally {
		for (const folder of Object.values(folders)) removeUserFolder(folder.userFolder);
		removePackedPackage(tarball);
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
