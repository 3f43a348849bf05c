/**
 * The Alibaba Cloud ECS Trigger in n8n's real poll machinery (n8n-core ActiveWorkflows and
 * PollContext, static data saved when n8n saves it) against the fake ECS endpoint, through the
 * real SDK: the baseline, every kind of change between polls, a failed poll and the catch-up,
 * polls run twice (overlapping, a stale activation, a restart), Fetch Test Event, bad input, and
 * what a poll costs in requests.
 */
import type { IDataObject } from 'n8n-workflow';

import { apiTime } from '../../nodes/AlibabaEcs/helpers/time';
import { configuredFixture } from './fixtures';
import type { ActivationOptions } from './harness';
import { useEngine } from './setup';

/** Minutes the fake's clock runs ahead of the n8n host's (inside the 15-minute signing window). */
let skewMinutes = 0;
const fakeNow = () => Date.now() + skewMinutes * 60_000;
const t = useEngine({ seed: 13, seedSample: false, now: fakeNow });

const HOUR = 3_600_000;
const HZ = 'cn-hangzhou';
const BJ = 'cn-beijing';
const TRIGGER = 'ECS Trigger';

beforeEach(() => {
	skewMinutes = 0;
});

function workflow(parameters: IDataObject = {}) {
	return configuredFixture('trigger-events', TRIGGER, { parameters });
}

/** A workflow with the trigger, activated; its first poll (the baseline) done. */
async function activated(parameters: IDataObject = {}, options: ActivationOptions = {}) {
	const poller = t.harness.activate(workflow(parameters), options);
	await poller.activate();
	return poller;
}

const summary = (items: Array<{ json: IDataObject }>) =>
	items.map(
		(i) => `${i.json.Event as string} ${(i.json.InstanceId ?? i.json.ActivationId) as string}`,
	);

/** Requests per action since the last call (what a poll cost). */
function requestsByAction(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of t.fake.requests.splice(0)) {
		counts[request.action] = (counts[request.action] ?? 0) + 1;
	}
	return counts;
}

/**
 * A last heartbeat `minutes` before the endpoint's now. The offline rule (offline.ts) counts an
 * agent as disconnected only with no heartbeat for 2 minutes (CloudAssistantStatus false).
 */
const beatsAgo = (minutes: number) => fakeNow() - minutes * 60_000;

function add(name: string, fields: Parameters<typeof t.fake.state.addInstance>[0] = {}) {
	return t.fake.state.addInstance({
		RegionId: HZ,
		InstanceName: name,
		Connected: true,
		RegistrationTime: apiTime(Date.now() - 500 * HOUR),
		...fields,
	}).InstanceId;
}

describe('Alibaba Cloud ECS Trigger', () => {
	it('records a baseline when activated and starts nothing, then reports what changed between two polls, once', async () => {
		const stays = add('stays');
		const leaves = add('leaves');
		const dies = add('dies');
		const poller = await activated();
		expect(poller.emitted).toEqual([]);
		expect(poller.saved()).toEqual(poller.staticData()); // saved with the activation
		expect(poller.staticData()['node:ECS Trigger']).toMatchObject({ fleetState: { v: 1 } });

		const before = Date.now();
		const arrives = add('arrives', { RegistrationTime: apiTime(Date.now() - 5_000) });
		t.fake.state.disconnectInstance(dies, HZ, beatsAgo(3));
		t.fake.state.deregisterInstance(leaves, HZ);
		await poller.poll();
		expect(poller.errors).toEqual([]);
		expect(poller.emitted).toHaveLength(1);
		const items = poller.emitted[0];
		expect(summary(items)).toEqual([
			`instanceDisconnected ${dies}`,
			`instanceRegistered ${arrives}`,
			`instanceDeregistered ${leaves}`,
		]);
		const [disconnected, registered, deregistered] = items.map((i) => i.json);
		expect(registered).toMatchObject({
			Event: 'instanceRegistered',
			InstanceId: arrives,
			InstanceName: 'arrives',
			Connected: true,
			RegionId: HZ,
			CloudAssistantStatus: true,
			EventId: `instanceRegistered/${HZ}/${arrives}`,
		});
		expect(Object.keys(registered).slice(0, 4)).toEqual([
			'Event',
			'DetectedTime',
			'InstanceId',
			'InstanceName',
		]);
		const detected = Date.parse(registered.DetectedTime as string);
		expect(detected).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(detected).toBeLessThanOrEqual(Date.now());
		expect(disconnected).toMatchObject({
			Event: 'instanceDisconnected',
			InstanceId: dies,
			Connected: false,
			CloudAssistantStatus: false,
			LastHeartbeatTime: t.fake.state.getInstance(dies, HZ)!.LastHeartbeatTime,
		});
		expect(deregistered).toEqual({
			Event: 'instanceDeregistered',
			DetectedTime: registered.DetectedTime,
			InstanceId: leaves,
			RegionId: HZ,
			LastSeenTime: expect.stringMatching(/Z$/),
			EventId: `instanceDeregistered/${HZ}/${leaves}`,
		});
		expect(poller.saved()).toEqual(poller.staticData()); // saved with the emit

		// the same fleet again: nothing
		await poller.poll();
		await poller.poll();
		expect(poller.emitted).toHaveLength(1);
		expect(items.some((i) => i.json.InstanceId === stays)).toBe(false);
	});

	it('costs one listing and one agent status request per 50 instances, one activation listing, per region', async () => {
		t.fake.state.addInstances(120, { RegionId: HZ, Connected: true });
		await activated();
		expect(requestsByAction()).toEqual({
			DescribeManagedInstances: 3,
			DescribeCloudAssistantStatus: 3,
			DescribeActivations: 1,
		});
		// only Registered and Deregistered: no agent status; no activation codes
		await activated({ events: ['instanceRegistered', 'instanceDeregistered'] });
		expect(requestsByAction()).toEqual({ DescribeManagedInstances: 3 });
		// All Regions: every one of the 16 is read, even empty
		await activated({ events: ['instanceRegistered', 'activationUsedUp'], allRegions: true });
		expect(requestsByAction()).toEqual({
			DescribeManagedInstances: 16 + 2,
			DescribeActivations: 16,
		});
	});

	describe('a failed poll', () => {
		it('reports the error as n8n records it, keeps the old state, and the next poll catches up', async () => {
			const dies = add('dies');
			const poller = await activated({ options: { maxAttempts: 1 } });
			const state = poller.staticData();
			t.fake.state.disconnectInstance(dies, HZ, beatsAgo(3));
			t.fake.inject({
				kind: 'error',
				status: 503,
				code: 'ServiceUnavailable',
				message: 'The request has failed due to a temporary failure of the server.',
				action: 'DescribeCloudAssistantStatus',
			});
			await poller.poll();
			expect(poller.emitted).toEqual([]);
			expect(poller.errors).toHaveLength(1);
			expect(poller.errors[0]).toMatchObject({
				name: 'NodeApiError',
				message: expect.stringContaining('ServiceUnavailable'),
			});
			expect(poller.staticData()).toEqual(state);
			const arrives = add('arrives', { RegistrationTime: apiTime(Date.now()) });
			await poller.poll();
			expect(poller.errors).toHaveLength(1);
			expect(poller.emitted.map(summary)).toEqual([
				[`instanceDisconnected ${dies}`, `instanceRegistered ${arrives}`],
			]);
		});

		it('fails as a whole when one region of several cannot be read (no instance there looks deregistered)', async () => {
			add('hz');
			const bj = add('bj', { RegionId: BJ });
			const poller = await activated({ regionIds: [HZ, BJ] });
			t.fake.state.forbidOperations(BJ);
			await poller.poll();
			expect(poller.emitted).toEqual([]);
			expect(poller.errors[0].message).toMatch(/cn-beijing: .*Operation\.Forbidden/);
			expect(poller.errors[0].message).not.toMatch(/cn-hangzhou:/);
			expect(JSON.stringify(poller.staticData())).toContain(bj);
		});

		it('fails the activation when its first poll fails (n8n shows the error and retries the activation)', async () => {
			t.fake.state.forbidOperations(HZ);
			const poller = t.harness.activate(workflow());
			await expect(poller.activate()).rejects.toMatchObject({ name: 'NodeApiError' });
			expect(poller.saved()).toEqual({});
		});
	});

	describe('polls run twice', () => {
		it('reports a change once when two polls of one activation overlap (two Poll Times entries due at once)', async () => {
			const dies = add('dies');
			const poller = await activated();
			t.fake.state.disconnectInstance(dies, HZ, beatsAgo(3));
			await Promise.all([poller.poll(), poller.poll()]);
			expect(poller.emitted.map(summary)).toEqual([[`instanceDisconnected ${dies}`]]);
			await poller.poll();
			expect(poller.emitted).toHaveLength(1);
		});

		it('reports nothing from an older activation still polling after a newer one started (n8n issue #35251)', async () => {
			const dies = add('dies');
			const old = await activated();
			const fresh = await activated({}, { staticData: old.saved(), activation: 'update' });
			t.fake.state.disconnectInstance(dies, HZ, beatsAgo(3));
			await old.poll();
			await fresh.poll();
			await old.poll();
			expect(old.emitted).toEqual([]);
			expect(fresh.emitted.map(summary)).toEqual([[`instanceDisconnected ${dies}`]]);
		});

		it('after a restart, repeats nothing already reported and reports what changed while n8n was down', async () => {
			const dies = add('dies');
			const leaves = add('leaves');
			const before = await activated();
			t.fake.state.disconnectInstance(dies, HZ, beatsAgo(3));
			await before.poll();
			expect(before.emitted.map(summary)).toEqual([[`instanceDisconnected ${dies}`]]);

			// n8n restarts: it activates the workflow again from the static data it saved
			t.fake.state.deregisterInstance(leaves, HZ);
			const after = await activated({}, { staticData: before.saved(), activation: 'init' });
			expect(after.emitted.map(summary)).toEqual([[`instanceDeregistered ${leaves}`]]);
			await after.poll();
			expect(after.emitted).toHaveLength(1);
		});

		it('after a restart, reports again a change whose poll started no execution (n8n had not saved it)', async () => {
			const dies = add('dies');
			// Instance Offline only: the disconnection changes the state but starts nothing, so n8n
			// does not save that state; the restart compares with the baseline
			const before = await activated({ events: ['instanceOffline'], offlineForAtLeast: 0.25 });
			t.fake.state.disconnectInstance(dies, HZ, fakeNow() - 14.5 * 60_000);
			await before.poll();
			expect(before.emitted).toEqual([]);
			expect(before.saved()).not.toEqual(before.staticData());
			skewMinutes = 1;
			const after = await activated(
				{ events: ['instanceOffline'], offlineForAtLeast: 0.25 },
				{ staticData: before.saved(), activation: 'init' },
			);
			expect(after.emitted.map(summary)).toEqual([[`instanceOffline ${dies}`]]);
		});
	});

	it('reports Instance Offline once, at the first poll past the threshold, by the endpoint clock', async () => {
		const N = 24;
		const dies = add('dies');
		const poller = await activated({ events: ['instanceOffline'], offlineForAtLeast: N });
		// its last heartbeat: N hours less 5 minutes before the endpoint's now
		t.fake.state.disconnectInstance(dies, HZ, fakeNow() - N * HOUR + 5 * 60_000);
		await poller.poll();
		expect(poller.emitted).toEqual([]);
		skewMinutes = 6; // the endpoint's clock moves on; the n8n host's does not matter
		await poller.poll();
		skewMinutes = 7;
		await poller.poll();
		expect(poller.emitted.map(summary)).toEqual([[`instanceOffline ${dies}`]]);
		expect(poller.emitted[0][0].json).toMatchObject({
			OfflineSince: t.fake.state.getInstance(dies, HZ)!.LastHeartbeatTime,
			OfflineForAtLeastHours: N,
			Connected: false,
		});
	});

	it('reports an activation code used up, one expiring within N hours, and one expired', async () => {
		const now = fakeNow();
		const created = (hoursAgo: number) => apiTime(now - hoursAgo * HOUR);
		const full = t.fake.state.addActivation({ InstanceCount: 1, CreationTime: created(1) });
		// expires in 1 h 3 min: within 1 hour from 3 minutes on
		const soon = t.fake.state.addActivation({ TimeToLiveInHours: 4, CreationTime: created(2.95) });
		// expires in 2 minutes
		const ending = t.fake.state.addActivation({
			TimeToLiveInHours: 4,
			CreationTime: apiTime(now - 4 * HOUR + 2 * 60_000),
		});
		const poller = await activated({
			events: ['activationUsedUp', 'activationExpiring', 'activationExpired'],
		});
		add('registers', { ActivationId: full.ActivationId });
		skewMinutes = 4;
		await poller.poll();
		expect(poller.emitted).toHaveLength(1);
		// in the order DescribeActivations lists the codes
		expect(summary(poller.emitted[0]).sort()).toEqual(
			[
				`activationUsedUp ${full.ActivationId}`,
				`activationExpiring ${soon.ActivationId}`,
				`activationExpired ${ending.ActivationId}`,
			].sort(),
		);
		const usedUp = poller.emitted[0].find((i) => i.json.Event === 'activationUsedUp')!.json;
		expect(usedUp).toMatchObject({ RegisteredCount: 1, InstanceCount: 1, RegionId: HZ });
		expect(usedUp).not.toHaveProperty('ActivationCode');
	});

	it('watches only instances matching the filters, and an instance that stops matching is not deregistered', async () => {
		const tagged = add('tagged', { Tags: { env: 'prod' } });
		add('untagged');
		const poller = await activated({ filters: { tags: { tag: [{ key: 'env', value: 'prod' }] } } });
		t.fake.state.getInstance(tagged, HZ)!.Tags = [];
		const late = add('late-tagged', { Tags: { env: 'prod' } }); // registered long ago
		const fresh = add('fresh', { Tags: { env: 'prod' }, RegistrationTime: apiTime(Date.now()) });
		requestsByAction();
		await poller.poll();
		expect(poller.emitted.map(summary)).toEqual([[`instanceRegistered ${fresh}`]]);
		expect(poller.emitted[0].some((i) => i.json.InstanceId === late)).toBe(false);
		// the untagged one was looked up twice: with the filters, then without
		expect(requestsByAction()).toMatchObject({ DescribeManagedInstances: 3 });
		t.fake.state.deregisterInstance(late, HZ);
		await poller.poll();
		expect(poller.emitted.map(summary)[1]).toEqual([`instanceDeregistered ${late}`]);
	});

	it('takes a new baseline when its regions change', async () => {
		add('hz');
		const poller = await activated();
		const moved = await activated(
			{ regionIds: [BJ, HZ] },
			{ staticData: poller.saved(), activation: 'update' },
		);
		add('bj', { RegionId: BJ, RegistrationTime: apiTime(Date.now()) });
		expect(moved.emitted).toEqual([]);
		await moved.poll();
		expect(summary(moved.emitted[0] ?? [])).toEqual([
			expect.stringMatching(/^instanceRegistered mi-bj/),
		]);
	});

	describe('Fetch Test Event (manual execution in the editor)', () => {
		it('returns current items shaped like the chosen events, and keeps no state', async () => {
			const now = fakeNow();
			const gone = add('long-gone', {
				Connected: false,
				LastHeartbeatTime: apiTime(now - 100 * HOUR),
			});
			const recent = add('recent', { RegistrationTime: apiTime(now - HOUR) });
			const result = await t.harness.run(workflow());
			expect(result.error).toBeUndefined();
			const items = result.json(TRIGGER);
			expect(items.map((i) => `${i.Event as string} ${i.InstanceId as string}`)).toEqual([
				`instanceDeregistered ${gone}`,
				`instanceDisconnected ${gone}`,
				`instanceOffline ${gone}`,
				`instanceReconnected ${recent}`,
				`instanceRegistered ${recent}`,
			]);
			expect(items[2]).toMatchObject({
				InstanceName: 'long-gone',
				OfflineSince: apiTime(now - 100 * HOUR),
				OfflineForAtLeastHours: 24,
				EventId: expect.stringMatching(/^instanceOffline\/cn-hangzhou\/mi-/),
			});
			// nothing was kept: activating afterwards is still a baseline
			const poller = await activated();
			expect(poller.emitted).toEqual([]);
		});
	});

	describe('bad input, refused before any request', () => {
		it.each([
			[{ events: [] }, /Events must name at least one event/],
			[{ events: ['instanceExploded'] }, /not an event of this trigger/],
			[{ regionIds: ['cn-hangzhou.evil.com'] }, /^Region Names or IDs .* is not a region ID/],
			[{ offlineForAtLeast: -1 }, /Offline For At Least \(Hours\) must be a number of hours/],
			[{ filters: { resourceGroupId: 'group-1' } }, /not a resource group ID/],
			[{ options: { maxAttempts: 0 } }, /Max Attempts/],
		])('%j', async (parameters, message) => {
			const poller = t.harness.activate(workflow(parameters));
			await expect(poller.activate()).rejects.toMatchObject({
				name: 'NodeOperationError',
				message: expect.stringMatching(message),
			});
			expect(t.fake.requests).toEqual([]);
		});

		it('without regions and without a Default Region ID in the credential', async () => {
			const poller = t.harness.activate(workflow({ regionIds: [] }));
			await expect(poller.activate()).rejects.toMatchObject({
				message: expect.stringMatching(/^Region Names or IDs is empty .*no Default Region ID/),
			});
			expect(t.fake.requests).toEqual([]);
		});
	});
});
