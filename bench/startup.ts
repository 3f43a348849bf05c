/**
 * 1. Start-up cost: what requiring the package costs a fresh n8n process when n8n loads it
 * eagerly (a package installed from n8n's UI, until n8n restarts; any release without
 * dist/known and dist/types). Installed and restarted, n8n lazy-loads it and requires none of
 * this at boot: bench/n8n-boot.ts measures that in a real n8n. Each
 * variant runs in its own fresh `node` process (no tsx), in rotating order, for
 * warm-up rounds and then ≥ 10 measured rounds; differences are taken against
 * "n8n-workflow alone" within the same round.
 *
 *   npx tsx bench/startup.ts [--rounds 15] [--warmup 3] [--breakdown 10] [--no-bundled]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';

import { flag, numberArg, rotate } from './lib/args';
import { machineLine } from './lib/machine';
import { PACKAGE_ROOT } from './lib/paths';
import { MB, fmt, judge, since, spread, summarize, table, verdict } from './lib/stats';

const ROUNDS = numberArg('rounds', 15);
const WARMUP = numberArg('warmup', 3);
const BREAKDOWN_PROCESSES = numberArg('breakdown', 10);
const TARGET_MS = 15;
const TARGET_MB = 5;

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const packageFiles = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((f) => join(PACKAGE_ROOT, f));
const SDK_MODULES = ['@alicloud/ecs20140526', '@alicloud/openapi-core', '@alicloud/credentials'];

/** n8n requires each file and instantiates every exported class to read its description. */
function loadFiles(files: string[]): string {
	return files
		.map(
			(file) =>
				`for (const C of Object.values(require(${JSON.stringify(file)}))) if (typeof C === 'function') new C();`,
		)
		.join('\n');
}
const loadPackage = loadFiles(packageFiles);

/**
 * Unless --no-bundled: the same files bundled by esbuild (tsx's own dependency) into one
 * module each, in a temporary folder whose node_modules links to the package's:
 * what a bundling build step would save.
 */
function bundledFiles(): string[] {
	const dir = mkdtempSync(join(tmpdir(), 'alibaba-ecs-bundle-'));
	symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'));
	process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
	return packageFiles.map((file) => {
		const out = join(dir, basename(file));
		const esbuild = spawnSync(
			join(PACKAGE_ROOT, 'node_modules/.bin/esbuild'),
			[
				file,
				'--bundle',
				'--platform=node',
				'--format=cjs',
				'--log-level=warning',
				'--external:n8n-workflow',
				'--external:@alicloud/*',
				'--external:@darabonba/*',
				`--outfile=${out}`,
			],
			{ encoding: 'utf8' },
		);
		if (esbuild.status !== 0) throw new Error(`esbuild failed: ${esbuild.stderr}`);
		return out;
	});
}

const BUNDLED = 'package bundled by esbuild (experiment)';

/** Each variant: what is required first (n8n-workflow, which n8n has loaded already), then on top. */
const VARIANTS: Record<string, { first: string; then: string }> = {
	'empty process': { first: '', then: '' },
	'n8n-workflow alone': { first: `require('n8n-workflow');`, then: '' },
	'package (n8n section of package.json)': { first: `require('n8n-workflow');`, then: loadPackage },
	'package + SDK eagerly': {
		first: `require('n8n-workflow');`,
		then: `${loadPackage}\n${SDK_MODULES.map((m) => `require(${JSON.stringify(m)});`).join('\n')}`,
	},
	...(!flag('no-bundled') && {
		[BUNDLED]: {
			first: `require('n8n-workflow');`,
			then: loadFiles(bundledFiles()),
		},
	}),
};
const BASE = 'n8n-workflow alone';
const PACKAGE = 'package (n8n section of package.json)';
const EAGER = 'package + SDK eagerly';

interface Sample {
	/** Both phases, in-process wall time. */
	requireMs: number;
	/** Just the second phase (on top of n8n-workflow): wall and CPU time, RSS growth. */
	thenMs: number;
	thenCpuMs: number;
	thenRssMb: number;
	wallMs: number;
	rssMb: number;
	heapMb: number;
	modules: number;
	sdkModules: number;
}

function measure(variant: { first: string; then: string }): Sample {
	const code = `
const t0 = performance.now();
${variant.first}
const t1 = performance.now();
const rss1 = process.memoryUsage().rss;
const cpu1 = process.cpuUsage();
${variant.then}
const cpu = process.cpuUsage(cpu1);
const t2 = performance.now();
const m = process.memoryUsage();
const loaded = Object.keys(require.cache);
process.stdout.write(JSON.stringify({
	requireMs: t2 - t0, thenMs: t2 - t1, thenCpuMs: (cpu.user + cpu.system) / 1000,
	thenRss: m.rss - rss1, rss: m.rss, heap: m.heapUsed, modules: loaded.length,
	sdkModules: loaded.filter((p) => /[\\\\/]@(alicloud|darabonba)[\\\\/]/.test(p)).length,
}));`;
	const start = performance.now();
	const child = spawnSync(process.execPath, ['-e', code], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
	const wallMs = since(start);
	if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
	const r = JSON.parse(child.stdout) as Record<string, number>;
	return {
		requireMs: r.requireMs,
		thenMs: r.thenMs,
		thenCpuMs: r.thenCpuMs,
		thenRssMb: r.thenRss / MB,
		wallMs,
		rssMb: r.rss / MB,
		heapMb: r.heap / MB,
		modules: r.modules,
		sdkModules: r.sdkModules,
	};
}

/**
 * Where the package's start-up time goes: in separate fresh processes, a
 * require hook charges each module its own (exclusive) CPU time; grouped by
 * folder. The hook itself costs time, so only the shares are meaningful.
 */
const BREAKDOWN_CODE = `
require('n8n-workflow');
const Module = require('module');
const load = Module._load;
const stack = [];
const own = {};
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
Module._load = function (request, parent, isMain) {
	let key = request;
	try { key = Module._resolveFilename(request, parent, isMain); } catch {}
	const start = cpuMs();
	stack.push(0);
	try { return load.apply(this, arguments); }
	finally {
		const children = stack.pop();
		const total = cpuMs() - start;
		own[key] = (own[key] || 0) + total - children;
		if (stack.length) stack[stack.length - 1] += total;
	}
};
${loadPackage}
Module._load = load;
process.stdout.write(JSON.stringify(own));`;

function groupOf(file: string): string {
	const local = relative(PACKAGE_ROOT, file);
	if (local.startsWith('node_modules')) {
		return `require of ${local.split(sep)[1]} (already loaded: path resolution only)`;
	}
	if (!local.startsWith('dist')) return `Node built-in (${file})`;
	const parts = local.split(sep);
	return parts.length > 4 ? `dist/${parts.slice(1, 4).join('/')}/` : local;
}

function breakdown(processes: number): string {
	const perGroup = new Map<string, number[]>();
	const modules = new Map<string, Set<string>>();
	const totals: number[] = [];
	for (let i = 0; i < processes; i++) {
		const child = spawnSync(process.execPath, ['-e', BREAKDOWN_CODE], {
			cwd: PACKAGE_ROOT,
			encoding: 'utf8',
		});
		if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
		const own = JSON.parse(child.stdout) as Record<string, number>;
		const sums = new Map<string, number>();
		for (const [file, ms] of Object.entries(own)) {
			const group = groupOf(file);
			sums.set(group, (sums.get(group) ?? 0) + ms);
			if (!modules.has(group)) modules.set(group, new Set());
			modules.get(group)!.add(file);
		}
		for (const [group, ms] of sums) {
			if (!perGroup.has(group)) perGroup.set(group, []);
			perGroup.get(group)!.push(ms);
		}
		totals.push([...sums.values()].reduce((a, b) => a + b, 0));
	}
	const total = summarize(totals).median;
	const rows = [...perGroup.entries()]
		.map(([group, ms]) => ({ group, ms: summarize(ms).median, n: modules.get(group)!.size }))
		.sort((a, b) => b.ms - a.ms)
		.map((g) => [g.group, String(g.n), fmt(g.ms, 2), `${fmt((100 * g.ms) / total, 0)}%`]);
	rows.push(['**all**', '', fmt(total, 1), '100%']);
	return table(
		['where (package as n8n loads it)', 'modules', 'own CPU ms (median)', 'share'],
		rows,
	);
}

function main(): void {
	process.stdout.write(`\n## 1. Start-up cost\n\n${machineLine()}\n`);
	const names = Object.keys(VARIANTS);
	const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
	const crossProcess = new Map<string, { ms: number[]; mb: number[] }>(
		[PACKAGE, EAGER].map((n) => [n, { ms: [], mb: [] }]),
	);
	for (let round = 0; round < WARMUP + ROUNDS; round++) {
		const got = new Map<string, Sample>();
		for (const name of rotate(names, round)) got.set(name, measure(VARIANTS[name]));
		if (round < WARMUP) continue;
		for (const name of names) samples.get(name)!.push(got.get(name)!);
		const base = got.get(BASE)!;
		for (const [name, d] of crossProcess) {
			d.ms.push(got.get(name)!.requireMs - base.requireMs);
			d.mb.push(got.get(name)!.rssMb - base.rssMb);
		}
	}

	process.stdout.write(
		`\n${ROUNDS} fresh \`node\` processes per variant (after ${WARMUP} warm-up rounds), variants in rotating order; median (min–max). Each process first requires n8n-workflow (n8n has it loaded before it loads community nodes), then the variant's files; "on top" is that second phase alone, measured inside the process. "process" is spawn to exit as the parent sees it.\n\n`,
	);
	const col = (name: string, pick: (s: Sample) => number, digits?: number) =>
		spread(samples.get(name)!.map(pick), digits);
	process.stdout.write(
		`${table(
			[
				'variant',
				'on top: ms',
				'on top: CPU ms',
				'on top: RSS MB',
				'all requires ms',
				'process ms',
				'RSS MB',
				'modules',
				'@alicloud/@darabonba',
			],
			names.map((name) => [
				name,
				col(name, (s) => s.thenMs, 1),
				col(name, (s) => s.thenCpuMs, 1),
				col(name, (s) => s.thenRssMb, 1),
				col(name, (s) => s.requireMs, 0),
				col(name, (s) => s.wallMs, 0),
				col(name, (s) => s.rssMb, 1),
				String(summarize(samples.get(name)!.map((s) => s.modules)).median),
				String(Math.max(...samples.get(name)!.map((s) => s.sdkModules))),
			]),
		)}\n\n`,
	);
	const pkg = samples.get(PACKAGE)!;
	const eager = samples.get(EAGER)!;
	const bundled = samples.get(BUNDLED);
	const ms = summarize(pkg.map((s) => s.thenMs)).median;
	const mb = summarize(pkg.map((s) => s.thenRssMb)).median;
	const sdkLoaded = Math.max(...pkg.map((s) => s.sdkModules));
	process.stdout.write(
		`${table(
			[
				'over n8n-workflow alone',
				'in-process ms',
				'in-process RSS MB',
				'cross-process ms',
				'cross-process RSS MB',
				'target',
			],
			[
				[
					'package, as n8n loads it',
					spread(
						pkg.map((s) => s.thenMs),
						1,
					),
					spread(
						pkg.map((s) => s.thenRssMb),
						1,
					),
					spread(crossProcess.get(PACKAGE)!.ms, 0),
					spread(crossProcess.get(PACKAGE)!.mb, 1),
					`≤ ${TARGET_MS} ms: ${judge(
						pkg.map((s) => s.thenMs),
						TARGET_MS,
					)}; by CPU time: ${judge(
						pkg.map((s) => s.thenCpuMs),
						TARGET_MS,
					)}; ≤ ${TARGET_MB} MB: ${judge(
						pkg.map((s) => s.thenRssMb),
						TARGET_MB,
					)}; no @alicloud module: ${verdict(sdkLoaded === 0)}`,
				],
				[
					'package + SDK eagerly',
					spread(
						eager.map((s) => s.thenMs),
						0,
					),
					spread(
						eager.map((s) => s.thenRssMb),
						1,
					),
					spread(crossProcess.get(EAGER)!.ms, 0),
					spread(crossProcess.get(EAGER)!.mb, 1),
					'what lazy loading avoids',
				],
				...(bundled
					? [
							[
								BUNDLED,
								spread(
									bundled.map((s) => s.thenMs),
									1,
								),
								spread(
									bundled.map((s) => s.thenRssMb),
									1,
								),
								'',
								'',
								`CPU ms ${spread(
									bundled.map((s) => s.thenCpuMs),
									1,
								)}; package's own CPU ms in the same rounds ${spread(
									pkg.map((s) => s.thenCpuMs),
									1,
								)}`,
							],
						]
					: []),
			],
		)}\n`,
	);
	process.stdout.write(
		`\nWhere the package's start-up CPU time goes (${BREAKDOWN_PROCESSES} more fresh processes, a require hook charging each module its own CPU time):\n\n${breakdown(BREAKDOWN_PROCESSES)}\n`,
	);
	process.stdout.write(
		`\nIn-process is the measure judged (both phases in one process, so machine noise hits both alike); cross-process is the difference between whole processes of the same round, dominated here by the noise in loading n8n-workflow itself.\n\nHeadline: requiring the package as n8n does adds ${fmt(ms, 1)} ms and ${fmt(mb, 1)} MB RSS on top of n8n-workflow and loads ${sdkLoaded} @alicloud modules; requiring the SDK eagerly would add ${fmt(summarize(eager.map((s) => s.thenMs)).median, 0)} ms and ${fmt(summarize(eager.map((s) => s.thenRssMb)).median, 1)} MB.\n`,
	);
}

main();
