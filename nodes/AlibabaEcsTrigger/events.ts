/**
 * The trigger's events, as pure functions: the previous state and the fleet a poll read (and the
 * ECS endpoint's clock) in, the events and the next state out. No n8n, no network: poll() reads,
 * calls diffFleet and stores what it returns.
 *
 * Sources of the facts used: what "offline for at least N hours" means is
 * ../AlibabaEcs/helpers/offline.ts (judgeOffline, the rule Get Many's filter uses); an activation
 * code is used up when RegisteredCount reaches InstanceCount ("the maximum number of times that
 * the activation code can be used to register managed instances", CreateActivationRequest.d.ts
 * and DescribeActivationsResponseBody.d.ts of `@alicloud/ecs20140526` 7.11.x) and stops
 * registering TimeToLiveInHours after its CreationTime ("After the validity period expires, the
 * activation code cannot be used to register new instances", CreateActivationRequest.d.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { HOUR_MS, judgeOffline } from '../AlibabaEcs/helpers/offline';
import { apiTime, parseApiTime } from '../AlibabaEcs/helpers/time';
import { CONNECTED, type Connection, type FleetState, type RegionMaps, UNKNOWN } from './state';

export const INSTANCE_EVENTS = [
	'instanceRegistered',
	'instanceReconnected',
	'instanceDisconnected',
	'instanceOffline',
	'instanceDeregistered',
] as const;
export const ACTIVATION_EVENTS = [
	'activationUsedUp',
	'activationExpiring',
	'activationExpired',
] as const;
export type InstanceEvent = (typeof INSTANCE_EVENTS)[number];
export type ActivationEvent = (typeof ACTIVATION_EVENTS)[number];
export type TriggerEvent = InstanceEvent | ActivationEvent;
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [...INSTANCE_EVENTS, ...ACTIVATION_EVENTS];

/** Events that need the agent's status (DescribeCloudAssistantStatus). */
const CONNECTION_EVENTS: ReadonlySet<TriggerEvent> = new Set([
	'instanceReconnected',
	'instanceDisconnected',
	'instanceOffline',
]);

/**
 * With a filter on something that changes (name, tags, resource group), an instance new to the
 * listing may only have started to match. It counts as registered when its RegistrationTime is
 * after the previous poll, less this margin for a listing that lags a registration.
 */
export const LISTING_LAG_MS = 10 * 60_000;

/** What the trigger watches, as read from its parameters. */
export interface Watch {
	events: ReadonlySet<TriggerEvent>;
	/** Region IDs, in output order. */
	regions: readonly string[];
	/** Digest of the credential, regions and filters (state.ts). */
	scope: string;
	/** Instance Offline: at least this many hours (offline.ts). */
	offlineHours: number;
	/** Activation Code Expiring: within this many hours. */
	expiringHours: number;
	/** Whether the filters use fields that change (name, tags, resource group). */
	mutableFilters: boolean;
}

/** What a poll must read for a watch. */
export function readsFor(watch: Watch): {
	instances: boolean;
	agentStatus: boolean;
	activations: boolean;
} {
	const events = [...watch.events];
	return {
		instances: events.some((e) => (INSTANCE_EVENTS as readonly string[]).includes(e)),
		agentStatus: events.some((e) => CONNECTION_EVENTS.has(e)),
		activations: events.some((e) => (ACTIVATION_EVENTS as readonly string[]).includes(e)),
	};
}

/** How an instance missing from the listing was found when looked up by its ID. */
export type LookupResult = 'inScope' | 'outOfScope';

/** What one poll read. */
export interface Fleet {
	/** The ECS endpoint's clock when the poll read the fleet, epoch ms. */
	now: number;
	/** Managed instances by region, as output items (with the agent status fields when read). */
	instances?: ReadonlyMap<string, readonly IDataObject[]>;
	/** Whether the instances carry the agent status. */
	agentStatus: boolean;
	/**
	 * Instances of the previous state missing from the listing and found by ID, by
	 * `regionId/instanceId`: still in scope (a listing that missed them), or registered but no
	 * longer matching the filters. Missing and not here: deregistered.
	 */
	lookups?: ReadonlyMap<string, LookupResult>;
	/** Activation codes by region, as output items. */
	activations?: ReadonlyMap<string, readonly IDataObject[]>;
}

export interface PollOutcome {
	/** Output items, one per event, in region order. */
	events: IDataObject[];
	next: FleetState;
	/** Whether this poll only recorded the fleet (no state before, or another scope). */
	baseline: boolean;
}

export const lookupKey = (regionId: string, instanceId: string) => `${regionId}/${instanceId}`;

/** An instance's connection at `now` (see state.ts), by the offline rule of offline.ts. */
export function connectionOf(instance: IDataObject, now: number, agentStatus: boolean): Connection {
	if (!agentStatus) return UNKNOWN;
	const verdict = judgeOffline(instance, 0, now);
	if (verdict.since !== undefined) return Math.max(1, Math.floor(verdict.since / 1000));
	if (instance.Connected === true || instance.CloudAssistantStatus === true) return CONNECTED;
	return UNKNOWN;
}

/** What an event item says besides the instance's or code's fields. */
export interface EventDetails {
	/** Disconnected, Offline: the last sign of life; Reconnected: that of the episode that ended (epoch s). */
	since?: number;
	/** Offline: Offline For At Least (Hours); Expiring: Expiring Within (Hours). */
	hours?: number;
	/** Deregistered: when the previous poll still saw it (epoch ms). */
	lastSeen?: number;
}

/**
 * The output item of an event: which event and when a poll first saw it (the ECS endpoint's
 * clock), the instance's or activation code's fields, the event's details, and an EventId that
 * is the same whenever the same change is reported (for a workflow that wants to drop repeats).
 */
export function eventItem(
	event: TriggerEvent,
	now: number,
	fields: IDataObject,
	details: EventDetails = {},
): IDataObject {
	const extra: IDataObject = {};
	if (event === 'instanceOffline' && details.since !== undefined) {
		extra.OfflineSince = apiTime(details.since * 1000);
		extra.OfflineForAtLeastHours = details.hours;
	}
	if (event === 'instanceDeregistered' && details.lastSeen !== undefined) {
		extra.LastSeenTime = apiTime(details.lastSeen);
	}
	if (event === 'activationExpiring') extra.ExpiringWithinHours = details.hours;
	const subject = (fields.InstanceId ?? fields.ActivationId) as string;
	const id = [event, fields.RegionId, subject];
	if (event !== 'instanceDeregistered' && details.since !== undefined) id.push(details.since);
	if (details.hours !== undefined) id.push(details.hours);
	return { Event: event, DetectedTime: apiTime(now), ...fields, ...extra, EventId: id.join('/') };
}

/** Instances of the previous state that the listing no longer shows, by region. */
export function missingInstances(
	previous: FleetState | undefined,
	fleet: Fleet,
	watch: Watch,
): Map<string, string[]> {
	const missing = new Map<string, string[]>();
	if (!previous || previous.scope !== watch.scope || !previous.instances || !fleet.instances) {
		return missing;
	}
	for (const regionId of watch.regions) {
		const before = previous.instances.get(regionId);
		if (!before) continue;
		const listed = new Set((fleet.instances.get(regionId) ?? []).map((i) => i.InstanceId));
		const gone = [...before.keys()].filter((id) => !listed.has(id));
		if (gone.length > 0) missing.set(regionId, gone);
	}
	return missing;
}

interface Context {
	watch: Watch;
	fleet: Fleet;
	/** The previous poll's time, when this part of the state is compared (not a baseline). */
	since?: number;
	events: IDataObject[];
}

function emit(
	context: Context,
	event: TriggerEvent,
	fields: IDataObject,
	details?: EventDetails,
): void {
	if (context.watch.events.has(event)) {
		context.events.push(eventItem(event, context.fleet.now, fields, details));
	}
}

/** Whether a new instance in the listing registered since the previous poll. */
function registeredSince(instance: IDataObject, previousPoll: number, watch: Watch): boolean {
	if (!watch.mutableFilters) return true;
	const registered = parseApiTime(instance.RegistrationTime, 'RegistrationTime');
	return registered !== undefined && registered >= previousPoll - LISTING_LAG_MS;
}

/**
 * One region's instances: their events (when `before` is given) and their next connections.
 * `before` undefined: this region's baseline.
 */
function diffInstances(
	context: Context,
	regionId: string,
	listed: readonly IDataObject[],
	before: Map<string, Connection> | undefined,
): Map<string, Connection> {
	const { fleet, watch } = context;
	const next = new Map<string, Connection>();
	const hours = watch.offlineHours;
	for (const instance of listed) {
		const id = instance.InstanceId as string;
		let now = connectionOf(instance, fleet.now, fleet.agentStatus);
		if (before === undefined || context.since === undefined) {
			next.set(id, now);
			continue;
		}
		let was = before.get(id);
		// Read, but not reported this time: nothing learned about its connection.
		if (now === UNKNOWN && fleet.agentStatus && was !== undefined) now = was;
		if (was === undefined) {
			if (registeredSince(instance, context.since, watch)) {
				emit(context, 'instanceRegistered', instance);
				was = CONNECTED; // its agent was running when it registered
			} else {
				was = UNKNOWN; // it only started to match the filters
			}
		}
		// A last sign of life earlier than the one already seen is a glitch of the data, not news.
		if (now > 0 && was > 0 && now < was) now = was;
		next.set(id, now);
		if (was > 0 && now !== was && now !== UNKNOWN) {
			emit(context, 'instanceReconnected', instance, { since: was });
		}
		if (now > 0 && (was === CONNECTED || (was > 0 && now !== was))) {
			emit(context, 'instanceDisconnected', instance, { since: now });
		}
		if (now > 0 && judgeOffline(instance, hours, fleet.now).offline) {
			// Offline enough at the previous poll already, in the same episode: reported then (or
			// before the trigger watched). Unknown then: judged by the time alone.
			const sameEpisode = was === now || was === UNKNOWN;
			const reported = sameEpisode && context.since - now * 1000 >= hours * HOUR_MS;
			if (!reported) {
				emit(context, 'instanceOffline', instance, { since: now, hours });
			}
		}
	}
	if (before === undefined || context.since === undefined) return next;
	for (const [id, was] of before) {
		if (next.has(id)) continue;
		const found = fleet.lookups?.get(lookupKey(regionId, id));
		if (found === 'inScope') next.set(id, was);
		if (found !== undefined) continue;
		emit(
			context,
			'instanceDeregistered',
			{ InstanceId: id, RegionId: regionId },
			{ lastSeen: context.since },
		);
	}
	return next;
}

/** When an activation code stops registering servers (epoch ms), if its fields say. */
export function expirationOf(activation: IDataObject): number | undefined {
	const created = parseApiTime(activation.CreationTime, 'CreationTime');
	const hours = activation.TimeToLiveInHours;
	if (created === undefined || typeof hours !== 'number') return undefined;
	return created + hours * HOUR_MS;
}

/** Whether every registration an activation code allows has been made. */
export function isUsedUp(activation: IDataObject): boolean {
	const allowed = activation.InstanceCount;
	const made = activation.RegisteredCount;
	return typeof allowed === 'number' && typeof made === 'number' && allowed > 0 && made >= allowed;
}

/** The fields of an activation code event's item: the code's, and when it expires. */
export function activationFields(activation: IDataObject): IDataObject {
	const expires = expirationOf(activation);
	return expires === undefined ? activation : { ...activation, ExpirationTime: apiTime(expires) };
}

/**
 * One region's activation codes: their events (when `before` is given) and what is remembered.
 * Codes that can no longer register servers (disabled, or used up) expire without an event.
 */
function diffActivations(
	context: Context,
	_regionId: string,
	listed: readonly IDataObject[],
	before: Map<string, boolean> | undefined,
): Map<string, boolean> {
	const { fleet, watch } = context;
	const next = new Map<string, boolean>();
	const since = context.since;
	for (const activation of listed) {
		const id = activation.ActivationId as string;
		const usedUp = isUsedUp(activation);
		next.set(id, usedUp);
		if (before === undefined || since === undefined) continue;
		const fields = activationFields(activation);
		if (activation.Disabled === true) continue;
		if (usedUp) {
			if (before.get(id) !== true) {
				emit(context, 'activationUsedUp', fields);
			}
			continue;
		}
		const expires = expirationOf(activation);
		if (expires === undefined) continue;
		const created = parseApiTime(activation.CreationTime, 'CreationTime') as number;
		const warnFrom = Math.max(created, expires - watch.expiringHours * HOUR_MS);
		if (since < warnFrom && warnFrom <= fleet.now && fleet.now < expires) {
			emit(context, 'activationExpiring', fields, { hours: watch.expiringHours });
		}
		if (since < expires && expires <= fleet.now) {
			emit(context, 'activationExpired', fields);
		}
	}
	return next;
}

function diffRegions<T>(
	context: Context,
	listings: ReadonlyMap<string, readonly IDataObject[]> | undefined,
	before: RegionMaps<T> | undefined,
	diff: (
		context: Context,
		regionId: string,
		listed: readonly IDataObject[],
		before: Map<string, T> | undefined,
	) => Map<string, T>,
): RegionMaps<T> | undefined {
	if (!listings) return undefined;
	const next: RegionMaps<T> = new Map();
	for (const regionId of context.watch.regions) {
		next.set(
			regionId,
			diff(context, regionId, listings.get(regionId) ?? [], before?.get(regionId)),
		);
	}
	return next;
}

/**
 * The events between the previous state and the fleet a poll read, and the state to keep.
 *
 * - No previous state, or one read through another scope (credential, regions, filters): a
 *   baseline, no events. A part not watched before (instances, activation codes) is that part's
 *   baseline.
 * - Instance Registered: an ID the previous poll did not list (with changing filters, only if it
 *   registered since then). Deregistered: an ID it listed that is neither listed now nor found by
 *   ID (fleet.lookups). Registered and deregistered between two polls: never seen, no event.
 * - Disconnected / Reconnected: the connection changed (connectionOf). A newer last sign of life
 *   while disconnected both times means the agent was back in between: Reconnected, then
 *   Disconnected. Connected both times: nothing, even if it was away in between.
 * - Instance Offline: offline for at least N hours now (judgeOffline) but not at the previous
 *   poll in the same episode: once per offline episode, at the first poll past the threshold.
 * - Activation Code Used Up: used up now and not before (or new). Expiring: the moment it came
 *   within N hours of its expiry (or its creation, if later) lies between the two polls, and it
 *   has not expired. Expired: its expiry lies between the two polls. Neither for a code that is
 *   disabled or used up.
 *
 * Events are ordered by region (watch.regions), then instances in listing order (Registered,
 * Reconnected, Disconnected, Offline), then Deregistered, then activation codes.
 */
export function diffFleet(
	previous: FleetState | undefined,
	fleet: Fleet,
	watch: Watch,
): PollOutcome {
	const comparable = previous !== undefined && previous.scope === watch.scope;
	const instanceEvents: IDataObject[] = [];
	const activationEvents: IDataObject[] = [];
	const since = comparable ? previous.polledAt : undefined;
	const instances = diffRegions(
		{ watch, fleet, since, events: instanceEvents },
		fleet.instances,
		comparable ? previous.instances : undefined,
		diffInstances,
	);
	const activations = diffRegions(
		{ watch, fleet, since, events: activationEvents },
		fleet.activations,
		comparable ? previous.activations : undefined,
		diffActivations,
	);
	const byRegion = (item: IDataObject) => watch.regions.indexOf(item.RegionId as string);
	const events = [...instanceEvents, ...activationEvents]
		.map((item, index) => ({ item, index, region: byRegion(item) }))
		.sort((a, b) => a.region - b.region || a.index - b.index)
		.map(({ item }) => item);
	const next: FleetState = { scope: watch.scope, polledAt: fleet.now };
	if (instances) next.instances = instances;
	if (activations) next.activations = activations;
	return { events, next, baseline: !comparable };
}
