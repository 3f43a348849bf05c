/**
 * "Fetch Test Event" in the editor: items shaped like the trigger's events (events.ts eventItem),
 * taken from the fleet as it is now, so that the rest of a workflow can be built on real fields.
 * No state is read or kept. Pure, like events.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { HOUR_MS, judgeOffline } from '../AlibabaEcs/helpers/offline';
import { parseApiTime } from '../AlibabaEcs/helpers/time';
import { CONNECTED } from './state';
import {
	type EventDetails,
	type Fleet,
	type TriggerEvent,
	type Watch,
	activationFields,
	connectionOf,
	eventItem,
	expirationOf,
	isUsedUp,
} from './events';

interface Sample {
	fields: IDataObject;
	details?: EventDetails;
	/** The higher, the better an example (the latest change). */
	rank: number;
}

function best(samples: Sample[]): Sample | undefined {
	let found: Sample | undefined;
	for (const sample of samples) if (!found || sample.rank > found.rank) found = sample;
	return found;
}

const timeOf = (value: unknown) => parseApiTime(value, 'time') ?? 0;

/**
 * One item per chosen event, from the current fleet: the instance registered last (Registered),
 * the one disconnected last (Disconnected), a connected one (Reconnected), the one offline the
 * longest of those offline for N hours (Offline), the one whose agent was heard from least
 * recently standing in for a deregistered one (Deregistered: it is not deregistered), and for
 * the code events the code that fits (used up, expiring within N hours, expired). An event
 * nothing fits gives no item.
 */
export function sampleEvents(fleet: Fleet, watch: Watch): IDataObject[] {
	const now = fleet.now;
	const instances = [...(fleet.instances?.values() ?? [])].flat();
	const activations = [...(fleet.activations?.values() ?? [])].flat();
	const connection = (i: IDataObject) => connectionOf(i, now, fleet.agentStatus);
	const disconnected = instances.filter((i) => connection(i) > 0);
	const open = activations.filter((a) => a.Disabled !== true && !isUsedUp(a));
	const expiry = (a: IDataObject) => expirationOf(a) ?? Number.POSITIVE_INFINITY;
	const code = (a: IDataObject, rank: number, details?: EventDetails): Sample => ({
		fields: activationFields(a),
		details,
		rank,
	});
	const pick: Record<TriggerEvent, () => Sample | undefined> = {
		instanceRegistered: () =>
			best(instances.map((fields) => ({ fields, rank: timeOf(fields.RegistrationTime) }))),
		instanceReconnected: () =>
			best(
				instances
					.filter((i) => connection(i) === CONNECTED)
					.map((fields) => ({ fields, rank: timeOf(fields.RegistrationTime) })),
			),
		instanceDisconnected: () =>
			best(
				disconnected.map((fields) => ({
					fields,
					details: { since: connection(fields) },
					rank: connection(fields),
				})),
			),
		instanceOffline: () =>
			best(
				disconnected
					.filter((i) => judgeOffline(i, watch.offlineHours, now).offline)
					.map((fields) => ({
						fields,
						details: { since: connection(fields), hours: watch.offlineHours },
						rank: -connection(fields),
					})),
			),
		instanceDeregistered: () => {
			const lastSign = (i: IDataObject) => (connection(i) > 0 ? connection(i) : now / 1000);
			const found = best(instances.map((fields) => ({ fields, rank: -lastSign(fields) })));
			return (
				found && {
					fields: { InstanceId: found.fields.InstanceId, RegionId: found.fields.RegionId },
					details: { lastSeen: now },
					rank: 0,
				}
			);
		},
		activationUsedUp: () =>
			best(activations.filter(isUsedUp).map((a) => code(a, timeOf(a.CreationTime)))),
		activationExpiring: () =>
			best(
				open
					.filter((a) => expiry(a) > now && expiry(a) - watch.expiringHours * HOUR_MS <= now)
					.map((a) => code(a, -expiry(a), { hours: watch.expiringHours })),
			),
		activationExpired: () =>
			best(open.filter((a) => expiry(a) <= now).map((a) => code(a, expiry(a)))),
	};
	const items: IDataObject[] = [];
	for (const event of watch.events) {
		const sample = pick[event]();
		if (sample) items.push(eventItem(event, now, sample.fields, sample.details));
	}
	return items;
}
