/** The in-memory model: the documented sample, fast bulk seeding, registrations, key-ordered paging. */
import {
	deregisterInstanceWire,
	describeInstanceWire,
	FakeEcsState,
	SAMPLE_INSTANCE,
	SAMPLE_REGION,
} from './model';
import { seededRandom } from './generate';
import { OrderedStore } from './ordered-store';
import { seedDemo } from './seed';

describe('SAMPLE_INSTANCE', () => {
	it("is ALIBABA.md's DeregisterManagedInstance sample with the ID unmasked", () => {
		expect(SAMPLE_INSTANCE).toEqual({
			MachineId: 'e03231b37ab14e53b5795ad625fc****',
			AgentVersion: '2.2.0.102',
			InstanceId: 'mi-hz01axdfas0001',
			InvocationCount: '2',
			OsVersion: 'Linux_#38~18.04.1-Ubuntu SMP Wed Jan 6 18:26:30 UTC 2021_x86_64',
			Hostname: 'test-Hostname',
			ActivationId: '4ECEEE12-56F1-4FBC-9AB1-890F7494****',
			RegistrationTime: '2021-01-20T08:57:56Z',
			IntranetIp: '10.0. **. **',
			InstanceName: 'test-InstanceName-001',
			InternetIp: '47.8. **. **',
			OsType: 'linux',
			LastInvokedTime: '2021-01-20T09:00:40Z',
		});
		expect(SAMPLE_REGION).toBe('cn-hangzhou');
		expect(Object.isFrozen(SAMPLE_INSTANCE)).toBe(true);
	});

	it('is stored so that the Deregister wire form reproduces it exactly, key for key', () => {
		const state = new FakeEcsState();
		state.addSampleInstance();
		const wire = JSON.parse(
			JSON.stringify(
				deregisterInstanceWire(state.getInstance(SAMPLE_INSTANCE.InstanceId, 'cn-hangzhou')!),
			),
		);
		// InvocationCount as the current reference sample sends it: a number.
		expect(wire).toEqual({ ...SAMPLE_INSTANCE, InvocationCount: 2 });
		expect(Object.keys(wire).sort()).toEqual(Object.keys(SAMPLE_INSTANCE).sort());
		const described = JSON.parse(
			JSON.stringify(describeInstanceWire(state.getInstance(SAMPLE_INSTANCE.InstanceId)!)),
		);
		expect(described).toEqual({
			...SAMPLE_INSTANCE,
			InvocationCount: 2,
			Connected: true,
			Tags: [],
		});
	});
});

describe('FakeEcsState', () => {
	it('adds 10,000 generated instances, unique, in one region, with template fields', () => {
		const state = new FakeEcsState();
		const created = state.addInstances(10_000, {
			RegionId: 'cn-beijing',
			OsType: 'windows',
			Tags: { env: 'load' },
		});
		expect(new Set(created.map((i) => i.InstanceId)).size).toBe(10_000);
		expect(
			created.every(
				(i) =>
					i.InstanceId.startsWith('mi-bj01') &&
					i.OsType === 'windows' &&
					i.RegionId === 'cn-beijing',
			),
		).toBe(true);
		expect(created[0].Tags).toEqual([{ TagKey: 'env', TagValue: 'load' }]);
		expect(created[0].Tags).not.toBe(created[1].Tags);
		expect(state.listInstances('cn-beijing').map((i) => i.InstanceId)).toEqual(
			created.map((i) => i.InstanceId).sort(),
		);
		expect(state.listInstances('cn-hangzhou')).toEqual([]);
	});

	it('generates the same data from the same seed', () => {
		const ids = (seed: number) =>
			new FakeEcsState({ random: seededRandom(seed), now: () => 0 })
				.addInstances(5)
				.map((i) => i.InstanceId);
		expect(ids(42)).toEqual(ids(42));
		expect(ids(42)).not.toEqual(ids(43));
	});

	it('names and counts registrations through an activation code', () => {
		const state = new FakeEcsState();
		const code = state.addActivation({ InstanceName: 'rack', InstanceCount: 100 });
		const names = [1, 2, 3].map(
			() => state.addInstance({ ActivationId: code.ActivationId }).InstanceName,
		);
		expect(names).toEqual(['rack-001', 'rack-002', 'rack-003']);
		expect(code.RegisteredCount).toBe(3);
	});

	it('leaves LastInvokedTime out for an instance never invoked', () => {
		const state = new FakeEcsState();
		const instance = state.addInstance({ InvocationCount: 0 });
		expect(JSON.parse(JSON.stringify(describeInstanceWire(instance)))).not.toHaveProperty(
			'LastInvokedTime',
		);
	});

	it('seeds the same demo account from the same seed', () => {
		const demo = (seed: number) => {
			const state = new FakeEcsState({ random: seededRandom(seed), now: () => 1_700_000_000_000 });
			seedDemo(state, 1_700_000_000_000);
			return JSON.stringify([state.listInstances(), state.listActivations()]);
		};
		expect(demo(7)).toEqual(demo(7));
	});
});

describe('OrderedStore paging', () => {
	const store = () => {
		const s = new OrderedStore<string>();
		s.setMany(['e', 'a', 'c', 'b', 'd'].map((k) => [k, k]));
		return s;
	};

	it('pages in key order and gives a cursor only when more matches follow', () => {
		const s = store();
		expect(s.page(undefined, 2, () => true)).toEqual({ items: ['a', 'b'], nextCursor: 'b' });
		expect(s.page('b', 2, () => true)).toEqual({ items: ['c', 'd'], nextCursor: 'd' });
		expect(s.page('d', 2, () => true)).toEqual({ items: ['e'] });
		expect(s.page(undefined, 2, (x) => x === 'a' || x === 'b')).toEqual({ items: ['a', 'b'] });
	});

	it('continues after a cursor whose item was deleted', () => {
		const s = store();
		s.delete('b');
		s.set('bb', 'bb');
		expect(s.page('b', 10, () => true).items).toEqual(['bb', 'c', 'd', 'e']);
	});
});
