/**
 * `npm run dev` records what it started in its user folder (dev-processes.json), so that the
 * next start can clean up after a run that was killed hard: `n8n start` runs in its own process
 * group (so Ctrl-C reaches it once, through stop()), and survives a SIGKILL of the dev script,
 * holding the port. Linux/macOS process groups; /proc is read where it exists.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { isAlive } from '../../test/e2e/lib/process-guard';
import { ExpectedError } from './command';

export interface DevProcesses {
	/** the dev script's own process */
	devPid: number;
	/** `n8n start`: leader of its own process group (its task runners are in the group) */
	n8nPid?: number;
	port: number;
	fakePort: number;
	startedAt: string;
}

export function recordFile(userFolder: string): string {
	return path.join(userFolder, 'dev-processes.json');
}

export function writeRecord(userFolder: string, record: DevProcesses): void {
	fs.writeFileSync(recordFile(userFolder), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeRecord(userFolder: string): void {
	fs.rmSync(recordFile(userFolder), { force: true });
}

function readRecord(userFolder: string): DevProcesses | undefined {
	try {
		return JSON.parse(fs.readFileSync(recordFile(userFolder), 'utf8')) as DevProcesses;
	} catch {
		return undefined;
	}
}

/** The command line of a process, or undefined where /proc does not tell (then: trust the pid). */
function commandLine(pid: number): string | undefined {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
	} catch {
		return undefined;
	}
}

/** Alive and (where /proc tells) still running `what`, not a later process that got the pid. */
function stillRuns(pid: number | undefined, what: RegExp): pid is number {
	if (!pid || pid === process.pid || !isAlive(pid)) return false;
	const cmd = commandLine(pid);
	return cmd === undefined || what.test(cmd);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pid: number, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (isAlive(pid)) {
		if (Date.now() > deadline) return false;
		await sleep(100);
	}
	return true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		/* gone, or not ours: waitGone tells */
	}
}

/**
 * Before a start: what an earlier `npm run dev` with this user folder left behind.
 * - its dev script still runs: refuse (two runs on one user folder would share one database);
 * - only its n8n still runs (the script was killed hard): stop n8n's process group, SIGTERM and
 *   after 3 s SIGKILL, and say so;
 * - n8n cannot be stopped: refuse, with the command that stops it.
 */
export async function cleanUpEarlierRun(userFolder: string, log: (line: string) => void) {
	const earlier = readRecord(userFolder);
	if (!earlier) return;
	if (stillRuns(earlier.devPid, /dev\.ts/)) {
		throw new ExpectedError(
			`Another npm run dev (pid ${earlier.devPid}) is running with the user folder ${userFolder}: stop it with Ctrl-C in its terminal (or kill ${earlier.devPid}), or give this one another folder with --user-folder DIR.`,
		);
	}
	if (stillRuns(earlier.n8nPid, /n8n/)) {
		const pgid = earlier.n8nPid;
		log(
			`[dev] n8n (process group ${pgid}, port ${earlier.port}) was left running by an earlier npm run dev that did not stop (killed?): stopping it...`,
		);
		signalGroup(pgid, 'SIGTERM');
		if (!(await waitGone(pgid, 3000))) {
			signalGroup(pgid, 'SIGKILL');
			if (!(await waitGone(pgid, 5000))) {
				throw new ExpectedError(
					`n8n (pid ${pgid}) left by an earlier npm run dev still runs and could not be stopped: stop it with \`kill -9 -${pgid}\`, then start again.`,
				);
			}
		}
		signalGroup(pgid, 'SIGKILL'); // its task runners, if any outlived it
		log(`[dev] stopped it.`);
	}
	removeRecord(userFolder);
}

/** Resolves when 127.0.0.1:port can be listened on; otherwise one sentence saying what to do. */
export async function assertPortFree(port: number, flag: string, what: string): Promise<void> {
	const free = await new Promise<boolean>((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
	if (!free) {
		throw new ExpectedError(
			`Port ${port} (for ${what}) is in use by another program, not one an earlier npm run dev recorded: stop that program (\`ss -ltnp 'sport = :${port}'\` shows it) or choose another port with ${flag} N.`,
		);
	}
}
