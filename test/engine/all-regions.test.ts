/**
 * Get Many over every region where managed instances exist (option All Regions): instances and
 * activation codes, Limit over the whole set, RegionId on every item, and what happens when a
 * region fails.
 */
import type { IDataObject } from 'n8n-workflow';

import { MANAGED_INSTANCE_REGION_IDS } from '../../nodes/AlibabaEcs/transport/regions';
import { configuredFixture, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 3, seedSample: false });
const HOUR = 3_600_000;
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

const listAllRegions = (
	input: IDataObject,
	change: { filters?: IDataObject; settings?: IDataObject } = {},
) =>
	t.harness.run(
		configuredFixture('instance-get-many-heartbeat', 'ECS', {
			parameters: { options: { allRegions: true }, filters: change.filters ?? {} },
			settings: change.settings,
		}),
		[input],
	);

describe('Get Many, All Regions', () => {
	it('lists the 16 regions, one call each, every item with its RegionId, in the regions’ order', async () => {
		const qd = t.fake.state.addInstances(2, { RegionId: 'cn-qingdao' });
		const hz = t.fake.state.addInstances(3, { RegionId: 'cn-hangzhou' });
		const va = t.fake.state.addInstances(1, { RegionId: 'us-east-1' });
		// A region where managed instances do not exist is not asked
		t.fake.state.addInstances(1, { RegionId: 'eu-central-1' });
		const result = await listAllRegions({ region: 'cn-hangzhou', returnAll: true });
		expect(result.error).toBeUndefined();
		const items = result.json('ECS');
		expect(items.map((item) => [item.RegionId, item.InstanceId])).toEqual([
			...qd.map((i) => ['cn-qingdao', i.InstanceId]).sort(),
			...hz.map((i) => ['cn-hangzhou', i.InstanceId]).sort(),
			...va.map((i) => ['us-east-1', i.InstanceId]),
		]);
		const calls = t.fake.requests.filter((r) => r.action === 'DescribeManagedInstances');
		expect(calls.map((c) => c.params.RegionId).sort()).toEqual(
			[...MANAGED_INSTANCE_REGION_IDS].sort(),
		);
		expect(
			result.items('ECS').every((item) => (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
	});

	it('applies Limit to the whole list: the first regions first', async () => {
		t.fake.state.addInstances(3, { RegionId: 'cn-qingdao' });
		t.fake.state.addInstances(5, { RegionId: 'cn-beijing' });
		t.fake.state.addInstances(5, { RegionId: 'us-west-1' });
		const result = await listAllRegions({ region: 'cn-hangzhou', limit: 4 });
		expect(result.json('ECS').map((item) => item.RegionId)).toEqual([
			'cn-qingdao',
			'cn-qingdao',
			'cn-qingdao',
			'cn-beijing',
		]);
	});

	it('needs no Region: empty, and no default region in the credential', async () => {
		t.fake.state.addInstances(1, { RegionId: 'cn-shenzhen' });
		const result = await listAllRegions({ region: '', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.json('ECS').map((item) => item.RegionId)).toEqual(['cn-shenzhen']);
	});

	it('with the offline filter, across regions', async () => {
		const now = Date.now();
		const stale = t.fake.state.addInstance({
			RegionId: 'ap-southeast-1',
			Connected: false,
			LastHeartbeatTime: iso(now - 100 * HOUR),
			RegistrationTime: iso(now - 1000 * HOUR),
		});
		t.fake.state.addInstance({
			RegionId: 'cn-chengdu',
			Connected: false,
			LastHeartbeatTime: iso(now - 2 * HOUR),
		});
		t.fake.state.addInstance({ RegionId: 'cn-chengdu', Connected: true });
		const result = await listAllRegions(
			{ region: 'cn-hangzhou', returnAll: true },
			{ filters: { offlineForAtLeast: 24 } },
		);
		expect(result.json('ECS').map((item) => [item.RegionId, item.InstanceId])).toEqual([
			['ap-southeast-1', stale.InstanceId],
		]);
		// one status call for each region that had a disconnected instance to judge
		const statusRegions = t.fake.requests
			.filter((r) => r.action === 'DescribeCloudAssistantStatus')
			.map((r) => r.params.RegionId)
			.sort();
		expect(statusRegions).toEqual(['ap-southeast-1', 'cn-chengdu']);
	});

	it('outputs nothing when a region fails, and names the region and why; continue-on-fail makes it an error item', async () => {
		t.fake.state.addInstances(2, { RegionId: 'cn-qingdao' });
		t.fake.inject({
			kind: 'error',
			status: 403,
			code: 'Forbidden.RAM',
			action: 'DescribeManagedInstances',
		});
		const result = await listAllRegions({ region: 'cn-hangzhou', returnAll: true });
		const refused = t.fake.requests.find((r) => r.code === 'Forbidden.RAM');
		expect(refused).toBeDefined();
		const region = refused?.params.RegionId ?? '';
		expect(result.error?.message).toBe(
			`Listing all regions failed in 1 of 16 regions, so nothing is output (the list would be incomplete). ${region}: The AccessKey is not allowed to call ecs:DescribeManagedInstances (Forbidden.RAM, request ${refused?.requestId})`,
		);
		expect(result.error?.description).toMatch(/turn All Regions off/);
		// every other region was still asked (the error tells everything that failed at once)
		expect(t.fake.requests.filter((r) => r.action === 'DescribeManagedInstances')).toHaveLength(16);

		t.fake.requests.length = 0;
		t.fake.inject({
			kind: 'error',
			status: 403,
			code: 'Forbidden.RAM',
			action: 'DescribeManagedInstances',
		});
		const continued = await listAllRegions(
			{ region: 'cn-hangzhou', returnAll: true },
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(continued.error).toBeUndefined();
		const items = continued.items('ECS');
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toMatch(/^Listing all regions failed in 1 of 16 regions/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('feeds Deregister with {{ $json.RegionId }}: each instance is deregistered in its own region', async () => {
		const now = Date.now();
		const gone = [
			t.fake.state.addInstance({
				RegionId: 'cn-beijing',
				Connected: false,
				LastHeartbeatTime: iso(now - 90 * HOUR),
				RegistrationTime: iso(now - 1000 * HOUR),
			}),
			t.fake.state.addInstance({
				RegionId: 'us-east-1',
				Connected: false,
				LastHeartbeatTime: iso(now - 90 * HOUR),
				RegistrationTime: iso(now - 1000 * HOUR),
			}),
		];
		const kept = t.fake.state.addInstance({ RegionId: 'us-east-1', Connected: true });
		const result = await t.harness.run(workflowFixture('cleanup-all-regions'), [
			{ hours: 72, max: 5 },
		]);
		expect(result.error).toBeUndefined();
		expect(
			t.fake.requests
				.filter((r) => r.action === 'DeregisterManagedInstance')
				.map((r) => [r.params.RegionId, r.params.InstanceId])
				.sort(),
		).toEqual(gone.map((i) => [i.RegionId, i.InstanceId]).sort());
		expect(result.json('Deregister').map((item) => [item.RegionId, item.Deregistered])).toEqual([
			['cn-beijing', true],
			['us-east-1', true],
		]);
		expect(t.fake.state.listInstances().map((i) => i.InstanceId)).toEqual([kept.InstanceId]);
	});
});

describe('Activation Code → Get Many, All Regions', () => {
	it('lists the codes of every region with their RegionId, Limit over the whole list', async () => {
		t.fake.state.addActivation({
			RegionId: 'cn-beijing',
			InstanceName: 'bj',
			Description: 'Beijing DC',
		});
		t.fake.state.addActivation({ RegionId: 'us-west-1', InstanceName: 'sv' });
		t.fake.state.addActivation({ RegionId: 'us-west-1', InstanceName: 'sv' });
		const all = await t.harness.run(workflowFixture('activation-get-many-all-regions'), [
			{ region: '', returnAll: true },
		]);
		expect(all.error).toBeUndefined();
		expect(all.json('ECS').map((item) => [item.RegionId, item.InstanceName])).toEqual([
			['cn-beijing', 'bj'],
			['us-west-1', 'sv'],
			['us-west-1', 'sv'],
		]);
		expect(Object.keys(all.json('ECS')[0]).slice(0, 5)).toEqual([
			'ActivationId',
			'InstanceName',
			'Description',
			'RegionId',
			'Disabled',
		]);
		expect(t.fake.requests.filter((r) => r.action === 'DescribeActivations')).toHaveLength(16);
		const two = await t.harness.run(workflowFixture('activation-get-many-all-regions'), [
			{ region: '', limit: 2 },
		]);
		expect(two.json('ECS').map((item) => item.RegionId)).toEqual(['cn-beijing', 'us-west-1']);
	});
});
