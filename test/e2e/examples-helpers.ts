/**
 * Helpers for examples.test.ts: loading the example workflows, n8n's REST API as the editor uses it (manual runs with pinned data, executions, activation),
 * and a local "chat webhook" that records what the workflows post. Node built-ins only.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

import {
	REPO_ROOT,
	request,
	type HttpResponse,
	type N8nLine,
	type N8nRun,
	type WorkflowInput,
} from './lib';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface ExampleWorkflow extends WorkflowInput {
	name: string;
	nodes: ExampleNode[];
}

/** An example as the user downloads it (examples/<file>), parsed. */
export function loadExample(file: string): ExampleWorkflow {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
}

export function exampleFiles(): string[] {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
}

export function findNode(wf: ExampleWorkflow, name: string): ExampleNode {
	const found = wf.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`${wf.name}: no node named "${name}"`);
	return found;
}

/** Every credential reference of a workflow: type → {id, name}. */
export function credentialRefs(wf: ExampleWorkflow): Map<string, { id: string; name: string }> {
	const refs = new Map<string, { id: string; name: string }>();
	for (const n of wf.nodes)
		for (const [type, ref] of Object.entries(n.credentials ?? {})) refs.set(type, ref);
	return refs;
}

/** Sets a field of the "Settings" Set node, the place the examples tell users to configure. */
export function setSetting(wf: ExampleWorkflow, field: string, value: string | number): void {
	const settings = findNode(wf, 'Settings').parameters as {
		assignments: { assignments: Array<{ name: string; value: unknown }> };
	};
	const entry = settings.assignments.assignments.find((a) => a.name === field);
	if (!entry) throw new Error(`Settings has no field "${field}"`);
	entry.value = value;
}

// ------------------------------------------------------------------ flatted (execution data)

/**
 * n8n stores and serves execution data in the `flatted` format (a JSON array whose first entry
 * is the root; inside objects every string is the index of another entry). A small reader, so
 * the tests need no undeclared dependency.
 */
export function parseFlatted(text: string): unknown {
	const input = JSON.parse(text) as unknown[];
	const resolved = new Map<number, unknown>();
	const resolveIndex = (index: number): unknown => {
		if (resolved.has(index)) return resolved.get(index);
		const entry = input[index];
		if (entry === null || typeof entry !== 'object') {
			resolved.set(index, entry);
			return entry;
		}
		const out: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
		resolved.set(index, out);
		for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
			(out as Record<string, unknown>)[k] = typeof v === 'string' ? resolveIndex(Number(v)) : v;
		}
		return out;
	};
	return resolveIndex(0);
}

// ------------------------------------------------------------------ REST, as the editor uses it

export type PinData = Record<string, Array<{ json: Record<string, unknown> }>>;

function expectSame(actual: unknown, expected: unknown, what: string): void {
	if (JSON.stringify(actual) !== JSON.stringify(expected)) {
		throw new Error(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
	}
}

export interface Execution {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	run: N8nRun;
}

export class N8nRest {
	constructor(
		readonly url: string,
		private readonly cookie: string,
		private readonly line: N8nLine,
	) {}

	async call<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const r: HttpResponse = await request(method, `${this.url}/rest${route}`, {
			body,
			headers: { cookie: this.cookie },
			timeoutMs: 60000,
		});
		if (r.status < 200 || r.status >= 300) {
			throw new Error(`${method} /rest${route}: HTTP ${r.status} ${r.body.slice(0, 1000)}`);
		}
		return (r.json<{ data: T }>() ?? { data: undefined }).data;
	}

	async getWorkflow(id: string): Promise<Record<string, unknown>> {
		return await this.call('GET', `/workflows/${id}`);
	}

	/**
	 * Activates ("publishes" in 2.x) a stored workflow, as the editor's toggle does:
	 * 2.x POST /workflows/:id/activate {versionId}; 1.x PATCH /workflows/:id {active, versionId}.
	 */
	async setActive(id: string, active: boolean): Promise<void> {
		const wf = await this.getWorkflow(id);
		if (this.line.n8nMajor >= 2) {
			await this.call('POST', `/workflows/${id}/${active ? 'activate' : 'deactivate'}`, {
				versionId: wf.versionId,
			});
		} else {
			await this.call('PATCH', `/workflows/${id}`, { active, versionId: wf.versionId });
		}
		const after = await this.getWorkflow(id);
		const isActive = after.active === true || (after.activeVersionId ?? null) !== null;
		if (isActive !== active)
			throw new Error(`workflow ${id}: active is ${isActive} after setActive(${active})`);
	}

	/**
	 * Pins (or, with `{}`, unpins) node output in the stored workflow, as the editor does when a
	 * user pins data and saves: PATCH /workflows/:id {pinData, versionId}. n8n 2.41 runs the
	 * stored workflow on "Execute workflow", so pinned data has to be saved first.
	 */
	async setPinData(id: string, pinData: PinData): Promise<void> {
		const wf = await this.getWorkflow(id);
		await this.call('PATCH', `/workflows/${id}`, { pinData, versionId: wf.versionId });
		const after = await this.getWorkflow(id);
		expectSame(after.pinData ?? {}, pinData, `workflow ${id}: pinData after PATCH`);
	}

	/**
	 * "Execute workflow" in the editor: POST /workflows/:id/run starting from the named trigger.
	 * 1.x and 2.8 run the workflow sent in the body, 2.41 the stored one: both are the same here
	 * (the stored workflow, with its pinned data). Returns the execution id.
	 */
	async runManually(id: string, trigger: string): Promise<string> {
		const stored = await this.getWorkflow(id);
		const result = await this.call<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/workflows/${id}/run`,
			{ workflowData: stored, triggerToStartFrom: { name: trigger } },
		);
		if (!result?.executionId) {
			throw new Error(`manual run of ${id} started no execution: ${JSON.stringify(result)}`);
		}
		return String(result.executionId);
	}

	async getExecution(id: string): Promise<Execution | undefined> {
		const e = await this.call<{
			id: string;
			status: string;
			finished: boolean;
			mode: string;
			data: string;
		}>('GET', `/executions/${id}`).catch((err: Error) => {
			if (/HTTP 404/.test(err.message)) return undefined;
			throw err;
		});
		if (!e) return undefined;
		// the stored data is the run's `data` (IRunExecutionData); wrap it like `n8n execute` prints a run
		const data = parseFlatted(e.data) as N8nRun['data'];
		const run: N8nRun = { status: e.status, finished: e.finished, mode: e.mode, data };
		return { id: e.id, status: e.status, finished: e.finished, mode: e.mode, run };
	}

	/**
	 * Polls the execution until its status is one of `statuses` (default: a final one) and its
	 * stored run data belongs to that status. n8n 1.x on sqlite (pool size 0, its default)
	 * writes an execution's status and its run data in two separate statements
	 * (ExecutionRepository.updateExistingExecution), so for a moment a finished execution
	 * reads as "success" with no data yet, or with data saved earlier (when it went to wait, or
	 * when it was resumed).
	 */
	async waitForExecution(
		id: string,
		statuses: string[] = ['success', 'error', 'crashed', 'canceled'],
		timeoutMs = 90000,
	): Promise<Execution> {
		const deadline = Date.now() + timeoutMs;
		let last: Execution | undefined;
		while (Date.now() < deadline) {
			last = await this.getExecution(id);
			if (last && statuses.includes(last.status) && dataMatchesStatus(last)) return last;
			await sleep(300);
		}
		throw new Error(
			`execution ${id}: status ${last?.status ?? 'unknown'} after ${timeoutMs} ms` +
				` (run data ${last && dataMatchesStatus(last) ? 'matches it' : 'not written yet'}), wanted ${statuses.join('|')}`,
		);
	}
}

/**
 * Whether the stored run data is the one written with the execution's status: a waiting
 * execution's data says until when it waits; a finished one's does not, and (when it
 * succeeded) holds the output of the node it names as the last one executed.
 */
function dataMatchesStatus(e: Execution): boolean {
	const data = e.run.data as N8nRun['data'] | undefined;
	if (!data?.resultData?.runData) return false;
	const waiting = data.waitTill !== undefined && data.waitTill !== null;
	if (e.status === 'waiting') return waiting;
	if (['success', 'error', 'crashed', 'canceled'].includes(e.status)) {
		if (waiting) return false;
		// n8n 1.x also saves the data it resumes a waiting execution with: no waitTill, and the
		// Wait node (still lastNodeExecuted) with its run taken off (ActiveExecutions.add,
		// WaitingWebhooks): a node named last but without a run is that data, not the final one.
		const last = data.resultData.lastNodeExecuted;
		const lastRuns = last === undefined ? undefined : data.resultData.runData[last];
		return e.status !== 'success' || (lastRuns !== undefined && lastRuns.length > 0);
	}
	return true;
}

/** What an execution ran, for a failure message: per node, its runs and items per output. */
export function describeRun(e: Execution): string {
	const data = e.run.data as N8nRun['data'] | undefined;
	const runData = data?.resultData?.runData ?? {};
	const nodes = Object.entries(runData).map(
		([node, runs]) =>
			`${node}: ${runs.map((r) => `[${(r.data?.main ?? []).map((o) => o?.length ?? 0).join('/')}]${r.executionStatus ? ` ${r.executionStatus}` : ''}`).join(' ')}`,
	);
	return [
		`execution ${e.id}: status ${e.status}, finished ${e.finished}, mode ${e.mode}`,
		`lastNodeExecuted ${data?.resultData?.lastNodeExecuted}, waitTill ${String(data?.waitTill)}`,
		`error ${data?.resultData?.error?.message ?? 'none'}`,
		...nodes,
	].join('\n');
}

/** The one item a node output in the execution; fails with what the execution ran otherwise. */
export function onlyItem(e: Execution, nodeName: string): Record<string, unknown> {
	const runs = e.run.data?.resultData?.runData?.[nodeName] ?? [];
	const items = runs.length === 1 ? (runs[0].data?.main?.[0] ?? []) : [];
	if (items.length !== 1) {
		throw new Error(`expected ${nodeName} to output one item in one run:\n${describeRun(e)}`);
	}
	return items[0].json;
}

// ------------------------------------------------------------------ a chat webhook stand-in

export interface ChatMessage {
	text: string;
	body: unknown;
	/** the request's headers (lower-case names) */
	headers: http.IncomingHttpHeaders;
	receivedAt: number;
}

/**
 * An incoming-webhook stand-in (Slack/Mattermost style: POST {"text": …}) on 127.0.0.1, so the
 * test can read what the workflow posts and act as the approver.
 */
export class ChatWebhook {
	readonly messages: ChatMessage[] = [];
	private readonly server: http.Server;
	private port = 0;

	private constructor() {
		this.server = http.createServer((req, res) => {
			let raw = '';
			req.setEncoding('utf8');
			req.on('data', (d: string) => (raw += d));
			req.on('end', () => {
				let body: unknown = raw;
				try {
					body = JSON.parse(raw);
				} catch {
					/* not JSON */
				}
				const text =
					typeof body === 'object' && body ? String((body as { text?: unknown }).text) : raw;
				this.messages.push({ text, body, headers: req.headers, receivedAt: Date.now() });
				res.writeHead(200, { 'content-type': 'text/plain' });
				res.end('ok');
			});
		});
	}

	static async start(): Promise<ChatWebhook> {
		const chat = new ChatWebhook();
		await new Promise<void>((resolve) => chat.server.listen(0, '127.0.0.1', resolve));
		chat.port = (chat.server.address() as { port: number }).port;
		return chat;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/hooks/ecs-cleanup`;
	}

	/** The first message (received after `since`) that matches, waiting for it. */
	async waitFor(match: RegExp, since = 0, timeoutMs = 30000): Promise<ChatMessage> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.messages.find((m) => m.receivedAt >= since && match.test(m.text));
			if (found) return found;
			if (Date.now() > deadline) {
				throw new Error(
					`no chat message matching ${match} within ${timeoutMs} ms; got:\n${this.messages.map((m) => m.text).join('\n---\n')}`,
				);
			}
			await sleep(200);
		}
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

/**
 * Waits until a just-activated workflow's webhook is registered: n8n 2.41 registers it shortly
 * after the activation call returns, and answers 404 until then. `probe` sends a request the
 * webhook refuses before the workflow runs (e.g. a wrong login), so probing starts nothing.
 */
export async function waitUntilRegistered(
	probe: () => Promise<HttpResponse>,
	timeoutMs = 30_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await probe();
		if (r.status !== 404) return;
		if (Date.now() > deadline)
			throw new Error(`webhook still not registered after ${timeoutMs} ms`);
		await sleep(250);
	}
}
