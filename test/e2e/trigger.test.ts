/**
 * The Alibaba Cloud ECS Trigger in a running n8n (`n8n start`), per n8n line, against its own
 * fake ECS endpoint: two active workflows, the trigger with every event on cn-hangzhou
 * (test/fixtures/workflows/trigger-events.json, the engine tests' workflow) and the example
 * "Notify and open a ticket when a server has been offline for 24 hours" (examples/, all 16
 * regions). Before the activation the trigger is run from the editor ("Fetch Test Event", a manual
 * run through the REST API): current items shaped like its events. After the activation (the
 * baseline: nothing started) the fake's fleet changes once
 * (a registration that uses up its activation code, a disconnection, a deregistration, and the
 * endpoint's clock 10 minutes on, which takes two servers past 24 hours offline); the test waits
 * for two polls of each workflow after the change (n8n polls at most once a minute: Poll Times
 * "Every Minute", at a second n8n picks at random) and reads the executions n8n recorded: exactly
 * one per workflow, with exactly the expected events, each once; the example's chat and ticket
 * calls arrive once per server. The lines run side by side (about 3 minutes in all).
 * Needs `npm run build` first.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import {
	ChatWebhook,
	N8nRest,
	credentialRefs,
	describeRun,
	findNode,
	loadExample,
	setSetting,
	sleep,
	type Execution,
	type ExampleWorkflow,
} from './examples-helpers';
import {
	REPO_ROOT,
	TRIGGER_NODE_TYPE,
	findLine,
	importCredentials,
	importWorkflows,
	installPackageInto,
	makeUserFolder,
	packBuiltPackage,
	removePackedPackage,
	removeUserFolder,
	selectedLineIds,
	setupOwner,
	startN8n,
	type CredentialInput,
	type RunningN8n,
	type WorkflowInput,
} from './lib';

const HZ = 'cn-hangzhou';
const SH = 'cn-shanghai';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How far the endpoint's clock moves on after the baseline (inside its 15-minute signing window). */
const SKEW = 10 * MINUTE;
const TRIGGER_EXAMPLE = 'offline-server-notify-and-ticket.json';
const EVENTS_NODE = 'ECS Trigger';
const EXAMPLE_NODE = 'When a server has been offline for 24 hours';
const TICKET_TOKEN = crypto.randomBytes(24).toString('hex');

/** Every selected line, side by side. */
const LINES = selectedLineIds();

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function eventsWorkflow(): WorkflowInput & { name: string } {
	const file = path.join(REPO_ROOT, 'test', 'fixtures', 'workflows', 'trigger-events.json');
	const wf = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowInput & { name: string };
	return { ...wf, name: 'Trigger: every event in cn-hangzhou' };
}

/** The example as users import it; Settings as its note says, and polled every minute. */
function exampleWorkflow(chat: ChatWebhook, tickets: ChatWebhook): ExampleWorkflow {
	const wf = loadExample(TRIGGER_EXAMPLE);
	setSetting(wf, 'chatWebhookUrl', chat.url);
	setSetting(wf, 'ticketApiUrl', tickets.url.replace('/hooks/ecs-cleanup', '/api/tickets'));
	expect(findNode(wf, EXAMPLE_NODE).type).toBe(TRIGGER_NODE_TYPE);
	// the file polls every 10 minutes; the shortest n8n allows keeps this test short
	findNode(wf, EXAMPLE_NODE).parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
	return wf;
}

interface Fleet {
	stays: string;
	leaves: string;
	dies: string;
	arrives?: string;
	staleHz: string;
	staleSh: string;
	codeId: string;
}

/** The fleet before activation: connected servers, two offline for 24 hours less 5 minutes. */
function seed(fake: FakeEcs): Fleet {
	const add = (name: string, fields: Parameters<FakeEcs['state']['addInstance']>[0] = {}) =>
		fake.state.addInstance({
			RegionId: HZ,
			InstanceName: name,
			Connected: true,
			RegistrationTime: iso(Date.now() - 500 * HOUR),
			...fields,
		}).InstanceId;
	const almost = { Connected: false, LastHeartbeatTime: iso(Date.now() - 24 * HOUR + 5 * MINUTE) };
	return {
		stays: add('stays'),
		leaves: add('leaves'),
		dies: add('dies'),
		staleHz: add('stale-hz', almost),
		staleSh: add('stale-sh', { ...almost, RegionId: SH }),
		codeId: fake.state.addActivation({
			RegionId: HZ,
			InstanceCount: 1,
			TimeToLiveInHours: 4,
			CreationTime: iso(Date.now() - HOUR),
		}).ActivationId,
	};
}

/** Resolves once the fake has had no request for `quietMs`. */
async function quiet(fake: FakeEcs, quietMs: number): Promise<void> {
	let seen = -1;
	let since = Date.now();
	for (;;) {
		if (fake.requests.length !== seen) {
			seen = fake.requests.length;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) return;
		await sleep(100);
	}
}

/** Waits until `count` polls matching `isPoll` (their first request) came after request `from`. */
async function polls(
	fake: FakeEcs,
	from: number,
	isPoll: (r: FakeEcs['requests'][number]) => boolean,
	count: number,
	timeoutMs: number,
	what: string,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (fake.requests.slice(from).filter(isPoll).length < count) {
		if (Date.now() > deadline)
			throw new Error(`${what}: fewer than ${count} polls in ${timeoutMs} ms`);
		await sleep(250);
	}
}

interface Outcome {
	fleet: Fleet;
	/** "Fetch Test Event": the trigger run from the editor before the activation */
	manual: Execution;
	events: Execution[];
	example: Execution[];
	chat: ChatWebhook['messages'];
	tickets: ChatWebhook['messages'];
	/** from the activation to the last poll awaited */
	seconds: number;
	output: string;
	unsigned: number;
}

async function listExecutions(rest: N8nRest, workflowId: string): Promise<Execution[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await rest.call<{ results: Array<{ id: string }> }>(
		'GET',
		`/executions?filter=${filter}`,
	);
	const executions: Execution[] = [];
	for (const { id } of page.results) executions.push(await rest.waitForExecution(String(id)));
	return executions.sort((a, b) => Number(a.id) - Number(b.id));
}

async function scenario(lineId: string, tarball: string): Promise<Outcome> {
	const line = findLine(lineId);
	if (!line) throw new Error(`line ${lineId} is not installed`);
	const fake = await FakeEcs.start({ seedSample: false });
	const chat = await ChatWebhook.start();
	const tickets = await ChatWebhook.start();
	const userFolder = makeUserFolder(`e2e-trigger-${lineId}-`);
	let n8n: RunningN8n | undefined;
	try {
		installPackageInto(userFolder, tarball, { line });
		const events = eventsWorkflow();
		const example = exampleWorkflow(chat, tickets);
		const alibaba = { accessKeyId: TEST_ACCESS_KEY_ID, accessKeySecret: TEST_ACCESS_KEY_SECRET };
		const credentials: CredentialInput[] = [];
		for (const wf of [events, example]) {
			for (const [type, ref] of credentialRefs(wf as ExampleWorkflow)) {
				const data =
					type === 'httpHeaderAuth'
						? { name: 'Authorization', value: `Bearer ${TICKET_TOKEN}` }
						: { ...alibaba, endpoint: fake.url };
				credentials.push({ id: ref.id, name: ref.name, type, data });
			}
		}
		await importCredentials(line, userFolder, credentials);
		const [eventsWf, exampleWf] = await importWorkflows(line, userFolder, [events, example]);
		n8n = await startN8n({ line, userFolder });
		const { cookie } = await setupOwner(n8n.url);
		const rest = new N8nRest(n8n.url, cookie, line);

		const fleet = seed(fake);
		// "Fetch Test Event" (the editor runs the workflow from the trigger): current items
		const manual = await rest.waitForExecution(await rest.runManually(eventsWf.id, EVENTS_NODE));
		const started = Date.now();
		// n8n runs the first poll when it activates: the baseline
		await rest.setActive(eventsWf.id, true);
		await rest.setActive(exampleWf.id, true);
		await quiet(fake, 3000);
		expect(fake.requests.filter((r) => r.action === 'DescribeActivations').length).toBeGreaterThan(
			0,
		);
		expect(fake.requests.some((r) => r.params.RegionId === SH)).toBe(true);

		// the change, between two polls (none in flight: 3 s without a request)
		await quiet(fake, 3000);
		const changed = fake.requests.length;
		fake.skewClock(SKEW);
		fleet.arrives = fake.state.addInstance({
			RegionId: HZ,
			InstanceName: 'arrives',
			Connected: true,
			ActivationId: fleet.codeId,
			RegistrationTime: iso(Date.now() + SKEW),
		}).InstanceId;
		fake.state.disconnectInstance(fleet.dies, HZ, Date.now() + SKEW - 3 * MINUTE);
		fake.state.deregisterInstance(fleet.leaves, HZ);

		// two polls of each workflow after the change: the one that reports it, one that must not
		const eventsPoll = (r: FakeEcs['requests'][number]) => r.action === 'DescribeActivations';
		const examplePoll = (r: FakeEcs['requests'][number]) =>
			r.action === 'DescribeManagedInstances' && r.params.RegionId === SH;
		await Promise.all([
			polls(fake, changed, eventsPoll, 2, 3 * MINUTE, 'events workflow'),
			polls(fake, changed, examplePoll, 2, 3 * MINUTE, 'example workflow'),
		]);
		await quiet(fake, 5000); // the last polls' executions, if they started any, are saved by then
		const seconds = (Date.now() - started) / 1000;
		return {
			fleet,
			manual,
			// every execution of the workflow but the manual run
			events: (await listExecutions(rest, eventsWf.id)).filter((e) => e.id !== manual.id),
			example: await listExecutions(rest, exampleWf.id),
			chat: chat.messages,
			tickets: tickets.messages,
			seconds,
			output: n8n.output(),
			unsigned: fake.requests.filter((r) => !r.signatureValid).length,
		};
	} finally {
		await n8n?.stop();
		await chat.close();
		await tickets.close();
		await fake.close();
		removeUserFolder(userFolder);
	}
}

const triggerItems = (e: Execution, node: string) =>
	(e.run.data.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map((i) => i.json);

let tarball: string;
const outcomes = new Map<string, Promise<Outcome>>();

beforeAll(() => {
	tarball = packBuiltPackage();
	// the lines side by side: most of the time is n8n's minute between polls
	for (const lineId of LINES) {
		const outcome = scenario(lineId, tarball);
		outcome.catch(() => undefined); // reported by the line's test
		outcomes.set(lineId, outcome);
	}
});

afterAll(async () => {
	await Promise.allSettled(outcomes.values());
	removePackedPackage(tarball);
});

describe.each(LINES)('Alibaba Cloud ECS Trigger on n8n line %s', (lineId) => {
	let outcome: Outcome;

	beforeAll(async () => {
		outcome = await outcomes.get(lineId)!;
		console.log(`${lineId}: activation to the last awaited poll ${outcome.seconds.toFixed(0)} s`);
	}, 8 * MINUTE);

	it('starts one execution for the change, with each event once, and none for the baseline or the unchanged fleet', () => {
		const { events, fleet } = outcome;
		expect(events.map((e) => `${e.mode} ${e.status}`)).toEqual(['trigger success']);
		const items = triggerItems(events[0], EVENTS_NODE);
		const summary = items.map(
			(i) => `${i.Event as string} ${(i.InstanceId ?? i.ActivationId) as string}`,
		);
		expect([...summary].sort()).toEqual(
			[
				`instanceRegistered ${fleet.arrives}`,
				`instanceDisconnected ${fleet.dies}`,
				`instanceOffline ${fleet.staleHz}`,
				`instanceDeregistered ${fleet.leaves}`,
				`activationUsedUp ${fleet.codeId}`,
			].sort(),
		);
		for (const item of items) {
			expect(item).toMatchObject({ RegionId: HZ, DetectedTime: expect.stringMatching(/Z$/) });
			expect(item.EventId).toEqual(expect.stringMatching(new RegExp(`^${String(item.Event)}/`)));
		}
		const offline = items.find((i) => i.Event === 'instanceOffline');
		expect(offline).toMatchObject({ InstanceName: 'stale-hz', OfflineForAtLeastHours: 24 });
		expect(items.find((i) => i.Event === 'activationUsedUp')).not.toHaveProperty('ActivationCode');
	});

	it('runs the example: one execution, one chat message and one ticket per server offline for 24 hours, in any region', () => {
		const { example, fleet, chat, tickets } = outcome;
		expect(example.map((e) => `${e.mode} ${e.status}`)).toEqual(['trigger success']);
		const items = triggerItems(example[0], EXAMPLE_NODE);
		expect(items.map((i) => `${i.Event as string} ${i.InstanceId as string}`).sort()).toEqual(
			[`instanceOffline ${fleet.staleHz}`, `instanceOffline ${fleet.staleSh}`].sort(),
		);
		const ran = (node: string) =>
			example[0].run.data.resultData.runData[node]?.[0]?.data?.main?.[0]?.length ?? 0;
		expect({ notify: ran('Notify chat'), ticket: ran('Open ticket') }).toEqual({
			notify: 2,
			ticket: 2,
		});
		expect(chat.map((m) => m.text).sort()).toEqual([
			expect.stringMatching(
				new RegExp(`^\\*Server offline for 24 hours\\*: stale-hz \\(${fleet.staleHz}, ${HZ}\\)`),
			),
			expect.stringMatching(
				new RegExp(`^\\*Server offline for 24 hours\\*: stale-sh \\(${fleet.staleSh}, ${SH}\\)`),
			),
		]);
		expect(tickets).toHaveLength(2);
		for (const ticket of tickets) {
			expect(ticket.headers.authorization).toBe(`Bearer ${TICKET_TOKEN}`);
		}
		const bodies = tickets.map((t) => t.body as Record<string, unknown>);
		expect(bodies.map((b) => b.instanceId).sort()).toEqual([fleet.staleHz, fleet.staleSh].sort());
		for (const body of bodies) {
			expect(body).toMatchObject({
				title: expect.stringMatching(/^Server offline: stale-(hz|sh)$/),
				offlineSince: expect.stringMatching(/Z$/),
				idempotencyKey: `instanceOffline/${String(body.regionId)}/${String(body.instanceId)}/${(
					Date.parse(String(body.offlineSince)) / 1000
				).toFixed(0)}/24`,
			});
		}
		if (example.length !== 1) throw new Error(example.map(describeRun).join('\n'));
	});

	it('Fetch Test Event (a manual run of the trigger) returns current items shaped like the events it can show', () => {
		const { manual, fleet } = outcome;
		expect(manual.status).toBe('success');
		const items = triggerItems(manual, EVENTS_NODE);
		// nothing is offline for 24 hours yet and no code is used up or near its expiry: no items for those
		expect(items.map((i) => i.Event).sort()).toEqual(
			[
				'instanceDeregistered',
				'instanceDisconnected',
				'instanceReconnected',
				'instanceRegistered',
			].sort(),
		);
		for (const item of items) {
			expect(item).toMatchObject({
				RegionId: HZ,
				DetectedTime: expect.stringMatching(/Z$/),
				EventId: expect.stringMatching(new RegExp(`^${String(item.Event)}/${HZ}/mi-`)),
			});
		}
		expect(items.find((i) => i.Event === 'instanceDisconnected')?.InstanceId).toBe(fleet.staleHz);
	});

	it('signs every request, and n8n logs no secret', () => {
		expect(outcome.unsigned).toBe(0);
		expect(outcome.output).not.toContain(TEST_ACCESS_KEY_SECRET);
		expect(outcome.output).not.toContain(TICKET_TOKEN);
	});
});
