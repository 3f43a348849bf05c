/**
 * The built package, installed the way users get it (npm pack -> $N8N_USER_FOLDER/.n8n/nodes),
 * loads and runs in every pinned n8n line. Needs `npm run build` first.
 */
import * as fs from 'fs';
import * as path from 'path';

import {
	exportNodeTypes,
	findLine,
	getFreePort,
	installPackageInto,
	listNodeTypes,
	makeUserFolder,
	nodeItems,
	packBuiltPackage,
	removePackedPackage,
	removeUserFolder,
	request,
	runWorkflow,
	TRIGGER_NODE_TYPE,
	selectedLineIds,
	setupOwner,
	startN8n,
	type InstalledPackage,
	type N8nLine,
	type WorkflowInput,
} from './lib';

const NODE_TYPE = 'n8n-nodes-alibaba-ecs.alibabaEcs';
const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';

let tarball: string;

beforeAll(() => {
	tarball = packBuiltPackage();
});

afterAll(() => {
	removePackedPackage(tarball);
});

function workflow(endpointCredId: string, onError?: string): WorkflowInput {
	const ecs: Record<string, unknown> = {
		name: 'Alibaba ECS',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters: {
			resource: 'managedInstance',
			operation: 'deregister',
			regionId: 'cn-hangzhou',
			instanceId: { __rl: true, mode: 'id', value: 'mi-e2e0000000000001' },
		},
		credentials: { [CREDENTIAL_TYPE]: { id: endpointCredId, name: 'Closed endpoint' } },
	};
	if (onError) ecs.onError = onError;
	return {
		name: `e2e ${onError ?? 'stop'}`,
		nodes: [
			{
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			ecs,
		],
		connections: { Manual: { main: [[{ node: 'Alibaba ECS', type: 'main', index: 0 }]] } },
	};
}

describe.each(selectedLineIds())('n8n line %s', (lineId) => {
	let line: N8nLine;
	let userFolder: string;
	let pkg: InstalledPackage;

	beforeAll(() => {
		const found = findLine(lineId); // globalSetup installed it
		if (!found) throw new Error(`line ${lineId} is not installed`);
		line = found;
		userFolder = makeUserFolder(`e2e-${lineId}-`);
		pkg = installPackageInto(userFolder, tarball, { line });
	});

	afterAll(() => {
		if (userFolder) removeUserFolder(userFolder);
	});

	it('installs as a community package with its runtime dependencies and without a second n8n-workflow', () => {
		expect(pkg.name).toBe('n8n-nodes-alibaba-ecs');
		expect(pkg.nodeTypes).toEqual([NODE_TYPE, TRIGGER_NODE_TYPE]);
		expect(pkg.credentialTypes).toEqual([CREDENTIAL_TYPE]);
		const nm = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
		expect(fs.existsSync(path.join(nm, '@alicloud', 'ecs20140526', 'package.json'))).toBe(true);
		expect(fs.existsSync(path.join(nm, 'n8n-workflow'))).toBe(false);
	});

	it('is loaded by the n8n CLI (export:nodes), with its AI-tool variant, and the trigger (a trigger has none)', async () => {
		const names = (await exportNodeTypes(line, userFolder)).map((n) => n.name);
		expect(names).toContain(NODE_TYPE);
		expect(names).toContain(`${NODE_TYPE}Tool`);
		expect(names).toContain(TRIGGER_NODE_TYPE);
		expect(names).not.toContain(`${TRIGGER_NODE_TYPE}Tool`);
	});

	it('runs inside n8n: a failure is reported as the node’s error (exit 1), continueRegularOutput keeps going (exit 0)', async () => {
		const closedPort = await getFreePort(); // nothing listens there
		const credentials = [
			{
				id: 'e2eClosedEndpt01',
				name: 'Closed endpoint',
				type: CREDENTIAL_TYPE,
				data: {
					accessKeyId: 'LTAIe2etestkey',
					accessKeySecret: 'e2e-secret',
					endpoint: `http://127.0.0.1:${closedPort}`,
				},
			},
		];
		const failed = await runWorkflow({
			line,
			userFolder,
			credentials,
			workflow: workflow('e2eClosedEndpt01'),
		});
		expect(failed.exitCode).toBe(1);
		expect(failed.run?.status).toBe('error');
		const err = failed.run?.data.resultData.error;
		expect(err?.node?.type).toBe(NODE_TYPE);
		expect(typeof err?.message).toBe('string');

		const cont = await runWorkflow({
			line,
			userFolder,
			workflow: workflow('e2eClosedEndpt01', 'continueRegularOutput'),
		});
		expect(cont.exitCode).toBe(0);
		const items = nodeItems(cont.run, 'Alibaba ECS');
		expect(items).toHaveLength(1);
		expect(typeof items[0].error).toBe('string');
	});

	it('is known to the editor server (n8n start, owner setup, /types)', async () => {
		const n8n = await startN8n({ line, userFolder });
		try {
			const { cookie } = await setupOwner(n8n.url);
			const nodeTypes = await listNodeTypes(n8n.url, cookie);
			expect(nodeTypes).toContain(NODE_TYPE);
			expect(nodeTypes).toContain(TRIGGER_NODE_TYPE);
			const creds = await request('GET', `${n8n.url}/types/credentials.json`, {
				headers: { cookie },
			});
			expect(creds.status).toBe(200);
			expect(creds.json<Array<{ name: string }>>().map((c) => c.name)).toContain(CREDENTIAL_TYPE);
		} finally {
			await n8n.stop();
		}
	});
});
