/**
 * The trigger's state logic without n8n (nodes/AlibabaEcsTrigger/events.ts): previous state and
 * the fleet a poll read in, events and the next state out. Every event at its edges.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	type Fleet,
	type TriggerEvent,
	type Watch,
	LISTING_LAG_MS,
	TRIGGER_EVENTS,
	diffFleet,
	missingInstances,
} from '../../nodes/AlibabaEcsTrigger/events';
import { type FleetState, CONNECTED, UNKNOWN } from '../../nodes/AlibabaEcsTrigger/state';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T0 = Date.parse('2026-06-01T12:00:00Z');
const HZ = 'cn-hangzhou';
const BJ = 'cn-beijing';
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const s = (ms: number) => Math.floor(ms / 1000);

function watch(overrides: Partial<Watch> = {}): Watch {
	return {
		events: new Set(TRIGGER_EVENTS),
		regions: [HZ, BJ],
		scope: 'scope-1',
		offlineHours: 24,
		expiringHours: 1,
		mutableFilters: false,
		...overrides,
	};
}

/** An instance as the listing outputs it, with the agent status fields. */
function instance(
	id: string,
	fields: { connected?: boolean; beat?: number | null; registered?: number; region?: string } = {},
): IDataObject {
	const connected = fields.connected ?? true;
	return {
		InstanceId: id,
		InstanceName: `name-${id}`,
		Connected: connected,
		RegionId: fields.region ?? HZ,
		LastHeartbeatTime: fields.beat === null ? null : iso(fields.beat ?? T0 - 30_000),
		CloudAssistantStatus: connected,
		RegistrationTime: iso(fields.registered ?? T0 - 1000 * HOUR),
	};
}

/** A disconnected instance whose last heartbeat was at `beat`. */
const offline = (id: string, beat: number, region?: string) =>
	instance(id, { connected: false, beat, region });

function activation(
	id: string,
	fields: {
		created: number;
		ttl?: number;
		count?: number;
		registered?: number;
		disabled?: boolean;
		region?: string;
	},
): IDataObject {
	return {
		ActivationId: id,
		InstanceName: 'web',
		RegionId: fields.region ?? HZ,
		Disabled: fields.disabled ?? false,
		InstanceCount: fields.count ?? 10,
		RegisteredCount: fields.registered ?? 0,
		DeregisteredCount: 0,
		CreationTime: iso(fields.created),
		TimeToLiveInHours: fields.ttl ?? 4,
	};
}

function fleet(
	now: number,
	instances: IDataObject[] = [],
	activations: IDataObject[] = [],
	extra: Partial<Fleet> = {},
): Fleet {
	const group = (items: IDataObject[]) => {
		const map = new Map<string, IDataObject[]>([
			[HZ, []],
			[BJ, []],
		]);
		for (const item of items) map.get(item.RegionId as string)!.push(item);
		return map;
	};
	return {
		now,
		agentStatus: true,
		instances: group(instances),
		activations: group(activations),
		...extra,
	};
}

/** Polls in turn, each diffed against the state the previous one left. */
function polls(w: Watch, ...fleets: Fleet[]): Array<{ events: IDataObject[]; next: FleetState }> {
	let state: FleetState | undefined;
	return fleets.map((f) => {
		const outcome = diffFleet(state, f, w);
		state = outcome.next;
		return outcome;
	});
}

const summary = (events: IDataObject[]) =>
	events.map((e) => `${e.Event as string} ${(e.InstanceId ?? e.ActivationId) as string}`);

describe('baseline', () => {
	it('records the fleet and reports nothing on the first poll', () => {
		const f = fleet(
			T0,
			[instance('mi-a'), offline('mi-b', T0 - 48 * HOUR)],
			[activation('ACT-1', { created: T0 - 5 * HOUR, registered: 10 })],
		);
		const outcome = diffFleet(undefined, f, watch());
		expect(outcome).toMatchObject({ events: [], baseline: true });
		expect(outcome.next.polledAt).toBe(T0);
		expect(outcome.next.instances?.get(HZ)).toEqual(
			new Map([
				['mi-a', CONNECTED],
				['mi-b', s(T0 - 48 * HOUR)],
			]),
		);
		expect(outcome.next.activations?.get(HZ)).toEqual(new Map([['ACT-1', true]]));
		expect(outcome.next.instances?.get(BJ)).toEqual(new Map());
	});

	it('is a baseline again when the scope (credential, regions, filters) changed', () => {
		const [first] = polls(watch(), fleet(T0, [instance('mi-a')]));
		const second = diffFleet(
			first.next,
			fleet(T0 + MINUTE, [instance('mi-b')]),
			watch({ scope: 'scope-2' }),
		);
		expect(second).toMatchObject({ events: [], baseline: true });
	});

	it('starts a part not watched before (activation codes) with its own baseline', () => {
		const instancesOnly = watch({ events: new Set<TriggerEvent>(['instanceRegistered']) });
		const first = diffFleet(
			undefined,
			{ ...fleet(T0, [instance('mi-a')]), activations: undefined },
			instancesOnly,
		);
		expect(first.next.activations).toBeUndefined();
		const second = diffFleet(
			first.next,
			fleet(
				T0 + MINUTE,
				[instance('mi-a'), instance('mi-new', { registered: T0 + 30_000 })],
				[activation('ACT-1', { created: T0 - HOUR, registered: 10 })],
			),
			watch(),
		);
		expect(summary(second.events)).toEqual(['instanceRegistered mi-new']);
		expect(second.baseline).toBe(false);
	});
});

describe('an unchanged fleet, and the same poll twice', () => {
	it('reports nothing when nothing changed', () => {
		const f = (now: number) =>
			fleet(
				now,
				[instance('mi-a'), offline('mi-b', T0 - 3 * HOUR)],
				[activation('ACT-1', { created: T0 - HOUR })],
			);
		const outcomes = polls(watch(), f(T0), f(T0 + MINUTE), f(T0 + 2 * MINUTE));
		expect(outcomes.map((o) => o.events)).toEqual([[], [], []]);
	});

	it('reports a change once: the poll after the one that reported it sees nothing new', () => {
		const outcomes = polls(
			watch(),
			fleet(T0, [instance('mi-a')]),
			fleet(T0 + MINUTE, [offline('mi-a', T0 + 20_000)]),
			fleet(T0 + MINUTE, [offline('mi-a', T0 + 20_000)]), // the same poll time run again
			fleet(T0 + 2 * MINUTE, [offline('mi-a', T0 + 20_000)]),
		);
		expect(outcomes.map((o) => summary(o.events))).toEqual([
			[],
			['instanceDisconnected mi-a'],
			[],
			[],
		]);
	});

	it('gives a repeated report of the same change the same EventId', () => {
		const before = diffFleet(undefined, fleet(T0, [instance('mi-a')]), watch()).next;
		const later = fleet(T0 + MINUTE, [offline('mi-a', T0 + 20_000)]);
		const once = diffFleet(before, later, watch()).events;
		const again = diffFleet(before, { ...later, now: T0 + 2 * MINUTE }, watch()).events;
		expect(once[0].EventId).toBe(`instanceDisconnected/${HZ}/mi-a/${s(T0 + 20_000)}`);
		expect(again[0].EventId).toBe(once[0].EventId);
		expect(again[0].DetectedTime).not.toBe(once[0].DetectedTime);
	});
});

describe('Instance Registered and Deregistered', () => {
	it('reports a new instance and one that is gone, with what is known of each', () => {
		const [, second] = polls(
			watch(),
			fleet(T0, [instance('mi-a'), instance('mi-b')]),
			fleet(T0 + MINUTE, [instance('mi-a'), instance('mi-c', { registered: T0 + 10_000 })]),
		);
		expect(second.events).toEqual([
			{
				Event: 'instanceRegistered',
				DetectedTime: iso(T0 + MINUTE),
				...instance('mi-c', { registered: T0 + 10_000 }),
				EventId: `instanceRegistered/${HZ}/mi-c`,
			},
			{
				Event: 'instanceDeregistered',
				DetectedTime: iso(T0 + MINUTE),
				InstanceId: 'mi-b',
				RegionId: HZ,
				LastSeenTime: iso(T0),
				EventId: `instanceDeregistered/${HZ}/mi-b`,
			},
		]);
		expect([...second.next.instances!.get(HZ)!.keys()]).toEqual(['mi-a', 'mi-c']);
	});

	it('sees nothing of an instance registered and deregistered between two polls', () => {
		const [, second] = polls(
			watch(),
			fleet(T0, [instance('mi-a')]),
			fleet(T0 + MINUTE, [instance('mi-a')]),
		);
		expect(second.events).toEqual([]);
	});

	it('does not report a listed-again instance the listing missed (found by ID with the filters)', () => {
		const w = watch();
		const first = diffFleet(
			undefined,
			fleet(T0, [instance('mi-a'), offline('mi-b', T0 - HOUR)]),
			w,
		);
		const read = fleet(T0 + MINUTE, [instance('mi-a')]);
		expect(missingInstances(first.next, read, w)).toEqual(new Map([[HZ, ['mi-b']]]));
		const second = diffFleet(
			first.next,
			{ ...read, lookups: new Map([[`${HZ}/mi-b`, 'inScope']]) },
			w,
		);
		expect(second.events).toEqual([]);
		expect(second.next.instances!.get(HZ)!.get('mi-b')).toBe(s(T0 - HOUR));
	});

	describe('with filters on fields that change (name, tags, resource group)', () => {
		const w = watch({ mutableFilters: true });

		it('does not report an instance that stopped matching, and forgets it', () => {
			const first = diffFleet(undefined, fleet(T0, [instance('mi-a'), instance('mi-b')]), w);
			const second = diffFleet(
				first.next,
				{
					...fleet(T0 + MINUTE, [instance('mi-a')]),
					lookups: new Map([[`${HZ}/mi-b`, 'outOfScope']]),
				},
				w,
			);
			expect(second.events).toEqual([]);
			expect(second.next.instances!.get(HZ)!.has('mi-b')).toBe(false);
		});

		it('reports an instance new to the listing only if it registered since the previous poll (less the lag)', () => {
			const first = diffFleet(undefined, fleet(T0, [instance('mi-a')]), w);
			const second = diffFleet(
				first.next,
				fleet(T0 + MINUTE, [
					instance('mi-a'),
					instance('mi-renamed', { registered: T0 - LISTING_LAG_MS - 1000 }),
					instance('mi-lagging', { registered: T0 - LISTING_LAG_MS }),
					instance('mi-new', { registered: T0 + 30_000 }),
				]),
				w,
			);
			expect(summary(second.events)).toEqual([
				'instanceRegistered mi-lagging',
				'instanceRegistered mi-new',
			]);
			// without such filters every new ID is a registration
			const plain = diffFleet(
				first.next,
				fleet(T0 + MINUTE, [instance('mi-old', { registered: T0 - 100 * HOUR })]),
				watch(),
			);
			expect(summary(plain.events)).toEqual([
				'instanceRegistered mi-old',
				'instanceDeregistered mi-a',
			]);
		});

		it('judges an instance that started to match by time alone for Offline (not as a new disconnection)', () => {
			const first = diffFleet(undefined, fleet(T0, []), w);
			const second = diffFleet(
				first.next,
				fleet(T0 + MINUTE, [offline('mi-long-gone', T0 - 100 * HOUR, HZ)]),
				w,
			);
			expect(second.events).toEqual([]);
		});
	});
});

describe('Instance Disconnected and Reconnected', () => {
	it('reports a disconnection with its last heartbeat, and the reconnection', () => {
		const beat = T0 + 15_000;
		const outcomes = polls(
			watch(),
			fleet(T0, [instance('mi-a')]),
			fleet(T0 + MINUTE, [offline('mi-a', beat)]),
			fleet(T0 + 2 * MINUTE, [instance('mi-a', { beat: T0 + 110_000 })]),
		);
		expect(outcomes[1].events).toEqual([
			{
				Event: 'instanceDisconnected',
				DetectedTime: iso(T0 + MINUTE),
				...offline('mi-a', beat),
				EventId: `instanceDisconnected/${HZ}/mi-a/${s(beat)}`,
			},
		]);
		expect(summary(outcomes[2].events)).toEqual(['instanceReconnected mi-a']);
		expect(outcomes[2].events[0].EventId).toBe(`instanceReconnected/${HZ}/mi-a/${s(beat)}`);
	});

	it('sees nothing of an agent away and back between two polls (connected at both)', () => {
		const outcomes = polls(
			watch(),
			fleet(T0, [instance('mi-a')]),
			fleet(T0 + MINUTE, [instance('mi-a', { beat: T0 + 50_000 })]),
		);
		expect(outcomes[1].events).toEqual([]);
	});

	it('reports Reconnected, then Disconnected, when a newer heartbeat shows the agent was back in between', () => {
		const outcomes = polls(
			watch(),
			fleet(T0, [offline('mi-a', T0 - 10 * MINUTE)]),
			fleet(T0 + 5 * MINUTE, [offline('mi-a', T0 + 2 * MINUTE)]),
		);
		expect(summary(outcomes[1].events)).toEqual([
			'instanceReconnected mi-a',
			'instanceDisconnected mi-a',
		]);
		expect(outcomes[1].next.instances!.get(HZ)!.get('mi-a')).toBe(s(T0 + 2 * MINUTE));
	});

	it('ignores an older heartbeat than one already seen (a glitch of the data) and keeps the newer', () => {
		const outcomes = polls(
			watch(),
			fleet(T0, [offline('mi-a', T0 - 10 * MINUTE)]),
			fleet(T0 + MINUTE, [offline('mi-a', T0 - 20 * MINUTE)]),
		);
		expect(outcomes[1].events).toEqual([]);
		expect(outcomes[1].next.instances!.get(HZ)!.get('mi-a')).toBe(s(T0 - 10 * MINUTE));
	});

	it('keeps what it knew of an instance the agent status did not report this time', () => {
		const unreported = { ...offline('mi-a', T0 - HOUR), CloudAssistantStatus: null };
		const outcomes = polls(
			watch(),
			fleet(T0, [offline('mi-a', T0 - HOUR)]),
			fleet(T0 + MINUTE, [unreported]),
			fleet(T0 + 2 * MINUTE, [instance('mi-a')]),
		);
		expect(outcomes[1].events).toEqual([]);
		expect(outcomes[1].next.instances!.get(HZ)!.get('mi-a')).toBe(s(T0 - HOUR));
		expect(summary(outcomes[2].events)).toEqual(['instanceReconnected mi-a']);
	});

	it('reports a new instance already disconnected as registered, then disconnected', () => {
		const outcomes = polls(
			watch(),
			fleet(T0, []),
			fleet(T0 + 10 * MINUTE, [
				instance('mi-new', { connected: false, beat: T0 + 2 * MINUTE, registered: T0 + MINUTE }),
			]),
		);
		expect(summary(outcomes[1].events)).toEqual([
			'instanceRegistered mi-new',
			'instanceDisconnected mi-new',
		]);
	});

	it('tells nothing about connections while the agent status is not read (only Registered/Deregistered watched)', () => {
		const w = watch({
			events: new Set<TriggerEvent>(['instanceRegistered', 'instanceDeregistered']),
		});
		const first = diffFleet(undefined, { ...fleet(T0, [instance('mi-a')]), agentStatus: false }, w);
		expect(first.next.instances!.get(HZ)!.get('mi-a')).toBe(UNKNOWN);
		// watched from now on: the first poll that reads the status is the connections' baseline
		const second = diffFleet(
			first.next,
			fleet(T0 + MINUTE, [offline('mi-a', T0 + 10_000)]),
			watch(),
		);
		expect(second.events).toEqual([]);
	});
});

describe('Instance Offline (at least N hours, once per offline episode)', () => {
	const N = 24;
	const beat = T0 - N * HOUR; // offline for exactly N hours at T0

	it('reports the poll where the threshold is reached exactly, not before, not again', () => {
		const outcomes = polls(
			watch(),
			fleet(T0 - HOUR, [instance('mi-a', { beat: T0 - HOUR - 30_000 })]),
			fleet(T0 - 1000, [offline('mi-a', beat)]), // a second short
			fleet(T0, [offline('mi-a', beat)]), // exactly N hours
			fleet(T0 + MINUTE, [offline('mi-a', beat)]),
			fleet(T0 + 10 * HOUR, [offline('mi-a', beat)]),
		);
		expect(outcomes.map((o) => summary(o.events))).toEqual([
			[],
			['instanceDisconnected mi-a'],
			['instanceOffline mi-a'],
			[],
			[],
		]);
		expect(outcomes[2].events[0]).toMatchObject({
			OfflineSince: iso(beat),
			OfflineForAtLeastHours: N,
			EventId: `instanceOffline/${HZ}/mi-a/${s(beat)}/${N}`,
		});
	});

	it('does not report an instance already offline that long at the previous poll (or at the baseline)', () => {
		const outcomes = polls(
			watch(),
			fleet(T0, [offline('mi-a', beat)]),
			fleet(T0 + MINUTE, [offline('mi-a', beat)]),
			fleet(T0 + 100 * HOUR, [offline('mi-b', T0 - 300 * HOUR), offline('mi-a', beat)]),
		);
		expect(outcomes.map((o) => summary(o.events))).toEqual([
			[],
			[],
			['instanceRegistered mi-b', 'instanceDisconnected mi-b', 'instanceOffline mi-b'],
		]);
	});

	it('reports the next offline episode again after the agent was back', () => {
		const back = T0 + HOUR;
		const outcomes = polls(
			watch(),
			fleet(T0 - MINUTE, [offline('mi-a', beat)]),
			fleet(T0 + HOUR + MINUTE, [instance('mi-a', { beat: back })]),
			fleet(back + N * HOUR + MINUTE, [offline('mi-a', back)]),
		);
		expect(outcomes.map((o) => summary(o.events))).toEqual([
			[],
			['instanceReconnected mi-a'],
			['instanceDisconnected mi-a', 'instanceOffline mi-a'],
		]);
	});

	it('counts an agent that never sent a heartbeat from its registration, as Get Many does', () => {
		const registered = T0 - N * HOUR;
		const neverBeat = () => instance('mi-a', { connected: false, beat: null, registered });
		const outcomes = polls(watch(), fleet(T0 - MINUTE, [neverBeat()]), fleet(T0, [neverBeat()]));
		expect(summary(outcomes[1].events)).toEqual(['instanceOffline mi-a']);
		expect(outcomes[1].events[0].OfflineSince).toBe(iso(registered));
	});

	it('with N = 0 reports a disconnection as offline at once', () => {
		const outcomes = polls(
			watch({ offlineHours: 0 }),
			fleet(T0, [instance('mi-a')]),
			fleet(T0 + MINUTE, [offline('mi-a', T0 + 20_000)]),
		);
		expect(summary(outcomes[1].events)).toEqual([
			'instanceDisconnected mi-a',
			'instanceOffline mi-a',
		]);
	});
});

describe('a failed poll, and the next one that catches up', () => {
	it('reports everything since the last successful poll: nothing is lost, nothing is repeated', () => {
		const w = watch();
		const first = diffFleet(
			undefined,
			fleet(T0, [instance('mi-a'), offline('mi-b', T0 - 23.99 * HOUR)]),
			w,
		);
		// the polls at T0 + 1 min … T0 + 30 min failed: nothing was stored
		const caughtUp = diffFleet(
			first.next,
			fleet(T0 + 31 * MINUTE, [
				offline('mi-a', T0 + 5 * MINUTE),
				offline('mi-b', T0 - 23.99 * HOUR),
				instance('mi-c', { registered: T0 + 20 * MINUTE }),
			]),
			w,
		);
		expect(summary(caughtUp.events)).toEqual([
			'instanceDisconnected mi-a',
			'instanceOffline mi-b',
			'instanceRegistered mi-c',
		]);
		const after = diffFleet(
			caughtUp.next,
			fleet(T0 + 32 * MINUTE, [
				offline('mi-a', T0 + 5 * MINUTE),
				offline('mi-b', T0 - 23.99 * HOUR),
				instance('mi-c'),
			]),
			w,
		);
		expect(after.events).toEqual([]);
	});
});

describe('activation codes', () => {
	it('reports a code used up once, and a new code that is already used up', () => {
		const outcomes = polls(
			watch(),
			fleet(T0, [], [activation('ACT-1', { created: T0 - HOUR, count: 2, registered: 1 })]),
			fleet(
				T0 + MINUTE,
				[],
				[
					activation('ACT-1', { created: T0 - HOUR, count: 2, registered: 2 }),
					activation('ACT-2', { created: T0 + 10_000, count: 1, registered: 1 }),
				],
			),
			fleet(
				T0 + 2 * MINUTE,
				[],
				[
					activation('ACT-1', { created: T0 - HOUR, count: 2, registered: 2 }),
					activation('ACT-2', { created: T0 + 10_000, count: 1, registered: 1 }),
				],
			),
		);
		expect(outcomes.map((o) => summary(o.events))).toEqual([
			[],
			['activationUsedUp ACT-1', 'activationUsedUp ACT-2'],
			[],
		]);
		expect(outcomes[1].events[0]).toMatchObject({
			ActivationId: 'ACT-1',
			RegionId: HZ,
			ExpirationTime: iso(T0 + 3 * HOUR),
			EventId: `activationUsedUp/${HZ}/ACT-1`,
		});
	});

	it('reports Expiring when the window starts between two polls (boundary included), Expired when the expiry is reached', () => {
		const created = T0 - 3 * HOUR; // expires at T0 + 1 h, within 1 hour from T0 on
		const code = () => [activation('ACT-1', { created, ttl: 4 })];
		const outcomes = polls(
			watch(),
			fleet(T0 - MINUTE, [], code()),
			fleet(T0, [], code()), // exactly 1 hour before the expiry
			fleet(T0 + 30 * MINUTE, [], code()),
			fleet(T0 + HOUR, [], code()), // exactly at the expiry
			fleet(T0 + HOUR + MINUTE, [], code()),
		);
		expect(outcomes.map((o) => summary(o.events))).toEqual([
			[],
			['activationExpiring ACT-1'],
			[],
			['activationExpired ACT-1'],
			[],
		]);
		expect(outcomes[1].events[0]).toMatchObject({
			ExpirationTime: iso(T0 + HOUR),
			ExpiringWithinHours: 1,
			EventId: `activationExpiring/${HZ}/ACT-1/1`,
		});
	});

	it('reports a code created with less time left than the window when first seen, and after a long gap only that it expired', () => {
		const w = watch({ expiringHours: 2 });
		const first = diffFleet(undefined, fleet(T0, [], []), w);
		const born = diffFleet(
			first.next,
			fleet(T0 + MINUTE, [], [activation('ACT-1', { created: T0 + 10_000, ttl: 1 })]),
			w,
		);
		expect(summary(born.events)).toEqual(['activationExpiring ACT-1']);
		const gap = diffFleet(
			first.next,
			fleet(T0 + 2 * HOUR, [], [activation('ACT-1', { created: T0 + 10_000, ttl: 1 })]),
			w,
		);
		expect(summary(gap.events)).toEqual(['activationExpired ACT-1']);
	});

	it('reports nothing of codes that can no longer register servers (disabled, used up) expiring', () => {
		const created = T0 - 3.5 * HOUR;
		const codes = () => [
			activation('ACT-off', { created, disabled: true }),
			activation('ACT-full', { created, count: 1, registered: 1 }),
		];
		const outcomes = polls(watch(), fleet(T0, [], codes()), fleet(T0 + HOUR, [], codes()));
		expect(outcomes[1].events).toEqual([]);
	});
});

describe('which events, in which order', () => {
	it('emits only the chosen events, but keeps track of everything it watches', () => {
		const w = watch({ events: new Set<TriggerEvent>(['instanceOffline']) });
		const outcomes = polls(
			w,
			fleet(T0 - MINUTE, [instance('mi-a')]),
			fleet(T0, [offline('mi-a', T0 - 30_000), instance('mi-b')]),
			fleet(T0 + 24 * HOUR, [offline('mi-a', T0 - 30_000), instance('mi-b')]),
		);
		expect(outcomes.map((o) => summary(o.events))).toEqual([[], [], ['instanceOffline mi-a']]);
	});

	it('orders events by region (as chosen), instances before deregistrations before activation codes', () => {
		const w = watch({ regions: [BJ, HZ] });
		const first = diffFleet(
			undefined,
			fleet(T0, [instance('mi-gone')], [activation('ACT-1', { created: T0 - HOUR, count: 1 })]),
			w,
		);
		const second = diffFleet(
			first.next,
			fleet(
				T0 + MINUTE,
				[
					instance('mi-hz', { registered: T0 + 1000 }),
					instance('mi-bj', { region: BJ, registered: T0 + 1000 }),
				],
				[activation('ACT-1', { created: T0 - HOUR, count: 1, registered: 1 })],
			),
			w,
		);
		expect(summary(second.events)).toEqual([
			'instanceRegistered mi-bj',
			'instanceRegistered mi-hz',
			'instanceDeregistered mi-gone',
			'activationUsedUp ACT-1',
		]);
	});
});
