/** DescribeCloudAssistantStatus (the agent status) and the heartbeat clock, through the real SDK. */
import { isoSeconds } from './generate';
import { HEARTBEAT_INTERVAL_MS } from './heartbeat';
import { $Ecs, rejectionOf, sdkSignedRequest, useFakeEcs } from './test-clients';

/** Minutes the fake's clock is ahead of this process (within the 15-minute signing window). */
let skewMinutes = 0;
const fakeNow = () => Date.now() + skewMinutes * 60_000;
const env = useFakeEcs({ seedSample: false, now: fakeNow });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeEach(() => {
	skewMinutes = 0;
});

const status = async (request: Partial<$Ecs.DescribeCloudAssistantStatusRequest>) =>
	(
		await env.ecs.describeCloudAssistantStatus(
			new $Ecs.DescribeCloudAssistantStatusRequest({ regionId: 'cn-hangzhou', ...request }),
		)
	).body;
const items = async (request: Partial<$Ecs.DescribeCloudAssistantStatusRequest>) =>
	(await status(request))?.instanceCloudAssistantStatusSet?.instanceCloudAssistantStatus ?? [];

describe('DescribeCloudAssistantStatus', () => {
	it('answers with the SDK model fields; a connected agent beat within the last minute, a disconnected one keeps its last beat', async () => {
		const online = env.fake.state.addInstance({
			InstanceId: 'mi-hz01online0001',
			Connected: true,
			OsType: 'linux',
			AgentVersion: '2.2.3.541',
			InvocationCount: 7,
			LastInvokedTime: '2026-01-02T00:00:00Z',
		});
		const offline = env.fake.state.addInstance({
			InstanceId: 'mi-hz01offline001',
			Connected: false,
			OsType: 'windows',
			AgentVersion: '2.1.0.128',
			LastHeartbeatTime: '2026-01-02T03:04:05Z',
		});
		const raw = await sdkSignedRequest(env.fake, {
			action: 'DescribeCloudAssistantStatus',
			query: {
				RegionId: 'cn-hangzhou',
				'InstanceId.1': online.InstanceId,
				'InstanceId.2': offline.InstanceId,
			},
		});
		expect(raw.status).toBe(200);
		const [a, b] = (raw.json.InstanceCloudAssistantStatusSet as Record<string, unknown[]>)
			.InstanceCloudAssistantStatus as Array<Record<string, unknown>>;
		expect(Object.keys(a).sort()).toEqual(
			[
				'ActiveTaskCount',
				'CloudAssistantStatus',
				'CloudAssistantVersion',
				'InstanceId',
				'InvocationCount',
				'LastHeartbeatTime',
				'LastInvokedTime',
				'OSType',
				'SupportSessionManager',
			].sort(),
		);
		expect(a).toMatchObject({
			InstanceId: online.InstanceId,
			CloudAssistantStatus: 'true',
			CloudAssistantVersion: '2.2.3.541',
			OSType: 'Linux',
			InvocationCount: 7,
			SupportSessionManager: true,
		});
		const beatAge = Date.now() - Date.parse(a.LastHeartbeatTime as string);
		expect(beatAge).toBeGreaterThanOrEqual(-1000);
		expect(beatAge).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + 1000);
		expect(b).toMatchObject({
			InstanceId: offline.InstanceId,
			CloudAssistantStatus: 'false',
			CloudAssistantVersion: '', // "empty if the agent is not installed or is not running"
			LastHeartbeatTime: '2026-01-02T03:04:05Z',
			OSType: 'Windows',
			SupportSessionManager: false,
		});
		// The SDK reads the answer into its model.
		const [sdkItem] = await items({ instanceId: [online.InstanceId] });
		expect(sdkItem.cloudAssistantStatus).toBe('true');
	});

	it('on its own clock: a connected agent keeps beating as the clock moves, a disconnected one does not', async () => {
		const online = env.fake.state.addInstance({ InstanceId: 'mi-hz01clock00001', Connected: true });
		const offline = env.fake.state.addInstance({
			InstanceId: 'mi-hz01clock00002',
			Connected: true,
		});
		env.fake.state.disconnectInstance(offline.InstanceId);
		const before = await items({ instanceId: [online.InstanceId, offline.InstanceId] });
		skewMinutes = 5;
		const after = await items({ instanceId: [online.InstanceId, offline.InstanceId] });
		const beat = (list: typeof before, id: string) =>
			Date.parse(list.find((i) => i.instanceId === id)?.lastHeartbeatTime ?? '');
		// five more beats (six if a beat fell between the two reads)
		expect([5 * MINUTE, 6 * MINUTE]).toContain(
			beat(after, online.InstanceId) - beat(before, online.InstanceId),
		);
		expect(fakeNow() - beat(after, online.InstanceId)).toBeLessThan(HEARTBEAT_INTERVAL_MS + 1000);
		expect(beat(after, offline.InstanceId)).toBe(beat(before, offline.InstanceId));
		expect(after.find((i) => i.instanceId === offline.InstanceId)?.cloudAssistantStatus).toBe(
			'false',
		);
	});

	it('reconnect and disconnect mid-test: the status and DescribeManagedInstances agree at once', async () => {
		const instance = env.fake.state.addInstance({
			InstanceId: 'mi-hz01flappy0001',
			Connected: false,
			LastHeartbeatTime: isoSeconds(Date.now() - 40 * 24 * HOUR),
		});
		env.fake.state.reconnectInstance(instance.InstanceId);
		const [back] = await items({ instanceId: [instance.InstanceId] });
		expect(back.cloudAssistantStatus).toBe('true');
		expect(Date.now() - Date.parse(back.lastHeartbeatTime ?? '')).toBeLessThan(2 * MINUTE);
		const listed = await env.ecs.describeManagedInstances(
			new $Ecs.DescribeManagedInstancesRequest({ regionId: 'cn-hangzhou' }),
		);
		expect(listed.body?.instances?.[0].connected).toBe(true);

		env.fake.state.disconnectInstance(
			instance.InstanceId,
			undefined,
			Date.parse('2026-03-01T00:00:00Z'),
		);
		const [gone] = await items({ instanceId: [instance.InstanceId] });
		expect(gone).toMatchObject({
			cloudAssistantStatus: 'false',
			lastHeartbeatTime: '2026-03-01T00:00:00Z',
		});
	});

	it('a disconnected instance created without a heartbeat went offline shortly after its last command; one that never beat has none', async () => {
		const used = env.fake.state.addInstance({
			Connected: false,
			RegistrationTime: '2025-01-01T00:00:00Z',
			LastInvokedTime: '2025-06-01T10:00:00Z',
		});
		const never = env.fake.state.addInstance({ Connected: false, LastHeartbeatTime: null });
		const list = await items({ instanceId: [used.InstanceId, never.InstanceId] });
		expect(list.find((i) => i.instanceId === used.InstanceId)?.lastHeartbeatTime).toBe(
			'2025-06-01T10:05:00Z',
		);
		expect(list.find((i) => i.instanceId === never.InstanceId)?.lastHeartbeatTime).toBeUndefined();
	});

	it('pages with MaxResults (up to 50) and NextToken, and filters by OSType', async () => {
		env.fake.state.addInstances(60, { OsType: 'linux' });
		env.fake.state.addInstances(7, { OsType: 'windows' });
		const first = await status({ maxResults: 50 });
		expect(first?.instanceCloudAssistantStatusSet?.instanceCloudAssistantStatus).toHaveLength(50);
		const second = await status({ maxResults: 50, nextToken: first?.nextToken });
		expect(second?.instanceCloudAssistantStatusSet?.instanceCloudAssistantStatus).toHaveLength(17);
		expect(second?.nextToken).toBeUndefined();
		expect(await items({ OSType: 'Windows', maxResults: 50 })).toHaveLength(7);
		const tooMany = await rejectionOf(status({ maxResults: 51 }));
		expect(tooMany).toMatchObject({ code: 'InvalidParameter.MaxResults', statusCode: 400 });
	});

	it('takes up to 100 InstanceId.N (MaxResults then does not apply), and refuses more', async () => {
		const added = env.fake.state.addInstances(101);
		const ids = added.map((i) => i.InstanceId);
		expect(await items({ instanceId: ids.slice(0, 100), maxResults: 10 })).toHaveLength(100);
		const err = await rejectionOf(status({ instanceId: ids }));
		expect(err).toMatchObject({ code: 'InvalidParam.InstanceId', statusCode: 400 });
	});

	it('leaves unknown IDs out by default, or refuses the call with 404 InvalidInstance.NotFound', async () => {
		const known = env.fake.state.addInstance({});
		expect(
			(await items({ instanceId: [known.InstanceId, 'mi-hz01unknown001'] })).map(
				(i) => i.instanceId,
			),
		).toEqual([known.InstanceId]);
		env.fake.state.statusOfUnknownIds = 'notFound';
		const err = await rejectionOf(status({ instanceId: [known.InstanceId, 'mi-hz01unknown001'] }));
		expect(err).toMatchObject({ code: 'InvalidInstance.NotFound', statusCode: 404 });
		env.fake.reset();
		expect(env.fake.state.statusOfUnknownIds).toBe('omit');
	});

	it("says the server's own time in the Date header of every answer", async () => {
		skewMinutes = 10;
		const res = await sdkSignedRequest(env.fake, {
			action: 'DescribeCloudAssistantStatus',
			query: { RegionId: 'cn-hangzhou' },
		});
		const date = Date.parse(res.headers.date ?? '');
		expect(Math.abs(date - fakeNow())).toBeLessThan(2000);
		expect(date - Date.now()).toBeGreaterThan(9 * MINUTE);
	});
});
