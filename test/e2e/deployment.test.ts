/**
 * What real n8n deployments meet, in every pinned n8n line, with `n8n execute`:
 * - n8n started with HTTPS_PROXY: the node's requests to STS (RAM role) and ECS go through
 *   that proxy (a real forward proxy on loopback sees the CONNECTs);
 * - Retry On Fail with On Error: Continue re-runs the node with every item: the code deleted
 *   in the first try is not sent again (it used to come back as "not found");
 * - Return All given as text by an expression returns everything, not Limit items.
 * The workflows are in test/e2e/workflows/deployment/. Needs `npm run build` first.
 */
import {
	FakeEcs,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	TEST_ROLE_ARN,
	type RecordedRequest,
} from '../fake-ecs';
import { ForwardProxy } from '../fake-ecs/forward-proxy';
import {
	CREDENTIAL_TYPE,
	executeWorkflow,
	fakeEcsCredentials,
	findLine,
	loadWorkflow,
	nodeOutput,
	packBuiltPackage,
	prepareUserFolder,
	removePackedPackage,
	removeUserFolder,
	selectedLineIds,
	type N8nLine,
	type RunWorkflowResult,
} from './lib';

const WORKFLOWS = ['proxy-role-get', 'retry-on-fail-delete', 'get-many-return-all-text'].map(
	(name) => `deployment/${name}`,
);
const ACTIVATIONS = [
	'4ECEEE12-56F1-4FBC-9AB1-E2E000000001',
	'4ECEEE12-56F1-4FBC-9AB1-E2E000000002',
];

let tarball: string;
beforeAll(() => {
	tarball = packBuiltPackage();
});
afterAll(() => {
	removePackedPackage(tarball);
});

describe.each(selectedLineIds())('n8n line %s in a real deployment', (lineId) => {
	let line: N8nLine;
	let userFolder: string;
	// Its own fake per line: each n8n numbers executions from 1, and ClientTokens follow.
	let fake: FakeEcs;
	let proxy: ForwardProxy;
	let before = 0;
	const requests = (): RecordedRequest[] => fake.requests.slice(before);
	const httpsPort = () => fake.httpsHost!.split(':')[1];

	const execute = async (
		name: string,
		env: Record<string, string> = {},
	): Promise<RunWorkflowResult> => {
		const r = await executeWorkflow({
			line,
			userFolder,
			workflowId: loadWorkflow(`deployment/${name}`).id,
			env: { NODE_EXTRA_CA_CERTS: FakeEcs.caCertPath, ...env },
		});
		process.stderr.write(`[e2e] ${lineId} ${name}: exit ${r.exitCode}, ${r.seconds} s\n`);
		const everything = `${r.stdout}\n${r.stderr}`;
		expect(everything).not.toContain(TEST_ACCESS_KEY_SECRET);
		for (const session of fake.sts.list()) {
			expect(everything).not.toContain(session.accessKeySecret);
			expect(everything).not.toContain(session.securityToken);
		}
		return r;
	};

	beforeAll(async () => {
		const found = findLine(lineId);
		if (!found) throw new Error(`line ${lineId} is not installed`);
		line = found;
		fake = await FakeEcs.start({ https: true });
		proxy = await ForwardProxy.start();
		const prepared = await prepareUserFolder({
			line,
			tarball,
			credentials: [
				...fakeEcsCredentials(fake.url, {
					accessKeyId: TEST_ACCESS_KEY_ID,
					accessKeySecret: TEST_ACCESS_KEY_SECRET,
				}),
				{
					id: 'e2eProxyRole0001',
					name: 'Alibaba Cloud (fake ECS over HTTPS, RAM role)',
					type: CREDENTIAL_TYPE,
					data: {
						accessKeyId: TEST_ACCESS_KEY_ID,
						accessKeySecret: TEST_ACCESS_KEY_SECRET,
						// ECS and STS under two names of the same fake: the tunnels tell them apart
						endpoint: `https://localhost:${httpsPort()}`,
						roleArn: TEST_ROLE_ARN,
						roleSessionName: 'n8n-e2e-proxy',
						stsEndpoint: `https://127.0.0.1:${httpsPort()}`,
					},
				},
			],
			workflows: WORKFLOWS.map(loadWorkflow),
		});
		userFolder = prepared.userFolder;
		process.stderr.write(
			`[e2e] ${lineId} deployment prepared: ${JSON.stringify(prepared.seconds)}\n`,
		);
	});

	afterAll(async () => {
		if (userFolder) removeUserFolder(userFolder);
		await proxy?.close();
		await fake?.close();
		expect(fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
	});

	beforeEach(() => {
		fake.state.clear();
		fake.state.addSampleInstance(); // mi-hz01axdfas0001 in cn-hangzhou
		before = fake.requests.length;
		proxy.requests.length = 0;
	});

	// NO_PROXY and the other variables: test/engine/proxy.test.ts (the same code, in-process)
	it('started with HTTPS_PROXY: STS and ECS requests are tunnelled through the proxy', async () => {
		const viaProxy = await execute('proxy-role-get', { HTTPS_PROXY: proxy.url() });
		expect(viaProxy.exitCode).toBe(0);
		expect(nodeOutput(viaProxy.run, 'Get').map((i) => i.json.InstanceId)).toEqual([
			'mi-hz01axdfas0001',
		]);
		expect(requests().map((r) => r.action)).toEqual(['AssumeRole', 'DescribeManagedInstances']);
		// n8n itself may tunnel other requests through the proxy; these are the node's
		const ours = proxy.tunnels.filter((target) => target.endsWith(`:${httpsPort()}`));
		expect(ours).toEqual([`127.0.0.1:${httpsPort()}`, `localhost:${httpsPort()}`]);
	});

	it('Retry On Fail + Continue: the code deleted in the first try is not sent again', async () => {
		for (const id of ACTIVATIONS)
			fake.state.addActivation({ RegionId: 'cn-hangzhou', ActivationId: id });
		// the first item is throttled once (refused before acting): n8n runs the node again
		fake.inject({
			kind: 'error',
			status: 400,
			code: 'Throttling.User',
			action: 'DeleteActivation',
		});
		const r = await execute('retry-on-fail-delete');

		expect(r.exitCode).toBe(0);
		const out = nodeOutput(r.run, 'Delete');
		expect(out.map((i) => [i.json.ActivationId, i.json.error])).toEqual([
			[ACTIVATIONS[0], undefined],
			[ACTIVATIONS[1], undefined],
		]);
		const deletes = requests().filter((q) => q.action === 'DeleteActivation');
		expect(deletes.map((q) => [q.params.ActivationId, q.code ?? q.status])).toEqual([
			[ACTIVATIONS[0], 'Throttling.User'],
			[ACTIVATIONS[1], 200],
			[ACTIVATIONS[0], 200],
		]);
		// the second item reports its first (real) result
		expect(out[1].json.RequestId).toBe(deletes[1].requestId);
		expect(fake.state.listActivations('cn-hangzhou')).toEqual([]);
	});

	it('Return All given as the text "true" by an expression returns every instance, not Limit', async () => {
		for (let i = 0; i < 6; i++) {
			fake.state.addInstance({ InstanceId: `mi-hz0e2etext00${i}`, RegionId: 'cn-hangzhou' });
		}
		const r = await execute('get-many-return-all-text');

		expect(r.exitCode).toBe(0);
		expect(nodeOutput(r.run, 'Get Many')).toHaveLength(7);
	});
});
