/**
 * The queue-mode workload: a webhook-triggered workflow that deregisters the managed instances
 * a request names (Webhook → Split Out → Alibaba Cloud ECS "Deregister", Concurrent Requests
 * on, Succeed If Already Deregistered on), batches of instances created in a fake ECS endpoint,
 * and the bookkeeping that accounts for every execution, every output item and every request
 * the fake saw. Used by test/e2e/queue-mode.test.ts and bench/queue-mode.ts.
 */
import type { FakeEcs, RecordedRequest } from '../../fake-ecs';
import { NODE_TYPE, CREDENTIAL_TYPE } from './alibaba-ecs';
import { NEW_CONNECTION, type PublicApi } from './queue-mode';
import type { RunningPostgres } from './queue-services';
import { request } from './server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Node names of the workflow. */
export const WEBHOOK_NODE = 'Webhook';
export const SPLIT_NODE = 'Split Out';
export const DEREGISTER_NODE = 'Deregister';

/** Regions the batches spread over (managed-instance regions: nodes/AlibabaEcs/transport/regions.ts). */
export const WORKLOAD_REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1'];

export interface BatchInstance {
	region: string;
	instanceId: string;
}

/** One webhook call's body: the batch number and the instances to deregister. */
export interface Batch {
	batch: number;
	instances: BatchInstance[];
}

/**
 * The workflow, as the public API takes it (POST /api/v1/workflows). The webhook answers as soon
 * as the execution is queued (responseMode onReceived): in queue mode an answer that waits for
 * the last node is lost now and then (see docs/SCALING.md), so executions are read from n8n.
 */
export function deregisterWorkflow(o: {
	name: string;
	path: string;
	credentialId: string;
	/** the node's Concurrent Requests option */
	concurrency: number;
}): Record<string, unknown> {
	return {
		name: o.name,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'b1d0c0de-0000-4000-8000-000000000001',
				name: WEBHOOK_NODE,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: `queue-e2e-${o.path}`,
				parameters: { httpMethod: 'POST', path: o.path, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'b1d0c0de-0000-4000-8000-000000000002',
				name: SPLIT_NODE,
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.instances', include: 'noOtherFields' },
			},
			{
				id: 'b1d0c0de-0000-4000-8000-000000000003',
				name: DEREGISTER_NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'managedInstance',
					operation: 'deregister',
					regionId: '={{ $json.region }}',
					instanceId: { __rl: true, mode: 'id', value: '={{ $json.instanceId }}' },
					options: { concurrency: o.concurrency, succeedIfAlreadyDeregistered: true },
				},
				credentials: {
					[CREDENTIAL_TYPE]: { id: o.credentialId, name: 'Alibaba Cloud (fake ECS)' },
				},
			},
		],
		connections: {
			[WEBHOOK_NODE]: { main: [[{ node: SPLIT_NODE, type: 'main', index: 0 }]] },
			[SPLIT_NODE]: { main: [[{ node: DEREGISTER_NODE, type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Waits until n8n has registered the workflow's production webhook (a row in webhook_entity).
 * n8n 2.41.1's POST /api/v1/workflows/:id/activate answers 0.3–1 s before that, and calls in
 * between are answered 404 ("The requested webhook … is not registered"); 2.8.4 registers it
 * before answering.
 */
export async function waitForWebhook(
	postgres: RunningPostgres,
	workflowId: string,
	timeoutMs = 60000,
): Promise<void> {
	if (!/^[A-Za-z0-9]+$/.test(workflowId)) throw new Error(`unexpected workflow id ${workflowId}`);
	const deadline = Date.now() + timeoutMs;
	while (
		(await postgres.query(`SELECT 1 FROM webhook_entity WHERE "workflowId" = '${workflowId}'`))
			.length === 0
	) {
		if (Date.now() > deadline)
			throw new Error(`workflow ${workflowId}: webhook not registered after ${timeoutMs} ms`);
		await sleep(100);
	}
}

/**
 * Creates the credential and the workflow through the public API, activates it and waits until
 * its webhook is registered; returns the workflow id.
 */
export async function setUpDeregisterWorkflow(
	api: PublicApi,
	postgres: RunningPostgres,
	o: {
		/** the fake endpoint, `http://127.0.0.1:PORT` */
		endpoint: string;
		accessKeyId: string;
		accessKeySecret: string;
		path: string;
		concurrency: number;
	},
): Promise<{ workflowId: string; credentialId: string }> {
	const credential = await api.json<{ id: string }>('POST', '/credentials', {
		name: `Alibaba Cloud (fake ECS, ${o.path})`,
		type: CREDENTIAL_TYPE,
		data: {
			accessKeyId: o.accessKeyId,
			accessKeySecret: o.accessKeySecret,
			endpoint: o.endpoint,
			defaultRegionId: 'cn-hangzhou',
		},
	});
	const workflow = await api.json<{ id: string }>(
		'POST',
		'/workflows',
		deregisterWorkflow({
			name: `Deregister batches (${o.path})`,
			path: o.path,
			credentialId: credential.id,
			concurrency: o.concurrency,
		}),
	);
	await api.json('POST', `/workflows/${workflow.id}/activate`);
	await waitForWebhook(postgres, workflow.id);
	return { workflowId: workflow.id, credentialId: credential.id };
}

/**
 * `count` batches of `size` instances taken in turn from each region's list (so every batch
 * spans the regions), e.g. from `fake.state.addInstances` per region.
 */
export function batchesOf(
	instancesByRegion: Record<string, string[]>,
	count: number,
	size: number,
): Batch[] {
	const regions = Object.keys(instancesByRegion);
	const all: BatchInstance[] = [];
	for (let i = 0; all.length < count * size; i++) {
		const region = regions[i % regions.length];
		const instanceId = instancesByRegion[region][Math.floor(i / regions.length)];
		if (instanceId === undefined)
			throw new Error(`not enough instances in ${region} for ${count} × ${size}`);
		all.push({ region, instanceId });
	}
	return Array.from({ length: count }, (_, b) => ({
		batch: b,
		instances: all.slice(b * size, (b + 1) * size),
	}));
}

/** `count` batches of `size` new instances in the fake, spread over WORKLOAD_REGIONS. */
export function makeBatches(fake: FakeEcs, count: number, size: number): Batch[] {
	const perRegion = Math.ceil((count * size) / WORKLOAD_REGIONS.length);
	const byRegion = Object.fromEntries(
		WORKLOAD_REGIONS.map((RegionId) => [
			RegionId,
			fake.state.addInstances(perRegion, { RegionId }).map((i) => i.InstanceId),
		]),
	);
	return batchesOf(byRegion, count, size);
}

/** POSTs each batch to the webhook, all at once; resolves with each call's HTTP status or error. */
export async function sendBatches(url: string, path: string, batches: Batch[]): Promise<string[]> {
	return await Promise.all(
		batches.map((b) =>
			request('POST', `${url}/webhook/${path}`, {
				body: b,
				timeoutMs: 60000,
				headers: NEW_CONNECTION,
			}).then(
				(r) => String(r.status),
				(e: Error) => `error: ${e.message}`,
			),
		),
	);
}

/** An execution as stored in n8n's database (execution_entity). */
export interface ExecutionRow {
	id: string;
	status: string;
	mode: string;
	retryOf: string | null;
	createdAt: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

/** Statuses of an execution that is not over yet. */
export const OPEN_STATUSES = ['new', 'running', 'waiting', 'unknown'];

/**
 * Every execution of a workflow, straight from the database: GET /api/v1/executions leaves out
 * the executions the main still counts as active, and in queue mode a main can keep counting an
 * execution a worker finished (or lost) long ago.
 */
export async function executionRows(
	postgres: RunningPostgres,
	workflowId: string,
): Promise<ExecutionRow[]> {
	if (!/^[A-Za-z0-9]+$/.test(workflowId)) throw new Error(`unexpected workflow id ${workflowId}`);
	return (
		await postgres.query(
			`SELECT id, status, mode, "retryOf", to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),` +
				` to_char("startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char("stoppedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` +
				` FROM execution_entity WHERE "workflowId" = '${workflowId}' ORDER BY id`,
		)
	)
		.map(([id, status, mode, retryOf, createdAt, startedAt, stoppedAt]) => ({
			id: id as string,
			status: status as string,
			mode: mode as string,
			retryOf,
			createdAt: createdAt as string,
			startedAt,
			stoppedAt,
		}))
		.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Waits until the workflow has at least `count` executions and none of them is open; returns
 * them. `onPoll` sees every poll (e.g. to inject a fault at the right moment).
 */
export async function waitForExecutions(
	postgres: RunningPostgres,
	workflowId: string,
	count: number,
	o: {
		timeoutMs: number;
		pollMs?: number;
		onPoll?: (rows: ExecutionRow[]) => void | Promise<void>;
	},
): Promise<ExecutionRow[]> {
	const deadline = Date.now() + o.timeoutMs;
	for (;;) {
		const rows = await executionRows(postgres, workflowId);
		await o.onPoll?.(rows);
		if (rows.length >= count && rows.every((r) => !OPEN_STATUSES.includes(r.status))) return rows;
		if (Date.now() > deadline) {
			const byStatus = rows.reduce<Record<string, number>>(
				(m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m),
				{},
			);
			throw new Error(
				`after ${o.timeoutMs} ms: ${rows.length} of ${count} executions, by status ${JSON.stringify(byStatus)}`,
			);
		}
		await sleep(o.pollMs ?? 500);
	}
}

/** An execution with its data (GET /api/v1/executions/:id?includeData=true). */
export interface ExecutionDetail {
	id: string;
	status: string;
	mode: string;
	retryOf: string | null;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: { main?: Array<OutputItem[] | null> }; error?: unknown }>
			>;
			error?: { message?: string };
		};
	};
}

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number }>;
}

export async function executionDetail(api: PublicApi, id: string): Promise<ExecutionDetail> {
	return await api.json<ExecutionDetail>('GET', `/executions/${id}?includeData=true`);
}

/** The batch a successful execution ran (from the webhook's body), or undefined. */
export function batchOf(e: ExecutionDetail): number | undefined {
	const body = e.data?.resultData?.runData?.[WEBHOOK_NODE]?.[0]?.data?.main?.[0]?.[0]?.json
		?.body as { batch?: unknown } | undefined;
	return typeof body?.batch === 'number' ? body.batch : undefined;
}

/** Items of a node's first output in its first run. */
export function outputItems(e: ExecutionDetail, node: string): OutputItem[] {
	return e.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];
}

/** The fake's DeregisterManagedInstance requests, by instance. */
export function deregistrationsByInstance(fake: FakeEcs): Map<string, RecordedRequest[]> {
	const map = new Map<string, RecordedRequest[]>();
	for (const r of fake.requests) {
		if (r.action !== 'DeregisterManagedInstance') continue;
		const id = String(r.params?.InstanceId ?? '');
		const list = map.get(id) ?? [];
		list.push(r);
		map.set(id, list);
	}
	return map;
}

/** A request that deregistered the instance: answered 200 by the action itself, not replayed from a ClientToken. */
export function acted(r: RecordedRequest): boolean {
	return r.status === 200 && !r.replayed;
}
