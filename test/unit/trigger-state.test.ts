/**
 * The trigger's stored state (nodes/AlibabaEcsTrigger/state.ts): a lossless round trip, a damaged
 * or foreign state read as none (a new baseline), and the size of the state for 10,000
 * instances, the fleet size the issue names (about 200 KB). The time a poll's diff takes is
 * measured in bench/trigger-state.ts (docs/BENCHMARKS.md), not asserted here.
 */
import type { IDataObject } from 'n8n-workflow';

import { TRIGGER_EVENTS, diffFleet } from '../../nodes/AlibabaEcsTrigger/events';
import {
	CONNECTED,
	type FleetState,
	STATE_VERSION,
	UNKNOWN,
	decodeState,
	encodeState,
} from '../../nodes/AlibabaEcsTrigger/state';
import { seededRandom } from '../fake-ecs/generate';
import { FakeEcsState } from '../fake-ecs/model';

const HZ = 'cn-hangzhou';

function sample(): FleetState {
	return {
		scope: 'abc123',
		polledAt: Date.parse('2026-06-01T12:00:00Z'),
		instances: new Map([
			[
				HZ,
				new Map([
					['mi-hz01a', CONNECTED],
					['mi-hz01b', UNKNOWN],
					['mi-hz01c', 1_780_000_000],
				]),
			],
			['cn-beijing', new Map()],
		]),
		activations: new Map([
			[
				HZ,
				new Map([
					['4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD', false],
					['5ECEEE12-56F1-4FBC-9AB1-890F7494ABCD', true],
				]),
			],
		]),
	};
}

describe('stored state', () => {
	it('survives JSON (what n8n stores) without losing anything', () => {
		const stored = JSON.parse(JSON.stringify(encodeState(sample()))) as unknown;
		expect(stored).toEqual({
			v: STATE_VERSION,
			scope: 'abc123',
			t: Date.parse('2026-06-01T12:00:00Z'),
			i: { [HZ]: `mi-hz01a mi-hz01b? mi-hz01c:${(1_780_000_000).toString(36)}`, 'cn-beijing': '' },
			a: {
				[HZ]: '4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD 5ECEEE12-56F1-4FBC-9AB1-890F7494ABCD!',
			},
		});
		expect(decodeState(stored)).toEqual(sample());
	});

	it('keeps a part that is not watched absent (its baseline comes when it is)', () => {
		const withoutCodes = sample();
		delete withoutCodes.activations;
		expect(decodeState(encodeState(withoutCodes))).toEqual(withoutCodes);
	});

	it.each([
		['nothing', undefined],
		['an empty object (a new node)', {}],
		['another version', { ...encodeState(sample()), v: 2 }],
		['a time that is not a number', { ...encodeState(sample()), t: '2026' }],
		['a region that is not text', { ...encodeState(sample()), i: { [HZ]: 7 } }],
		['a damaged entry', { ...encodeState(sample()), i: { [HZ]: 'mi-a mi-b:!!' } }],
		['an entry that is no ID', { ...encodeState(sample()), a: { [HZ]: 'ok <script>' } }],
	])('reads %s as no state', (_what, stored) => {
		expect(decodeState(stored)).toBeUndefined();
	});
});

describe('10,000 instances', () => {
	it('take about 20 bytes each in the stored state (17-character IDs; fewer than 25 asserted)', () => {
		const model = new FakeEcsState({ random: seededRandom(7) });
		const now = Date.parse('2026-06-01T12:00:00Z');
		const listed: IDataObject[] = model.addInstances(10_000, { RegionId: HZ }).map((i, index) => ({
			InstanceId: i.InstanceId,
			RegionId: HZ,
			// a third disconnected for a while (a number in the state), the rest connected
			Connected: index % 3 !== 0,
			CloudAssistantStatus: index % 3 !== 0,
			LastHeartbeatTime: new Date(now - (index % 3 === 0 ? 86_400_000 + index * 1000 : 30_000))
				.toISOString()
				.replace(/\.\d{3}Z$/, 'Z'),
			RegistrationTime: i.RegistrationTime,
		}));
		const { next } = diffFleet(
			undefined,
			{ now, agentStatus: true, instances: new Map([[HZ, listed]]) },
			{
				events: new Set(TRIGGER_EVENTS),
				regions: [HZ],
				scope: 'abc123',
				offlineHours: 24,
				expiringHours: 1,
				mutableFilters: false,
			},
		);
		const bytes = Buffer.byteLength(JSON.stringify(encodeState(next)));
		expect(next.instances!.get(HZ)!.size).toBe(10_000);
		expect(bytes / 10_000).toBeLessThan(25);
		expect(decodeState(JSON.parse(JSON.stringify(encodeState(next))))).toEqual(next);
	});
});
