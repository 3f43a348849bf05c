/**
 * Deregister's safety options: Only If Offline For At Least (re-read right before acting),
 * Dry Run, Max Deregistrations Per Run; alone, together, with continue-on-fail and concurrency.
 */
import type { IDataObject } from 'n8n-workflow';

import { configuredFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 9, seedSample: false });
const hz = 'cn-hangzhou';
const HOUR = 3_600_000;
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function deregister(options: IDataObject, input: IDataObject[], settings: IDataObject = {}) {
	return t.harness.run(
		configuredFixture('deregister-safety', 'ECS', { parameters: { options }, settings }),
		input,
	);
}

const deregistrations = () =>
	t.fake.requests.filter((request) => request.action === 'DeregisterManagedInstance');
const remaining = () =>
	t.fake.state
		.listInstances()
		.map((i) => i.InstanceName)
		.sort();

/** A fleet: gone for 10 days, back a minute ago, offline only 3 hours, never beat (old). */
function fleet() {
	const now = Date.now();
	const add = (name: string, fields: IDataObject) =>
		t.fake.state.addInstance({
			RegionId: hz,
			InstanceName: name,
			RegistrationTime: iso(now - 2000 * HOUR),
			Tags: { env: 'prod' },
			...fields,
		});
	const gone = add('gone', { Connected: false, LastHeartbeatTime: iso(now - 240 * HOUR) });
	const back = add('back', { Connected: false, LastHeartbeatTime: iso(now - 240 * HOUR) });
	t.fake.state.reconnectInstance(back.InstanceId);
	const brief = add('brief', { Connected: false, LastHeartbeatTime: iso(now - 3 * HOUR) });
	const never = add('never', { Connected: false, LastHeartbeatTime: null });
	return { gone, back, brief, never };
}
const inputOf = (...instances: Array<{ InstanceId: string }>) =>
	instances.map((i) => ({ region: hz, instanceId: i.InstanceId }));

describe('Only If Offline For At Least', () => {
	it('re-reads each instance and its heartbeat, deregisters the offline ones, skips the others without an error', async () => {
		const f = fleet();
		const result = await deregister(
			{ onlyIfOfflineForAtLeast: 72 },
			inputOf(f.gone, f.back, f.brief, f.never),
		);
		expect(result.error).toBeUndefined();
		const [gone, back, brief, never] = result.items('ECS');
		expect(result.items('ECS').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		// deregistered: the instance as re-read (Connected, Tags, heartbeat) plus the API's answer
		expect(gone.json).toMatchObject({
			InstanceId: f.gone.InstanceId,
			InstanceName: 'gone',
			Connected: false,
			RegionId: hz,
			LastHeartbeatTime: f.gone.LastHeartbeatTime,
			CloudAssistantStatus: false,
			Tags: [{ TagKey: 'env', TagValue: 'prod' }],
			InvocationCount: f.gone.InvocationCount,
			Deregistered: true,
			RequestId: expect.any(String),
		});
		expect(back.json).toEqual({
			InstanceId: f.back.InstanceId,
			InstanceName: 'back',
			Connected: true,
			RegionId: hz,
			LastHeartbeatTime: expect.stringMatching(/Z$/),
			Deregistered: false,
			Skipped: true,
			Reason: 'The Cloud Assistant agent is connected',
		});
		expect(Date.now() - Date.parse(back.json.LastHeartbeatTime as string)).toBeLessThan(2 * 60_000);
		expect(brief.json).toMatchObject({
			Deregistered: false,
			Skipped: true,
			Reason: expect.stringMatching(
				/^Disconnected for less than 72 hours: last heartbeat .* \(3\.0 hours ago\)$/,
			),
			LastHeartbeatTime: f.brief.LastHeartbeatTime,
		});
		expect(never.json).toMatchObject({ Deregistered: true, LastHeartbeatTime: null });
		expect(
			deregistrations()
				.map((r) => r.params.InstanceId)
				.sort(),
		).toEqual([f.gone.InstanceId, f.never.InstanceId].sort());
		expect(remaining()).toEqual(['back', 'brief']);
	});

	it('reads the instance and its status just before the deregistration of that same instance', async () => {
		const f = fleet();
		await deregister({ onlyIfOfflineForAtLeast: 72 }, inputOf(f.gone));
		expect(t.fake.requests.map((r) => r.action).slice(-1)).toEqual(['DeregisterManagedInstance']);
		expect(
			t.fake.requests
				.slice(0, 2)
				.map((r) => r.action)
				.sort(),
		).toEqual(['DescribeCloudAssistantStatus', 'DescribeManagedInstances']);
		expect(
			t.fake.requests.every(
				(r) =>
					r.params.InstanceId === f.gone.InstanceId ||
					r.params['InstanceId.1'] === f.gone.InstanceId,
			),
		).toBe(true);
	});

	it('an instance already gone at the re-check goes on to the API’s own NotFound (and Succeed If Already Deregistered)', async () => {
		const f = fleet();
		t.fake.state.deregisterInstance(f.gone.InstanceId, hz);
		const strict = await deregister({ onlyIfOfflineForAtLeast: 72 }, inputOf(f.gone));
		expect(strict.error?.message).toMatch(
			/was not found in region cn-hangzhou \(InvalidInstance\.NotFound/,
		);
		const lenient = await deregister(
			{ onlyIfOfflineForAtLeast: 72, succeedIfAlreadyDeregistered: true },
			inputOf(f.gone),
		);
		expect(lenient.json('ECS')).toEqual([
			expect.objectContaining({
				InstanceId: f.gone.InstanceId,
				AlreadyDeregistered: true,
				RegionId: hz,
			}),
		]);
	});

	it.each([1, 10])(
		'with continue-on-fail and %i concurrent requests: a refused deregistration is an error item, skipped and done items are unaffected',
		async (concurrency) => {
			const f = fleet();
			const others = t.fake.state.addInstances(12, {
				RegionId: hz,
				Connected: false,
				LastHeartbeatTime: iso(Date.now() - 500 * HOUR),
				RegistrationTime: iso(Date.now() - 2000 * HOUR),
			});
			t.fake.inject({
				kind: 'error',
				status: 403,
				code: 'Forbidden.RAM',
				action: 'DeregisterManagedInstance',
			});
			const input = inputOf(f.back, ...others, f.brief);
			const result = await deregister({ onlyIfOfflineForAtLeast: 72, concurrency }, input, {
				onError: 'continueRegularOutput',
			});
			expect(result.error).toBeUndefined();
			const items = result.items('ECS');
			expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
				input.map((_, index) => index),
			);
			expect(items[0].json).toMatchObject({ Skipped: true, InstanceId: f.back.InstanceId });
			expect(items[items.length - 1].json).toMatchObject({
				Skipped: true,
				InstanceId: f.brief.InstanceId,
			});
			const failed = items.filter((item) => item.json.error);
			expect(failed).toHaveLength(1);
			expect(failed[0].json.error).toMatch(/Forbidden\.RAM/);
			expect(items.filter((item) => item.json.Deregistered === true)).toHaveLength(11);
			expect(remaining()).toEqual(expect.arrayContaining(['back', 'brief']));
		},
	);
});

describe('Dry Run', () => {
	it('reads and outputs what would be deregistered, sends no deregistration', async () => {
		const f = fleet();
		const result = await deregister({ dryRun: true }, inputOf(f.gone, f.back));
		expect(result.error).toBeUndefined();
		expect(result.json('ECS')).toEqual([
			expect.objectContaining({
				InstanceId: f.gone.InstanceId,
				Connected: false,
				RegionId: hz,
				Tags: [{ TagKey: 'env', TagValue: 'prod' }],
				Deregistered: false,
				DryRun: true,
			}),
			expect.objectContaining({ InstanceId: f.back.InstanceId, Deregistered: false, DryRun: true }),
		]);
		expect(deregistrations()).toEqual([]);
		expect(remaining()).toEqual(['back', 'brief', 'gone', 'never']);
	});

	it('with Only If Offline: skips what the real run would skip, shows the rest as DryRun', async () => {
		const f = fleet();
		const result = await deregister(
			{ dryRun: true, onlyIfOfflineForAtLeast: 72 },
			inputOf(f.gone, f.back, f.brief),
		);
		expect(
			result
				.json('ECS')
				.map((item) => [item.InstanceName, item.DryRun ?? null, item.Skipped ?? null]),
		).toEqual([
			['gone', true, null],
			['back', null, true],
			['brief', null, true],
		]);
		expect(result.json('ECS')[0]).toMatchObject({ LastHeartbeatTime: f.gone.LastHeartbeatTime });
		expect(deregistrations()).toEqual([]);
	});

	it('an instance that does not exist is an error, or AlreadyDeregistered with that option; still nothing sent', async () => {
		const strict = await deregister({ dryRun: true }, [
			{ region: hz, instanceId: 'mi-hz01gone000001' },
		]);
		expect(strict.error?.message).toMatch(
			/^Managed instance mi-hz01gone000001 was not found in region cn-hangzhou/,
		);
		const lenient = await deregister({ dryRun: true, succeedIfAlreadyDeregistered: true }, [
			{ region: hz, instanceId: 'mi-hz01gone000001' },
		]);
		expect(lenient.json('ECS')).toEqual([
			{
				InstanceId: 'mi-hz01gone000001',
				RegionId: hz,
				AlreadyDeregistered: true,
				DryRun: true,
				// as a real run: gone only once no managed-instance region has it
				SearchedRegionIds: expect.arrayContaining(['cn-hangzhou', 'us-east-1']),
				RequestId: expect.any(String),
			},
		]);
		expect(lenient.json('ECS')[0].SearchedRegionIds).toHaveLength(16);
		// registered in another region: not "already deregistered", even in a dry run
		const elsewhere = t.fake.state.addInstance({ RegionId: 'cn-beijing' });
		const wrongRegion = await deregister({ dryRun: true, succeedIfAlreadyDeregistered: true }, [
			{ region: hz, instanceId: elsewhere.InstanceId },
		]);
		expect(wrongRegion.error?.message).toMatch(/was not found in region cn-hangzhou/);
		expect(deregistrations()).toEqual([]);
	});
});

describe('Max Deregistrations Per Run', () => {
	const five = () =>
		t.fake.state
			.addInstances(5, { RegionId: hz })
			.map((i) => ({ region: hz, instanceId: i.InstanceId }));

	it('refuses the whole run before any request when more items would be deregistered, naming both numbers', async () => {
		const input = five();
		const result = await deregister({ maxDeregistrationsPerRun: 4 }, input);
		expect(result.error?.message).toBe(
			'Refusing to deregister 5 managed instances in one run: Max Deregistrations Per Run is 4. Nothing was deregistered.',
		);
		expect(result.error?.description).toMatch(/filter gone wrong/);
		expect(t.fake.requests).toEqual([]);
		expect(t.fake.state.listInstances()).toHaveLength(5);
	});

	it('allows exactly the cap', async () => {
		const result = await deregister({ maxDeregistrationsPerRun: 5 }, five());
		expect(result.error).toBeUndefined();
		expect(deregistrations()).toHaveLength(5);
	});

	it('with continue-on-fail: every item becomes an error item (never passed through as if done), nothing is sent', async () => {
		const input = five();
		const regular = await deregister({ maxDeregistrationsPerRun: 2 }, input, {
			onError: 'continueRegularOutput',
		});
		const items = regular.items('ECS');
		expect(items.map((item) => item.json)).toEqual(
			input.map(() => ({
				error:
					'Refusing to deregister 5 managed instances in one run: Max Deregistrations Per Run is 2. Nothing was deregistered.',
			})),
		);
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));

		const errorOutput = await deregister({ maxDeregistrationsPerRun: 2 }, input, {
			onError: 'continueErrorOutput',
		});
		expect(errorOutput.items('ECS', 0)).toEqual([]);
		expect(errorOutput.items('ECS', 1)).toHaveLength(5);
		expect(t.fake.requests).toEqual([]);
	});

	it('counts only the items that passed validation (continue-on-fail)', async () => {
		const input = [...five().slice(0, 4), { region: hz, instanceId: 'i-bp1notmanaged01' }];
		const result = await deregister({ maxDeregistrationsPerRun: 4 }, input, {
			onError: 'continueRegularOutput',
		});
		const json = result.json('ECS');
		expect(json.filter((item) => item.Deregistered === true)).toHaveLength(4);
		expect(json[4].error).toMatch(/^Item 4: .*ECS instance ID/);
	});

	it('also guards a Dry Run, and says a real run would be refused', async () => {
		const result = await deregister({ maxDeregistrationsPerRun: 1, dryRun: true }, five());
		expect(result.error?.message).toMatch(
			/Max Deregistrations Per Run is 1\. Nothing was deregistered \(Dry Run: a real run would be refused the same way\)\.$/,
		);
		expect(t.fake.requests).toEqual([]);
	});

	it.each([0, -3, 'many'])('refuses a cap of %j before any request', async (cap) => {
		const result = await deregister({ maxDeregistrationsPerRun: cap }, five());
		expect(result.error?.message).toMatch(
			/^Item 0: Max Deregistrations Per Run must be a whole number from 1 to 1000000/,
		);
		expect(t.fake.requests).toEqual([]);
	});
});

describe('all three together', () => {
	it('cap first (before any request), then the re-check per item', async () => {
		const f = fleet();
		const refused = await deregister(
			{ maxDeregistrationsPerRun: 3, onlyIfOfflineForAtLeast: 72 },
			inputOf(f.gone, f.back, f.brief, f.never),
		);
		expect(refused.error?.message).toMatch(/Refusing to deregister 4 managed instances/);
		expect(t.fake.requests).toEqual([]);
		const done = await deregister(
			{ maxDeregistrationsPerRun: 4, onlyIfOfflineForAtLeast: 72 },
			inputOf(f.gone, f.back, f.brief, f.never),
		);
		expect(done.json('ECS').map((item) => item.Deregistered)).toEqual([true, false, false, true]);
	});
});
