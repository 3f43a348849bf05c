import { seededRandom } from './generate';
import { FakeEcsState } from './model';
import { seedDemo } from './seed';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;

function demoAccount(): FakeEcsState {
	const state = new FakeEcsState({ random: seededRandom(7), now: () => NOW });
	seedDemo(state, NOW);
	return state;
}

describe('the demo account (npm run demo / npm run dev)', () => {
	const state = demoAccount();
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

	it('has, in cn-hangzhou, servers the 30-day cleanup removes and disconnected ones it must keep', () => {
		const monthAgo = NOW - 30 * 24 * HOUR;
		const offline = state.listInstances('cn-hangzhou').filter((i) => !i.Connected);
		const lastUse = (i: (typeof offline)[number]) =>
			Date.parse(i.LastInvokedTime ?? i.RegistrationTime);
		expect(offline.filter((i) => lastUse(i) < monthAgo).length).toBeGreaterThan(0);
		expect(offline.filter((i) => lastUse(i) >= monthAgo).length).toBeGreaterThan(0);
		expect(state.listInstances('cn-beijing').some((i) => !i.Connected)).toBe(true);
	});
});
