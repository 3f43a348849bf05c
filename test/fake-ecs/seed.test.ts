import type { RecordedRequest } from './exchange';
import { seededRandom } from './generate';
import { FakeEcsState } from './model';
import { seedDemo } from './seed';
import { $Ecs, useFakeEcs } from './test-clients';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;

function demoAccount() {
	const state = new FakeEcsState({ random: seededRandom(7), now: () => NOW });
	return { state, account: seedDemo(state, NOW) };
}

describe('the demo account (npm run demo / npm run dev)', () => {
	const { state, account } = demoAccount();
	const instances = state.listInstances();
	const activations = new Map(state.listActivations().map((a) => [a.ActivationId, a]));

	it('registers every server while its activation code was valid (CreationTime + TimeToLiveInHours)', () => {
		const withCode = instances.filter((i) => i.ActivationId && activations.has(i.ActivationId));
		expect(withCode.length).toBeGreaterThanOrEqual(5);
		for (const instance of withCode) {
			const code = activations.get(instance.ActivationId!)!;
			const created = Date.parse(code.CreationTime);
			const registered = Date.parse(instance.RegistrationTime);
			expect({
				instance: instance.InstanceName,
				registeredAfterCode: registered >= created,
			}).toEqual({ instance: instance.InstanceName, registeredAfterCode: true });
			expect(registered - created).toBeLessThanOrEqual(code.TimeToLiveInHours * HOUR);
		}
	});

	it('runs no command before a server registered, and nothing lies in the future', () => {
		for (const instance of instances) {
			const registered = Date.parse(instance.RegistrationTime);
			expect(registered).toBeLessThanOrEqual(NOW);
			if (instance.LastInvokedTime) {
				const invoked = Date.parse(instance.LastInvokedTime);
				expect({
					instance: instance.InstanceName,
					invokedAfterRegistration: invoked >= registered,
				}).toEqual({
					instance: instance.InstanceName,
					invokedAfterRegistration: true,
				});
				expect(invoked).toBeLessThanOrEqual(NOW);
			}
		}
	});

	it('gives a disconnected server a last heartbeat after its registration and its last command, never in the future', () => {
		for (const instance of instances.filter((i) => !i.Connected)) {
			const beat = Date.parse(instance.LastHeartbeatTime ?? '');
			expect({ instance: instance.InstanceName, beat: Number.isFinite(beat) }).toEqual({
				instance: instance.InstanceName,
				beat: true,
			});
			expect(beat).toBeGreaterThanOrEqual(Date.parse(instance.RegistrationTime));
			if (instance.LastInvokedTime)
				expect(beat).toBeGreaterThanOrEqual(Date.parse(instance.LastInvokedTime));
			expect(beat).toBeLessThanOrEqual(NOW);
		}
	});

	it('holds each case of the 30-day cleanup by heartbeat, and the parts it names agree with the rule', () => {
		// The rule (README "What offline means"): disconnected, and the later of the last heartbeat
		// and the registration at least 30 days old.
		const monthAgo = NOW - 30 * 24 * HOUR;
		const sinceOf = (i: (typeof instances)[number]) =>
			Math.max(Date.parse(i.LastHeartbeatTime ?? '') || 0, Date.parse(i.RegistrationTime));
		const offlineLong = instances
			.filter((i) => !i.Connected && sinceOf(i) <= monthAgo)
			.map((i) => i.InstanceId);
		expect(sorted(offlineLong)).toEqual(sorted([...account.offlineOver30Days, account.comesBack]));
		// servers offline for months in more than one region: the cleanup lists every region
		const regions = new Set(account.offlineOver30Days.map((id) => state.getInstance(id)!.RegionId));
		expect(regions.size).toBeGreaterThanOrEqual(2);
		// disconnected for less than 30 days, though its last command is older: only a rule by
		// last command would call it stale
		const brief = state.getInstance(account.offline12Days)!;
		expect(brief.Connected).toBe(false);
		expect(sinceOf(brief)).toBeGreaterThan(monthAgo);
		expect(Date.parse(brief.LastInvokedTime!)).toBeLessThan(monthAgo);
		// connected servers, one of which ran no command for longer than 30 days or never
		for (const id of account.connected) expect(state.getInstance(id)!.Connected).toBe(true);
		expect(
			account.connected.some((id) => {
				const last = state.getInstance(id)!.LastInvokedTime;
				return last === undefined || Date.parse(last) < monthAgo;
			}),
		).toBe(true);
		// every instance plays exactly one part
		expect(
			sorted([
				...account.offlineOver30Days,
				account.comesBack,
				account.offline12Days,
				...account.connected,
			]),
		).toEqual(sorted(instances.map((i) => i.InstanceId)));
	});
});

describe('the demo server that comes back (DemoAccount.reconnectAfterListing)', () => {
	let hook: ((request: RecordedRequest) => void) | undefined;
	const env = useFakeEcs({ seedSample: false, onRequest: (r) => hook?.(r) });

	const status = async (ids: string[]) =>
		(
			await env.ecs.describeCloudAssistantStatus(
				new $Ecs.DescribeCloudAssistantStatusRequest({ regionId: 'cn-hangzhou', instanceId: ids }),
			)
		).body?.instanceCloudAssistantStatusSet?.instanceCloudAssistantStatus ?? [];

	it('reconnects once, right after the first status answer that named it, which still said offline', async () => {
		const account = seedDemo(env.fake.state);
		hook = account.reconnectAfterListing;
		const other = account.connected[0];
		// a status call that does not name it changes nothing
		await status([other]);
		expect(env.fake.state.getInstance(account.comesBack)!.Connected).toBe(false);
		// the listing's call: answered as it was (offline), then the agent is back
		const [listed] = await status([account.comesBack]);
		expect(listed).toMatchObject({ instanceId: account.comesBack, cloudAssistantStatus: 'false' });
		expect(env.fake.state.getInstance(account.comesBack)!.Connected).toBe(true);
		// the re-check sees it beating
		const [rechecked] = await status([account.comesBack]);
		expect(rechecked).toMatchObject({ cloudAssistantStatus: 'true' });
		// once: disconnected again, it stays so
		env.fake.state.disconnectInstance(account.comesBack);
		await status([account.comesBack]);
		expect(env.fake.state.getInstance(account.comesBack)!.Connected).toBe(false);
	});
});

function sorted(ids: string[]): string[] {
	return [...ids].sort();
}
