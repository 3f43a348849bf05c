/**
 * The package as users get it (npm pack -> $N8N_USER_FOLDER/.n8n/nodes), in every pinned n8n
 * line, run headlessly: credentials imported in plaintext with `n8n import:credentials`, the
 * workflows of test/e2e/workflows imported with `n8n import:workflow`, each run with
 * `n8n execute --id`, against the project's fake ECS endpoint on 127.0.0.1 (which verifies
 * every request's signature). Needs `npm run build` first.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ROLE_ARN } from '../fake-ecs';
import type { RecordedRequest, StsSession } from '../fake-ecs';
import { seedDemo, type DemoAccount } from '../fake-ecs/seed';
import {
	NODE_TYPE,
	TRIGGER_NODE_TYPE,
	REPO_ROOT,
	executeWorkflow,
	fakeEcsCredentials,
	findLine,
	loadWorkflow,
	nodeItems,
	nodeOutput,
	packBuiltPackage,
	removePackedPackage,
	prepareUserFolder,
	removeUserFolder,
	selectedLineIds,
	workflowNames,
	type N8nLine,
	type RunWorkflowResult,
} from './lib';

const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const EXPECTED_SAMPLE = (
	JSON.parse(
		fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/expected/deregister-sample.json'), 'utf8'),
	) as { item: Record<string, unknown> }
).item;

// A secret made for this run: finding it anywhere in n8n's output can only mean a leak.
const SECRET = crypto.randomBytes(22).toString('base64url').slice(0, 30);

let tarball: string;

beforeAll(() => {
	tarball = packBuiltPackage();
});

afterAll(() => {
	removePackedPackage(tarball);
});

/** Everything n8n printed and recorded: a secret must be in none of it. */
function expectNoSecret(r: RunWorkflowResult, sts: StsSession): void {
	const everything = `${r.stdout}\n${r.stderr}\n${JSON.stringify(r.run ?? {})}`;
	expect(everything).not.toContain(SECRET);
	expect(everything).not.toContain(sts.accessKeySecret);
	expect(everything).not.toContain(sts.securityToken);
}

describe.each(selectedLineIds())('n8n line %s: workflows run with n8n execute', (lineId) => {
	let line: N8nLine;
	let userFolder: string;
	// One fake endpoint per line: each n8n's execution ids start at 1, so the ClientTokens of
	// two lines' runs are equal and one shared fake would answer the second from its memory.
	let fake: FakeEcs;
	let sts: StsSession;
	let requestsBefore = 0;
	/** The demo account's server that comes back online (seed.ts), for the stale-server cleanup. */
	let comeBack: DemoAccount['reconnectAfterListing'] | undefined;
	const requests = (): RecordedRequest[] => fake.requests.slice(requestsBefore);

	const execute = async (name: string): Promise<RunWorkflowResult> => {
		const r = await executeWorkflow({ line, userFolder, workflowId: loadWorkflow(name).id });
		process.stderr.write(`[e2e] ${lineId} ${name}: exit ${r.exitCode}, ${r.seconds} s\n`);
		expectNoSecret(r, sts);
		return r;
	};

	beforeAll(async () => {
		const found = findLine(lineId); // globalSetup installed it
		if (!found) throw new Error(`line ${lineId} is not installed`);
		line = found;
		fake = await FakeEcs.start({
			accessKeys: { [TEST_ACCESS_KEY_ID]: SECRET },
			onRequest: (request) => comeBack?.(request),
		});
		// temporary STS credentials (AccessKey + SecurityToken), as AssumeRole hands them out
		sts = fake.sts.issue(TEST_ROLE_ARN, 'n8n-e2e', Date.now() + 6 * 3600_000);
		// once per user folder: install the tarball, import both credentials, import every workflow
		const prepared = await prepareUserFolder({
			line,
			tarball,
			credentials: fakeEcsCredentials(
				fake.url,
				{ accessKeyId: TEST_ACCESS_KEY_ID, accessKeySecret: SECRET },
				sts,
			),
			workflows: workflowNames().map(loadWorkflow),
		});
		userFolder = prepared.userFolder;
		expect(prepared.pkg.nodeTypes).toEqual([NODE_TYPE, TRIGGER_NODE_TYPE]);
		process.stderr.write(`[e2e] ${lineId} prepared: ${JSON.stringify(prepared.seconds)}\n`);
	});

	afterAll(async () => {
		if (userFolder) removeUserFolder(userFolder);
		await fake?.close();
		// Every request that reached the fake endpoint carried a valid signature.
		expect(fake.requests.length).toBeGreaterThan(0);
		expect(fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
	});

	beforeEach(() => {
		comeBack = undefined;
		fake.state.clear();
		fake.state.addSampleInstance(); // mi-hz01axdfas0001 in cn-hangzhou
		fake.state.addInstance({ InstanceId: 'mi-bj0e2e0000001', RegionId: 'cn-beijing' });
		fake.state.addInstance({ InstanceId: 'mi-sg0e2e0000001', RegionId: 'ap-southeast-1' });
		requestsBefore = fake.requests.length;
	});

	it('deregister: the documented output fields, several items with expressions, in input order and paired', async () => {
		const r = await execute('deregister');

		expect(r.exitCode).toBe(0);
		expect(r.run?.status).toBe('success');
		const out = nodeOutput(r.run, 'Deregister');
		expect(out.map((i) => i.json.InstanceId)).toEqual([
			'mi-hz01axdfas0001',
			'mi-bj0e2e0000001',
			'mi-sg0e2e0000001',
		]);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// the documented sample, field for field, InvocationCount a number, plus the RequestId
		const { RequestId, ...fields } = out[0].json;
		expect(fields).toEqual(EXPECTED_SAMPLE);
		expect(RequestId).toMatch(REQUEST_ID);
		// the expressions were evaluated per item (and trimmed): one call each, in its own region
		expect(requests().map((q) => [q.action, q.params.RegionId, q.params.InstanceId])).toEqual([
			['DeregisterManagedInstance', 'cn-hangzhou', 'mi-hz01axdfas0001'],
			['DeregisterManagedInstance', 'cn-beijing', 'mi-bj0e2e0000001'],
			['DeregisterManagedInstance', 'ap-southeast-1', 'mi-sg0e2e0000001'],
		]);
		expect(out.map((i) => i.json.RequestId)).toEqual(requests().map((q) => q.requestId));
		expect(fake.state.listInstances()).toEqual([]);
	});

	it('continue on fail (error output): the failing item goes to output 1, the others still come out, paired', async () => {
		const r = await execute('deregister-error-output');

		expect(r.exitCode).toBe(0);
		expect(r.run?.status).toBe('success');
		const ok = nodeOutput(r.run, 'Deregister', 0);
		const failed = nodeOutput(r.run, 'Deregister', 1);
		expect(ok.map((i) => [i.json.InstanceId, i.pairedItem])).toEqual([
			['mi-hz01axdfas0001', { item: 0 }],
			['mi-bj0e2e0000001', { item: 2 }],
		]);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		const notFound = requests().find((q) => q.status === 404);
		expect(notFound).toMatchObject({ code: 'InvalidInstance.NotFound' });
		// n8n-shaped: json {error: message}, and the error itself on the item
		expect(failed[0].json).toEqual({
			error: `Managed instance mi-hz0e2emissing1 was not found in region cn-beijing (InvalidInstance.NotFound, request ${notFound!.requestId})`,
		});
		expect(failed[0].error).toMatchObject({ name: 'NodeApiError' });
		// and the nodes behind each output got exactly those items
		expect(nodeItems(r.run, 'Deregistered').map((j) => j.InstanceId)).toEqual([
			'mi-hz01axdfas0001',
			'mi-bj0e2e0000001',
		]);
		expect(nodeItems(r.run, 'Failed')).toEqual([failed[0].json]);
	});

	it('a failing run: exit code 1, the error names the Alibaba code and RequestId, no secret or token anywhere', async () => {
		const r = await execute('deregister-stop-on-error'); // uses the STS credential

		expect(r.exitCode).toBe(1);
		expect(r.run?.status).toBe('error');
		const [call] = requests();
		expect(call).toMatchObject({
			action: 'DeregisterManagedInstance',
			status: 404,
			code: 'InvalidInstance.NotFound',
			accessKeyId: sts.accessKeyId,
			securityToken: sts.securityToken, // the token was sent, so not finding it below means something
			signatureValid: true,
		});
		const message = `Managed instance mi-hz0e2emissing1 was not found in region cn-beijing (InvalidInstance.NotFound, request ${call.requestId})`;
		const error = r.run?.data.resultData.error;
		expect(error).toMatchObject({ name: 'NodeApiError', message, httpCode: '404' });
		expect(error?.node?.type).toBe(NODE_TYPE);
		// what a person running `n8n execute` reads
		expect(r.stdout).toContain('Execution was NOT successful');
		expect(r.stdout).toContain(message);
	});

	it('the stale-server cleanup (Get Many offline 30 days in all regions -> Deregister with a re-check, the npm run demo workflow)', async () => {
		fake.state.clear();
		const account = seedDemo(fake.state);
		comeBack = account.reconnectAfterListing; // lab-nuc-03 comes back after the listing
		const stale = [...account.offlineOver30Days].sort();
		const regionOf = new Map(fake.state.listInstances().map((i) => [i.InstanceId, i.RegionId]));
		expect(new Set(stale.map((id) => regionOf.get(id))).size).toBeGreaterThanOrEqual(2);
		const before = fake.state.listInstances().length;

		const r = await execute('stale-cleanup');

		expect(r.exitCode).toBe(0);
		// listed: offline for 30 days by heartbeat, in every region; not the one offline 12 days
		const listed = nodeItems(r.run, 'List servers offline for 30 days');
		expect(listed.map((i) => i.InstanceId).sort()).toEqual([...stale, account.comesBack].sort());
		for (const item of listed) {
			expect(item).toMatchObject({ Connected: false, CloudAssistantStatus: false });
			expect(item.RegionId).toBe(regionOf.get(item.InstanceId as string));
		}
		// deregistered in each item's own region; the one back online kept by the re-check
		const out = nodeItems(r.run, 'Deregister if still offline');
		expect(
			out
				.filter((i) => i.Deregistered === true)
				.map((i) => i.InstanceId)
				.sort(),
		).toEqual(stale);
		expect(out.filter((i) => i.Skipped)).toEqual([
			expect.objectContaining({
				InstanceId: account.comesBack,
				Deregistered: false,
				Skipped: true,
				Reason: 'The Cloud Assistant agent is connected',
			}),
		]);
		const deregistrations = requests().filter((q) => q.action === 'DeregisterManagedInstance');
		expect(deregistrations.map((q) => [q.params.InstanceId, q.params.RegionId]).sort()).toEqual(
			stale.map((id) => [id, regionOf.get(id)]).sort(),
		);
		expect(fake.state.listInstances()).toHaveLength(before - stale.length);
		expect(fake.state.getInstance(account.offline12Days)).toBeDefined();
		expect(fake.state.getInstance(account.comesBack)?.Connected).toBe(true);
		// each of the 16 regions listed once (one page each), then each listed item read again
		// right before its deregistration
		const listings = requests().filter(
			(q) => q.action === 'DescribeManagedInstances' && !q.params['InstanceId.1'],
		);
		expect(listings).toHaveLength(16);
		expect(new Set(listings.map((q) => q.params.RegionId)).size).toBe(16);
		const rechecks = requests().filter(
			(q) => q.action === 'DescribeManagedInstances' && q.params['InstanceId.1'],
		);
		expect(rechecks.map((q) => q.params['InstanceId.1']).sort()).toEqual(
			[...stale, account.comesBack].sort(),
		);
	});
});
