import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { EcsAction, EcsParams } from '../transport/client';
import type { RegionApi } from './interfaces';
import { ResponseShapeError, asList, nextTokenOf } from './response';
import { booleanValue, integerInRange } from './validation';

/** The API's page size limit for NextToken paging (MaxResults). */
export const MAX_PAGE_SIZE = 50;

export interface Page {
	items: IDataObject[];
	nextToken?: string;
}

/**
 * The NextToken of a page (undefined: the last page), remembered in `seen`. A token the API
 * already returned once would loop forever, so it is an error.
 */
export function nextUnseenToken(token: string | undefined, seen: Set<string>): string | undefined {
	if (!token) return undefined;
	if (seen.has(token)) {
		throw new ResponseShapeError(
			'NextToken',
			'repeats a token already returned, so paging would never end',
		);
	}
	seen.add(token);
	return token;
}

/**
 * Collects items over NextToken pages: all of them, or up to `limit`. Each
 * request asks only for what is still missing (at most 50). A NextToken the
 * API already returned once would loop forever, so it ends with an error.
 */
export async function collectPages(
	fetchPage: (nextToken: string | undefined, maxResults: number) => Promise<Page>,
	limit?: number,
): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	const seenTokens = new Set<string>();
	let nextToken: string | undefined;
	do {
		const wanted =
			limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit - collected.length);
		const page = await fetchPage(nextToken, wanted);
		const room = limit === undefined ? page.items.length : limit - collected.length;
		for (let i = 0; i < page.items.length && i < room; i++) collected.push(page.items[i]);
		nextToken = nextUnseenToken(page.nextToken, seenTokens);
	} while (nextToken !== undefined && (limit === undefined || collected.length < limit));
	return collected;
}

/** Return All / Limit of a Get Many operation: undefined means all. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (booleanValue(context.getNodeParameter('returnAll', itemIndex, false), 'Return All')) {
		return undefined;
	}
	return integerInRange(context.getNodeParameter('limit', itemIndex, 50), 'Limit', {
		min: 1,
		max: 1_000_000,
	});
}

/**
 * Maps every entry of a page's list field with `toItem`, which names the entry
 * by the list field alone; the entry's index is added only to an error, so that
 * a listing of 10,000 instances builds no path string per instance.
 */
export function mapEntries(
	body: IDataObject,
	listField: string,
	toItem: (raw: unknown, field: string) => IDataObject,
): IDataObject[] {
	return asList(body[listField], listField).map((raw, index) => {
		try {
			return toItem(raw, listField);
		} catch (error) {
			throw error instanceof ResponseShapeError ? error.atIndex(listField, index) : error;
		}
	});
}

/**
 * One page of a NextToken-paged Describe action: at most `maxResults` entries, each checked and
 * mapped by `toItem` from the list field `listField`, and the NextToken of the next page.
 */
export async function describePage(
	api: RegionApi,
	action: EcsAction,
	params: EcsParams,
	nextToken: string | undefined,
	maxResults: number,
	listField: string,
	toItem: (raw: unknown, field: string) => IDataObject,
): Promise<Page> {
	return await api.call(
		action,
		{ ...params, NextToken: nextToken, MaxResults: maxResults },
		{
			parse: (body) => ({
				items: mapEntries(body, listField, toItem),
				nextToken: nextTokenOf(body),
			}),
		},
	);
}

/**
 * Every item of a NextToken-paged Describe action (or up to `limit`), each
 * checked and mapped by `toItem` from the list field `listField`.
 */
export async function listAll(
	api: RegionApi,
	action: EcsAction,
	params: EcsParams,
	limit: number | undefined,
	listField: string,
	toItem: (raw: unknown, field: string) => IDataObject,
): Promise<IDataObject[]> {
	return await collectPages(
		async (nextToken, maxResults) =>
			await describePage(api, action, params, nextToken, maxResults, listField, toItem),
		limit,
	);
}
