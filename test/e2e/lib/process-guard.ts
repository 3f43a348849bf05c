/**
 * Stops the servers an e2e test started even when the test process itself dies.
 *
 * Servers run in their own process groups (detached), so they outlive a jest that is killed
 * (SIGKILL, an OOM kill, a CI timeout) or that never reaches its afterAll. A guard is a small
 * watchdog process, started once per test process, that holds the read end of a pipe from it:
 * when the test process ends in any way the kernel closes the pipe, and the watchdog then
 * sends SIGKILL to every process group still registered and removes the registered folders.
 * It also writes what is registered to a file (GUARD_STATE_DIR/<test pid>.json) so that jest's
 * globalTeardown can stop leftovers of a test process that ended while jest itself lived on.
 *
 *   const guard = processGuard();
 *   guard.addGroup(child.pid); guard.addFolder(dataDir);
 *   ...stop the server by its PID...
 *   guard.removeGroup(child.pid); guard.removeFolder(dataDir);
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where each test process records its registered groups and folders (read by globalTeardown). */
export const GUARD_STATE_DIR = path.join(os.tmpdir(), 'n8n-nodes-alibaba-ecs-e2e-guard');

interface GuardState {
	/** the test process */
	pid: number;
	groups: number[];
	folders: string[];
}

// The watchdog: reads "+g PGID", "-g PGID", "+d DIR", "-d DIR" lines; on end of input (the test
// process is gone, or released the guard) kills what is left and removes the folders.
const WATCHDOG = `
const fs = require('fs');
const { spawnSync } = require('child_process');
const removeTree = (d) => {
	const r = spawnSync('rm', ['-rf', '--', d], { stdio: 'ignore' });
	if (r.status !== 0 || fs.existsSync(d)) fs.rmSync(d, { recursive: true, force: true });
};
const groups = new Set();
const folders = new Set();
const stateFile = process.argv[1];
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
	buffer += d;
	let nl;
	while ((nl = buffer.indexOf('\\n')) >= 0) {
		const line = buffer.slice(0, nl);
		buffer = buffer.slice(nl + 1);
		const what = line.slice(0, 2);
		const arg = line.slice(3);
		if (what === '+g') groups.add(Number(arg));
		if (what === '-g') groups.delete(Number(arg));
		if (what === '+d') folders.add(arg);
		if (what === '-d') folders.delete(arg);
	}
});
process.stdin.on('close', () => {
	for (const g of groups) { try { process.kill(-g, 'SIGKILL'); } catch {} }
	// let the killed servers release their files first
	setTimeout(() => {
		for (const d of folders) { try { removeTree(d); } catch {} }
		try { fs.rmSync(stateFile, { force: true }); } catch {}
		process.exit(0);
	}, groups.size ? 500 : 0);
});
`;

export interface ProcessGuard {
	/** Registers a process group (the PID of a detached child). */
	addGroup(pgid: number): void;
	removeGroup(pgid: number): void;
	/** Registers a folder to remove if the test process dies. */
	addFolder(dir: string): void;
	removeFolder(dir: string): void;
}

let current: { guard: ProcessGuard; watchdog: ChildProcess } | undefined;

/**
 * Removes a folder tree with `rm -rf` (Node 20's fs.rmSync took 15 s for the 7,000 files of an
 * installed package on a busy machine where rm took 1.5 s); fs.rmSync where rm is missing.
 */
export function removeTree(dir: string): void {
	const r = spawnSync('rm', ['-rf', '--', dir], { stdio: 'ignore' });
	if (r.status !== 0 || fs.existsSync(dir))
		fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function writeState(file: string, state: GuardState): void {
	fs.mkdirSync(GUARD_STATE_DIR, { recursive: true });
	fs.writeFileSync(file, JSON.stringify(state));
}

/** This test process's guard (its watchdog starts on first use). */
export function processGuard(): ProcessGuard {
	if (current) return current.guard;
	const stateFile = path.join(GUARD_STATE_DIR, `${process.pid}.json`);
	const state: GuardState = { pid: process.pid, groups: [], folders: [] };
	const watchdog = spawn(process.execPath, ['-e', WATCHDOG, stateFile], {
		detached: true, // not in jest's process group: a kill of that group must not take it along
		stdio: ['pipe', 'ignore', 'ignore'],
		env: { PATH: process.env.PATH ?? '' },
	});
	watchdog.unref();
	// the pipe must not keep jest alive either
	(watchdog.stdin as unknown as { unref?: () => void }).unref?.();
	const send = (line: string) => watchdog.stdin?.write(line + '\n');
	const update = (change: (s: GuardState) => void) => {
		change(state);
		writeState(stateFile, state);
	};
	const guard: ProcessGuard = {
		addGroup(pgid) {
			send(`+g ${pgid}`);
			update((s) => s.groups.push(pgid));
		},
		removeGroup(pgid) {
			send(`-g ${pgid}`);
			update((s) => (s.groups = s.groups.filter((g) => g !== pgid)));
		},
		addFolder(dir) {
			send(`+d ${dir}`);
			update((s) => s.folders.push(dir));
		},
		removeFolder(dir) {
			send(`-d ${dir}`);
			update((s) => (s.folders = s.folders.filter((d) => d !== dir)));
		},
	};
	current = { guard, watchdog };
	return guard;
}

/** Whether a process with this pid exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * For globalTeardown: stops the registered process groups and removes the folders of every
 * test process that has ended (state files of live processes are left alone). Returns what
 * it had to clean up, for a warning.
 */
export function reapLeftovers(): Array<{ pid: number; groups: number[]; folders: string[] }> {
	let files: string[];
	try {
		files = fs.readdirSync(GUARD_STATE_DIR).filter((f) => f.endsWith('.json'));
	} catch {
		return [];
	}
	const reaped: Array<{ pid: number; groups: number[]; folders: string[] }> = [];
	for (const f of files) {
		const file = path.join(GUARD_STATE_DIR, f);
		let state: GuardState;
		try {
			state = JSON.parse(fs.readFileSync(file, 'utf8')) as GuardState;
		} catch {
			continue;
		}
		// jest may run the tests in this very process (in band): its own state counts as ended
		if (state.pid !== process.pid && isAlive(state.pid)) continue;
		const groups = state.groups.filter((g) => isAlive(g));
		for (const g of groups) {
			try {
				process.kill(-g, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
		for (const d of state.folders) removeTree(d);
		fs.rmSync(file, { force: true });
		if (groups.length || state.folders.length) reaped.push({ ...state, groups });
	}
	return reaped;
}
