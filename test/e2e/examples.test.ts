/**
 * The example workflows in examples/ run in real n8n against the fake ECS endpoint (started in
 * this process): imported from their files with the CLI, configured only where their notes tell
 * users to (the Settings node), and judged by the state changes in the fake and what n8n answers.
 * Needs `npm run build` first. N8N_E2E_LINES=n8n2-node20 limits the n8n lines.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import {
	ChatWebhook,
	N8nRest,
	sleep,
	credentialRefs,
	exampleFiles,
	findNode,
	loadExample,
	onlyItem,
	setSetting,
	type ExampleWorkflow,
} from './examples-helpers';
import {
	exportNodeTypes,
	findLine,
	importCredentials,
	importWorkflows,
	installPackageInto,
	makeUserFolder,
	nodeItems,
	packBuiltPackage,
	removePackedPackage,
	parseRunOutput,
	removeUserFolder,
	request,
	runN8nCli,
	selectedLineIds,
	setupOwner,
	startN8n,
	type CliResult,
	type CredentialInput,
	type N8nLine,
	type N8nRun,
	type RunningN8n,
} from './lib';

const NODE_TYPE = 'n8n-nodes-alibaba-ecs.alibabaEcs';
const REGION = 'cn-hangzhou';
const OTHER_REGION = 'cn-shanghai';
const DAY = 86_400_000;
/** N, set in both cleanups' Settings as a user would (the files say 30) */
const STALE_AFTER_DAYS = 21;

const GENERATOR = 'activation-code-generator.json';
const SLACK = 'cleanup-stale-instances-slack-approval.json';
const WAIT = 'cleanup-stale-instances-wait-approval.json';
const TICKET = 'ticket-webhook-deregister.json';
const DRAIN = 'drain-then-deregister.json';
const ALL = [GENERATOR, SLACK, WAIT, TICKET, DRAIN];
/** the AI examples: run by ai-tools.test.ts (they need the fake model and, partly, n8n 2.x) */
const AI_EXAMPLES = ['ecs-operations-assistant.json', 'mcp-server-tools.json'];
/** the trigger's example: run by trigger.test.ts (it waits for n8n's polls) */
const TRIGGER_EXAMPLES = ['offline-server-notify-and-ticket.json'];

/**
 * Fails (exit 1, like cat) where the app left no drain marker; its second output line is a
 * secret, which must stay out of the summary and of n8n's log lines.
 */
const DRAIN_MARKER = '/var/run/app.drainable';
const DRAIN_SCRIPT = `echo draining {{ACS::InstanceId}}\necho token=SECRET_drainsecret0001\ncat ${DRAIN_MARKER}\nsleep 20\necho drained`;

const TICKET_HEADER = 'X-Ticket-Token';
const TICKET_TOKEN = crypto.randomBytes(24).toString('hex');

let fake: FakeEcs;
let chat: ChatWebhook;
let tarball: string;

beforeAll(async () => {
	tarball = packBuiltPackage();
	fake = await FakeEcs.start({ seedSample: false });
	chat = await ChatWebhook.start();
});

afterAll(async () => {
	await chat?.close();
	await fake?.close();
	removePackedPackage(tarball);
});

beforeEach(() => {
	fake.reset();
	chat.messages.length = 0;
});

/** Every request the examples sent to the fake carried a valid ACS3 signature. */
function expectAllRequestsSigned(): void {
	expect(fake.requests.length).toBeGreaterThan(0);
	expect(fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ago = (days: number) => iso(Date.now() - days * DAY);

interface Fleet {
	/** offline for more than N days (by heartbeat), in any of the 16 regions: what the cleanups may deregister */
	stale: string[];
	/** everything else: must survive every cleanup */
	keep: string[];
	byName: Record<string, string>;
}

/**
 * Instances that cover the cleanup rule (disconnected, and the last heartbeat, or the
 * registration when there never was one, older than N days) from both sides, in two regions of
 * the 16 and one outside them.
 */
function seedFleet(bulkStale = 0): Fleet {
	const N = STALE_AFTER_DAYS;
	const add = (name: string, fields: Parameters<FakeEcs['state']['addInstance']>[0]) =>
		fake.state.addInstance({ RegionId: REGION, InstanceName: name, ...fields }).InstanceId;
	const byName: Record<string, string> = {
		staleBeat: add('stale-heartbeat', {
			Connected: false,
			LastHeartbeatTime: ago(N + 60),
			LastInvokedTime: ago(N + 90),
			RegistrationTime: ago(N + 300),
		}),
		staleNever: add('stale-never', {
			Connected: false,
			InvocationCount: 0,
			LastHeartbeatTime: null,
			RegistrationTime: ago(N + 30),
		}),
		staleEdge: add('stale-edge', {
			Connected: false,
			LastHeartbeatTime: ago(N + 1),
			RegistrationTime: ago(N + 300),
		}),
		staleOtherRegion: add('stale-other-region', {
			RegionId: OTHER_REGION,
			Connected: false,
			LastHeartbeatTime: ago(120),
			// (a heartbeat before the registration would not count: the registration would)
			RegistrationTime: ago(400),
		}),
		almost: add('almost-stale', {
			Connected: false,
			LastHeartbeatTime: ago(N - 1),
			RegistrationTime: ago(N + 300),
		}),
		// The old rule's victim: its last command is months old, but it was online yesterday.
		busyUnused: add('offline-since-yesterday', {
			Connected: false,
			LastHeartbeatTime: ago(1),
			LastInvokedTime: ago(200),
			RegistrationTime: ago(500),
		}),
		recent: add('recent', {
			Connected: false,
			LastHeartbeatTime: ago(2),
			RegistrationTime: ago(300),
		}),
		newNever: add('new-never', {
			Connected: false,
			InvocationCount: 0,
			LastHeartbeatTime: null,
			RegistrationTime: ago(3),
		}),
		connectedOld: add('connected-old', {
			Connected: true,
			LastInvokedTime: ago(200),
			RegistrationTime: ago(500),
		}),
		// Not one of the regions where managed instances exist: never listed.
		outsideRegions: add('outside-the-16-regions', {
			RegionId: 'eu-central-1',
			Connected: false,
			LastHeartbeatTime: ago(120),
			RegistrationTime: ago(400),
		}),
	};
	const bulk = fake.state
		.addInstances(bulkStale, {
			RegionId: REGION,
			Connected: false,
			LastHeartbeatTime: ago(100),
			RegistrationTime: ago(365),
		})
		.map((i) => i.InstanceId);
	return {
		stale: [
			byName.staleBeat,
			byName.staleNever,
			byName.staleEdge,
			byName.staleOtherRegion,
			...bulk,
		],
		keep: [
			byName.almost,
			byName.busyUnused,
			byName.recent,
			byName.newNever,
			byName.connectedOld,
			byName.outsideRegions,
		],
		byName,
	};
}

/** Whether n8n's sqlite database (with its journal files) holds the text anywhere. */
function databaseContains(userFolder: string, text: string): boolean {
	const dir = path.join(userFolder, '.n8n');
	const files = fs.readdirSync(dir).filter((f) => f.startsWith('database.sqlite'));
	if (files.length === 0) throw new Error(`no database.sqlite in ${dir}`);
	return files.some((f) => fs.readFileSync(path.join(dir, f)).includes(text));
}

const instanceIds = (region?: string) =>
	fake.state
		.listInstances(region)
		.map((i) => i.InstanceId)
		.sort();
const sorted = (ids: string[]) => [...ids].sort();
/** What the Slack nodes would output: the approval answer, and "message sent". */
const slackPins = (approved: boolean) => ({
	'Ask for approval in Slack': [{ json: { data: { approved } } }],
	'Post summary to Slack': [{ json: { ok: true } }],
	'Post "not approved" to Slack': [{ json: { ok: true } }],
});
/** The run of a successful `n8n execute` (exit 0, status success, no error). */
function succeeded(r: CliResult): N8nRun {
	const run = parseRunOutput(r.stdout);
	expect({
		exit: r.exitCode,
		status: run?.status,
		error: run?.data.resultData.error?.message,
	}).toEqual({
		exit: 0,
		status: 'success',
		error: undefined,
	});
	return run as N8nRun;
}

const deregisterRequests = () =>
	fake.requests.filter((r) => r.action === 'DeregisterManagedInstance');

describe.each(selectedLineIds())('examples on n8n line %s', (lineId) => {
	let line: N8nLine;
	let userFolder: string;
	const wfs: Record<string, ExampleWorkflow> = {};
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		const found = findLine(lineId); // globalSetup installed it
		if (!found) throw new Error(`line ${lineId} is not installed`);
		line = found;
		userFolder = makeUserFolder(`e2e-examples-${lineId}-`);
		installPackageInto(userFolder, tarball, { line });

		for (const file of ALL) wfs[file] = loadExample(file);
		// The credentials the examples reference, by the ids in the files (a user would pick their
		// own in each node instead): the Alibaba one points at the fake.
		const credentials = new Map<string, CredentialInput>();
		for (const wf of Object.values(wfs)) {
			for (const [type, ref] of credentialRefs(wf)) {
				const data: Record<string, unknown> =
					type === 'alibabaCloudAccessKeyApi'
						? {
								accessKeyId: TEST_ACCESS_KEY_ID,
								accessKeySecret: TEST_ACCESS_KEY_SECRET,
								endpoint: fake.url,
							}
						: type === 'httpHeaderAuth'
							? { name: TICKET_HEADER, value: TICKET_TOKEN }
							: { accessToken: 'xoxb-0000-never-used' }; // Slack: unreachable here, pinned instead
				credentials.set(ref.id, { id: ref.id, name: ref.name, type, data });
			}
		}
		await importCredentials(line, userFolder, [...credentials.values()]);
		// What the notes ask users to set: N, the cap, and where the Wait variant posts requests.
		setSetting(wfs[SLACK], 'staleAfterDays', STALE_AFTER_DAYS);
		setSetting(wfs[SLACK], 'maxPerRun', 100);
		setSetting(wfs[WAIT], 'staleAfterDays', STALE_AFTER_DAYS);
		setSetting(wfs[WAIT], 'chatWebhookUrl', chat.url);
		// The drain script, in the fake agents' script language (test/fake-ecs/agent-script.ts);
		// the selection (tag decommission=true, connected, Linux) stays as the file ships it.
		setSetting(wfs[DRAIN], 'drainScript', DRAIN_SCRIPT);
		const imported = await importWorkflows(
			line,
			userFolder,
			ALL.map((f) => wfs[f]),
		);
		ALL.forEach((file, i) => (ids[file] = imported[i].id));
	}, 300_000);

	afterAll(() => {
		if (userFolder) removeUserFolder(userFolder);
	});

	it('has five examples (besides the AI and trigger ones), each using only node types and typeVersions this n8n ships and credentials named "(example)"', async () => {
		expect(exampleFiles()).toEqual([...ALL, ...AI_EXAMPLES, ...TRIGGER_EXAMPLES].sort());
		const known = new Map<string, number[]>();
		for (const t of await exportNodeTypes(line, userFolder)) {
			const versions = Array.isArray(t.version) ? t.version : [t.version ?? 1];
			known.set(t.name, [...(known.get(t.name) ?? []), ...versions]);
		}
		for (const wf of Object.values(wfs)) {
			for (const n of wf.nodes) {
				expect({
					node: `${wf.name} / ${n.name}`,
					type: n.type,
					ok: known.get(n.type)?.includes(n.typeVersion),
				}).toEqual({
					node: `${wf.name} / ${n.name}`,
					type: n.type,
					ok: true,
				});
			}
			expect(wf.nodes.some((n) => n.type === NODE_TYPE)).toBe(true);
			for (const [, ref] of credentialRefs(wf)) expect(ref.name).toMatch(/\(example\)$/);
			expect(wf.pinData ?? {}).toEqual({}); // nothing pinned in what users import
		}
		expect(credentialRefs(wfs[GENERATOR]).get('alibabaCloudAccessKeyApi')?.name).toBe(
			'Alibaba Cloud (example)',
		);
	});

	it('activation-code generator (n8n execute): creates one code and shows it with the register command, never in logs or the execution history', async () => {
		const r = await runN8nCli({
			line,
			userFolder,
			args: ['execute', `--id=${ids[GENERATOR]}`, '--rawOutput'],
			logLevel: 'info',
		});
		const run = succeeded(r);
		const activations = fake.state.listActivations();
		expect(activations).toHaveLength(1);
		const [created] = activations;
		expect(created).toMatchObject({
			RegionId: REGION,
			InstanceCount: 5,
			TimeToLiveInHours: 4,
			InstanceName: 'onprem-web',
			Description: 'Issued with n8n',
		});
		const [out] = nodeItems(run, 'Registration instructions');
		expect(out).toMatchObject({
			activationId: created.ActivationId,
			activationCode: created.ActivationCode,
			region: REGION,
		});
		expect(out.registerCommandLinux).toBe(
			`sudo aliyun-service --register --RegionId "${REGION}" --ActivationCode "${created.ActivationCode}" --ActivationId "${created.ActivationId}"`,
		);
		expect(String(out.note)).toMatch(/shown only once/);
		// The code is in the run output only: not in n8n's log lines, not in the database.
		const lines = r.stdout.split('\n');
		const runStart = lines.indexOf('{');
		const runEnd = lines.indexOf('}', runStart);
		expect(runStart).toBeGreaterThanOrEqual(0);
		const logLines = [...lines.slice(0, runStart), ...lines.slice(runEnd + 1)].join('\n');
		expect(logLines).not.toContain(created.ActivationCode);
		expect(databaseContains(userFolder, created.ActivationCode)).toBe(false);
		expect(fake.requests.map((q) => q.action)).toEqual(['CreateActivation']);
		expectAllRequestsSigned();
	});

	it('`n8n execute` ignores pinned data: the Slack cleanup, even saved with the approval pinned, calls Slack for real', async () => {
		seedFleet();
		const [pinnedCopy] = await importWorkflows(line, userFolder, [
			{ ...wfs[SLACK], name: `${wfs[SLACK].name} (pinned copy)`, pinData: slackPins(true) },
		]);
		const r = await runN8nCli({
			line,
			userFolder,
			args: ['execute', `--id=${pinnedCopy.id}`, '--rawOutput'],
			logLevel: 'info',
		});
		const run = parseRunOutput(r.stdout);
		expect(r.exitCode).toBe(1);
		expect(run?.data.resultData.lastNodeExecuted).toBe('Ask for approval in Slack');
		expect(run?.data.resultData.error?.node?.name).toBe('Ask for approval in Slack');
		expect(deregisterRequests()).toEqual([]);
		expectAllRequestsSigned();
	});

	describe('drain, then deregister (n8n execute)', () => {
		/**
		 * What "Select instances to drain" picks as shipped: tagged decommission=true, agent
		 * connected, OS type Linux, in the Settings region. Two such instances (one ready to drain,
		 * one whose script fails), and one that misses each condition: untagged, the tag with another
		 * value, disconnected, Windows, another region (each ready to drain, were the script run).
		 */
		const executeDrain = () =>
			runN8nCli({
				line,
				userFolder,
				args: ['execute', `--id=${ids[DRAIN]}`, '--rawOutput'],
				logLevel: 'info',
			});

		function seedDrainFleet() {
			const marked = { decommission: 'true' };
			const add = (name: string, fields: Parameters<FakeEcs['state']['addInstance']>[0] = {}) =>
				fake.state.addInstance({
					RegionId: REGION,
					InstanceName: name,
					OsType: 'linux',
					Connected: true,
					Tags: marked,
					RegistrationTime: ago(300),
					...fields,
				}).InstanceId;
			const fleet = {
				drainable: add('drainable'),
				busy: add('busy'),
				untagged: add('untagged', { Tags: { team: 'web' } }),
				otherValue: add('tag-false', { Tags: { decommission: 'false' } }),
				disconnected: add('disconnected', { Connected: false, LastHeartbeatTime: ago(1) }),
				windows: add('windows', { OsType: 'windows' }),
				otherRegion: add('other-region', { RegionId: OTHER_REGION }),
			};
			for (const [name, id] of Object.entries(fleet)) {
				if (name === 'busy') continue;
				fake.assistant.filesOf(id).set(DRAIN_MARKER, {
					content: Buffer.from('ok\n'),
					owner: 'root',
					group: 'root',
					mode: '0644',
				});
			}
			return fleet;
		}

		it('drains only the tagged, connected Linux instances of the region, deregisters only those whose script exited 0, summarises the rest', async () => {
			const fleet = seedDrainFleet();
			fake.assistant.speed = 30; // the script's sleep 20 on the agents' clock: under a second
			const r = await executeDrain();
			const run = succeeded(r);

			const listings = fake.requests.filter((q) => q.action === 'DescribeManagedInstances');
			expect(listings[0].params).toMatchObject({
				RegionId: REGION,
				Connected: 'true',
				OsType: 'linux',
				'Tag.1.Key': 'decommission',
				'Tag.1.Value': 'true',
			});
			const runs = fake.requests.filter((q) => q.action === 'RunCommand');
			expect(runs).toHaveLength(1);
			expect(
				Object.entries(runs[0].params)
					.filter(([k]) => k.startsWith('InstanceId.'))
					.map(([, v]) => v)
					.sort(),
			).toEqual(sorted([fleet.drainable, fleet.busy]));
			expect(deregisterRequests().map((q) => q.params.InstanceId)).toEqual([fleet.drainable]);
			expect(instanceIds()).toEqual(
				sorted(Object.values(fleet).filter((id) => id !== fleet.drainable)),
			);

			const [summary] = nodeItems(run, 'Summary');
			expect(summary).toMatchObject({
				region: REGION,
				deregistered: [fleet.drainable],
				alreadyDeregistered: [],
				deregisterFailed: [],
				notDrained: [
					{
						InstanceId: fleet.busy,
						InvocationStatus: 'Failed',
						ExitCode: 1,
						ErrorCode: 'ExitCodeNonzero',
						output: `draining ${fleet.busy}`,
					},
				],
			});
			expect(String(summary.text)).toMatch(
				/^Drain and deregister in cn-hangzhou: 1 deregistered, 0 already gone, 0 failed to deregister, 1 not drained \(kept\)\./,
			);
			// The whole output is in the Run node's items; the summary and n8n's log lines show no more than its first line.
			expect(JSON.stringify(summary)).not.toContain('SECRET_drainsecret0001');
			const lines = r.stdout.split('\n');
			const runStart = lines.indexOf('{');
			expect(lines.slice(0, runStart).join('\n')).not.toContain('SECRET_drainsecret0001');
			expect(r.stderr).not.toContain('SECRET_drainsecret0001');
			expectAllRequestsSigned();
		}, 180_000);

		it('nothing drained: nothing is deregistered and the summary still comes', async () => {
			const fleet = seedDrainFleet();
			fake.assistant.filesOf(fleet.drainable).delete(DRAIN_MARKER);
			fake.assistant.speed = 30;
			const r = await executeDrain();
			const run = succeeded(r);
			expect(deregisterRequests()).toEqual([]);
			const [summary] = nodeItems(run, 'Summary');
			expect(summary).toMatchObject({ deregistered: [], deregisterFailed: [] });
			expect(
				(summary.notDrained as Array<{ InstanceId: string }>).map((n) => n.InstanceId).sort(),
			).toEqual(sorted([fleet.drainable, fleet.busy]));
			expect(instanceIds()).toHaveLength(Object.keys(fleet).length);
		}, 180_000);
	});

	describe('in a running n8n (n8n start)', () => {
		let n8n: RunningN8n;
		let rest: N8nRest;

		beforeAll(async () => {
			n8n = await startN8n({ line, userFolder });
			const { cookie } = await setupOwner(n8n.url);
			rest = new N8nRest(n8n.url, cookie, line);
		}, 180_000);

		afterAll(async () => {
			const output = n8n?.output() ?? '';
			await n8n?.stop();
			expect(output).not.toContain(TEST_ACCESS_KEY_SECRET);
			expect(output).not.toContain(TICKET_TOKEN);
		});

		it('keeps the imported workflows as they are in the files; the editor import accepts them too; the scheduled and webhook ones activate', async () => {
			for (const file of ALL) {
				// "Import from File" in the editor, then save: POST /rest/workflows with the file's content
				const saved = await rest.call<{ id: string; nodes: unknown[] }>(
					'POST',
					'/workflows',
					wfs[file],
				);
				expect(saved.nodes).toHaveLength(wfs[file].nodes.length);
				const stored = await rest.getWorkflow(ids[file]);
				const nodes = stored.nodes as Array<{ name: string; type: string; typeVersion: number }>;
				expect(nodes.map((n) => [n.name, n.type, n.typeVersion])).toEqual(
					wfs[file].nodes.map((n) => [n.name, n.type, n.typeVersion]),
				);
			}
			for (const file of [SLACK, WAIT, TICKET]) {
				await rest.setActive(ids[file], true);
				await rest.setActive(ids[file], false);
			}
		});

		it('activation-code generator from the editor (Execute workflow): the code does not land in the execution history', async () => {
			const executionId = await rest.runManually(ids[GENERATOR], 'Generate activation code');
			const deadline = Date.now() + 60_000;
			while (fake.state.listActivations().length === 0 && Date.now() < deadline) await sleep(200);
			const [created] = fake.state.listActivations();
			expect(created).toMatchObject({ RegionId: REGION, InstanceCount: 5 });
			// the editor gets the output pushed live; n8n keeps no copy (saveManualExecutions: false)
			let stored = await rest.getExecution(executionId);
			while (
				stored &&
				!['success', 'error', 'crashed'].includes(stored.status) &&
				Date.now() < deadline
			) {
				await sleep(200);
				stored = await rest.getExecution(executionId);
			}
			expect(stored?.status ?? 'not stored').toMatch(/^(not stored|success)$/);
			expect(JSON.stringify(stored?.run ?? {})).not.toContain(created.ActivationCode);
			await sleep(1000); // let sqlite write whatever it would
			expect(databaseContains(userFolder, created.ActivationCode)).toBe(false);
			expectAllRequestsSigned();
		});

		describe('cleanup with Slack approval (the Slack nodes pinned: Slack is unreachable here)', () => {
			/** The editor's way: pin the Slack nodes' output, save, "Execute workflow"; unpin after. */
			async function runPinned(trigger: string, approved: boolean) {
				await rest.setPinData(ids[SLACK], slackPins(approved));
				try {
					return await rest.waitForExecution(await rest.runManually(ids[SLACK], trigger));
				} finally {
					await rest.setPinData(ids[SLACK], {});
				}
			}

			it('approved: deregisters exactly the instances offline for more than N days in every region, over several pages, each in its own region after a re-check', async () => {
				const fleet = seedFleet(55);
				const e = await runPinned('Run now', true);
				expect({ status: e.status, error: e.run.data.resultData.error?.message }).toEqual({
					status: 'success',
					error: undefined,
				});

				expect(instanceIds()).toEqual(sorted(fleet.keep));
				expect(sorted(deregisterRequests().map((q) => q.params.InstanceId))).toEqual(
					sorted(fleet.stale),
				);
				expect(
					deregisterRequests().find((q) => q.params.InstanceId === fleet.byName.staleOtherRegion)
						?.params.RegionId,
				).toBe(OTHER_REGION);
				const lists = fake.requests.filter(
					(q) => q.action === 'DescribeManagedInstances' && q.params.MaxResults !== undefined,
				);
				// every one of the 16 regions listed, disconnected instances only; 61 in cn-hangzhou: two pages
				expect(new Set(lists.map((q) => q.params.RegionId)).size).toBe(16);
				expect(lists.filter((q) => q.params.RegionId === REGION).length).toBeGreaterThanOrEqual(2);
				for (const q of lists) expect(q.params.Connected).toBe('false');
				// re-checked right before: one instance read and one status read per deregistration
				const rechecks = fake.requests.filter((q) => q.params['InstanceId.1'] !== undefined);
				expect(rechecks.length).toBeGreaterThanOrEqual(2 * fleet.stale.length);

				const [request] = nodeItems(e.run, 'Build approval request');
				expect(
					sorted((request.instances as Array<{ InstanceId: string }>).map((i) => i.InstanceId)),
				).toEqual(sorted(fleet.stale));
				// 59 found: the message lists the first ones (chat size limits) and counts the rest
				const listed = String(request.list).split('\n');
				expect(listed.length).toBeLessThanOrEqual(21);
				expect(listed[listed.length - 1]).toBe(`… and ${59 - (listed.length - 1)} more`);
				expect(String(request.list).length).toBeLessThan(2500);
				expect(request.capWarning).toBe('');
				const summary = onlyItem(e, 'Summary');
				expect(sorted(summary.deregistered as string[])).toEqual(sorted(fleet.stale));
				expect(summary).toMatchObject({ alreadyDeregistered: [], failed: [], keptOnline: [] });
				expect(String(summary.text)).toMatch(
					/^ECS cleanup: 59 deregistered, 0 back online \(kept\), 0 already gone, 0 failed\./,
				);
				expectAllRequestsSigned();
			});

			it('declined: deregisters nothing and reports it', async () => {
				const fleet = seedFleet();
				const e = await runPinned('Every day at 07:00', false);
				expect(e.status).toBe('success');
				expect(instanceIds()).toEqual(sorted([...fleet.stale, ...fleet.keep]));
				expect(deregisterRequests()).toEqual([]);
				expect(e.run.data.resultData.runData['Post "not approved" to Slack']).toHaveLength(1);
				expect(e.run.data.resultData.runData.Deregister).toBeUndefined();
				expectAllRequestsSigned();
			});
		});

		describe('cleanup with an approval link (Wait node resumed by its webhook)', () => {
			/** Starts the workflow as the daily trigger would and returns the approval request it posts. */
			async function startCleanup(): Promise<{
				executionId: string;
				approve: string;
				decline: string;
			}> {
				const executionId = await rest.runManually(ids[WAIT], 'Every day at 07:00');
				const started = await rest.waitForExecution(executionId, [
					'waiting',
					'success',
					'error',
					'crashed',
				]);
				expect(started.status).toBe('waiting');
				const message = await chat.waitFor(/ECS managed-instance cleanup/);
				const approve = /^Approve \(deregister all\): (\S+)$/m.exec(message.text)?.[1];
				const decline = /^Decline: (\S+)$/m.exec(message.text)?.[1];
				if (!approve || !decline) throw new Error(`no approval links in:\n${message.text}`);
				expect(new URL(approve).pathname).toBe(`/webhook-waiting/${executionId}`);
				return { executionId, approve, decline };
			}

			it('asks nothing and deregisters nothing when no instance is stale', async () => {
				const fleet = seedFleet();
				for (const id of fleet.stale)
					fake.state.deregisterInstance(id, fake.state.getInstance(id)!.RegionId);
				const executionId = await rest.runManually(ids[WAIT], 'Run now');
				const e = await rest.waitForExecution(executionId);
				expect(e.status).toBe('success');
				expect(e.run.data.resultData.runData['List offline instances']).toHaveLength(1);
				expect(nodeItems(e.run, 'List offline instances')).toEqual([]);
				expect(e.run.data.resultData.runData['Build approval request']).toBeUndefined();
				expect(chat.messages).toEqual([]);
				expect(deregisterRequests()).toEqual([]);
				expectAllRequestsSigned();
			});

			it('lists the stale instances and deregisters only those the approver picked from the list', async () => {
				const fleet = seedFleet();
				const { executionId, approve } = await startCleanup();
				const [message] = chat.messages;
				for (const id of fleet.stale) expect(message.text).toContain(id);
				for (const id of fleet.keep) expect(message.text).not.toContain(id);
				expect(deregisterRequests()).toEqual([]); // nothing happens before the answer

				// approve two: one from the list, one that is not on it (offline since yesterday: must survive)
				const picked = [fleet.byName.staleEdge, fleet.byName.busyUnused].join(',');
				const answer = await request('GET', `${approve}&instances=${picked}`);
				expect(answer.status).toBe(200);
				const e = await rest.waitForExecution(executionId);
				expect(e.status).toBe('success');

				expect(deregisterRequests().map((q) => q.params.InstanceId)).toEqual([
					fleet.byName.staleEdge,
				]);
				expect(instanceIds()).toEqual(
					sorted([...fleet.stale, ...fleet.keep].filter((id) => id !== fleet.byName.staleEdge)),
				);
				const summary = await chat.waitFor(/^ECS cleanup:/);
				expect(summary.text).toBe(
					`ECS cleanup: 1 deregistered, 0 back online (kept), 0 already gone, 0 failed.\n• deregistered ${fleet.byName.staleEdge} (cn-hangzhou)`,
				);
				expectAllRequestsSigned();
			});

			it('approve all: deregisters every listed instance; one deregistered meanwhile is reported as already gone', async () => {
				const fleet = seedFleet();
				const { executionId, approve } = await startCleanup();
				// while the request waits, someone else deregisters one of the listed instances
				fake.state.deregisterInstance(fleet.byName.staleNever, REGION);
				expect((await request('GET', approve)).status).toBe(200);
				const e = await rest.waitForExecution(executionId);
				expect(e.status).toBe('success');

				expect(sorted(deregisterRequests().map((q) => q.params.InstanceId))).toEqual(
					sorted(fleet.stale),
				);
				expect(instanceIds()).toEqual(sorted(fleet.keep));
				const summary = onlyItem(e, 'Summary');
				expect(sorted(summary.deregistered as string[])).toEqual(
					sorted(fleet.stale.filter((id) => id !== fleet.byName.staleNever)),
				);
				expect(summary).toMatchObject({
					alreadyDeregistered: [fleet.byName.staleNever],
					failed: [],
				});
				const posted = await chat.waitFor(/^ECS cleanup:/);
				expect(posted.text.split('\n')[0]).toBe(
					'ECS cleanup: 3 deregistered, 0 back online (kept), 1 already gone, 0 failed.',
				);
				expectAllRequestsSigned();
			});

			it('approve all: a refused deregistration is reported as failed with the Alibaba error, the others go ahead', async () => {
				const fleet = seedFleet();
				const { executionId, approve } = await startCleanup();
				fake.inject({
					kind: 'error',
					status: 403,
					code: 'Forbidden.RAM',
					message: 'User not authorized to operate on the specified resource.',
					action: 'DeregisterManagedInstance',
				});
				expect((await request('GET', approve)).status).toBe(200);
				const e = await rest.waitForExecution(executionId);
				expect(e.status).toBe('success');

				const calls = deregisterRequests();
				expect(sorted(calls.map((q) => q.params.InstanceId))).toEqual(sorted(fleet.stale));
				const refused = calls
					.filter((q) => q.code === 'Forbidden.RAM')
					.map((q) => q.params.InstanceId);
				expect(refused).toHaveLength(1);
				expect(instanceIds()).toEqual(sorted([...fleet.keep, refused[0]]));
				const summary = onlyItem(e, 'Summary');
				expect(sorted(summary.deregistered as string[])).toEqual(
					sorted(fleet.stale.filter((id) => id !== refused[0])),
				);
				expect(summary.failed).toEqual([
					{
						InstanceId: refused[0],
						RegionId: fake.state.getInstance(refused[0])?.RegionId,
						error: expect.stringContaining('Forbidden.RAM'),
					},
				]);
				const posted = await chat.waitFor(/^ECS cleanup:/);
				expect(posted.text).toMatch(new RegExp(`• FAILED ${refused[0]} \\(cn-[a-z]+\\): `));
				expectAllRequestsSigned();
			});

			it('a server that comes back while the run waits for approval is not deregistered: "back online, kept"', async () => {
				const fleet = seedFleet();
				const { executionId, approve } = await startCleanup();
				const [message] = chat.messages;
				expect(message.text).toContain(fleet.byName.staleBeat);
				expect(message.text).toContain(fleet.byName.staleEdge);
				// during the wait (up to 24 hours): one server reconnects and stays; another was back
				// for a while and dropped again an hour ago (not offline for N days any more)
				fake.state.reconnectInstance(fleet.byName.staleBeat);
				fake.state.reconnectInstance(fleet.byName.staleEdge);
				fake.state.disconnectInstance(fleet.byName.staleEdge, undefined, Date.now() - 3_600_000);
				expect((await request('GET', approve)).status).toBe(200);
				const e = await rest.waitForExecution(executionId);
				expect(e.status).toBe('success');

				const back = [fleet.byName.staleBeat, fleet.byName.staleEdge];
				expect(sorted(deregisterRequests().map((q) => q.params.InstanceId))).toEqual(
					sorted(fleet.stale.filter((id) => !back.includes(id))),
				);
				expect(instanceIds()).toEqual(sorted([...fleet.keep, ...back]));
				const summary = onlyItem(e, 'Summary');
				const byId = (a: { InstanceId: string }, b: { InstanceId: string }) =>
					a.InstanceId < b.InstanceId ? -1 : 1;
				expect([...(summary.keptOnline as Array<{ InstanceId: string }>)].sort(byId)).toEqual(
					[
						{
							InstanceId: fleet.byName.staleBeat,
							RegionId: REGION,
							reason: 'The Cloud Assistant agent is connected',
						},
						{
							InstanceId: fleet.byName.staleEdge,
							RegionId: REGION,
							reason: expect.stringMatching(
								new RegExp(
									`^Disconnected for less than ${STALE_AFTER_DAYS * 24} hours: last heartbeat .* \\(1\\.0 hours ago\\)$`,
								),
							),
						},
					].sort(byId),
				);
				expect(summary.failed).toEqual([]);
				// the Deregister node's own items: skipped, never errors
				const items = nodeItems(e.run, 'Deregister');
				expect(items.filter((item) => item.error)).toEqual([]);
				const skipped = items.filter((item) => item.Skipped === true);
				expect(skipped.map((item) => [item.InstanceId, item.Deregistered]).sort()).toEqual(
					[
						[fleet.byName.staleBeat, false],
						[fleet.byName.staleEdge, false],
					].sort(),
				);
				const posted = await chat.waitFor(/^ECS cleanup:/);
				expect(posted.text.split('\n')[0]).toBe(
					'ECS cleanup: 2 deregistered, 2 back online (kept), 0 already gone, 0 failed.',
				);
				expect(posted.text).toContain(
					`• back online, kept ${fleet.byName.staleBeat} (cn-hangzhou): The Cloud Assistant agent is connected`,
				);
				expectAllRequestsSigned();
			});

			it('more stale instances than maxPerRun: the request warns, and after approval nothing is deregistered', async () => {
				const fleet = seedFleet(30); // 34 stale; the file says maxPerRun 25
				const { executionId, approve } = await startCleanup();
				const [message] = chat.messages;
				expect(message.text).toContain('That is more than maxPerRun (25)');
				const requestsBefore = fake.requests.length;
				expect((await request('GET', approve)).status).toBe(200);
				const e = await rest.waitForExecution(executionId);
				expect(e.status).toBe('success');

				// refused before any request: no re-check, no deregistration
				expect(fake.requests.length).toBe(requestsBefore);
				expect(instanceIds()).toEqual(sorted([...fleet.stale, ...fleet.keep]));
				const summary = onlyItem(e, 'Summary');
				expect(summary.deregistered).toEqual([]);
				expect((summary.failed as unknown[]).length).toBe(34);
				expect(summary.failed).toContainEqual({
					InstanceId: fleet.byName.staleBeat,
					RegionId: REGION,
					error:
						'Refusing to deregister 34 managed instances in one run: Max Deregistrations Per Run is 25. Nothing was deregistered.',
				});
				const posted = await chat.waitFor(/^ECS cleanup:/);
				expect(posted.text.split('\n')[0]).toBe(
					'ECS cleanup: 0 deregistered, 0 back online (kept), 0 already gone, 34 failed.',
				);
				expectAllRequestsSigned();
			});

			it('declined, or a link with a wrong token: deregisters nothing and says so', async () => {
				const fleet = seedFleet();
				const first = await startCleanup();
				expect((await request('GET', first.decline)).status).toBe(200);
				expect((await rest.waitForExecution(first.executionId)).status).toBe('success');
				await chat.waitFor(/was not approved/);

				chat.messages.length = 0;
				const second = await startCleanup();
				const forged = second.approve.replace(/token=[0-9a-f]+/, `token=${'0'.repeat(32)}`);
				expect(forged).not.toBe(second.approve);
				expect((await request('GET', forged)).status).toBe(200);
				expect((await rest.waitForExecution(second.executionId)).status).toBe('success');
				await chat.waitFor(/was not approved/);
				// the run is over: the genuine link cannot approve it any more
				expect((await request('GET', second.approve)).status).toBeGreaterThanOrEqual(400);

				expect(deregisterRequests()).toEqual([]);
				expect(instanceIds()).toEqual(sorted([...fleet.stale, ...fleet.keep]));
				expectAllRequestsSigned();
			});
		});

		describe('ticket webhook (activated)', () => {
			const webhookUrl = () =>
				`${n8n.url}/webhook/${findNode(wfs[TICKET], 'Ticket webhook').parameters.path as string}`;
			const post = (body: unknown, token: string | null = TICKET_TOKEN) =>
				request('POST', webhookUrl(), {
					body,
					headers: token === null ? {} : { [TICKET_HEADER]: token },
				});

			beforeAll(async () => {
				await rest.setActive(ids[TICKET], true);
				// 2.41 registers the webhook shortly after the activation call returns: wait for it
				// (a call with a wrong token is refused before the workflow runs)
				const deadline = Date.now() + 30_000;
				while ((await post({}, 'probe')).status === 404 && Date.now() < deadline) await sleep(250);
			});
			afterAll(async () => {
				await rest.setActive(ids[TICKET], false);
			});

			it('deregisters the instance and answers 200 with it; a repeat answers 200 "already deregistered"', async () => {
				const fleet = seedFleet();
				const target = fleet.byName.connectedOld;
				const first = await post({ region: REGION, instanceId: target });
				expect(first.status).toBe(200);
				expect(first.json()).toMatchObject({
					ok: true,
					instanceId: target,
					alreadyDeregistered: false,
					instance: { InstanceId: target, InstanceName: 'connected-old' },
				});
				expect(fake.state.getInstance(target)).toBeUndefined();
				expect(instanceIds()).toEqual(
					sorted([...fleet.stale, ...fleet.keep].filter((id) => id !== target)),
				);

				const again = await post({ region: REGION, instanceId: target });
				expect(again.status).toBe(200);
				expect(again.json()).toMatchObject({
					ok: true,
					instanceId: target,
					alreadyDeregistered: true,
				});
				expect(
					deregisterRequests().map((q) => [q.params.InstanceId, q.params.RegionId, q.status]),
				).toEqual([
					[target, REGION, 200],
					[target, REGION, 404],
				]);
				expect(first.body + again.body).not.toContain(TEST_ACCESS_KEY_SECRET);
				expectAllRequestsSigned();
			});

			it('answers 400 with the message for a bad request, without calling Alibaba Cloud', async () => {
				seedFleet();
				const ecsId = await post({ region: REGION, instanceId: 'i-bp1abcdefghijk' });
				expect(ecsId.status).toBe(400);
				expect(ecsId.json()).toEqual({
					ok: false,
					instanceId: 'i-bp1abcdefghijk',
					error: expect.stringMatching(/^Item 0: .*ECS instance ID/),
				});
				const badRegion = await post({ region: 'not a region', instanceId: 'mi-hz01abcdefghij' });
				expect(badRegion.status).toBe(400);
				expect(badRegion.json()).toMatchObject({
					ok: false,
					error: expect.stringMatching(/^Item 0: /),
				});
				expect(deregisterRequests()).toEqual([]);
			});

			it('answers 502 with the Alibaba error when the call is refused, and the instance stays', async () => {
				const fleet = seedFleet();
				const target = fleet.byName.recent;
				fake.inject({
					kind: 'error',
					status: 403,
					code: 'Forbidden.RAM',
					message: 'User not authorized to operate on the specified resource.',
					action: 'DeregisterManagedInstance',
				});
				const r = await post({ region: REGION, instanceId: target });
				expect(r.status).toBe(502);
				expect(r.json()).toEqual({
					ok: false,
					instanceId: target,
					error: expect.stringContaining('Forbidden.RAM'),
				});
				expect(fake.state.getInstance(target, REGION)).toBeDefined();
				expectAllRequestsSigned();
			});

			it('refuses callers without the token (403) before anything runs', async () => {
				const fleet = seedFleet();
				for (const token of [null, 'wrong-token']) {
					const r = await post({ region: REGION, instanceId: fleet.byName.recent }, token);
					expect(r.status).toBe(403);
				}
				expect(fake.requests).toEqual([]);
				expect(instanceIds()).toEqual(sorted([...fleet.stale, ...fleet.keep]));
			});
		});
	});
});
