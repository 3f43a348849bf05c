/**
 * One fresh process of bench/first-call.ts: loads the package as n8n does (no
 * SDK yet), then runs one-item deregistrations with two credentials and records,
 * per execution, its time, whether the SDK was loaded then, which transport
 * (EcsTransport) and which SDK clients served it, and which AccessKey the fake
 * saw. The package's own modules are observed, never changed: the exported
 * loadSdk and EcsTransport's methods are wrapped in place for this process.
 * Prints one JSON line (FirstCallReport).
 */
import { shutdownN8n } from './lib/n8n-env';

import { join } from 'node:path';

import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../test/fake-ecs';
import { benchEngine, expectItems } from './lib/engine';
import { RemoteFake } from './lib/fake';
import type { FirstCallReport, ExecutionRecord } from './lib/first-call-types';
import { PACKAGE_ROOT } from './lib/paths';
import { since } from './lib/stats';
import { deregisterInput, deregisterWorkflow } from './lib/workflows';

const SECOND_KEY_ID = 'LTAI5tBenchSecondKey02';
const SECOND_KEY_SECRET = 'BenchSecondSecret0000000000002';
const HZ = 'cn-hangzhou';
const BJ = 'cn-beijing';

function sdkModulesLoaded(): number {
	return Object.keys(require.cache).filter((p) => /[\\/]@(alicloud|darabonba)[\\/]/.test(p)).length;
}

interface Observed {
	transports: Set<object>;
	clients: Set<object>;
	loadSdkMs: number[];
	clientsCreated: { regionId: string; ms: number }[];
}

async function main(): Promise<void> {
	const fake = await RemoteFake.start({
		seedSample: false,
		accessKeys: {
			[TEST_ACCESS_KEY_ID]: TEST_ACCESS_KEY_SECRET,
			[SECOND_KEY_ID]: SECOND_KEY_SECRET,
		},
	});
	const engine = await benchEngine();
	const sdkModulesAfterPackageLoad = sdkModulesLoaded();
	const endpoint = fake.url;
	engine.storeCredential('cred-A', {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint,
	});
	engine.storeCredential('cred-B', {
		accessKeyId: SECOND_KEY_ID,
		accessKeySecret: SECOND_KEY_SECRET,
		endpoint,
	});
	engine.storeCredential('cred-A-copy', {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint,
	});

	// Observe the package's modules (the ones the engine loaded: same require cache).
	const transportDir = join(PACKAGE_ROOT, 'dist/nodes/AlibabaEcs/transport');
	/* eslint-disable @typescript-eslint/no-require-imports */
	const sdkModule = require(join(transportDir, 'sdk.js')) as { loadSdk: () => Promise<unknown> };
	const clientModule = require(join(transportDir, 'client.js')) as {
		EcsTransport: { prototype: Record<string, (...args: unknown[]) => unknown> };
	};
	/* eslint-enable @typescript-eslint/no-require-imports */
	let observed: Observed = {
		transports: new Set(),
		clients: new Set(),
		loadSdkMs: [],
		clientsCreated: [],
	};
	let firstLoadSdkCpuMs = Number.NaN;
	const loadSdk = sdkModule.loadSdk;
	sdkModule.loadSdk = async () => {
		const cpu = process.cpuUsage();
		const start = performance.now();
		try {
			return await loadSdk();
		} finally {
			observed.loadSdkMs.push(since(start));
			if (Number.isNaN(firstLoadSdkCpuMs)) {
				const used = process.cpuUsage(cpu);
				firstLoadSdkCpuMs = (used.user + used.system) / 1000;
			}
		}
	};
	const proto = clientModule.EcsTransport.prototype;
	const call = proto.call;
	proto.call = function (this: object, ...args: unknown[]) {
		observed.transports.add(this);
		return call.apply(this, args);
	};
	const client = proto.client;
	proto.client = function (this: { clients: Map<string, object> }, ...args: unknown[]) {
		const regionId = args[1] as string;
		const existed = this.clients.has(regionId);
		const start = performance.now();
		const result = client.apply(this, args) as object;
		if (!existed) observed.clientsCreated.push({ regionId, ms: since(start) });
		observed.clients.add(result);
		return result;
	};

	// Warm n8n's engine with a run that does not touch the package.
	const startOnly = deregisterWorkflow();
	startOnly.nodes = startOnly.nodes.filter((n) => n.name === 'Start');
	startOnly.connections = {};
	for (let i = 0; i < 3; i++) await engine.run(startOnly, [{}]);

	const ids = await fake.prepare({ [HZ]: 20, [BJ]: 2 });
	const hz = ids.slice(0, 20);
	const bj = ids.slice(20);
	const executions: ExecutionRecord[] = [];
	const execute = async (
		label: string,
		credentialId: string,
		input: { region: string; id: string }[],
	) => {
		const workflow = deregisterWorkflow();
		const node = workflow.nodes.find((n) => n.name === 'Deregister')!;
		node.credentials = { alibabaCloudAccessKeyApi: { id: credentialId, name: credentialId } };
		observed = { transports: new Set(), clients: new Set(), loadSdkMs: [], clientsCreated: [] };
		const sdkBefore = sdkModulesLoaded();
		const start = performance.now();
		const items = input.flatMap((i) => deregisterInput(i.region, [i.id]));
		expectItems(await engine.run(workflow, items), 'Deregister', items.length);
		const ms = since(start);
		const stats = await fake.expectAllOk(items.length, label);
		const record: ExecutionRecord = {
			label,
			credentialId,
			ms,
			sdkModulesBefore: sdkBefore,
			sdkModulesAfter: sdkModulesLoaded(),
			loadSdkMs: observed.loadSdkMs,
			clientsCreated: observed.clientsCreated,
			accessKeys: Object.keys(stats.byAccessKey),
			transports: [...observed.transports],
			clients: [...observed.clients],
		};
		executions.push(record);
		return record;
	};

	const e1 = await execute('1st execution, credential A', 'cred-A', [{ region: HZ, id: hz[0] }]);
	const e2 = await execute('2nd execution, credential A', 'cred-A', [{ region: HZ, id: hz[1] }]);
	const e3 = await execute('1st execution, credential B', 'cred-B', [{ region: HZ, id: hz[2] }]);
	const e4 = await execute('credential A again', 'cred-A', [{ region: HZ, id: hz[3] }]);
	const e5 = await execute('credential A-copy (same data as A)', 'cred-A-copy', [
		{ region: HZ, id: hz[4] },
	]);
	const e6 = await execute('credential A, items in 2 regions', 'cred-A', [
		{ region: HZ, id: hz[5] },
		{ region: BJ, id: bj[0] },
	]);
	const steady: number[] = [];
	for (let i = 6; i < 16; i++) {
		steady.push((await execute(`steady ${i}`, 'cred-A', [{ region: HZ, id: hz[i] }])).ms);
	}

	const same = (a: object[], b: object[]) => a.length === 1 && b.length === 1 && a[0] === b[0];
	const report: FirstCallReport = {
		sdkModulesAfterPackageLoad,
		firstMs: e1.ms,
		secondMs: e2.ms,
		firstOtherCredentialMs: e3.ms,
		steadyMs: steady,
		firstLoadSdkMs: e1.loadSdkMs[0] ?? Number.NaN,
		firstLoadSdkCpuMs,
		laterLoadSdkMaxMs: Math.max(...executions.slice(1).flatMap((e) => e.loadSdkMs)),
		sdkLoadedByFirst: e1.sdkModulesBefore === 0 && e1.sdkModulesAfter > 0,
		sdkModulesAfterFirst: e1.sdkModulesAfter,
		sdkModulesGrewLater: executions.slice(1).some((e) => e.sdkModulesAfter !== e1.sdkModulesAfter),
		firstClientMs: e1.clientsCreated[0]?.ms ?? Number.NaN,
		otherCredentialClientMs: e3.clientsCreated[0]?.ms ?? Number.NaN,
		checks: {
			'2nd execution, same credential: same transport': same(e1.transports, e2.transports),
			'2nd execution, same credential: same SDK client, none created':
				same(e1.clients, e2.clients) && e2.clientsCreated.length === 0,
			'credential B: a different transport':
				e3.transports.length === 1 && e3.transports[0] !== e1.transports[0],
			'credential B: a different SDK client, created for it':
				e3.clients.length === 1 &&
				e3.clients[0] !== e1.clients[0] &&
				e3.clientsCreated.length === 1,
			'credential B: requests signed with B’s AccessKey only':
				e3.accessKeys.join() === SECOND_KEY_ID,
			'credential A afterwards: A’s transport and client again, A’s key':
				same(e1.transports, e4.transports) &&
				same(e1.clients, e4.clients) &&
				e4.accessKeys.join() === TEST_ACCESS_KEY_ID,
			'another credential entry with identical data: shares A’s transport': same(
				e1.transports,
				e5.transports,
			),
			'2 regions in one execution: 1 transport, A’s client + 1 new client':
				e6.transports.length === 1 &&
				e6.transports[0] === e1.transports[0] &&
				e6.clients.length === 2 &&
				e6.clients.includes(e1.clients[0]) &&
				e6.clientsCreated.length === 1,
			'SDK loaded by the 1st execution, never again':
				e1.loadSdkMs.length > 0 && e1.sdkModulesBefore === 0,
		},
	};
	process.stdout.write(`${JSON.stringify(report)}\n`);
	await fake.close();
	await shutdownN8n();
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
