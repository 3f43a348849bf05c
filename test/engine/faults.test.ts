/**
 * Faults injected by the fake endpoint, for reads (Get) and writes (Deregister,
 * Create, Delete): each is retried and succeeds, or becomes one clear error per
 * item; never a crash, never a lost item, never a write done twice.
 */
import type { Fault } from '../fake-ecs';
import { SAMPLE_INSTANCE } from '../fake-ecs';
import { workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 5 });
const hz = 'cn-hangzhou';
const sample = { region: hz, instanceId: SAMPLE_INSTANCE.InstanceId };

type FaultSpec = Fault;

const transient: Array<[string, FaultSpec]> = [
	['500 InternalError.Dispatch', { kind: 'error', status: 500, code: 'InternalError.Dispatch' }],
	['503 ServiceUnavailable', { kind: 'error', status: 503, code: 'ServiceUnavailable' }],
	['Throttling.User without retry-after', { kind: 'error', status: 400, code: 'Throttling.User' }],
	['a hang past the timeout', { kind: 'hang', ms: 2_000 }],
	['a reset connection', { kind: 'reset' }],
	['an HTML 502 page from a proxy', { kind: 'html', status: 502 }],
	['an empty 200', { kind: 'empty', status: 200 }],
	['malformed JSON', { kind: 'malformedJson' }],
];

function inject(action: string, fault: FaultSpec, times = fault.times ?? 1) {
	t.fake.inject({ ...fault, action, times });
}

describe.each(transient)('%s', (_name, fault) => {
	it('is retried for a read, which then succeeds', async () => {
		inject('DescribeManagedInstances', fault);
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [sample]);
		expect(result.json('ECS')).toEqual([
			expect.objectContaining({ InstanceId: SAMPLE_INSTANCE.InstanceId }),
		]);
		expect(t.fake.requests.map((r) => r.fault ?? 'ok')).toEqual([fault.kind, 'ok']);
	});

	it('is retried for a deregistration with the same ClientToken, which acts once', async () => {
		inject('DeregisterManagedInstance', fault);
		const result = await t.harness.run(workflowFixture('deregister-fast-timeout'), [sample]);
		expect(result.json('ECS')).toEqual([
			expect.objectContaining({ InstanceId: SAMPLE_INSTANCE.InstanceId, InvocationCount: 2 }),
		]);
		const [first, second] = t.fake.requests;
		expect(t.fake.requests).toHaveLength(2);
		expect(second.params.ClientToken).toBe(first.params.ClientToken);
		expect(t.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, hz)).toBeUndefined();
	});

	it('becomes one clear error per item when it persists, and the other items still come out', async () => {
		inject('DeregisterManagedInstance', fault, 3);
		t.fake.state.addInstance({ InstanceId: 'mi-ok0000000001', RegionId: hz });
		// One request at a time, so that the first item meets every injected fault.
		const result = await t.harness.run(workflowFixture('deregister-fast-timeout'), [
			{ ...sample, concurrency: 1 },
			{ region: hz, instanceId: 'mi-ok0000000001' },
		]);
		const [failed, succeeded] = result.items('ECS');
		expect(result.items('ECS')).toHaveLength(2);
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(failed.json.error).toEqual(expect.any(String));
		expect(failed.error?.description).toMatch(/Tried 3 times/);
		expect(succeeded.json).toMatchObject({ InstanceId: 'mi-ok0000000001' });
		expect(succeeded.pairedItem).toEqual({ item: 1 });
	});
});

describe('dropped responses: the write happened, the answer was lost', () => {
	it('deregisters once: the retry carries the same ClientToken and gets the first result', async () => {
		inject('DeregisterManagedInstance', { kind: 'dropAfterAction' });
		const result = await t.harness.run(workflowFixture('deregister-fast-timeout'), [sample]);
		expect(result.json('ECS')).toEqual([
			expect.objectContaining({
				InstanceId: SAMPLE_INSTANCE.InstanceId,
				MachineId: SAMPLE_INSTANCE.MachineId,
			}),
		]);
		expect(t.fake.requests.map((r) => [r.fault ?? 'ok', r.replayed ?? false])).toEqual([
			['dropAfterAction', false],
			['ok', true],
		]);
	});

	it('creates one activation code, not two', async () => {
		inject('CreateActivation', { kind: 'dropAfterAction' });
		const result = await t.harness.run(workflowFixture('activation-create-fast-timeout'), [
			{ region: hz },
		]);
		const [item] = result.json('ECS');
		expect(t.fake.state.listActivations(hz)).toHaveLength(1);
		expect(t.fake.state.listActivations(hz)[0].ActivationId).toBe(item.ActivationId);
	});

	it('does not repeat a delete, which has no ClientToken, and says the outcome is unknown', async () => {
		const activation = t.fake.state.addActivation({ RegionId: hz });
		inject('DeleteActivation', { kind: 'dropAfterAction' });
		const result = await t.harness.run(workflowFixture('activation-delete-fast-timeout'), [
			{ region: hz, activationId: activation.ActivationId },
		]);
		const [item] = result.items('ECS');
		expect(item.json.error).toMatch(
			/^The connection to 127\.0\.0\.1:\d+ was cut before DeleteActivation was answered$/,
		);
		expect(item.error?.description).toMatch(/may or may not have been carried out/);
		expect(t.fake.requests).toHaveLength(1);
	});
});

describe('throttling', () => {
	it("waits as long as the API's x-acs-retry-after says", async () => {
		inject('DescribeManagedInstances', {
			kind: 'error',
			status: 400,
			code: 'Throttling.User',
			retryAfterSeconds: 0.3,
		});
		const started = Date.now();
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [sample]);
		expect(result.json('ECS')).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
	});

	it('retries a throttled delete: throttling is refused before anything is done', async () => {
		const activation = t.fake.state.addActivation({ RegionId: hz });
		inject('DeleteActivation', { kind: 'error', status: 400, code: 'Throttling.Api' });
		const result = await t.harness.run(workflowFixture('activation-delete-fast-timeout'), [
			{ region: hz, activationId: activation.ActivationId },
		]);
		expect(result.json('ECS')[0]).toMatchObject({ ActivationId: activation.ActivationId });
		expect(t.fake.requests).toHaveLength(2);
	});
});

describe('answers that are not what the API documents', () => {
	it('reports a field of the wrong type by name, with host and status, without retrying', async () => {
		inject('DescribeManagedInstances', { kind: 'wrongTypes' });
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [sample]);
		const [item] = result.items('ECS');
		expect(item.json.error).toMatch(
			/^DescribeManagedInstances returned an unexpected response: field Instances\[0\]\.InvocationCount has the value "abc", not a whole number \(endpoint 127\.0\.0\.1:\d+, HTTP 200\)$/,
		);
		expect(t.fake.requests).toHaveLength(1);
	});

	it('reports an HTML error page that persists with its status, reason and host, never the query string', async () => {
		inject('DescribeManagedInstances', { kind: 'html', status: 502 }, 3);
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [sample]);
		const [item] = result.items('ECS');
		expect(item.json.error).toMatch(
			/^DescribeManagedInstances failed: HTTP 502 Bad Gateway from 127\.0\.0\.1:\d+ \(request [0-9A-F-]{36}\)$/,
		);
		expect(result.everything()).not.toMatch(/InstanceId\.1=|RegionId=/);
	});

	it('reports an empty 200 that persists with its status', async () => {
		inject('DescribeManagedInstances', { kind: 'empty', status: 200 }, 3);
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [sample]);
		expect(result.items('ECS')[0].json.error).toMatch(
			/^DescribeManagedInstances returned an empty response \(endpoint 127\.0\.0\.1:\d+, HTTP 200\)$/,
		);
	});
});

describe('network failures say which endpoint failed and what to check', () => {
	it('TLS: an https endpoint that does not speak TLS', async () => {
		t.harness.storeCredential('cred-1', {
			accessKeyId: 'LTAI5tFakeEcsTestKey0001',
			accessKeySecret: 'irrelevant',
			endpoint: `https://${t.fake.host}`,
		});
		const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [sample]);
		const [item] = result.items('ECS');
		expect(item.json.error).toBe(`The secure connection to the ECS endpoint ${t.fake.host} failed`);
		expect(item.error?.description).toMatch(/TLS error EPROTO|TLS error ERR_SSL/);
		t.fake.requests.length = 0;
	});
});
