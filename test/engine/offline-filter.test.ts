/**
 * Get Many's filter "Offline For At Least": disconnected, and the last heartbeat (or the
 * registration, without one) at least N hours old by the ECS endpoint's clock. The edges.
 */
import { configuredFixture } from './fixtures';
import { useEngine } from './setup';

/** Minutes the fake's clock runs ahead of the n8n host's (inside the 15-minute signing window). */
let skewMinutes = 0;
const fakeNow = () => Date.now() + skewMinutes * 60_000;
const t = useEngine({ seed: 5, seedSample: false, now: fakeNow });

const HOUR = 3_600_000;
const N = 48;
const hz = 'cn-hangzhou';
/** API time of `ms`, whole seconds, like the API writes. */
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
/** Whole seconds at or before the fake's now: a time the fake's Date header cannot undercut. */
const fakeSecond = () => Math.floor(fakeNow() / 1000) * 1000;

beforeEach(() => {
	skewMinutes = 0;
});

async function offlineFor(hours: unknown, extra: Record<string, unknown> = {}, filters = {}) {
	const result = await t.harness.run(
		configuredFixture('instance-get-many-heartbeat', 'ECS', {
			parameters: { filters: { offlineForAtLeast: hours, ...filters } },
		}),
		[{ region: hz, returnAll: true, ...extra }],
	);
	return result;
}
const names = (result: Awaited<ReturnType<typeof offlineFor>>) =>
	result
		.json('ECS')
		.map((item) => item.InstanceName as string)
		.sort();

function add(name: string, fields: Parameters<typeof t.fake.state.addInstance>[0]) {
	return t.fake.state.addInstance({ RegionId: hz, InstanceName: name, ...fields });
}

describe('Offline For At Least (Hours)', () => {
	it('keeps exactly the disconnected instances whose last sign of life is at least N hours old', async () => {
		const now = fakeSecond();
		add('exactly-n', {
			Connected: false,
			RegistrationTime: iso(now - 400 * HOUR),
			LastHeartbeatTime: iso(now - N * HOUR),
		});
		add('a-minute-short', {
			Connected: false,
			RegistrationTime: iso(now - 400 * HOUR),
			LastHeartbeatTime: iso(now - N * HOUR + 60_000),
		});
		add('long-gone', {
			Connected: false,
			RegistrationTime: iso(now - 400 * HOUR),
			LastHeartbeatTime: iso(now - 300 * HOUR),
			// its last command is recent: that is not a sign of the agent's life
			LastInvokedTime: iso(now - 350 * HOUR),
		});
		add('never-beat-old', {
			Connected: false,
			RegistrationTime: iso(now - 100 * HOUR),
			LastHeartbeatTime: null,
		});
		add('never-beat-new', {
			Connected: false,
			RegistrationTime: iso(now - 2 * HOUR),
			LastHeartbeatTime: null,
		});
		// aws/eks-hybrid#491: a node removed right after it registered, because its "last ping"
		// was still a zero date. A heartbeat before the registration does not count.
		add('zero-date-heartbeat', {
			Connected: false,
			RegistrationTime: iso(now - 2 * HOUR),
			LastHeartbeatTime: '0001-01-01T00:00:00Z',
		});
		const flapping = add('reconnected-a-minute-ago', {
			Connected: false,
			RegistrationTime: iso(now - 400 * HOUR),
			LastHeartbeatTime: iso(now - 300 * HOUR),
		});
		t.fake.state.reconnectInstance(flapping.InstanceId);
		add('connected-old', { Connected: true, RegistrationTime: iso(now - 900 * HOUR) });

		const result = await offlineFor(N);
		expect(result.error).toBeUndefined();
		expect(names(result)).toEqual(['exactly-n', 'long-gone', 'never-beat-old']);
		for (const item of result.json('ECS')) {
			expect(item).toMatchObject({ Connected: false, CloudAssistantStatus: false, RegionId: hz });
			expect(item).toHaveProperty('LastHeartbeatTime');
		}
		// only disconnected instances are asked for; one status call for the page
		const lists = t.fake.requests.filter((r) => r.action === 'DescribeManagedInstances');
		expect(lists.every((r) => r.params.Connected === 'false')).toBe(true);
		expect(t.fake.requests.filter((r) => r.action === 'DescribeCloudAssistantStatus')).toHaveLength(
			1,
		);
	});

	it("judges by the ECS endpoint's clock, not the n8n host's: the fake 10 minutes ahead", async () => {
		skewMinutes = 10;
		const now = fakeSecond();
		add('exactly-n-by-the-endpoint', {
			Connected: false,
			RegistrationTime: iso(now - 400 * HOUR),
			// by the host's clock only N hours minus 10 minutes ago
			LastHeartbeatTime: iso(now - N * HOUR),
		});
		add('n-by-the-host-only', {
			Connected: false,
			RegistrationTime: iso(now - 400 * HOUR),
			// N hours before the host's clock, which is 10 minutes short of N by the endpoint's
			LastHeartbeatTime: iso(now - N * HOUR + 10 * 60_000 - 1000),
		});
		expect(names(await offlineFor(N))).toEqual(['exactly-n-by-the-endpoint']);
	});

	it('reads a heartbeat time without a zone as UTC (test/unit/time.test.ts checks it on a host in UTC+8)', async () => {
		const now = fakeSecond();
		add('utc-without-zone', {
			Connected: false,
			RegistrationTime: iso(now - 400 * HOUR),
			LastHeartbeatTime: iso(now - 5.5 * HOUR).replace('Z', ''),
		});
		expect(names(await offlineFor(5))).toEqual(['utc-without-zone']);
		expect(names(await offlineFor(6))).toEqual([]);
	});

	it('takes fractions of hours and days by expression, and Limit counts the instances that pass', async () => {
		const now = fakeSecond();
		// 200 disconnected instances; every tenth has been offline for 40 days, the rest 1 day
		for (let i = 0; i < 200; i++) {
			add(`node-${String(i).padStart(3, '0')}`, {
				InstanceId: `mi-hz01lim${String(i).padStart(6, '0')}`,
				Connected: false,
				RegistrationTime: iso(now - 900 * HOUR),
				LastHeartbeatTime: iso(now - (i % 10 === 0 ? 40 * 24 : 24) * HOUR),
			});
		}
		const result = await t.harness.run(
			configuredFixture('instance-get-many-heartbeat', 'ECS', {
				parameters: { filters: { offlineForAtLeast: '={{ 30 * 24 }}' } },
			}),
			[{ region: hz, limit: 7 }],
		);
		expect(result.error).toBeUndefined();
		expect(result.json('ECS').map((item) => item.InstanceId)).toEqual(
			[0, 10, 20, 30, 40, 50, 60].map((i) => `mi-hz01lim${String(i).padStart(6, '0')}`),
		);
		// 7 passing need 61 listed: two pages, plus at most one page listed ahead
		const lists = t.fake.requests.filter((r) => r.action === 'DescribeManagedInstances');
		expect(lists.length).toBeGreaterThanOrEqual(2);
		expect(lists.length).toBeLessThanOrEqual(3);
		expect(lists.every((r) => r.params.MaxResults === '50')).toBe(true);

		expect(names(await offlineFor(23.5))).toHaveLength(200);
		expect(names(await offlineFor(24.5))).toHaveLength(20);
	});

	it.each([
		[
			-1,
			/^Item 0: Offline For At Least \(Hours\) must be a number of hours from 0 to 87600, but got number -1$/,
		],
		['ten', /^Item 0: Offline For At Least \(Hours\) must be a number of hours/],
		[1e9, /^Item 0: Offline For At Least \(Hours\) must be a number of hours/],
	])('refuses %j before any request', async (hours, message) => {
		const result = await offlineFor(hours);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(/30 \* 24/);
		expect(t.fake.requests).toEqual([]);
	});

	it('refuses Connected = Connected together with the offline filter, before any request', async () => {
		const result = await offlineFor(N, {}, { connected: 'true' });
		expect(result.error?.message).toMatch(
			/^Item 0: Connected is "Connected", but Offline For At Least only keeps disconnected instances$/,
		);
		expect(t.fake.requests).toEqual([]);
	});
});
