/**
 * V8 CPU profiles (the format of `node --cpu-prof`), taken in-process with the
 * inspector's Profiler around just the measured work, and summarised by self
 * time: per function, and per owner (this package, n8n, the Alibaba SDK, Node).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PACKAGE_ROOT } from './paths';
import { fmt, table } from './stats';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}
interface ProfileNode {
	id: number;
	callFrame: CallFrame;
}
export interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params ?? {}, (error, result) =>
			error ? reject(error) : resolve(result as T),
		),
	);
}

/** Runs `work` under the CPU profiler (sampling every `intervalUs`) and returns the profile. */
export async function profile(work: () => Promise<void>, intervalUs = 200): Promise<CpuProfile> {
	const session = new Session();
	session.connect();
	try {
		await post(session, 'Profiler.enable');
		await post(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
		await post(session, 'Profiler.start');
		await work();
		const { profile: result } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
		return result;
	} finally {
		session.disconnect();
	}
}

// ------------------------------------------------------------ who owns a file

const SDK_ROOTS = [
	'@alicloud/ecs20140526',
	'@alicloud/openapi-core',
	'@alicloud/credentials',
	'@darabonba/typescript',
];
const N8N_ROOTS = ['n8n-core', 'n8n-workflow', '@n8n/di'];

function findPackageJson(name: string, fromDir: string): string | undefined {
	for (let dir = fromDir; ; dir = dirname(dir)) {
		const candidate = join(dir, 'node_modules', name, 'package.json');
		if (existsSync(candidate)) return candidate;
		if (dirname(dir) === dir) return undefined;
	}
}

/** Names of every package reachable from `roots` through "dependencies". */
function closure(roots: string[]): Set<string> {
	const seen = new Set<string>();
	const queue = roots.map((name) => ({ name, from: PACKAGE_ROOT }));
	while (queue.length > 0) {
		const { name, from } = queue.pop()!;
		const file = findPackageJson(name, from);
		if (!file) continue;
		const key = `${name}@${file}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const deps = (JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: object }).dependencies;
		for (const dep of Object.keys(deps ?? {})) queue.push({ name: dep, from: dirname(file) });
	}
	return new Set([...seen].map((key) => key.slice(0, key.lastIndexOf('@/'))));
}

let owners: { sdk: Set<string>; n8n: Set<string> } | undefined;

function packageOf(path: string): string | undefined {
	const parts = path.split(sep);
	const at = parts.lastIndexOf('node_modules');
	if (at < 0) return undefined;
	const first = parts[at + 1];
	return first?.startsWith('@') ? `${first}/${parts[at + 2]}` : first;
}

export type Owner =
	| 'this package'
	| 'minimal node (bench)'
	| 'n8n (engine, expressions)'
	| 'Alibaba SDK'
	| 'shared deps'
	| 'other deps'
	| 'Node.js core'
	| 'V8/native'
	| 'GC'
	| 'bench/test code'
	| 'idle';

export function ownerOf(frame: CallFrame): Owner {
	if (frame.functionName === '(idle)') return 'idle';
	if (frame.functionName === '(garbage collector)') return 'GC';
	if (frame.url === '') return 'V8/native';
	if (frame.url.startsWith('node:')) return 'Node.js core';
	const path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
	const pkg = packageOf(path);
	if (pkg) {
		owners ??= { sdk: closure(SDK_ROOTS), n8n: closure(N8N_ROOTS) };
		const sdk = owners.sdk.has(pkg);
		const n8n = owners.n8n.has(pkg);
		if (sdk && n8n) return 'shared deps';
		if (sdk) return 'Alibaba SDK';
		if (n8n) return 'n8n (engine, expressions)';
		return 'other deps';
	}
	const local = relative(PACKAGE_ROOT, path);
	if (local.startsWith(`dist${sep}`)) return 'this package';
	if (local.startsWith(`bench${sep}minimal`)) return 'minimal node (bench)';
	return 'bench/test code';
}

function where(frame: CallFrame): string {
	if (!frame.url) return '(native)';
	const path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
	const pkg = packageOf(path);
	const shown = pkg
		? `${pkg}/${path.slice(path.lastIndexOf(pkg) + pkg.length + 1)}`
		: relative(PACKAGE_ROOT, path);
	return `${shown}:${frame.lineNumber + 1}`;
}

export interface SelfTimes {
	/** Self time in ms per function (name + place). */
	functions: Map<string, { frame: CallFrame; owner: Owner; ms: number }>;
	/** Self time in ms per owner. */
	owners: Map<Owner, number>;
	/** All sampled time except idle, ms. */
	busyMs: number;
}

export function selfTimes(p: CpuProfile): SelfTimes {
	const byId = new Map(p.nodes.map((node) => [node.id, node]));
	const functions: SelfTimes['functions'] = new Map();
	const ownersMs = new Map<Owner, number>();
	let busyMs = 0;
	for (let i = 0; i < p.samples.length; i++) {
		// timeDeltas[i] is the time before sample i; charge the time after it to it.
		const us = p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0;
		const node = byId.get(p.samples[i]);
		if (!node) continue;
		const ms = us / 1000;
		const owner = ownerOf(node.callFrame);
		ownersMs.set(owner, (ownersMs.get(owner) ?? 0) + ms);
		if (owner === 'idle') continue;
		busyMs += ms;
		const { functionName, url, lineNumber } = node.callFrame;
		const key = `${functionName}|${url}|${lineNumber}`;
		const entry = functions.get(key) ?? { frame: node.callFrame, owner, ms: 0 };
		entry.ms += ms;
		functions.set(key, entry);
	}
	return { functions, owners: ownersMs, busyMs };
}

/** Owners side by side for several profiles, in ms per `per` units of work (e.g. per call, in µs). */
export function ownerTable(
	columns: { label: string; times: SelfTimes; per: number; unit: string }[],
): string {
	const all = new Set<Owner>();
	for (const c of columns) for (const owner of c.times.owners.keys()) all.add(owner);
	const order = [...all]
		.filter((o) => o !== 'idle')
		.sort((a, b) => (columns[0].times.owners.get(b) ?? 0) - (columns[0].times.owners.get(a) ?? 0));
	const rows = order.map((owner) => [
		owner,
		...columns.map((c) => {
			const ms = c.times.owners.get(owner) ?? 0;
			return `${fmt((ms * 1000) / c.per)} (${fmt((100 * ms) / c.times.busyMs, 0)}%)`;
		}),
	]);
	rows.push([
		'**busy total**',
		...columns.map((c) => `${fmt((c.times.busyMs * 1000) / c.per)} (100%)`),
	]);
	return table(['self time by owner', ...columns.map((c) => `${c.label}, ${c.unit}`)], rows);
}

/** The `limit` functions with the most self time (optionally of some owners only). */
export function topFunctions(
	times: SelfTimes,
	limit: number,
	per: number,
	unit: string,
	only?: (owner: Owner) => boolean,
): string {
	const rows = [...times.functions.values()]
		.filter((f) => !only || only(f.owner))
		.sort((a, b) => b.ms - a.ms)
		.slice(0, limit)
		.map((f) => [
			f.frame.functionName || '(anonymous)',
			where(f.frame),
			f.owner,
			fmt((f.ms * 1000) / per),
			fmt((100 * f.ms) / times.busyMs, 1),
		]);
	return table(['function', 'where', 'owner', unit, '% busy'], rows);
}

/**
 * Functions whose self time per unit is higher in `a` than in `b` (e.g. the
 * node versus the minimal node), largest difference first: where a's extra goes.
 */
export function extraFunctions(
	a: SelfTimes,
	b: SelfTimes,
	limit: number,
	per: number,
	unit: string,
	labels: [string, string] = ['node', 'minimal'],
): string {
	const keys = new Set([...a.functions.keys(), ...b.functions.keys()]);
	const rows = [...keys]
		.map((key) => {
			const inA = a.functions.get(key);
			const inB = b.functions.get(key);
			const frame = (inA ?? inB)!;
			return {
				frame: frame.frame,
				owner: frame.owner,
				a: ((inA?.ms ?? 0) * 1000) / per,
				b: ((inB?.ms ?? 0) * 1000) / per,
			};
		})
		.sort((x, y) => y.a - y.b - (x.a - x.b))
		.slice(0, limit)
		.map((f) => [
			f.frame.functionName || '(anonymous)',
			where(f.frame),
			f.owner,
			fmt(f.a),
			fmt(f.b),
			fmt(f.a - f.b),
		]);
	return table(
		['function', 'where', 'owner', `${labels[0]} ${unit}`, `${labels[1]} ${unit}`, 'extra'],
		rows,
	);
}

/** The sum of several SelfTimes (profiles of the same work taken at different times). */
export function mergeSelfTimes(parts: readonly SelfTimes[]): SelfTimes {
	const merged: SelfTimes = { functions: new Map(), owners: new Map(), busyMs: 0 };
	for (const part of parts) {
		merged.busyMs += part.busyMs;
		for (const [owner, ms] of part.owners)
			merged.owners.set(owner, (merged.owners.get(owner) ?? 0) + ms);
		for (const [key, f] of part.functions) {
			const entry = merged.functions.get(key) ?? { ...f, ms: 0 };
			entry.ms += f.ms;
			merged.functions.set(key, entry);
		}
	}
	return merged;
}
