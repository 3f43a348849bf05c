/**
 * The package in n8n's queue mode: Redis and PostgreSQL from the machine's packages
 * (scripts/ensure-queue-services.sh), one `n8n start` (main) and two `n8n worker`s, each process
 * with its own user folder holding the package installed from its `npm pack` tarball, and the fake
 * ECS endpoint with 50 ms of latency. Workload: a webhook-triggered workflow deregistering the
 * instances each call names (Concurrent Requests 10, Succeed If Already Deregistered on), 50
 * calls of 100 instances sent at once.
 *
 * 1. Healthy: every execution succeeds, both workers ran executions, the fake saw each instance
 *    deregistered exactly once, every output item is paired to its input and carries the
 *    RequestId of the request that deregistered its instance.
 * 2. A worker SIGKILLed in the middle: n8n marks what it was running; the killed worker is
 *    restarted (its recovery must not rewrite finished executions, n8n#23807); n8n's own retry is
 *    asked for every crashed execution (POST /api/v1/executions/:id/retry); batches still without
 *    a successful execution are sent again, as an operator would. In the end each instance was
 *    deregistered exactly once at the fake, and every execution is accounted for.
 * 3. A worker without the package (n8n#30313): what it takes fails with "Unrecognized node
 *    type", and nothing reaches the endpoint.
 *
 * What n8n did is written to test-results/e2e/queue-mode-<line>.json (docs/SCALING.md).
 */
import * as fs from 'fs';
import * as path from 'path';

import {
	FakeEcs,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	type RecordedRequest,
} from '../fake-ecs';
import {
	REPO_ROOT,
	ensureLine,
	installPackageInto,
	makeUserFolder,
	packBuiltPackage,
	removePackedPackage,
	selectedLineIds,
	NODE_TYPE,
} from './lib';
import { processGuard, removeTree } from './lib/process-guard';
import {
	executionsFinishedBy,
	executionsStartedBy,
	startQueueCluster,
	type QueueCluster,
	type RunningWorker,
} from './lib/queue-mode';
import {
	DEREGISTER_NODE,
	SPLIT_NODE,
	acted,
	batchOf,
	deregistrationsByInstance,
	executionDetail,
	executionRows,
	makeBatches,
	outputItems,
	sendBatches,
	setUpDeregisterWorkflow,
	waitForExecutions,
	type Batch,
	type ExecutionDetail,
	type ExecutionRow,
} from './lib/queue-workload';

/** Queue mode is run on the n8n 2.x lines: 2.8.4 (Node 20) and 2.41.1 (Node 24). */
const QUEUE_LINES = ['n8n2-node20', 'n8n2-node24'];
const LINES = selectedLineIds().filter((id) => QUEUE_LINES.includes(id));

const BATCHES = 50;
const BATCH_SIZE = 100;
/** the node's Concurrent Requests */
const NODE_CONCURRENCY = 10;
/** executions one worker runs at a time (n8n's default) */
const WORKER_CONCURRENCY = 10;
const LATENCY_MS = 50;
/** the worker is killed once this many of the 5,000 instances are deregistered */
const KILL_AFTER = 1000;
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');

const seconds = (ms: number) => Math.round(ms / 100) / 10;

function byStatus(rows: ExecutionRow[]): Record<string, number> {
	return rows.reduce<Record<string, number>>(
		(m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m),
		{},
	);
}

/** Reads executions with their data, a few at a time. */
async function details(
	cluster: QueueCluster,
	ids: string[],
): Promise<Map<string, ExecutionDetail>> {
	const out = new Map<string, ExecutionDetail>();
	for (let i = 0; i < ids.length; i += 5) {
		const chunk = await Promise.all(
			ids.slice(i, i + 5).map((id) => executionDetail(cluster.api, id)),
		);
		chunk.forEach((d) => out.set(String(d.id), d));
	}
	return out;
}

/** Execution IDs a worker's log shows started and not finished. */
function unfinishedBy(worker: RunningWorker): string[] {
	const finished = new Set(executionsFinishedBy(worker.output()));
	return executionsStartedBy(worker.output()).filter((id) => !finished.has(id));
}

interface Accounting {
	items: number;
	deregistered: number;
	alreadyDeregistered: number;
}

/**
 * Accounts for every instance of every batch, against the fake's records:
 * - the fake deregistered it exactly once (one request answered 200 by the action itself; any
 *   other request for it was a ClientToken replay or answered InvalidInstance.NotFound);
 * - exactly one successful execution covers its batch, and that execution's Deregister output
 *   item at the instance's position is paired to the Split Out item of the same position (which
 *   names the same instance) and names the instance;
 * - that item carries the RequestId of the deregistering request, or, for an instance a crashed
 *   execution had already deregistered (`doneByCrashed`), AlreadyDeregistered: true and the
 *   RequestId of a request the fake answered InvalidInstance.NotFound.
 */
function accountFor(
	batches: Batch[],
	successByBatch: Map<number, ExecutionDetail>,
	requests: Map<string, RecordedRequest[]>,
	doneByCrashed: Set<string>,
): Accounting {
	const result: Accounting = { items: 0, deregistered: 0, alreadyDeregistered: 0 };
	for (const batch of batches) {
		const execution = successByBatch.get(batch.batch);
		if (!execution) throw new Error(`batch ${batch.batch}: no successful execution`);
		const split = outputItems(execution, SPLIT_NODE);
		const items = outputItems(execution, DEREGISTER_NODE);
		expect(split.map((i) => i.json)).toEqual(batch.instances);
		expect(items).toHaveLength(batch.instances.length);
		items.forEach((item, i) => {
			const { instanceId } = batch.instances[i];
			const where = `execution ${execution.id} (batch ${batch.batch}) item ${i} (${instanceId})`;
			const paired = Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
			expect({ where, paired: paired.map((p) => p?.item) }).toEqual({ where, paired: [i] });
			expect({ where, InstanceId: item.json.InstanceId }).toEqual({
				where,
				InstanceId: instanceId,
			});
			const seen = requests.get(instanceId) ?? [];
			const acting = seen.filter(acted);
			const others = seen.filter((r) => !acted(r));
			expect({ where, deregistrations: acting.length }).toEqual({ where, deregistrations: 1 });
			for (const r of others) {
				expect({
					where,
					other: r.replayed === true || r.code === 'InvalidInstance.NotFound',
				}).toEqual({
					where,
					other: true,
				});
			}
			if (item.json.AlreadyDeregistered === true) {
				expect({ where, doneByCrashed: doneByCrashed.has(instanceId) }).toEqual({
					where,
					doneByCrashed: true,
				});
				const answer = others.find((r) => r.requestId === item.json.RequestId);
				expect({ where, code: answer?.code }).toEqual({ where, code: 'InvalidInstance.NotFound' });
				result.alreadyDeregistered++;
			} else {
				expect({ where, RequestId: item.json.RequestId }).toEqual({
					where,
					RequestId: acting[0].requestId,
				});
				result.deregistered++;
			}
			result.items++;
		});
	}
	return result;
}

/** The successful execution of each batch; fails on a batch that has two. */
function successfulByBatch(all: Map<string, ExecutionDetail>): Map<number, ExecutionDetail> {
	const map = new Map<number, ExecutionDetail>();
	for (const e of all.values()) {
		if (e.status !== 'success') continue;
		const batch = batchOf(e);
		if (batch === undefined) throw new Error(`execution ${e.id}: no batch in its webhook data`);
		if (map.has(batch))
			throw new Error(`batch ${batch} ran twice: executions ${map.get(batch)?.id} and ${e.id}`);
		map.set(batch, e);
	}
	return map;
}

(LINES.length ? describe.each(LINES) : describe.skip.each(['(no n8n 2.x line selected)']))(
	'queue mode on %s: main + 2 workers, Redis, PostgreSQL',
	(lineId) => {
		let fake: FakeEcs;
		let tarball: string | undefined;
		let installFolder: string | undefined;
		let cluster: QueueCluster | undefined;
		const logDir = path.join(RESULTS_DIR, `queue-mode-${lineId}-logs`);
		const report: Record<string, unknown> = { line: lineId };

		/** The deregistration workflow on webhook path `webhookPath`, active, with its own credential. */
		const deregisterWorkflowAt = async (webhookPath: string): Promise<string> =>
			(
				await setUpDeregisterWorkflow(
					(cluster as QueueCluster).api,
					(cluster as QueueCluster).postgres,
					{
						endpoint: fake.url,
						accessKeyId: TEST_ACCESS_KEY_ID,
						accessKeySecret: TEST_ACCESS_KEY_SECRET,
						path: webhookPath,
						concurrency: NODE_CONCURRENCY,
					},
				)
			).workflowId;

		beforeAll(async () => {
			const started = Date.now();
			const line = ensureLine(lineId);
			report.n8n = line.n8n;
			report.node = line.nodeVersion;
			fs.rmSync(logDir, { recursive: true, force: true });
			fs.mkdirSync(logDir, { recursive: true });
			fake = await FakeEcs.start({ latencyMs: LATENCY_MS });
			tarball = packBuiltPackage();
			installFolder = makeUserFolder('e2e-queue-package-');
			processGuard().addFolder(installFolder);
			// the package once, as `npm install <tarball>` in .n8n/nodes; every process links to it
			installPackageInto(installFolder, tarball, { line });
			const installed = Date.now();
			cluster = await startQueueCluster({
				line,
				nodesFrom: installFolder,
				workers: 2,
				workerConcurrency: WORKER_CONCURRENCY,
				logDir,
			});
			report.setupSeconds = {
				install: seconds(installed - started),
				cluster: seconds(Date.now() - installed),
			};
		}, 600_000);

		afterAll(async () => {
			const started = Date.now();
			await cluster?.stop();
			const stopped = Date.now();
			await fake?.close();
			const closed = Date.now();
			removePackedPackage(tarball);
			const unpacked = Date.now();
			if (installFolder) {
				removeTree(installFolder);
				processGuard().removeFolder(installFolder);
			}
			report.teardownSeconds = {
				processes: seconds(stopped - started),
				fake: seconds(closed - stopped),
				tarball: seconds(unpacked - closed),
				package: seconds(Date.now() - unpacked),
			};
			fs.mkdirSync(RESULTS_DIR, { recursive: true });
			fs.writeFileSync(
				path.join(RESULTS_DIR, `queue-mode-${lineId}.json`),
				JSON.stringify(report, null, 2) + '\n',
			);
		}, 120_000);

		test('50 calls of 100 instances at once: every execution succeeds on both workers, each instance deregistered once, every item paired', async () => {
			const c = cluster as QueueCluster;
			const workflowId = await deregisterWorkflowAt('deregister-healthy');
			const batches = makeBatches(fake, BATCHES, BATCH_SIZE);
			const sent = Date.now();
			const answers = await sendBatches(c.main.url, 'deregister-healthy', batches);
			expect({ answers: answers.filter((a) => a !== '200') }).toEqual({ answers: [] });
			const rows = await waitForExecutions(c.postgres, workflowId, BATCHES, {
				timeoutMs: 300_000,
				pollMs: 250,
			});
			const wall = Date.now() - sent;

			expect(rows).toHaveLength(BATCHES);
			expect(byStatus(rows)).toEqual({ success: BATCHES });
			const ids = rows.map((r) => r.id);
			const [w1, w2] = c.workers;
			const ran = c.workers.map((w) =>
				executionsStartedBy(w.output()).filter((id) => ids.includes(id)),
			);
			// both workers ran executions, each execution ran once, on one worker
			expect(ran[0].length).toBeGreaterThan(0);
			expect(ran[1].length).toBeGreaterThan(0);
			expect([...ran[0], ...ran[1]].sort()).toEqual([...ids].sort());

			const all = await details(c, ids);
			const successes = successfulByBatch(all);
			expect([...successes.keys()].sort((a, b) => a - b)).toEqual(batches.map((b) => b.batch));
			const requests = deregistrationsByInstance(fake);
			const accounting = accountFor(batches, successes, requests, new Set());
			expect(accounting).toEqual({
				items: BATCHES * BATCH_SIZE,
				deregistered: BATCHES * BATCH_SIZE,
				alreadyDeregistered: 0,
			});
			expect(fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
			for (const b of batches)
				for (const i of b.instances)
					expect(fake.state.getInstance(i.instanceId, i.region)).toBeUndefined();

			const first = Math.min(...rows.map((r) => Date.parse(r.startedAt as string)));
			const last = Math.max(...rows.map((r) => Date.parse(r.stoppedAt as string)));
			report.healthy = {
				executions: rows.length,
				byWorker: { [w1.name]: ran[0].length, [w2.name]: ran[1].length },
				instances: accounting.items,
				requests: batches.reduce(
					(n, b) =>
						n + b.instances.reduce((m, i) => m + (requests.get(i.instanceId)?.length ?? 0), 0),
					0,
				),
				wallSeconds: seconds(wall),
				firstStartToLastStopSeconds: seconds(last - first),
				instancesPerSecond: Math.round((accounting.items / wall) * 1000),
			};
		}, 420_000);

		test('a worker SIGKILLed mid-run: n8n marks its executions, retry and re-send leave each instance deregistered exactly once', async () => {
			const c = cluster as QueueCluster;
			const webhookPath = 'deregister-fault';
			const workflowId = await deregisterWorkflowAt(webhookPath);
			const batches = makeBatches(fake, BATCHES, BATCH_SIZE);
			const ours = new Set(batches.flatMap((b) => b.instances.map((i) => i.instanceId)));
			const deregisteredSoFar = () =>
				fake.requests.filter(
					(r) =>
						r.action === 'DeregisterManagedInstance' && acted(r) && ours.has(r.params.InstanceId),
				).length;
			const [victim, survivor] = c.workers;
			let kill: { at: number; deregistered: number; inFlight: string[] } | undefined;

			// 1. the workload; once KILL_AFTER instances are done and the victim runs executions of
			//    this workflow, SIGKILL it (and its task runner: the whole process group)
			let answered: string[] | undefined;
			const answersPromise = sendBatches(c.main.url, webhookPath, batches).then(
				(a) => (answered = a),
			);
			const rows = await waitForExecutions(c.postgres, workflowId, BATCHES, {
				timeoutMs: 300_000,
				pollMs: 100,
				onPoll: (current) => {
					const refused = answered?.filter((a) => a !== '200') ?? [];
					if (refused.length) throw new Error(`webhook calls not accepted: ${refused.join(', ')}`);
					if (kill) return;
					const ids = new Set(current.map((r) => r.id));
					const inFlight = unfinishedBy(victim).filter((id) => ids.has(id));
					const done = deregisteredSoFar();
					if (done >= KILL_AFTER && inFlight.length > 0) {
						victim.kill('SIGKILL');
						kill = { at: Date.now(), deregistered: done, inFlight };
					}
				},
			});
			const answers = await answersPromise;
			if (!kill)
				throw new Error(
					'the worker was never killed: the workload ended before the kill condition held',
				);
			await victim.exited;
			const ids = rows.map((r) => r.id);
			// What the victim held when it died. Its log is incomplete both ways: an execution it
			// completed just before (stored as success) may lack its "finished" line, and a job it
			// had just taken may lack its "started" line; both were lost with the process.
			const unfinished = unfinishedBy(victim).filter((id) => ids.includes(id));
			const survivorRan = executionsStartedBy(survivor.output()).filter((id) => ids.includes(id));
			const failed = rows.filter((r) => r.status !== 'success');
			const crashed = failed.map((r) => r.id);
			const completedJustBefore = unfinished.filter((id) => !crashed.includes(id));
			const takenButNotLogged = crashed.filter((id) => !unfinished.includes(id));
			const markedAt = Math.max(...failed.map((r) => Date.parse(r.stoppedAt ?? r.createdAt)));
			expect({ answers: answers.filter((a) => a !== '200') }).toEqual({ answers: [] });
			expect(rows).toHaveLength(BATCHES);
			expect(survivorRan.length).toBeGreaterThan(0);
			// n8n marked what the victim held, as stalled jobs (Bull's message in the main's log),
			// and nothing the surviving worker ran
			expect(crashed.length).toBeGreaterThan(0);
			for (const r of failed) {
				const what = {
					id: r.id,
					status: r.status,
					ranOnSurvivor: survivorRan.includes(r.id),
					stalledJob: c.main
						.output()
						.includes(`job stalled more than maxStalledCount (execution ${r.id})`),
				};
				expect(what).toEqual({
					id: r.id,
					status: r.status === 'crashed' ? 'crashed' : 'error',
					ranOnSurvivor: false,
					stalledJob: true,
				});
			}
			const failedDetails = await details(c, crashed);
			const marks = [...failedDetails.values()].map((d) => ({
				id: d.id,
				status: d.status,
				message: d.data?.resultData?.error?.message,
				runData: Object.keys(d.data?.resultData?.runData ?? {}),
			}));

			// 2. the operator restarts the dead worker in its own folder: its recovery of the
			//    executions in its event log must leave finished executions as they are
			const before = await executionRows(c.postgres, workflowId);
			const restarted = await c.addWorker(`${victim.name}-restarted`, {
				userFolder: victim.userFolder,
			});
			const after = await executionRows(c.postgres, workflowId);
			expect(after.map((r) => [r.id, r.status])).toEqual(before.map((r) => [r.id, r.status]));

			// 3. n8n's own retry of each crashed execution (public API), as an operator would
			const requestsBeforeRetry = fake.requests.length;
			const retries: Array<{
				of: string;
				http: number;
				id?: string;
				status?: string;
				message?: string;
			}> = [];
			for (const id of crashed) {
				const r = await c.api.call('POST', `/executions/${id}/retry`, {}, 120_000);
				const body =
					r.status === 200
						? r.json<{
								id?: string;
								status?: string;
								data?: { resultData?: { error?: { message?: string } } };
							}>()
						: undefined;
				retries.push({
					of: id,
					http: r.status,
					id: body?.id === undefined ? undefined : String(body.id),
					status: body?.status,
					message:
						body?.data?.resultData?.error?.message ??
						(r.status === 200 ? undefined : r.body.slice(0, 300)),
				});
			}
			const retried = retries.filter((r) => r.id !== undefined).length;
			const afterRetry = await waitForExecutions(c.postgres, workflowId, BATCHES + retried, {
				timeoutMs: 300_000,
			});
			const retryRequests = fake.requests.length - requestsBeforeRetry;

			// 4. batches still without a successful execution are sent again
			const successIds = afterRetry.filter((r) => r.status === 'success').map((r) => r.id);
			const covered = new Set([...(await details(c, successIds)).values()].map((e) => batchOf(e)));
			const missing = batches.filter((b) => !covered.has(b.batch));
			const requestsSoFar = deregistrationsByInstance(fake);
			// instances a crashed execution deregistered before it died: their re-sent item must
			// say AlreadyDeregistered (a new execution, so a new ClientToken: the fake finds nothing)
			const doneByCrashed = new Set(
				missing
					.flatMap((b) => b.instances.map((i) => i.instanceId))
					.filter((id) => (requestsSoFar.get(id) ?? []).some(acted)),
			);
			const notYetDone = missing
				.flatMap((b) => b.instances)
				.filter((i) => !doneByCrashed.has(i.instanceId));
			// the kill landed in the middle: crashed executions had deregistered some instances and not others
			expect(doneByCrashed.size).toBeGreaterThan(0);
			expect(notYetDone.length).toBeGreaterThan(0);
			const resendAnswers = await sendBatches(c.main.url, webhookPath, missing);
			expect({ answers: resendAnswers.filter((a) => a !== '200') }).toEqual({ answers: [] });
			const final = await waitForExecutions(
				c.postgres,
				workflowId,
				afterRetry.length + missing.length,
				{
					timeoutMs: 300_000,
				},
			);

			// 5. every execution accounted for: one success per batch; the others are the crashed
			//    ones and n8n's retries of them
			expect(final).toHaveLength(BATCHES + retried + missing.length);
			const all = await details(
				c,
				final.map((r) => r.id),
			);
			const successes = successfulByBatch(all);
			expect([...successes.keys()].sort((a, b) => a - b)).toEqual(batches.map((b) => b.batch));
			const successIdSet = new Set([...successes.values()].map((e) => String(e.id)));
			const retryIds = new Set(retries.map((r) => r.id).filter(Boolean));
			for (const r of final) {
				if (successIdSet.has(r.id)) continue;
				const known =
					crashed.includes(r.id) ||
					(retryIds.has(r.id) && r.retryOf !== null && crashed.includes(r.retryOf));
				expect({ id: r.id, status: r.status, mode: r.mode, accountedFor: known }).toEqual({
					id: r.id,
					status: r.status,
					mode: r.mode,
					accountedFor: true,
				});
			}
			const requests = deregistrationsByInstance(fake);
			const accounting = accountFor(batches, successes, requests, doneByCrashed);
			expect(accounting.items).toBe(BATCHES * BATCH_SIZE);
			expect(accounting.alreadyDeregistered).toBe(doneByCrashed.size);
			expect(fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
			for (const b of batches)
				for (const i of b.instances)
					expect(fake.state.getInstance(i.instanceId, i.region)).toBeUndefined();
			const resentIds = final.slice(afterRetry.length).map((r) => r.id);
			const ranBy = (w: RunningWorker) =>
				executionsStartedBy(w.output()).filter((id) => resentIds.includes(id)).length;
			const finalRows = new Map(final.map((r) => [r.id, r]));

			report.fault = {
				killedWorker: victim.name,
				killedAt: new Date(kill.at).toISOString(),
				markedStoppedAt: failed.map((r) => r.stoppedAt),
				killedAfterSeconds: seconds(kill.at - Date.parse(rows[0].createdAt)),
				deregisteredWhenKilled: kill.deregistered,
				inFlightOnKilledWorkerByItsLog: unfinished,
				completedJustBeforeTheKill: completedJustBefore,
				takenByKilledWorkerButNotInItsLog: takenButNotLogged,
				markedByN8n: marks,
				secondsFromKillToLastMarked: seconds(markedAt - kill.at),
				workerRestartChangedStatuses: false,
				restartedWorkerLog: restarted
					.output()
					.split('\n')
					.filter((l) => /crash|unfinished|recover/i.test(l))
					.slice(0, 10),
				n8nRetry: retries.map((r) => ({
					...r,
					finalStatus: r.id ? finalRows.get(r.id)?.status : undefined,
				})),
				requestsDuringN8nRetry: retryRequests,
				resentBatches: missing.map((b) => b.batch),
				resentExecutions: resentIds.map((id) => ({ id, status: finalRows.get(id)?.status })),
				resentRanBy: { [restarted.name]: ranBy(restarted), [survivor.name]: ranBy(survivor) },
				instancesDeregisteredByCrashedExecutions: doneByCrashed.size,
				instancesLeftForTheResend: notYetDone.length,
				accounting,
				deregisterRequests: [...ours].reduce((n, id) => n + (requests.get(id)?.length ?? 0), 0),
			};
		}, 900_000);

		test('a worker without the package: what it takes fails with "Unrecognized node type", nothing reaches the endpoint', async () => {
			const c = cluster as QueueCluster;
			const workflowId = await deregisterWorkflowAt('deregister-bare-worker');
			// only a worker without the package is left to take jobs
			await Promise.all(c.workers.map((w) => w.stop()));
			const bare = await c.addWorker('worker-without-package', { withoutPackage: true });
			const batches = makeBatches(fake, 2, 5);
			const requestsBefore = fake.requests.length;
			await sendBatches(c.main.url, 'deregister-bare-worker', batches);
			const rows = await waitForExecutions(c.postgres, workflowId, batches.length, {
				timeoutMs: 120_000,
			});
			expect(byStatus(rows)).toEqual({ error: batches.length });
			expect(
				executionsStartedBy(bare.output()).filter((id) => rows.some((r) => r.id === id)).length,
			).toBeGreaterThan(0);
			const messages = [
				...(
					await details(
						c,
						rows.map((r) => r.id),
					)
				).values(),
			].map((d) => d.data?.resultData?.error?.message);
			for (const m of messages) expect(m).toContain(`Unrecognized node type: ${NODE_TYPE}`);
			expect(fake.requests.length).toBe(requestsBefore);
			report.workerWithoutPackage = {
				executions: rows.map((r) => ({ id: r.id, status: r.status })),
				messages,
			};
		}, 300_000);
	},
);
