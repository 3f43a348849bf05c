/**
 * n8n in queue mode on one machine: Redis and PostgreSQL (queue-services.ts), one `n8n start`
 * (main: editor, API, webhooks, puts executions on the queue) and `n8n worker`s (run them), each
 * process with its own user folder holding the community package, all sharing one encryption
 * key, database and queue. Every process is registered with the process guard and stopped by PID.
 *
 *   const cluster = await startQueueCluster({ line, nodesFrom: userFolderWithPackage, workers: 2 });
 *   const api = cluster.api; // public API (X-N8N-API-KEY)
 *   await cluster.stop();
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { killGroup } from './cli';
import { getFreePort, makeUserFolder, n8nEnv } from './env';
import type { N8nLine } from './lines';
import { processGuard, removeTree } from './process-guard';
import {
	startPostgres,
	startRedis,
	type RunningPostgres,
	type RunningServer,
} from './queue-services';
import {
	request,
	setupOwner,
	startN8n,
	watchProcess,
	type ExitStatus,
	type HttpResponse,
	type RunningN8n,
} from './server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What every process of one queue-mode installation shares: the queue (Redis), the database
 * (PostgreSQL) and the execution mode. Lock settings: n8n's defaults notice a dead worker's job
 * after about two minutes; these notice it in seconds (still several renewals per lock).
 */
export function queueModeEnv(
	redis: RunningServer,
	postgres: RunningPostgres,
): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_WORKER_LOCK_DURATION: '6000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
		QUEUE_WORKER_STALLED_INTERVAL: '3000',
	};
}

export interface RunningWorker {
	name: string;
	pid: number;
	userFolder: string;
	/** the worker's health server: /healthz/readiness */
	healthPort: number;
	output(): string;
	/** SIGTERM (n8n waits for running executions), SIGKILL to the group after graceMs */
	stop(graceMs?: number): Promise<void>;
	/** sends a signal to the worker process and its task runners (the whole group) */
	kill(signal: NodeJS.Signals): void;
	exited: Promise<ExitStatus>;
}

export interface StartWorkerOptions {
	line: N8nLine;
	userFolder: string;
	name: string;
	env: Record<string, string>;
	/** executions one worker runs at the same time (n8n's default is 10) */
	concurrency?: number;
	readyTimeoutMs?: number;
	onOutput?: (chunk: string) => void;
}

/** `n8n worker` in its own process group; resolves once its /healthz/readiness answers 200. */
export async function startWorker(o: StartWorkerOptions): Promise<RunningWorker> {
	const healthPort = await getFreePort();
	const brokerPort = await getFreePort();
	const env = n8nEnv({
		line: o.line,
		userFolder: o.userFolder,
		brokerPort,
		extra: {
			...o.env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
	});
	const child = spawn(
		o.line.nodeBin,
		[o.line.n8nBin, 'worker', `--concurrency=${o.concurrency ?? 10}`],
		{ cwd: o.userFolder, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const proc = watchProcess(child, o.onOutput);
	const pid = proc.pid;
	const guard = processGuard();
	guard.addGroup(pid);
	const stop = async (graceMs = 15000): Promise<void> => {
		await proc.stop(graceMs); // SIGTERM: n8n waits for running executions
		guard.removeGroup(pid);
	};
	const deadline = Date.now() + (o.readyTimeoutMs ?? 120000);
	for (;;) {
		const exited = proc.exitStatus();
		if (exited) {
			throw new Error(
				`n8n worker ${o.name} exited early (code ${exited.code}, signal ${exited.signal})\n${proc.output().slice(-6000)}`,
			);
		}
		try {
			const r = await request('GET', `http://127.0.0.1:${healthPort}/healthz/readiness`, {
				timeoutMs: 2000,
				headers: NEW_CONNECTION,
			});
			if (r.status === 200) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n worker ${o.name} not ready after ${o.readyTimeoutMs ?? 120000} ms\n${proc.output().slice(-6000)}`,
			);
		}
		await sleep(300);
	}
	return {
		name: o.name,
		pid,
		userFolder: o.userFolder,
		healthPort,
		output: proc.output,
		stop,
		kill: (signal) => killGroup(pid, signal),
		exited: proc.exited,
	};
}

/** Execution IDs a worker's log says it started ("Worker started execution 12 (job 12)"). */
export function executionsStartedBy(workerOutput: string): string[] {
	return [...workerOutput.matchAll(/Worker started execution (\d+) \(job/g)].map((m) => m[1]);
}

/** Execution IDs a worker's log says it finished. */
export function executionsFinishedBy(workerOutput: string): string[] {
	return [...workerOutput.matchAll(/Worker finished execution (\d+) \(job/g)].map((m) => m[1]);
}

/**
 * A fresh user folder for one process of the installation whose `.n8n/nodes` (the community
 * packages) is a link to the folder installed once: every process loads the package itself, as
 * from its own copy on its own machine, without copying 7,000 files per process.
 */
export function userFolderWithNodesOf(installedUserFolder: string, prefix: string): string {
	const userFolder = makeUserFolder(prefix);
	fs.mkdirSync(path.join(userFolder, '.n8n'));
	fs.symlinkSync(
		path.join(installedUserFolder, '.n8n', 'nodes'),
		path.join(userFolder, '.n8n', 'nodes'),
		'dir',
	);
	return userFolder;
}

/**
 * A header for one request per connection. Node 20's global agent keeps sockets alive, and n8n
 * closes an idle one after 5 s: a request that reuses it just then fails with "socket hang up".
 */
export const NEW_CONNECTION = { connection: 'close' } as const;

/** n8n's public REST API (/api/v1) with an API key. */
export interface PublicApi {
	call(method: string, apiPath: string, body?: unknown, timeoutMs?: number): Promise<HttpResponse>;
	/** like call, but throws unless the status is 2xx; returns the parsed body */
	json<T>(method: string, apiPath: string, body?: unknown): Promise<T>;
}

/** An API key of the owner with every scope its role allows (GET /rest/api-keys/scopes, POST /rest/api-keys). */
export async function createApiKey(url: string, cookie: string): Promise<string> {
	const s = await request('GET', `${url}/rest/api-keys/scopes`, {
		headers: { cookie, ...NEW_CONNECTION },
	});
	if (s.status !== 200)
		throw new Error(`GET /rest/api-keys/scopes: HTTP ${s.status} ${s.body.slice(0, 300)}`);
	const scopes = s.json<{ data: string[] }>().data;
	const r = await request('POST', `${url}/rest/api-keys`, {
		headers: { cookie, ...NEW_CONNECTION },
		body: { label: 'queue-mode e2e', expiresAt: null, scopes },
	});
	if (r.status !== 200)
		throw new Error(`POST /rest/api-keys: HTTP ${r.status} ${r.body.slice(0, 500)}`);
	const key = r.json<{ data?: { rawApiKey?: string } }>().data?.rawApiKey;
	if (!key) throw new Error(`POST /rest/api-keys: no rawApiKey in ${r.body.slice(0, 300)}`);
	return key;
}

export function publicApi(url: string, apiKey: string): PublicApi {
	const call = (method: string, apiPath: string, body?: unknown, timeoutMs = 60000) =>
		request(method, `${url}/api/v1${apiPath}`, {
			headers: { 'X-N8N-API-KEY': apiKey, ...NEW_CONNECTION },
			body,
			timeoutMs,
		});
	return {
		call,
		async json<T>(method: string, apiPath: string, body?: unknown): Promise<T> {
			const r = await call(method, apiPath, body);
			if (r.status < 200 || r.status > 299) {
				throw new Error(`${method} /api/v1${apiPath}: HTTP ${r.status} ${r.body.slice(0, 800)}`);
			}
			return r.json<T>();
		},
	};
}

/** An execution as GET /api/v1/executions returns it. */
export interface ApiExecution {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	retryOf: string | null;
	retrySuccessId: string | null;
	startedAt: string | null;
	stoppedAt: string | null;
	createdAt?: string;
	workflowId: string;
	data?: {
		resultData?: {
			runData?: Record<string, Array<Record<string, unknown>>>;
			error?: { message?: string; name?: string };
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

/** Every execution of a workflow (all pages of GET /api/v1/executions), oldest first. */
export async function listExecutions(
	api: PublicApi,
	workflowId: string,
	includeData = false,
): Promise<ApiExecution[]> {
	const all: ApiExecution[] = [];
	let cursor: string | undefined;
	do {
		const query = new URLSearchParams({ workflowId, limit: includeData ? '20' : '250' });
		if (includeData) query.set('includeData', 'true');
		if (cursor) query.set('cursor', cursor);
		const page = await api.json<{ data: ApiExecution[]; nextCursor: string | null }>(
			'GET',
			`/executions?${query.toString()}`,
		);
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all.sort((a, b) => Number(a.id) - Number(b.id));
}

export interface QueueCluster {
	redis: RunningServer;
	postgres: RunningPostgres;
	main: RunningN8n;
	workers: RunningWorker[];
	/** the environment every n8n process of the installation gets */
	env: Record<string, string>;
	cookie: string;
	apiKey: string;
	api: PublicApi;
	/**
	 * Starts another worker and adds it to `workers`: in a new user folder with the package, in
	 * an existing one (`userFolder`: a restarted worker keeps its folder and its event log), or
	 * in a new folder without any community package (`withoutPackage`).
	 */
	addWorker(
		name: string,
		o?: { userFolder?: string; withoutPackage?: boolean },
	): Promise<RunningWorker>;
	/** Stops every process by PID (n8n first, then PostgreSQL and Redis) and removes the folders. */
	stop(): Promise<void>;
}

export interface StartQueueClusterOptions {
	line: N8nLine;
	/** a user folder whose .n8n/nodes holds the installed community package (linked into every process's folder) */
	nodesFrom: string;
	workers: number;
	workerConcurrency?: number;
	/** extra environment for every n8n process */
	env?: Record<string, string>;
	/** a folder to write each process's output to (<name>.log) */
	logDir?: string;
}

/**
 * Redis, PostgreSQL, `n8n start` and `n8n worker` × N, the owner account and an API key. On any
 * failure whatever was started is stopped before the error is thrown.
 */
export async function startQueueCluster(o: StartQueueClusterOptions): Promise<QueueCluster> {
	const guard = processGuard();
	const n8nProcesses: Array<{ stop(): Promise<void> }> = [];
	const servers: RunningServer[] = [];
	const userFolders: string[] = [];
	const workers: RunningWorker[] = [];
	const stop = async () => {
		// n8n processes together (each may wait for its graceful shutdown), then the servers
		await Promise.all(n8nProcesses.splice(0).map((p) => p.stop().catch(() => undefined)));
		await Promise.all(servers.splice(0).map((s) => s.stop().catch(() => undefined)));
		for (const f of userFolders.splice(0)) {
			removeTree(f);
			guard.removeFolder(f);
		}
	};
	const logTo = (name: string) => {
		const dir = o.logDir;
		return dir
			? (chunk: string) => fs.appendFileSync(path.join(dir, `${name}.log`), chunk)
			: undefined;
	};
	const newFolder = (name: string, withoutPackage = false) => {
		const prefix = `e2e-queue-${name}-`;
		const f = withoutPackage ? makeUserFolder(prefix) : userFolderWithNodesOf(o.nodesFrom, prefix);
		userFolders.push(f);
		guard.addFolder(f);
		return f;
	};
	try {
		const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
		servers.push(redis, postgres);
		const env = {
			...queueModeEnv(redis, postgres),
			// a shutdown waits this long for running executions; the tests stop idle processes
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...(o.env ?? {}),
		};
		// the main first: it runs the database migrations the workers expect
		const main = await startN8n({
			line: o.line,
			userFolder: newFolder('main'),
			env,
			onOutput: logTo('main'),
			onSpawn: (pid) => guard.addGroup(pid),
		});
		n8nProcesses.push({
			stop: async () => {
				await main.stop();
				guard.removeGroup(main.pid);
			},
		});
		const addWorker = async (
			name: string,
			w: { userFolder?: string; withoutPackage?: boolean } = {},
		) => {
			const worker = await startWorker({
				line: o.line,
				userFolder: w.userFolder ?? newFolder(name, w.withoutPackage),
				name,
				env,
				concurrency: o.workerConcurrency,
				onOutput: logTo(name),
			});
			n8nProcesses.push(worker);
			workers.push(worker);
			return worker;
		};
		await Promise.all(Array.from({ length: o.workers }, (_, i) => addWorker(`worker${i + 1}`)));
		workers.sort((a, b) => a.name.localeCompare(b.name));
		const { cookie } = await setupOwner(main.url);
		const apiKey = await createApiKey(main.url, cookie);
		return {
			redis,
			postgres,
			main,
			workers,
			env,
			cookie,
			apiKey,
			api: publicApi(main.url, apiKey),
			addWorker,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
