/**
 * 9. The trigger's state for a large fleet: the bytes n8n saves in the workflow's static data,
 * and the CPU time of the pure part of a poll (read the stored state, compare it with the fleet
 * read, store the next state) for 10,000 managed instances, in one region and spread over the 16.
 * The requests a poll sends are counted by the engine test (test/engine/trigger.test.ts) and
 * documented in the README; the network is not part of this measurement.
 *
 * Fleet: realistic IDs from the fake's model, a third disconnected (their last heartbeat stored),
 * the rest connected; each poll after the baseline sees 1 % of the fleet changed (half
 * deregistered and replaced by new registrations, half disconnected).
 *
 *   npx tsx bench/trigger-state.ts [--instances 10000] [--rounds 20]
 */
import type { IDataObject } from 'n8n-workflow';

import { MANAGED_INSTANCE_REGION_IDS } from '../nodes/AlibabaEcs/transport/regions';
import {
	TRIGGER_EVENTS,
	type Fleet,
	type Watch,
	diffFleet,
} from '../nodes/AlibabaEcsTrigger/events';
import { STATE_KEY } from '../nodes/AlibabaEcsTrigger/poll';
import { decodeState, encodeState } from '../nodes/AlibabaEcsTrigger/state';
import { seededRandom } from '../test/fake-ecs/generate';
import { FakeEcsState } from '../test/fake-ecs/model';
import { numberArg } from './lib/args';
import { machineLine } from './lib/machine';
import { fmt, spread, table } from './lib/stats';

const INSTANCES = numberArg('instances', 10_000);
const ROUNDS = numberArg('rounds', 20);
const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** `count` listed instances (with agent status fields) spread over `regions`. */
function fleetOf(count: number, regions: readonly string[], seed: number): IDataObject[] {
	const model = new FakeEcsState({ random: seededRandom(seed) });
	const listed: IDataObject[] = [];
	regions.forEach((regionId, r) => {
		const share = Math.floor(count / regions.length) + (r < count % regions.length ? 1 : 0);
		for (const i of model.addInstances(share, { RegionId: regionId })) {
			const index = listed.length;
			const connected = index % 3 !== 0;
			listed.push({
				InstanceId: i.InstanceId,
				InstanceName: i.InstanceName,
				Connected: connected,
				RegionId: regionId,
				LastHeartbeatTime: iso(connected ? NOW - 30_000 : NOW - 2 * HOUR - index * 1000),
				CloudAssistantStatus: connected,
				RegistrationTime: iso(NOW - 1000 * HOUR),
			});
		}
	});
	return listed;
}

function byRegion(items: IDataObject[]): Map<string, IDataObject[]> {
	const map = new Map<string, IDataObject[]>();
	for (const item of items) {
		const list = map.get(item.RegionId as string) ?? [];
		list.push(item);
		map.set(item.RegionId as string, list);
	}
	return map;
}

/** The next poll's fleet: 1 % changed (deregistered and replaced, or disconnected). */
function changed(listed: IDataObject[], now: number): IDataObject[] {
	const step = 100;
	const replacements = fleetOf(Math.ceil(listed.length / step), ['cn-hangzhou'], 99);
	let r = 0;
	return listed.flatMap((item, index) => {
		if (index % step === 0) {
			const fresh = replacements[r++ % replacements.length];
			return [{ ...fresh, RegionId: item.RegionId, RegistrationTime: iso(now - 1000) }];
		}
		if (index % step === step / 2 && item.Connected === true) {
			return [
				{
					...item,
					Connected: false,
					CloudAssistantStatus: false,
					LastHeartbeatTime: iso(now - 5 * 60_000),
				},
			];
		}
		return [item];
	});
}

interface Row {
	label: string;
	bytes: number;
	baselineMs: number[];
	pollMs: number[];
	events: number;
}

function measure(label: string, regions: readonly string[]): Row {
	const watch: Watch = {
		events: new Set(TRIGGER_EVENTS),
		regions,
		scope: '0123456789abcdef',
		offlineHours: 24,
		expiringHours: 1,
		mutableFilters: false,
	};
	const first = fleetOf(INSTANCES, regions, 7);
	const later = NOW + 60_000;
	const second = changed(first, later);
	const fleet = (items: IDataObject[], now: number): Fleet => ({
		now,
		agentStatus: true,
		instances: byRegion(items),
		activations: new Map(regions.map((r) => [r, []])),
	});
	const baselineMs: number[] = [];
	const pollMs: number[] = [];
	let bytes = 0;
	let events = 0;
	for (let round = 0; round < ROUNDS; round++) {
		// the baseline: diff without a state, then what n8n saves (static data as JSON)
		let start = performance.now();
		const base = diffFleet(undefined, fleet(first, NOW), watch);
		const saved = JSON.stringify({ [`node:Trigger`]: { [STATE_KEY]: encodeState(base.next) } });
		baselineMs.push(performance.now() - start);
		bytes = Buffer.byteLength(saved);
		// a later poll: n8n's parse of the saved data, decode, diff, encode, n8n's save
		start = performance.now();
		const stored = (JSON.parse(saved) as Record<string, Record<string, unknown>>)['node:Trigger'];
		const outcome = diffFleet(decodeState(stored[STATE_KEY]), fleet(second, later), watch);
		JSON.stringify({ [`node:Trigger`]: { [STATE_KEY]: encodeState(outcome.next) } });
		pollMs.push(performance.now() - start);
		events = outcome.events.length;
	}
	return { label, bytes, baselineMs, pollMs, events };
}

function main(): void {
	process.stdout.write(
		`\n## 9. Trigger state for ${INSTANCES.toLocaleString('en')} instances\n\n${machineLine()}\n\n`,
	);
	const rows = [
		measure('1 region', ['cn-hangzhou']),
		measure('16 regions', MANAGED_INSTANCE_REGION_IDS),
	];
	process.stdout.write(
		`${table(
			[
				'fleet',
				'static data bytes',
				'bytes / instance',
				'baseline ms',
				'later poll ms',
				'events (1 % changed)',
			],
			rows.map((r) => [
				r.label,
				r.bytes.toLocaleString('en'),
				fmt(r.bytes / INSTANCES),
				spread(r.baselineMs),
				spread(r.pollMs),
				String(r.events),
			]),
		)}\n\n${ROUNDS} rounds each, median (min–max); the first round includes warming up.\n`,
	);
}

main();
