/**
 * The servers n8n's queue mode needs, private to one test: Redis and PostgreSQL from the
 * machine's packages (scripts/ensure-queue-services.sh installs them), each on a free port of
 * 127.0.0.1 with a temporary data folder, started in its own process group, registered with
 * the process guard (stopped even if the test process dies) and stopped by PID.
 */
import { execFile, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { getFreePort } from './env';
import { processGuard, removeTree } from './process-guard';
import { watchProcess } from './server';

export interface RunningServer {
	/** PID of the server (leader of its own process group) */
	pid: number;
	port: number;
	/** everything the server printed so far */
	output(): string;
	/** Stops it (signal, then SIGKILL to the group after graceMs), removes its data folder. */
	stop(graceMs?: number): Promise<void>;
}

export interface RunningPostgres extends RunningServer {
	host: string;
	user: string;
	database: string;
	/**
	 * Runs one SQL statement with PostgreSQL's own client (psql) and resolves with the rows as
	 * arrays of text (NULL as null). For reading what n8n stored, e.g. every execution of a
	 * workflow. Asynchronous, so that a fake endpoint in the same process keeps answering.
	 */
	query(sql: string): Promise<Array<Array<string | null>>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function which(command: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const file = path.join(dir, command);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			/* next */
		}
	}
	return undefined;
}

/** redis-server: REDIS_SERVER, else the one on PATH. */
export function findRedisServer(): string {
	const found = process.env.REDIS_SERVER || which('redis-server');
	if (!found) throw new Error('redis-server not found: run bash scripts/ensure-queue-services.sh');
	return found;
}

/**
 * The folder holding PostgreSQL's initdb, postgres and createdb: PG_BINDIR, else Debian's
 * newest /usr/lib/postgresql/<major>/bin, else initdb's folder on PATH (the same order as
 * scripts/ensure-queue-services.sh).
 */
export function findPostgresBinDir(): string {
	const candidates: string[] = [];
	if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
	else {
		const root = '/usr/lib/postgresql';
		const majors = fs.existsSync(root)
			? fs
					.readdirSync(root)
					.filter((v) => /^\d+$/.test(v))
					.sort((a, b) => Number(b) - Number(a))
			: [];
		candidates.push(...majors.map((v) => path.join(root, v, 'bin')));
		const initdb = which('initdb');
		if (initdb) candidates.push(path.dirname(initdb));
	}
	const dir = candidates.find((d) =>
		['initdb', 'postgres', 'createdb', 'psql'].every((b) => fs.existsSync(path.join(d, b))),
	);
	if (!dir) throw new Error('PostgreSQL not found: run bash scripts/ensure-queue-services.sh');
	return dir;
}

/** uid/gid of the `postgres` account, for running PostgreSQL when this process is root (initdb refuses root). */
function postgresAccount(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
	if (r.status !== 0 || g.status !== 0) {
		throw new Error(
			'running as root, and there is no postgres account to run PostgreSQL as (initdb refuses root)',
		);
	}
	return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

interface StartOptions {
	command: string;
	args: string[];
	/** the server is ready once its output matches */
	ready: RegExp;
	port: number;
	/** data folder, removed by stop() (and by the guard if the test process dies) */
	dataDir: string;
	/** the signal that shuts the server down cleanly */
	stopSignal: NodeJS.Signals;
	account?: { uid: number; gid: number };
	readyTimeoutMs?: number;
	what: string;
}

async function startServer(o: StartOptions): Promise<RunningServer> {
	const guard = processGuard();
	guard.addFolder(o.dataDir);
	const child = spawn(o.command, o.args, {
		cwd: o.dataDir,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		...(o.account ?? {}),
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', TZ: 'UTC' },
	});
	const proc = watchProcess(child);
	const pid = proc.pid;
	guard.addGroup(pid);
	const stop = async (graceMs = 10000): Promise<void> => {
		// the clean shutdown signal to the server process only (PostgreSQL's backends follow it)
		await proc.stop(graceMs, o.stopSignal, false);
		guard.removeGroup(pid);
		removeTree(o.dataDir);
		guard.removeFolder(o.dataDir);
	};
	const deadline = Date.now() + (o.readyTimeoutMs ?? 60000);
	while (!o.ready.test(proc.output())) {
		const exited = proc.exitStatus();
		if (exited || Date.now() > deadline) {
			await stop();
			throw new Error(
				`${o.what} did not start (${exited ? `exit ${exited.code}, signal ${exited.signal}` : 'timed out'})\n${proc.output().slice(-4000)}`,
			);
		}
		await sleep(100);
	}
	return { pid, port: o.port, output: proc.output, stop };
}

/** A private Redis: no persistence, loopback only, a free port. */
export async function startRedis(): Promise<RunningServer> {
	const port = await getFreePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-redis-'));
	return await startServer({
		what: 'redis-server',
		command: findRedisServer(),
		// prettier-ignore
		args: [
			'--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir,
			'--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '',
		],
		ready: /Ready to accept connections/,
		port,
		dataDir,
		stopSignal: 'SIGTERM',
	});
}

/**
 * A private PostgreSQL: a new cluster (initdb, trust authentication on loopback, no fsync: the
 * data is thrown away) in a temporary folder, a free port, a database `n8n` owned by user `n8n`.
 * As root it runs under the `postgres` account (initdb and postgres refuse root).
 */
export async function startPostgres(): Promise<RunningPostgres> {
	const binDir = findPostgresBinDir();
	const account = postgresAccount();
	const port = await getFreePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-postgres-'));
	processGuard().addFolder(dataDir);
	if (account) fs.chownSync(dataDir, account.uid, account.gid);
	const cluster = path.join(dataDir, 'data');
	const user = 'n8n';
	const initdb = spawnSync(
		path.join(binDir, 'initdb'),
		['-D', cluster, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
		{ encoding: 'utf8', cwd: dataDir, timeout: 120000, ...(account ?? {}) },
	);
	if (initdb.status !== 0) {
		fs.rmSync(dataDir, { recursive: true, force: true });
		throw new Error(`initdb failed (exit ${initdb.status}):\n${initdb.stdout}\n${initdb.stderr}`);
	}
	const server = await startServer({
		what: 'postgres',
		command: path.join(binDir, 'postgres'),
		// prettier-ignore
		args: [
			'-D', cluster, '-p', String(port), '-k', dataDir,
			'-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off', '-c', 'max_connections=200',
		],
		ready: /database system is ready to accept connections/,
		port,
		dataDir,
		stopSignal: 'SIGINT', // PostgreSQL's "fast" shutdown
		account,
	});
	const database = 'n8n';
	const created = spawnSync(
		path.join(binDir, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', user, database],
		{ encoding: 'utf8', timeout: 60000, env: { PATH: process.env.PATH ?? '' } },
	);
	if (created.status !== 0) {
		await server.stop();
		throw new Error(`createdb failed (exit ${created.status}):\n${created.stderr}`);
	}
	const query = (sql: string): Promise<Array<Array<string | null>>> =>
		new Promise((resolve, reject) => {
			// unaligned, tuples only, fields separated by the unit separator, NULL as a marker
			execFile(
				path.join(binDir, 'psql'),
				// prettier-ignore
				['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database,
					'-X', '-A', '-t', '-F', '\x1f', '-P', 'null=\x1e', '-v', 'ON_ERROR_STOP=1', '-c', sql],
				{
					encoding: 'utf8',
					timeout: 60000,
					maxBuffer: 64 << 20,
					env: { PATH: process.env.PATH ?? '' },
				},
				(error, stdout, stderr) => {
					if (error) return reject(new Error(`psql failed: ${error.message} ${stderr}\n${sql}`));
					resolve(
						stdout
							.split('\n')
							.filter((l) => l !== '')
							.map((l) => l.split('\x1f').map((v) => (v === '\x1e' ? null : v))),
					);
				},
			);
		});
	return { ...server, host: '127.0.0.1', user, database, query };
}
