/**
 * "Succeed If Already Deregistered" through n8n's engine: success only when the instance itself
 * is gone (its own 404 InvalidInstance.NotFound) and no other managed-instance region has it;
 * every other answer (a region or action the endpoint does not know, permissions, throttling,
 * an instance alive in another region) stays an error item.
 */
import {
	SAMPLE_INSTANCE,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	type Fault,
} from '../fake-ecs';
import { MANAGED_INSTANCE_REGION_IDS } from '../../nodes/AlibabaEcs/transport/regions';
import { FIXTURE_CREDENTIAL_ID, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 11 });
const hz = 'cn-hangzhou';
const missing = 'mi-hz01gone000001';

/** The deregister-idempotent workflow with On Error: Continue, so that every item comes out. */
function workflow() {
	const wf = workflowFixture('deregister-idempotent');
	const node = wf.nodes.find((n) => n.name === 'ECS')!;
	node.onError = 'continueRegularOutput';
	return wf;
}

function describes() {
	return t.fake.requests.filter((r) => r.action === 'DescribeManagedInstances');
}

it('a genuinely missing instance: AlreadyDeregistered after searching every other region, saying so', async () => {
	const result = await t.harness.run(workflow(), [{ region: hz, instanceId: missing }]);
	const [item] = result.json('ECS');
	expect(item).toEqual({
		InstanceId: missing,
		RegionId: hz,
		AlreadyDeregistered: true,
		SearchedRegionIds: expect.any(Array),
		Note: 'Not found in any region: searched 16 managed-instance region(s)',
		RequestId: t.fake.requests[0].requestId,
	});
	expect([...(item.SearchedRegionIds as string[])].sort()).toEqual(
		[...MANAGED_INSTANCE_REGION_IDS].sort(),
	);
	expect(t.fake.requests[0]).toMatchObject({
		action: 'DeregisterManagedInstance',
		code: 'InvalidInstance.NotFound',
	});
	// The cost: one read per other region, only on this path, each for this one ID.
	expect(describes()).toHaveLength(15);
	expect(describes().map((r) => r.params['InstanceId.1'])).toEqual(Array(15).fill(missing));
	expect(new Set(describes().map((r) => r.params.RegionId)).size).toBe(15);
	expect(describes().map((r) => r.params.RegionId)).not.toContain(hz);
});

it('a new user: Get Many in cn-beijing, then Deregister with Region left empty (credential default cn-hangzhou): an error naming cn-beijing per item, nothing deregistered', async () => {
	const servers = t.fake.state.addInstances(3, { RegionId: 'cn-beijing' });
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint: t.fake.url,
		defaultRegionId: hz,
	});
	const result = await t.harness.run(
		workflow(),
		servers.map((s) => ({ region: '', instanceId: s.InstanceId })),
	);
	const items = result.items('ECS');
	expect(items).toHaveLength(3);
	items.forEach((item, i) => {
		expect(item.json.AlreadyDeregistered).toBeUndefined();
		expect(item.json.error).toMatch(
			new RegExp(
				`^Managed instance ${servers[i].InstanceId} is not in region cn-hangzhou: it is registered in cn-beijing \\(InvalidInstance\\.NotFound, request [0-9A-F-]{36}\\)$`,
			),
		);
		expect(item.error?.description).toMatch(/Nothing was deregistered\. Set Region to cn-beijing/);
		expect(item.pairedItem).toEqual({ item: i });
	});
	expect(t.fake.state.listInstances('cn-beijing')).toHaveLength(3);
	expect(
		t.fake.requests
			.filter((r) => r.action === 'DeregisterManagedInstance')
			.map((r) => r.params.RegionId),
	).toEqual([hz, hz, hz]);
});

it.each<[string, Fault, RegExp]>([
	[
		'an unknown region behind a custom endpoint (InvalidRegionId.NotFound)',
		{
			kind: 'error',
			status: 404,
			code: 'InvalidRegionId.NotFound',
			message: 'The RegionId provided does not exist in our records.',
		},
		/^Region cn-hangzhou is not known to the endpoint 127\.0\.0\.1:\d+ \(InvalidRegionId\.NotFound, /,
	],
	[
		'a gateway that does not know the action (InvalidAction.NotFound)',
		{ kind: 'error', status: 404, code: 'InvalidAction.NotFound' },
		/^The endpoint 127\.0\.0\.1:\d+ does not offer the API action DeregisterManagedInstance \(InvalidAction\.NotFound, /,
	],
	[
		'a missing RAM permission (Forbidden.RAM)',
		{ kind: 'error', status: 403, code: 'Forbidden.RAM' },
		/^The AccessKey is not allowed to call ecs:DeregisterManagedInstance \(Forbidden\.RAM, /,
	],
	[
		'a forbidden operation (Operation.Forbidden)',
		{ kind: 'error', status: 403, code: 'Operation.Forbidden' },
		/^Alibaba Cloud does not permit DeregisterManagedInstance for this account or resource \(Operation\.Forbidden, /,
	],
	[
		'throttling that persists (Throttling.User)',
		{ kind: 'error', status: 400, code: 'Throttling.User' },
		/^Alibaba Cloud is throttling DeregisterManagedInstance requests \(Throttling\.User, /,
	],
	[
		'another NotFound (a resource group)',
		{ kind: 'error', status: 404, code: 'InvalidResourceGroup.NotFound' },
		/^The resource group given to DeregisterManagedInstance does not exist \(InvalidResourceGroup\.NotFound, /,
	],
])('%s is an error item, not AlreadyDeregistered', async (_what, fault, message) => {
	t.fake.inject({ ...fault, action: 'DeregisterManagedInstance', times: 5 } as Fault);
	const result = await t.harness.run(workflow(), [
		{ region: hz, instanceId: SAMPLE_INSTANCE.InstanceId },
	]);
	const [item] = result.items('ECS');
	expect(item.json.AlreadyDeregistered).toBeUndefined();
	expect(item.json.error).toMatch(message);
	expect(describes()).toEqual([]);
	expect(t.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, hz)).toBeDefined();
});

it('a region expression outside the list is still sent, and its refusal is an error explained with the list', async () => {
	const result = await t.harness.run(workflow(), [{ region: 'eu-central-1', instanceId: missing }]);
	const [item] = result.items('ECS');
	expect(t.fake.requests[0].params.RegionId).toBe('eu-central-1');
	expect(item.json.error).toMatch(
		/^DeregisterManagedInstance is not available in region eu-central-1 \(RegionId\.ApiNotSupported, /,
	);
	expect(item.error?.description).toMatch(/cn-qingdao, .*, us-east-1/);
});

it('when a region cannot be searched, it does not claim success: an error naming the region and why', async () => {
	t.fake.inject({
		kind: 'error',
		status: 403,
		code: 'Forbidden.RAM',
		action: 'DescribeManagedInstances',
		times: 1,
	});
	const result = await t.harness.run(workflow(), [{ region: hz, instanceId: missing }]);
	const [item] = result.items('ECS');
	expect(item.json.AlreadyDeregistered).toBeUndefined();
	expect(item.json.error).toMatch(
		/^Managed instance mi-hz01gone000001 was not found in region cn-hangzhou, and 1 other region\(s\) could not be searched \(InvalidInstance\.NotFound, /,
	);
	const refused = describes().find((r) => r.code === 'Forbidden.RAM')!;
	expect(item.error?.description).toContain(`${refused.params.RegionId} (Forbidden.RAM)`);
	expect(item.error?.description).toMatch(/Allow ecs:DescribeManagedInstances there/);
});

describe('with an endpoint that serves fewer regions', () => {
	const narrow = useEngine({
		managedInstanceRegions: MANAGED_INSTANCE_REGION_IDS.filter((r) => r !== 'us-east-1'),
	});

	it('a region that refuses the lookup as unsupported cannot hold the instance: success that names it', async () => {
		const result = await narrow.harness.run(workflow(), [{ region: hz, instanceId: missing }]);
		const [item] = result.json('ECS');
		expect(item).toMatchObject({ AlreadyDeregistered: true, RegionId: hz });
		expect(item.SearchedRegionIds).toHaveLength(15);
		expect(item.Note).toBe(
			'Not found in any region: searched 15 managed-instance region(s); us-east-1 refused the lookup as not offering managed instances',
		);
	});
});
