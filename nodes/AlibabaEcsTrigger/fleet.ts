/**
 * What a poll reads: the managed instances (and their agent status) and the activation codes of
 * the watched regions, through the main node's transport and listing helpers, with reads only.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RegionApi } from '../AlibabaEcs/helpers/interfaces';
import { listInRegions, listManagedInstances } from '../AlibabaEcs/helpers/listing';
import { MAX_PAGE_SIZE, listAll, mapEntries } from '../AlibabaEcs/helpers/paging';
import { activationItem, toActivation, toManagedInstance } from '../AlibabaEcs/helpers/response';
import {
	type CallSettings,
	ECS_ACTIONS,
	type EcsParams,
	type EcsTransport,
} from '../AlibabaEcs/transport/client';
import {
	type Fleet,
	type LookupResult,
	type Watch,
	lookupKey,
	missingInstances,
	readsFor,
} from './events';
import type { FleetState } from './state';

/** The latest time the ECS endpoint said (its HTTP Date header) during one poll. */
export class ServerClock {
	private latest: number | undefined;

	saw(time: number | undefined): void {
		if (time !== undefined && (this.latest === undefined || time > this.latest)) this.latest = time;
	}

	/** The endpoint's latest time, or the n8n host's clock when no answer carried a Date header. */
	now(): number {
		return this.latest ?? Date.now();
	}
}

/**
 * The ECS API for a poll, in one region: reads only (a write is a programming error here), each
 * answer's Date header noted on `clock`.
 */
export function readOnlyApi(
	transport: EcsTransport,
	regionId: string,
	settings: CallSettings,
	clock: ServerClock,
): RegionApi {
	return {
		regionId,
		call: async (action, params, options) => {
			if (ECS_ACTIONS[action] !== 'read') throw new Error(`The trigger does not send ${action}`);
			return await transport.call(regionId, action, params, {
				...options,
				settings,
				parse: (body, response) => {
					clock.saw(response.serverTime);
					return options.parse(body, response);
				},
			});
		},
		inRegion: (other) => readOnlyApi(transport, other, settings, clock),
	};
}

function byRegion(items: IDataObject[]): Map<string, IDataObject[]> {
	const grouped = new Map<string, IDataObject[]>();
	for (const item of items) {
		const regionId = item.RegionId as string;
		let list = grouped.get(regionId);
		if (!list) grouped.set(regionId, (list = []));
		list.push(item);
	}
	return grouped;
}

/** Which of `ids` DescribeManagedInstances finds with `params`, 50 IDs a call. */
async function findInstances(
	api: RegionApi,
	ids: string[],
	params: EcsParams,
): Promise<Set<string>> {
	const found = new Set<string>();
	for (let i = 0; i < ids.length; i += MAX_PAGE_SIZE) {
		const chunk = ids.slice(i, i + MAX_PAGE_SIZE);
		const page = await api.call(
			'DescribeManagedInstances',
			{ ...params, InstanceId: chunk, MaxResults: MAX_PAGE_SIZE },
			{
				parse: (body) =>
					mapEntries(body, 'Instances', (raw, field) => toManagedInstance(raw, field)),
			},
		);
		for (const instance of page) found.add(instance.InstanceId as string);
	}
	return found;
}

/**
 * Looks up the instances the listing no longer shows: found with the filters, the listing missed
 * them; found only without (with filters on fields that change), they stopped matching; not
 * found, they are deregistered. One call per 50 missing instances (two with such filters).
 */
async function lookUpMissing(
	api: RegionApi,
	missing: Map<string, string[]>,
	params: EcsParams,
	mutableFilters: boolean,
): Promise<Map<string, LookupResult>> {
	const lookups = new Map<string, LookupResult>();
	for (const [regionId, ids] of missing) {
		const regionApi = api.inRegion(regionId);
		const inScope = await findInstances(regionApi, ids, params);
		const rest = ids.filter((id) => !inScope.has(id));
		const elsewhere =
			mutableFilters && rest.length > 0
				? await findInstances(regionApi, rest, params.OsType ? { OsType: params.OsType } : {})
				: new Set<string>();
		for (const id of inScope) lookups.set(lookupKey(regionId, id), 'inScope');
		for (const id of elsewhere) lookups.set(lookupKey(regionId, id), 'outOfScope');
	}
	return lookups;
}

/**
 * Reads the fleet a watch needs. Any failure (after the transport's retries) fails the whole
 * read: a fleet missing a region or a page would make its instances look deregistered.
 * `previous` tells which instances to look up when the listing no longer shows them.
 */
export async function readFleet(
	api: RegionApi,
	clock: ServerClock,
	watch: Watch,
	params: EcsParams,
	previous: FleetState | undefined,
): Promise<Fleet> {
	const reads = readsFor(watch);
	// One region: its own error as it is; several: all or nothing, naming each failed region.
	const inEveryRegion = async (list: (regionApi: RegionApi) => Promise<IDataObject[]>) =>
		watch.regions.length === 1
			? await list(api.inRegion(watch.regions[0]))
			: await listInRegions(api, watch.regions, undefined, list);
	const [instances, activations] = await Promise.all([
		reads.instances
			? inEveryRegion(
					async (regionApi) =>
						await listManagedInstances(regionApi, { params, agentStatus: reads.agentStatus }),
				)
			: undefined,
		reads.activations
			? inEveryRegion(
					async (regionApi) =>
						await listAll(
							regionApi,
							'DescribeActivations',
							{},
							undefined,
							'ActivationList',
							(raw, field) => activationItem(toActivation(raw, field), regionApi.regionId),
						),
				)
			: undefined,
	]);
	const fleet: Fleet = {
		now: 0,
		agentStatus: reads.agentStatus,
		instances: instances && byRegion(instances),
		activations: activations && byRegion(activations),
	};
	const missing = missingInstances(previous, fleet, watch);
	if (missing.size > 0) {
		fleet.lookups = await lookUpMissing(api, missing, params, watch.mutableFilters);
	}
	fleet.now = clock.now();
	return fleet;
}
