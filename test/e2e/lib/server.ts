/**
 * `n8n start` on 127.0.0.1 and a few REST calls against it.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';

import { killGroup } from './cli';
import { getFreePort, n8nEnv } from './env';
import type { N8nLine } from './lines';
import { processGuard } from './process-guard';

export interface StartN8nOptions {
	line: N8nLine;
	userFolder: string;
	/** main port; a free one when omitted */
	port?: number;
	encryptionKey?: string;
	/** how long to wait for /healthz/readiness (default 120 s) */
	readyTimeoutMs?: number;
	env?: Record<string, string | undefined>;
	/** called with everything n8n prints (stdout and stderr), e.g. to write a log file */
	onOutput?: (chunk: string) => void;
	/** called once n8n is spawned, before it is ready, with its pid (= its process group id) */
	onSpawn?: (pid: number) => void;
	/**
	 * Register n8n with this process's guard, whose watchdog kills it when this process is killed
	 * (default true: tests). `npm run dev` passes false: it records its PIDs and stops what a
	 * killed run left at its next start (test/e2e/dev-demo.test.ts).
	 */
	guard?: boolean;
}

export interface RunningN8n {
	url: string;
	port: number;
	brokerPort: number;
	pid: number;
	/** everything n8n printed so far (stdout and stderr interleaved) */
	output(): string;
	/** SIGTERM to the whole process group, SIGKILL after graceMs (default 10 s); resolves when it is gone */
	stop(graceMs?: number): Promise<void>;
	/** resolves when the n8n process exits (by stop() or by itself) */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface HttpResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	json<T = unknown>(): T;
}

/** A small HTTP client (loopback only). */
export function request(
	method: string,
	url: string,
	opts: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const payload =
			opts.body === undefined
				? undefined
				: typeof opts.body === 'string'
					? opts.body
					: JSON.stringify(opts.body);
		const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
		if (payload !== undefined) {
			headers['content-type'] ??= 'application/json';
			headers['content-length'] = String(Buffer.byteLength(payload));
		}
		const req = http.request(
			{
				hostname: u.hostname,
				port: u.port,
				path: u.pathname + u.search,
				method,
				headers,
				timeout: opts.timeoutMs ?? 30000,
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (d: string) => (body += d));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body,
						json: <T>() => JSON.parse(body) as T,
					}),
				);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timeout`)));
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// `n8n start` runs in its own process group, so it would outlive a test process that dies or
// throws before stop(): kill whatever is still registered when this process exits, and let the
// process guard's watchdog kill it when this process is killed (SIGTERM, SIGKILL: no exit hook
// runs then; n8n itself can ignore SIGTERM, so the watchdog's SIGKILL is what stops it).
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function track(pid: number, guard: boolean): void {
	liveGroups.add(pid);
	if (guard) processGuard().addGroup(pid);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const p of liveGroups) killGroup(p, 'SIGKILL');
	});
}

export interface ExitStatus {
	code: number | null;
	signal: NodeJS.Signals | null;
}

/** A child started in its own process group (detached): what it printed, how it ended, how to stop it. */
export interface WatchedProcess {
	pid: number;
	/** everything it printed so far (stdout and stderr interleaved) */
	output(): string;
	/** how it exited; undefined while it runs */
	exitStatus(): ExitStatus | undefined;
	exited: Promise<ExitStatus>;
	/**
	 * Sends `signal` (default SIGTERM) to the process group, or to the process alone with
	 * `wholeGroup` false; SIGKILL to the group after graceMs; resolves once the process is gone
	 * and has sent SIGKILL to whatever is left of its group (task runners, backends).
	 */
	stop(graceMs: number, signal?: NodeJS.Signals, wholeGroup?: boolean): Promise<void>;
}

/** Collects a detached child's output (also passed to onOutput) and its exit. */
export function watchProcess(
	child: ChildProcess,
	onOutput?: (chunk: string) => void,
): WatchedProcess {
	const pid = child.pid as number;
	let out = '';
	const collect = (d: string) => {
		out += d;
		onOutput?.(d);
	};
	child.stdout?.setEncoding('utf8').on('data', collect);
	child.stderr?.setEncoding('utf8').on('data', collect);
	let status: ExitStatus | undefined;
	const exited = new Promise<ExitStatus>((resolve) =>
		child.on('exit', (code, signal) => {
			status = { code, signal };
			resolve(status);
		}),
	);
	const stop = async (graceMs: number, signal: NodeJS.Signals = 'SIGTERM', wholeGroup = true) => {
		if (!status) {
			if (wholeGroup) killGroup(pid, signal);
			else {
				try {
					process.kill(pid, signal);
				} catch {
					/* gone */
				}
			}
			const t = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(t);
		}
		killGroup(pid, 'SIGKILL');
	};
	return { pid, output: () => out, exitStatus: () => status, exited, stop };
}

/**
 * Starts `n8n start` of the line in its own process group, with a fresh user folder expected,
 * unique main and broker ports, loopback only; resolves once /healthz/readiness answers 200 and
 * the REST API is registered (GET /rest/settings answers 200).
 */
export async function startN8n(o: StartN8nOptions): Promise<RunningN8n> {
	const port = o.port ?? (await getFreePort());
	let brokerPort = await getFreePort();
	while (brokerPort === port) brokerPort = await getFreePort();
	const env = n8nEnv({
		line: o.line,
		userFolder: o.userFolder,
		port,
		brokerPort,
		encryptionKey: o.encryptionKey,
		extra: o.env,
	});
	const child = spawn(o.line.nodeBin, [o.line.n8nBin, 'start'], {
		cwd: o.userFolder,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const proc = watchProcess(child, o.onOutput);
	const pid = proc.pid;
	const guarded = o.guard ?? true;
	track(pid, guarded);
	o.onSpawn?.(pid);
	const url = `http://127.0.0.1:${port}`;

	const stop = async (graceMs = 10000): Promise<void> => {
		await proc.stop(graceMs); // SIGTERM, then SIGKILL to the group (task runners)
		liveGroups.delete(pid);
		if (guarded) processGuard().removeGroup(pid);
	};

	const deadline = Date.now() + (o.readyTimeoutMs ?? 120000);
	for (;;) {
		const exited = proc.exitStatus();
		if (exited) {
			throw new Error(
				`n8n start exited early (code ${exited.code}, signal ${exited.signal})\n${proc.output().slice(-6000)}`,
			);
		}
		try {
			// /healthz/readiness turns 200 once the database is up, several seconds BEFORE the REST
			// controllers are registered (/rest/* answers 404 until then): wait for both.
			const r = await request('GET', `${url}/healthz/readiness`, { timeoutMs: 2000 });
			if (r.status === 200) {
				const s = await request('GET', `${url}/rest/settings`, { timeoutMs: 5000 });
				if (s.status === 200) break;
			}
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n start not ready on ${url} after ${o.readyTimeoutMs ?? 120000} ms\n${proc.output().slice(-6000)}`,
			);
		}
		await sleep(300);
	}
	return { url, port, brokerPort, pid, output: proc.output, stop, exited: proc.exited };
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEFAULT_OWNER: Owner = {
	email: 'owner@example.com',
	password: 'E2e-Passw0rd!',
	firstName: 'E2E',
	lastName: 'Owner',
};

/**
 * Creates the instance owner (POST /rest/owner/setup) and returns the session cookie
 * ('n8n-auth=…', ready for a Cookie header) and the user the server returned.
 */
export async function setupOwner(
	url: string,
	owner: Owner = DEFAULT_OWNER,
): Promise<{ cookie: string; user: Record<string, unknown> }> {
	const r = await request('POST', `${url}/rest/owner/setup`, { body: owner });
	if (r.status !== 200)
		throw new Error(`POST /rest/owner/setup: HTTP ${r.status} ${r.body.slice(0, 500)}`);
	const setCookie = r.headers['set-cookie'] ?? [];
	const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!auth)
		throw new Error(
			`POST /rest/owner/setup: no n8n-auth cookie (set-cookie: ${JSON.stringify(setCookie)})`,
		);
	const body = r.json<{ data?: Record<string, unknown> }>();
	return { cookie: auth, user: body.data ?? {} };
}

/** Signs in an existing user (POST /rest/login); returns the cookie. */
export async function login(url: string, owner: Owner = DEFAULT_OWNER): Promise<string> {
	// 1.x and 2.x both accept emailOrLdapLoginId; older 1.x used email.
	const r = await request('POST', `${url}/rest/login`, {
		body: { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password },
	});
	if (r.status !== 200)
		throw new Error(`POST /rest/login: HTTP ${r.status} ${r.body.slice(0, 500)}`);
	const auth = (r.headers['set-cookie'] ?? [])
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (!auth) throw new Error('POST /rest/login: no n8n-auth cookie');
	return auth;
}

/**
 * The node types a running n8n knows (GET /types/nodes.json, the file the editor loads).
 * Returns the type names, e.g. 'n8n-nodes-alibaba-ecs.alibabaEcs'.
 */
export async function listNodeTypes(url: string, cookie?: string): Promise<string[]> {
	const r = await request('GET', `${url}/types/nodes.json`, {
		headers: cookie ? { cookie } : {},
		timeoutMs: 60000,
	});
	if (r.status !== 200) throw new Error(`GET /types/nodes.json: HTTP ${r.status}`);
	const list = r.json<Array<{ name: string }>>();
	return list.map((n) => n.name);
}
