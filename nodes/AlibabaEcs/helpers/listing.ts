import type { IDataObject } from 'n8n-workflow';

import type { EcsParams } from '../transport/client';
import { errorSummary, EcsError } from '../transport/errors';
import { addAgentStatus, describeAgentStatus } from './agentStatus';
import { forEachConcurrently } from './concurrency';
import type { RegionApi } from './interfaces';
import { judgeOffline } from './offline';
import { MAX_PAGE_SIZE, type Page, describePage, nextUnseenToken } from './paging';
import { RegionsFailedError } from './refusals';
import { managedInstanceItem, toManagedInstance } from './response';

/** What Get Many of managed instances lists in one region. */
export interface InstanceListing {
	/** DescribeManagedInstances filters, under the API's names. */
	params: EcsParams;
	/** Up to this many output items (after the offline filter); undefined: all. */
	limit?: number;
	/** Add the agent status fields (DescribeCloudAssistantStatus) to every instance. */
	agentStatus: boolean;
	/** Keep only instances offline for at least this many hours (helpers/offline.ts). */
	offlineForHours?: number;
}

type Settled = { ok: true; items: IDataObject[] } | { ok: false; error: unknown };

/** A promise that never rejects, so a failure waiting in the pipeline is never "unhandled". */
const settle = async (work: Promise<IDataObject[]>): Promise<Settled> =>
	await work.then(
		(items): Settled => ({ ok: true, items }),
		(error: unknown): Settled => ({ ok: false, error }),
	);

async function itemsOf(page: Promise<Settled>): Promise<IDataObject[]> {
	const settled = await page;
	if (!settled.ok) throw settled.error;
	return settled.items;
}

/** The agent status of one page's instances (one call), merged in, then the offline filter. */
async function withAgentStatus(
	api: RegionApi,
	instances: IDataObject[],
	offlineForHours: number | undefined,
): Promise<IDataObject[]> {
	const statuses = await describeAgentStatus(
		api,
		instances.map((instance) => instance.InstanceId as string),
	);
	const now = statuses.serverTime ?? Date.now();
	const kept: IDataObject[] = [];
	for (const instance of instances) {
		addAgentStatus(instance, statuses.byId.get(instance.InstanceId as string));
		if (offlineForHours === undefined || judgeOffline(instance, offlineForHours, now).offline) {
			kept.push(managedInstanceItem(instance, api.regionId));
		}
	}
	return kept;
}

/** One DescribeManagedInstances page; as output items unless the agent status is still to come. */
async function describeInstancePage(
	api: RegionApi,
	params: EcsParams,
	nextToken: string | undefined,
	maxResults: number,
	withStatus: boolean,
): Promise<Page> {
	return await describePage(
		api,
		'DescribeManagedInstances',
		params,
		nextToken,
		maxResults,
		'Instances',
		(raw, field) =>
			withStatus
				? toManagedInstance(raw, field)
				: managedInstanceItem(toManagedInstance(raw, field), api.regionId),
	);
}

/**
 * One page of a listing, for a listing answered a page at a time (the node as an AI tool): one
 * DescribeManagedInstances call of at most `maxResults` instances, then, as in
 * listManagedInstances, their agent status and the offline filter (so fewer may remain), and
 * the API's NextToken. The listing's limit plays no part.
 */
export async function pageOfManagedInstances(
	api: RegionApi,
	{ params, agentStatus, offlineForHours }: InstanceListing,
	nextToken: string | undefined,
	maxResults: number,
): Promise<Page> {
	const withStatus = agentStatus || offlineForHours !== undefined;
	const page = await describeInstancePage(api, params, nextToken, maxResults, withStatus);
	if (!withStatus || page.items.length === 0) return page;
	return {
		items: await withAgentStatus(api, page.items, offlineForHours),
		nextToken: page.nextToken,
	};
}

/**
 * Managed instances of one region, as output items, over NextToken pages of 50.
 *
 * With the agent status, each page's DescribeCloudAssistantStatus call (one per page) runs
 * while the next page is listed, so a long listing takes about one call longer than without
 * it; at most two status calls are in flight. With the offline filter, the filter is applied
 * to each page as its status arrives and Limit counts what passed: the listing stops once
 * enough passed, having listed at most one page more than needed.
 */
export async function listManagedInstances(
	api: RegionApi,
	{ params, limit, agentStatus, offlineForHours }: InstanceListing,
): Promise<IDataObject[]> {
	const withStatus = agentStatus || offlineForHours !== undefined;
	const filtered = offlineForHours !== undefined;
	const pages: Array<Promise<Settled>> = [];
	const seenTokens = new Set<string>();
	let listed = 0;
	let passed = 0;
	let counted = 0;
	let nextToken: string | undefined;
	do {
		const wanted =
			limit === undefined || filtered ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit - listed);
		const page = await describeInstancePage(api, params, nextToken, wanted, withStatus);
		listed += page.items.length;
		pages.push(
			withStatus
				? settle(withAgentStatus(api, page.items, offlineForHours))
				: Promise.resolve({ ok: true, items: page.items }),
		);
		// Wait for every page's status but the latest: it runs while the next page is listed.
		while (counted < pages.length - 1) passed += (await itemsOf(pages[counted++])).length;
		if (!filtered) passed = listed;
		nextToken = nextUnseenToken(page.nextToken, seenTokens);
	} while (nextToken !== undefined && (limit === undefined || passed < limit));

	const all: IDataObject[] = [];
	for (const page of pages) for (const item of await itemsOf(page)) all.push(item);
	return limit === undefined || all.length <= limit ? all : all.slice(0, limit);
}

/** Regions listed at once by a listing over every region. */
export const REGION_CONCURRENCY = 8;

/**
 * A listing run in each of `regions` (each up to `limit`), concatenated in the order of
 * `regions` and cut to `limit`. If any region fails (after its retries), nothing is returned:
 * the error names every region that failed and why, because a list silently missing a region
 * is worse than none (a cleanup would not notice; an inventory would be wrong).
 */
export async function listInRegions(
	api: RegionApi,
	regions: readonly string[],
	limit: number | undefined,
	list: (regionApi: RegionApi) => Promise<IDataObject[]>,
): Promise<IDataObject[]> {
	const results: IDataObject[][] = new Array(regions.length);
	const failures: Array<{ regionId: string; error: unknown }> = [];
	await forEachConcurrently(
		regions.map((_, index) => index),
		REGION_CONCURRENCY,
		async (index) => {
			try {
				results[index] = await list(api.inRegion(regions[index]));
			} catch (error) {
				failures.push({ regionId: regions[index], error });
			}
		},
	);
	if (failures.length > 0) {
		failures.sort((a, b) => regions.indexOf(a.regionId) - regions.indexOf(b.regionId));
		const why = failures
			.map(({ regionId, error }) => `${regionId}: ${failureSummary(error)}`)
			.join('; ');
		throw new RegionsFailedError(
			`Listing all regions failed in ${failures.length} of ${regions.length} regions, so nothing is output (the list would be incomplete). ${why}`,
			'Transient failures (throttling, 5xx, timeouts) were already retried as Max Attempts allows: try again later. If the credential may only use some regions (a RAM policy that limits regions), turn All Regions off and list those regions one by one with Region.',
		);
	}
	const all = results.flat();
	return limit === undefined || all.length <= limit ? all : all.slice(0, limit);
}

function failureSummary(error: unknown): string {
	if (error instanceof EcsError) return errorSummary(error);
	return error instanceof Error ? error.message : String(error);
}
