/**
 * Timeout (Ms) bounds each attempt's wait for the answer, as the option says; connecting has
 * its own bound (the Timeout, at most 10 s). Tested with the fake endpoint answering late
 * ('slow' fault: it acts and answers after a delay) and with peers that never finish
 * connecting: a TCP server that never speaks TLS, a proxy that never answers CONNECT. A connect
 * timeout means nothing was sent, so even a Delete is sent again after one; a late answer
 * does not.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

import type { INodeParameters } from 'n8n-workflow';

import { SAMPLE_INSTANCE, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import { FIXTURE_CREDENTIAL_ID, nodeWorkflow, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ https: true });
const hz = 'cn-hangzhou';
const sample = { region: hz, instanceId: SAMPLE_INSTANCE.InstanceId };

function getSample(options: INodeParameters) {
	return nodeWorkflow({
		resource: 'managedInstance',
		operation: 'get',
		regionId: hz,
		instanceId: { __rl: true, mode: 'id', value: SAMPLE_INSTANCE.InstanceId },
		options,
	});
}

async function timed<T>(run: Promise<T>): Promise<{ result: T; ms: number }> {
	const started = Date.now();
	const result = await run;
	return { result, ms: Date.now() - started };
}

/** A TCP server that accepts connections and never says anything. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('error', () => undefined);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/**
 * A TCP relay to the fake's HTTPS port that leaves its first `silent` connections unanswered
 * (their TLS never completes) and pipes the later ones through.
 */
async function relayAfterSilence(
	targetPort: number,
	silent = 1,
): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
	const sockets = new Set<net.Socket>();
	let count = 0;
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('error', () => undefined);
		count += 1;
		if (count <= silent) return;
		const upstream = net.connect(targetPort, '127.0.0.1');
		sockets.add(upstream);
		upstream.on('error', () => socket.destroy());
		socket.pipe(upstream).pipe(socket);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		connections: () => count,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

it('waits for a 6 s answer under the default Timeout (10,000 ms), and an 11 s one under 15,000', async () => {
	t.fake.inject({ kind: 'slow', ms: 6_000, action: 'DescribeManagedInstances' });
	t.fake.inject({ kind: 'slow', ms: 11_000, action: 'DescribeActivations' });
	t.fake.state.addActivation({ RegionId: hz });
	const [byDefault, longer] = await Promise.all([
		timed(t.harness.run(workflowFixture('instance-get'), [sample])),
		timed(
			t.harness.run(
				nodeWorkflow({
					resource: 'activation',
					operation: 'getAll',
					regionId: hz,
					returnAll: true,
					options: { timeout: 15_000 },
				}),
			),
		),
	]);
	expect(byDefault.result.error).toBeUndefined();
	expect(byDefault.result.json('ECS')).toEqual([
		expect.objectContaining({ InstanceId: SAMPLE_INSTANCE.InstanceId }),
	]);
	expect(byDefault.ms).toBeGreaterThanOrEqual(6_000);
	expect(longer.result.error).toBeUndefined();
	expect(longer.result.json('ECS')).toHaveLength(1);
	expect(longer.ms).toBeGreaterThanOrEqual(11_000);
	// each answered once: nothing timed out and was sent again
	expect(t.fake.requests.map((r) => [r.action, r.fault])).toEqual(
		expect.arrayContaining([
			['DescribeManagedInstances', 'slow'],
			['DescribeActivations', 'slow'],
		]),
	);
	expect(t.fake.requests).toHaveLength(2);
}, 40_000);

it('gives up on a 3 s answer under a Timeout of 1,000 ms, per attempt, saying how long it waited', async () => {
	t.fake.inject({ kind: 'slow', ms: 3_000, action: 'DescribeManagedInstances' });
	const { result, ms } = await timed(
		t.harness.run(getSample({ timeout: 1_000, maxAttempts: 1 }), [{}]),
	);
	expect(result.error?.message).toMatch(
		/^DescribeManagedInstances got no answer from 127\.0\.0\.1:\d+ within 1000 ms$/,
	);
	expect(result.error?.description).toMatch(/Raise Timeout \(Ms\)/);
	expect(ms).toBeGreaterThanOrEqual(1_000);
});

it('bounds connecting too: an endpoint that never completes TLS', async () => {
	const silent = await silentServer();
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
		accessKeyId: 'LTAI5tFakeEcsTestKey0001',
		accessKeySecret: 'irrelevant',
		endpoint: `https://127.0.0.1:${silent.port}`,
	});
	const { result, ms } = await timed(
		t.harness.run(getSample({ timeout: 1_000, maxAttempts: 1 }), [{}]),
	);
	await silent.close();
	expect(result.error?.message).toBe(
		`Could not connect to 127.0.0.1:${silent.port} within 1000 ms`,
	);
	expect(result.error?.description).toMatch(/nothing was sent/);
	expect(ms).toBeGreaterThanOrEqual(1_000);
});

it('bounds connecting through a proxy that never answers CONNECT, and names the proxy', async () => {
	const silent = await silentServer();
	process.env.HTTPS_PROXY = `http://127.0.0.1:${silent.port}`;
	try {
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: 'LTAI5tFakeEcsTestKey0001',
			accessKeySecret: 'irrelevant',
			endpoint: 'https://ecs-vpc.cn-hangzhou.aliyuncs.com',
		});
		const result = await t.harness.run(getSample({ timeout: 1_000, maxAttempts: 1 }), [{}]);
		expect(result.error?.message).toBe(
			`Could not connect to ecs-vpc.cn-hangzhou.aliyuncs.com:443 through the proxy http://127.0.0.1:${silent.port} within 1000 ms`,
		);
	} finally {
		delete process.env.HTTPS_PROXY;
		await silent.close();
	}
});

it('sends a Delete again after connecting timed out (nothing was sent), and deletes once', async () => {
	const { ActivationId } = t.fake.state.addActivation({ RegionId: hz });
	const httpsPort = Number(t.fake.httpsHost!.split(':')[1]);
	const relay = await relayAfterSilence(httpsPort);
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint: `https://127.0.0.1:${relay.port}`,
	});
	try {
		const result = await t.harness.run(workflowFixture('activation-delete-fast-timeout'), [
			{ region: hz, activationId: ActivationId, timeout: 1_000, maxAttempts: 2 },
		]);
		expect(result.items('ECS')[0].json).toMatchObject({ ActivationId });
		expect(relay.connections()).toBe(2);
		expect(t.fake.requests.map((r) => [r.action, r.status])).toEqual([['DeleteActivation', 200]]);
		expect(t.fake.state.getActivation(ActivationId)).toBeUndefined();
	} finally {
		await relay.close();
	}
});

it('does not send a Delete again after its answer came too late (it may have acted)', async () => {
	const { ActivationId } = t.fake.state.addActivation({ RegionId: hz });
	t.fake.inject({ kind: 'slow', ms: 2_000, action: 'DeleteActivation' });
	const result = await t.harness.run(workflowFixture('activation-delete-fast-timeout'), [
		{ region: hz, activationId: ActivationId, timeout: 1_000, maxAttempts: 3 },
	]);
	expect(result.items('ECS')[0].json.error).toMatch(
		/^DeleteActivation got no answer from 127\.0\.0\.1:\d+ within 1000 ms$/,
	);
	expect(t.fake.requests.filter((r) => r.action === 'DeleteActivation')).toHaveLength(1);
});
