/**
 * Where a managed instance is registered when its own region says it does not exist.
 *
 * A correct 404 InvalidInstance.NotFound still lies about "already gone" when the region is wrong
 * (Get Many in cn-beijing, then Deregister with the credential's default cn-hangzhou): the
 * instance is alive elsewhere. So before a missing instance counts as deregistered, it is looked
 * up (DescribeManagedInstances with InstanceId.1, a read) in every other region where managed
 * instances exist (transport/regions.ts). Cost: up to 15 reads, only for an instance that was not
 * found, a few at a time.
 */
import type { IDataObject } from 'n8n-workflow';

import { EcsError, isTargetNotFound } from '../transport/errors';
import { MANAGED_INSTANCE_REGION_IDS } from '../transport/regions';
import { rowOf } from '../transport/retry';
import { forEachConcurrently } from './concurrency';
import type { RegionApi } from './interfaces';
import { asList } from './response';

/** Lookups in flight at once: few, so that a batch of missing instances meets no throttling. */
const SEARCH_CONCURRENCY = 4;

export interface RegionSearch {
	/** The region where the instance is registered, if one was found. */
	foundInRegionId?: string;
	/** Regions that answered and do not have it, the item's own region first. */
	searchedRegionIds: string[];
	/** Regions that refused the lookup as not offering managed instances (they cannot have it). */
	unavailableRegionIds: string[];
	/** Regions that could not be searched (permission, network…), with the failure. */
	failed: Array<{ regionId: string; error: EcsError | Error }>;
}

async function isRegisteredIn(api: RegionApi, instanceId: string): Promise<boolean> {
	return await api.call(
		'DescribeManagedInstances',
		{ InstanceId: [instanceId] },
		{
			subject: `Managed instance ${instanceId}`,
			parse: (body) =>
				asList(body.Instances, 'Instances').some(
					(raw) => (raw as IDataObject | null)?.InstanceId === instanceId,
				),
		},
	);
}

/**
 * Looks for `instanceId` in the managed-instance regions other than `api.regionId` (which
 * already answered "not found"), stopping at the first region that has it.
 */
export async function searchOtherRegions(
	api: RegionApi,
	instanceId: string,
): Promise<RegionSearch> {
	const search: RegionSearch = {
		searchedRegionIds: [api.regionId],
		unavailableRegionIds: [],
		failed: [],
	};
	const others = MANAGED_INSTANCE_REGION_IDS.filter((regionId) => regionId !== api.regionId);
	await forEachConcurrently(
		others,
		SEARCH_CONCURRENCY,
		async (regionId) => {
			try {
				if (await isRegisteredIn(api.inRegion(regionId), instanceId)) {
					search.foundInRegionId ??= regionId;
				} else {
					search.searchedRegionIds.push(regionId);
				}
			} catch (error) {
				if (error instanceof EcsError && rowOf(error)?.kind === 'region') {
					search.unavailableRegionIds.push(regionId);
				} else {
					search.failed.push({ regionId, error: error as Error });
				}
			}
		},
		() => search.foundInRegionId !== undefined,
	);
	return search;
}

/** A short reason for a region that could not be searched. */
function reasonOf(error: EcsError | Error): string {
	if (!(error instanceof EcsError)) return error.message;
	return error.details.code ?? error.details.errno ?? error.kind;
}

/**
 * The output of a Deregister whose instance is gone (Succeed If Already Deregistered, `enabled`):
 * success only when `notFound` is the
 * instance's own not-found (isTargetNotFound), no other managed-instance region has it and
 * every region could be searched. Otherwise the failure is thrown again: as it was, or (for a
 * not-found) saying where the instance is or which regions did not answer.
 */
export async function alreadyDeregistered(
	api: RegionApi,
	instanceId: string,
	notFound: unknown,
	enabled = true,
): Promise<IDataObject> {
	if (!enabled || !(notFound instanceof EcsError) || !isTargetNotFound(notFound)) throw notFound;
	const search = await searchOtherRegions(api, instanceId);
	if (search.foundInRegionId || search.failed.length > 0) {
		throw new EcsError(
			notFound.kind,
			notFound.call,
			{
				...notFound.details,
				foundInRegionId: search.foundInRegionId,
				unsearchedRegions: search.foundInRegionId
					? undefined
					: search.failed.map(({ regionId, error }) => ({ regionId, reason: reasonOf(error) })),
			},
			notFound.message,
		);
	}
	const searched = search.searchedRegionIds.length;
	const unavailable = search.unavailableRegionIds;
	return {
		InstanceId: instanceId,
		RegionId: api.regionId,
		AlreadyDeregistered: true,
		SearchedRegionIds: search.searchedRegionIds,
		Note:
			`Not found in any region: searched ${searched} managed-instance region(s)` +
			(unavailable.length > 0
				? `; ${unavailable.join(', ')} refused the lookup as not offering managed instances`
				: ''),
		RequestId: notFound.details.requestId,
	};
}
