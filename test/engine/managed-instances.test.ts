/**
 * Get, Get Many and Rename of managed instances, and the state they see after
 * a deregistration, through n8n's real engine against the fake endpoint.
 */
import { SAMPLE_INSTANCE } from '../fake-ecs';
import { configuredFixture, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 7 });
const hz = 'cn-hangzhou';

describe('Get', () => {
	it('outputs one instance by ID, with Connected as a boolean and Tags as a list', async () => {
		t.fake.state.addInstance({
			InstanceId: 'mi-hz0000000001',
			RegionId: hz,
			Connected: false,
			InvocationCount: '17',
			Tags: { env: 'prod', team: 'web' },
		});
		const result = await t.harness.run(workflowFixture('instance-get'), [
			{ region: hz, instanceId: 'mi-hz0000000001' },
		]);
		expect(result.error).toBeUndefined();
		expect(result.json('ECS')).toEqual([
			expect.objectContaining({
				InstanceId: 'mi-hz0000000001',
				Connected: false,
				InvocationCount: 17,
				Tags: [
					{ TagKey: 'env', TagValue: 'prod' },
					{ TagKey: 'team', TagValue: 'web' },
				],
			}),
		]);
		expect(t.fake.requests[0].params).toMatchObject({
			RegionId: hz,
			'InstanceId.1': 'mi-hz0000000001',
		});
	});

	it('fails when the instance does not exist, like other n8n Get operations', async () => {
		const result = await t.harness.run(workflowFixture('instance-get'), [
			{ region: 'cn-beijing', instanceId: SAMPLE_INSTANCE.InstanceId },
		]);
		expect(result.error?.message).toMatch(
			/^Managed instance mi-hz01axdfas0001 was not found in region cn-beijing \(request [0-9A-F-]{36}\)$/,
		);
		expect(result.error?.description).toMatch(/Check the Region ID/);
		expect(result.error).toMatchObject({ httpCode: '404' });
	});
});

describe('Get Many', () => {
	async function listAll(region: string, extra: Record<string, unknown> = {}) {
		const result = await t.harness.run(workflowFixture('instance-get-many'), [
			{ region, returnAll: true, ...extra },
		]);
		expect(result.error).toBeUndefined();
		return result;
	}

	it.each([0, 1, 50, 51, 120])(
		'returns all %i instances of a region exactly once, across 50-instance pages',
		async (count) => {
			const added = t.fake.state.addInstances(count, { RegionId: 'us-east-1' });
			const result = await listAll('us-east-1');
			const ids = result.json('ECS').map((item) => item.InstanceId);
			expect([...ids].sort()).toEqual(added.map((i) => i.InstanceId).sort());
			expect(new Set(ids).size).toBe(count);
			expect(
				result.items('ECS').every((item) => (item.pairedItem as { item: number }).item === 0),
			).toBe(true);
			expect(t.fake.requests).toHaveLength(Math.max(1, Math.ceil(count / 50)));
			expect(t.fake.requests.every((r) => r.params.MaxResults === '50')).toBe(true);
		},
	);

	it('returns 10,000 instances without repeating or dropping one', async () => {
		const added = t.fake.state.addInstances(10_000, { RegionId: 'ap-southeast-1' });
		const result = await t.harness.run(workflowFixture('instance-get-many-all'), [
			{ region: 'ap-southeast-1' },
		]);
		const ids = result.json('ECS').map((item) => item.InstanceId as string);
		expect(ids).toHaveLength(10_000);
		expect(new Set(ids).size).toBe(10_000);
		expect(new Set(ids)).toEqual(new Set(added.map((i) => i.InstanceId)));
		expect(t.fake.requests).toHaveLength(200);
	}, 60_000);

	it('stops at the limit and asks only for what is missing', async () => {
		t.fake.state.addInstances(120, { RegionId: 'us-east-1' });
		const result = await t.harness.run(workflowFixture('instance-get-many'), [
			{ region: 'us-east-1', limit: 70 },
		]);
		expect(result.json('ECS')).toHaveLength(70);
		expect(t.fake.requests.map((r) => r.params.MaxResults)).toEqual(['50', '20']);
	});

	it('sends every filter under the API names and outputs what the API selected', async () => {
		t.fake.state.addInstance({
			InstanceId: 'mi-f00000000001',
			RegionId: hz,
			Connected: false,
			OsType: 'windows',
			ResourceGroupId: 'rg-acfm00000001',
		});
		t.fake.state.addInstance({
			InstanceId: 'mi-f00000000002',
			RegionId: hz,
			Connected: true,
			OsType: 'windows',
			ResourceGroupId: 'rg-acfm00000001',
		});
		t.fake.state.addInstance({
			InstanceId: 'mi-f00000000003',
			RegionId: hz,
			Connected: false,
			OsType: 'linux',
			ResourceGroupId: 'rg-acfm00000001',
		});
		const result = await listAll(hz, {
			connected: 'false',
			osType: 'windows',
			resourceGroupId: 'rg-acfm00000001',
		});
		expect(result.json('ECS').map((i) => i.InstanceId)).toEqual(['mi-f00000000001']);
		expect(t.fake.requests[0].params).toMatchObject({
			Connected: 'false',
			OsType: 'windows',
			ResourceGroupId: 'rg-acfm00000001',
		});
	});

	it('filters by tags and by a list of instance IDs', async () => {
		t.fake.state.addInstance({
			InstanceId: 'mi-t00000000001',
			RegionId: hz,
			Tags: { env: 'prod' },
		});
		t.fake.state.addInstance({ InstanceId: 'mi-t00000000002', RegionId: hz, Tags: { env: 'dev' } });
		const tagged = await t.harness.run(workflowFixture('instance-get-many-tagged'), [
			{ region: hz, tagKey: 'env', tagValue: 'prod' },
		]);
		expect(tagged.json('ECS').map((i) => i.InstanceId)).toEqual(['mi-t00000000001']);
		expect(t.fake.requests[0].params).toMatchObject({ 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' });

		const byId = await listAll(hz, { instanceIds: 'mi-t00000000002, mi-hz01axdfas0001' });
		expect(
			byId
				.json('ECS')
				.map((i) => i.InstanceId)
				.sort(),
		).toEqual(['mi-hz01axdfas0001', 'mi-t00000000002']);
	});

	it('node version 1.1 takes Tags inside Filters; a version 1 workflow keeps its top-level Tags (both are read)', async () => {
		t.fake.state.addInstance({
			InstanceId: 'mi-t10000000001',
			RegionId: hz,
			Tags: { env: 'prod', team: 'web' },
		});
		t.fake.state.addInstance({
			InstanceId: 'mi-t10000000002',
			RegionId: hz,
			Tags: { env: 'prod' },
		});
		const inFilters = await t.harness.run(
			configuredFixture('instance-get-many-heartbeat', 'ECS', {
				parameters: {
					filters: {
						tags: {
							tag: [
								{ key: 'env', value: 'prod' },
								{ key: 'team', value: 'web' },
							],
						},
					},
				},
			}),
			[{ region: hz, returnAll: true }],
		);
		expect(inFilters.json('ECS').map((i) => i.InstanceId)).toEqual(['mi-t10000000001']);
		expect(t.fake.requests.at(-1)?.params).toMatchObject({
			'Tag.1.Key': 'env',
			'Tag.1.Value': 'prod',
			'Tag.2.Key': 'team',
		});
		// version 1, as saved before: top-level Tags (fixture instance-get-many-tagged)
		const legacy = await t.harness.run(workflowFixture('instance-get-many-tagged'), [
			{ region: hz, tagKey: 'team', tagValue: 'web' },
		]);
		expect(legacy.json('ECS').map((i) => i.InstanceId)).toEqual(['mi-t10000000001']);
	});

	it('no longer returns an instance after it was deregistered', async () => {
		t.fake.state.addInstance({ InstanceId: 'mi-gone00000001', RegionId: hz });
		const before = await listAll(hz);
		expect(before.json('ECS').map((i) => i.InstanceId)).toContain('mi-gone00000001');

		const deregistered = await t.harness.run(workflowFixture('deregister'), [
			{ region: hz, instanceId: 'mi-gone00000001' },
		]);
		expect(deregistered.error).toBeUndefined();

		const after = await listAll(hz);
		expect(after.json('ECS').map((i) => i.InstanceId)).not.toContain('mi-gone00000001');
		expect(after.json('ECS')).toHaveLength(before.json('ECS').length - 1);
	});

	it('runs one listing per input item, each output paired to its item', async () => {
		t.fake.state.addInstances(3, { RegionId: 'cn-beijing' });
		const result = await t.harness.run(workflowFixture('instance-get-many'), [
			{ region: 'cn-beijing', returnAll: true },
			{ region: hz, returnAll: true },
		]);
		const pairs = result.items('ECS').map((item) => (item.pairedItem as { item: number }).item);
		expect(pairs).toEqual([0, 0, 0, 1]);
	});

	it.each([
		[
			{ instanceIds: 'mi-ok00000001, i-bp1notmanaged' },
			/^Item 0: Instance IDs "i-bp1notmanaged" is an ECS instance ID/,
		],
		[
			{ resourceGroupId: 'group-1' },
			/^Item 0: Resource Group ID "group-1" is not a resource group ID$/,
		],
		[{ limit: 0 }, /^Item 0: Limit must be a whole number from 1 to 1000000, but got number 0$/],
		[{ osType: 'macos' }, /^Item 0: OS Type must be windows, linux or FreeBSD/],
	])('refuses bad filters %j before any request', async (extra, message) => {
		const result = await t.harness.run(workflowFixture('instance-get-many'), [
			{ region: hz, ...extra },
		]);
		expect(result.error?.message).toMatch(message);
		expect(t.fake.requests).toEqual([]);
	});
});

describe('Rename', () => {
	it('renames the instance and outputs its new name', async () => {
		const result = await t.harness.run(workflowFixture('instance-rename'), [
			{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId, name: 'build-agent-01' },
		]);
		expect(result.json('ECS')).toEqual([
			{
				InstanceId: SAMPLE_INSTANCE.InstanceId,
				InstanceName: 'build-agent-01',
				RegionId: hz,
				RequestId: expect.any(String),
			},
		]);
		expect(t.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, hz)?.InstanceName).toBe(
			'build-agent-01',
		);
	});

	it.each([
		['x', /^Item 0: New Instance Name must be 2 to 128 characters long, but has 1$/],
		['y'.repeat(129), /^Item 0: New Instance Name must be 2 to 128 characters long, but has 129$/],
		['   ', /^Item 0: New Instance Name is empty$/],
	])('refuses the name %j before any request', async (name, message) => {
		const result = await t.harness.run(workflowFixture('instance-rename'), [
			{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId, name },
		]);
		expect(result.error?.message).toMatch(message);
		expect(t.fake.requests).toEqual([]);
	});
});

describe('Deregister: Succeed If Already Deregistered', () => {
	it('turns NotFound into an item saying the instance was already gone', async () => {
		const input = [
			{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId },
			{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId },
		];
		const result = await t.harness.run(workflowFixture('deregister-idempotent'), input);
		expect(result.error).toBeUndefined();
		const [first, second] = result.json('ECS');
		expect(first).toMatchObject({ InstanceId: SAMPLE_INSTANCE.InstanceId, InvocationCount: 2 });
		expect(first.AlreadyDeregistered).toBeUndefined();
		expect(second).toEqual({
			InstanceId: SAMPLE_INSTANCE.InstanceId,
			RegionId: hz,
			AlreadyDeregistered: true,
			SearchedRegionIds: expect.arrayContaining(['cn-hangzhou', 'cn-beijing', 'us-east-1']),
			Note: 'Not found in any region: searched 16 managed-instance region(s)',
			RequestId: t.fake.requests[1].requestId,
		});
		expect(t.fake.requests[1]).toMatchObject({ status: 404, code: 'InvalidInstance.NotFound' });
	});

	it('still fails on other errors', async () => {
		t.fake.inject({
			kind: 'error',
			status: 403,
			code: 'Forbidden.RAM',
			action: 'DeregisterManagedInstance',
		});
		const result = await t.harness.run(workflowFixture('deregister-idempotent'), [
			{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId },
		]);
		expect(result.error?.message).toMatch(/Forbidden\.RAM/);
	});
});
