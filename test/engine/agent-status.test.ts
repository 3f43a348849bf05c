/**
 * The Cloud Assistant agent's status (DescribeCloudAssistantStatus): the Get Agent Status
 * operation and the Include Agent Status option of Get and Get Many, batched as the API allows.
 */
import { configuredFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 11, seedSample: false });
const hz = 'cn-hangzhou';
const bj = 'cn-beijing';

const statusCalls = () =>
	t.fake.requests.filter((request) => request.action === 'DescribeCloudAssistantStatus');
const idsOf = (request: { params: Record<string, string> }) =>
	Object.entries(request.params)
		.filter(([key]) => key.startsWith('InstanceId.'))
		.map(([, value]) => value);

describe('Get Agent Status', () => {
	it('outputs one item per input item with the API fields, booleans and numbers, RegionId, in input order and paired', async () => {
		const online = t.fake.state.addInstance({
			RegionId: hz,
			Connected: true,
			OsType: 'linux',
			AgentVersion: '2.2.3.541',
			InvocationCount: 41,
		});
		const offline = t.fake.state.addInstance({
			RegionId: bj,
			Connected: false,
			LastHeartbeatTime: '2026-02-03T04:05:06Z',
		});
		const result = await t.harness.run(configuredFixture('instance-agent-status', 'ECS', {}), [
			{ region: bj, instanceId: offline.InstanceId },
			{ region: hz, instanceId: online.InstanceId },
		]);
		expect(result.error).toBeUndefined();
		const [first, second] = result.items('ECS');
		expect(first.pairedItem).toEqual({ item: 0 });
		expect(second.pairedItem).toEqual({ item: 1 });
		expect(first.json).toEqual({
			InstanceId: offline.InstanceId,
			RegionId: bj,
			CloudAssistantStatus: false,
			LastHeartbeatTime: '2026-02-03T04:05:06Z',
			CloudAssistantVersion: '',
			ActiveTaskCount: 0,
			InvocationCount: offline.InvocationCount,
			LastInvokedTime: offline.LastInvokedTime,
			OSType: expect.any(String),
			SupportSessionManager: expect.any(Boolean),
		});
		expect(Object.keys(first.json).slice(0, 4)).toEqual([
			'InstanceId',
			'RegionId',
			'CloudAssistantStatus',
			'LastHeartbeatTime',
		]);
		expect(second.json).toMatchObject({
			InstanceId: online.InstanceId,
			RegionId: hz,
			CloudAssistantStatus: true,
			CloudAssistantVersion: '2.2.3.541',
			InvocationCount: 41,
			OSType: 'Linux',
			SupportSessionManager: true,
		});
		expect(Date.now() - Date.parse(second.json.LastHeartbeatTime as string)).toBeLessThan(120_000);
	});

	it('asks for 120 instances in three calls (50 IDs at most, per region), never one call per instance', async () => {
		const hangzhou = t.fake.state.addInstances(100, { RegionId: hz });
		const beijing = t.fake.state.addInstances(20, { RegionId: bj });
		const input = [
			...hangzhou.map((i) => ({ region: hz, instanceId: i.InstanceId })),
			...beijing.map((i) => ({ region: bj, instanceId: i.InstanceId })),
		];
		const result = await t.harness.run(
			configuredFixture('instance-agent-status', 'ECS', {}),
			input,
		);
		expect(result.error).toBeUndefined();
		expect(result.json('ECS').map((item) => item.InstanceId)).toEqual(
			input.map((i) => i.instanceId),
		);
		const calls = statusCalls();
		expect(calls.map((call) => [call.params.RegionId, idsOf(call).length])).toEqual(
			expect.arrayContaining([
				[hz, 50],
				[hz, 50],
				[bj, 20],
			]),
		);
		expect(calls).toHaveLength(3);
		expect(t.fake.requests).toHaveLength(3);
	});

	it('an instance the answer leaves out is a NotFound error item (continue-on-fail); the others are output', async () => {
		const known = t.fake.state.addInstance({ RegionId: hz });
		const result = await t.harness.run(
			configuredFixture('instance-agent-status', 'ECS', {
				settings: { onError: 'continueRegularOutput' },
			}),
			[
				{ region: hz, instanceId: 'mi-hz01gone000001' },
				{ region: hz, instanceId: known.InstanceId },
			],
		);
		const [gone, found] = result.items('ECS');
		expect(gone.json.error).toBe(
			'Managed instance mi-hz01gone000001 was not found in region cn-hangzhou',
		);
		expect(gone.pairedItem).toEqual({ item: 0 });
		expect(found.json).toMatchObject({ InstanceId: known.InstanceId, RegionId: hz });
		expect(statusCalls()).toHaveLength(1);
	});

	it('if the API refuses a batch because one ID is unknown, it asks again in halves: only that instance fails', async () => {
		t.fake.state.statusOfUnknownIds = 'notFound';
		const known = t.fake.state.addInstances(10, { RegionId: hz });
		const input = known.map((i) => ({ region: hz, instanceId: i.InstanceId }));
		input.splice(6, 0, { region: hz, instanceId: 'mi-hz01gone000001' });
		const result = await t.harness.run(
			configuredFixture('instance-agent-status', 'ECS', {
				settings: { onError: 'continueRegularOutput' },
			}),
			input,
		);
		const items = result.json('ECS');
		expect(items.filter((item) => item.error)).toEqual([
			{ error: 'Managed instance mi-hz01gone000001 was not found in region cn-hangzhou' },
		]);
		expect(items.filter((item) => item.CloudAssistantStatus !== undefined)).toHaveLength(10);
		// 11 IDs: 1 refused call, then halving down to the unknown one: at most 2·⌈log2 11⌉ more
		expect(statusCalls().length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(11)));
		expect(statusCalls().filter((call) => call.status === 200).length).toBeGreaterThan(0);
	});

	it('without the RAM permission, every item fails with an error naming ecs:DescribeCloudAssistantStatus', async () => {
		const instance = t.fake.state.addInstance({ RegionId: hz });
		t.fake.inject({
			kind: 'error',
			status: 403,
			code: 'Forbidden.RAM',
			message:
				'User not authorized to operate on the specified resource, or this API does not support RAM.',
			action: 'DescribeCloudAssistantStatus',
		});
		const result = await t.harness.run(configuredFixture('instance-agent-status', 'ECS', {}), [
			{ region: hz, instanceId: instance.InstanceId },
		]);
		expect(result.error?.message).toMatch(
			/^The AccessKey is not allowed to call ecs:DescribeCloudAssistantStatus \(Forbidden\.RAM, request [0-9A-F-]{36}\)$/,
		);
		expect(result.error?.description).toMatch(/ecs:DescribeCloudAssistantStatus/);
	});

	it('names the action from AccessDeniedDetail when Alibaba sends one', async () => {
		const instance = t.fake.state.addInstance({ RegionId: hz });
		t.fake.inject({
			kind: 'error',
			status: 403,
			code: 'NoPermission',
			action: 'DescribeCloudAssistantStatus',
			body: {
				AccessDeniedDetail: {
					AuthAction: 'ecs:DescribeCloudAssistantStatus',
					NoPermissionType: 'ImplicitDeny',
				},
			},
		});
		const result = await t.harness.run(configuredFixture('instance-agent-status', 'ECS', {}), [
			{ region: hz, instanceId: instance.InstanceId },
		]);
		expect(result.error?.message).toMatch(/ecs:DescribeCloudAssistantStatus/);
	});

	it('refuses an ECS instance ID before any request', async () => {
		const result = await t.harness.run(configuredFixture('instance-agent-status', 'ECS', {}), [
			{ region: hz, instanceId: 'i-bp1abcdefghijklmn' },
		]);
		expect(result.error?.message).toMatch(/^Item 0: .*ECS instance ID/);
		expect(t.fake.requests).toEqual([]);
	});
});

describe('Get with Include Agent Status', () => {
	it('adds the agent status fields to each instance, reading them for all items in one call', async () => {
		const instances = t.fake.state.addInstances(3, { RegionId: hz, Connected: true });
		const result = await t.harness.run(
			configuredFixture('instance-get', 'ECS', {
				parameters: { options: { includeAgentStatus: true } },
			}),
			instances.map((i) => ({ region: hz, instanceId: i.InstanceId })),
		);
		expect(result.error).toBeUndefined();
		for (const item of result.json('ECS')) {
			expect(item).toMatchObject({
				Connected: true,
				RegionId: hz,
				CloudAssistantStatus: true,
				CloudAssistantVersion: expect.any(String),
				LastHeartbeatTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
				SupportSessionManager: expect.any(Boolean),
				ActiveTaskCount: 0,
			});
			expect(Object.keys(item).slice(0, 10)).toEqual([
				'InstanceId',
				'InstanceName',
				'Connected',
				'RegionId',
				'LastHeartbeatTime',
				'CloudAssistantStatus',
				'CloudAssistantVersion',
				'ActiveTaskCount',
				'SupportSessionManager',
				'Hostname',
			]);
		}
		expect(statusCalls()).toHaveLength(1);
		expect(idsOf(statusCalls()[0]).sort()).toEqual(instances.map((i) => i.InstanceId).sort());
	});

	it('without the option, Get makes no status call and adds no status field', async () => {
		const [instance] = t.fake.state.addInstances(1, { RegionId: hz });
		const result = await t.harness.run(configuredFixture('instance-get', 'ECS', {}), [
			{ region: hz, instanceId: instance.InstanceId },
		]);
		expect(result.json('ECS')[0].CloudAssistantStatus).toBeUndefined();
		expect(statusCalls()).toEqual([]);
	});
});

describe('Get Many with Include Agent Status', () => {
	it('adds the status to every instance with one status call per page of 50', async () => {
		t.fake.state.addInstances(120, { RegionId: bj });
		const result = await t.harness.run(
			configuredFixture('instance-get-many-heartbeat', 'ECS', {
				parameters: { options: { includeAgentStatus: true } },
			}),
			[{ region: bj, returnAll: true }],
		);
		expect(result.error).toBeUndefined();
		const items = result.json('ECS');
		expect(items).toHaveLength(120);
		expect(items.every((item) => typeof item.CloudAssistantStatus === 'boolean')).toBe(true);
		expect(items.every((item) => item.RegionId === bj)).toBe(true);
		const connected = items.filter((item) => item.Connected === true);
		expect(connected.every((item) => item.CloudAssistantStatus === true)).toBe(true);
		expect(statusCalls().map((call) => idsOf(call).length)).toEqual([50, 50, 20]);
		// each status call asks exactly for the instances of one listed page
		const listed = t.fake.requests.filter((r) => r.action === 'DescribeManagedInstances');
		expect(listed).toHaveLength(3);
	});

	it('a status call that fails fails the listing with its error, even while the next page is being listed', async () => {
		t.fake.state.addInstances(120, { RegionId: bj });
		t.fake.inject({
			kind: 'error',
			status: 403,
			code: 'Forbidden.RAM',
			action: 'DescribeCloudAssistantStatus',
		});
		const result = await t.harness.run(
			configuredFixture('instance-get-many-heartbeat', 'ECS', {
				parameters: { options: { includeAgentStatus: true } },
			}),
			[{ region: bj, returnAll: true }],
		);
		expect(result.error?.message).toMatch(/ecs:DescribeCloudAssistantStatus/);
	});
});
