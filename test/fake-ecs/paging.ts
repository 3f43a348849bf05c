/**
 * NextToken/MaxResults (cursor of the last key returned, opaque to clients) or the deprecated
 * PageNumber/PageSize (offset). As the API reference of DescribeManagedInstances and
 * DescribeActivations gives them:
 * - MaxResults and PageSize: 1 to 50, default 10; a bad value is 400 InvalidParameter.MaxResults
 *   or InvalidParam.PageSize (the codes differ, as documented); InvalidParam.PageNumber likewise.
 * - A NextToken the API did not issue: 400 InvalidParameter.NextToken.
 * - Beside NextToken or MaxResults, PageNumber/PageSize are ignored (token mode wins; the
 *   reference marks them "about to be deprecated"; which one wins is unverified, and token mode
 *   is what the node relies on).
 * - Every answer carries TotalCount and PageSize, in token mode too (the reference's sample answer
 *   has NextToken, TotalCount, PageSize and PageNumber side by side).
 */
import { ApiError } from './errors';
import type { OrderedStore } from './ordered-store';
import { optional, optionalInt, type Params } from './params';

export type Paging =
	| { mode: 'token'; maxResults: number; after?: string }
	| { mode: 'page'; pageNumber: number; pageSize: number };

const MAX_PAGE = 50;
const DEFAULT_PAGE = 10;

export function encodeNextToken(kind: string, lastKey: string): string {
	return Buffer.from(`${kind}|${lastKey}`).toString('base64');
}

function decodeNextToken(kind: string, token: string): string {
	const text = Buffer.from(token, 'base64').toString();
	if (!text.startsWith(`${kind}|`) || Buffer.from(text).toString('base64') !== token) {
		throw new ApiError(
			400,
			'InvalidParameter.NextToken',
			'The specified parameter NextToken is not valid.',
		);
	}
	return text.slice(kind.length + 1);
}

export function readPaging(params: Params, kind: string): Paging {
	const token = optional(params, 'NextToken');
	const maxResults = optionalInt(params, 'MaxResults', 1, MAX_PAGE, 'InvalidParameter.MaxResults');
	if (token !== undefined || maxResults !== undefined) {
		return {
			mode: 'token',
			maxResults: maxResults ?? DEFAULT_PAGE,
			after: token === undefined ? undefined : decodeNextToken(kind, token),
		};
	}
	const pageNumber = optionalInt(params, 'PageNumber', 1, Number.MAX_SAFE_INTEGER);
	const pageSize = optionalInt(params, 'PageSize', 1, MAX_PAGE);
	if (pageNumber !== undefined || pageSize !== undefined) {
		return { mode: 'page', pageNumber: pageNumber ?? 1, pageSize: pageSize ?? DEFAULT_PAGE };
	}
	return { mode: 'token', maxResults: DEFAULT_PAGE };
}

/** One page of `store` as response fields: `[listName]`, and NextToken or PageNumber/PageSize/TotalCount. */
export function pageOf<T>(
	store: OrderedStore<T>,
	paging: Paging,
	kind: string,
	matches: (item: T) => boolean,
	toWire: (item: T) => Record<string, unknown>,
	listName: string,
): Record<string, unknown> {
	if (paging.mode === 'page') {
		const all = store.values().filter(matches);
		const start = (paging.pageNumber - 1) * paging.pageSize;
		return {
			[listName]: all.slice(start, start + paging.pageSize).map(toWire),
			PageNumber: paging.pageNumber,
			PageSize: paging.pageSize,
			TotalCount: all.length,
		};
	}
	const page = store.page(paging.after, paging.maxResults, matches);
	return {
		[listName]: page.items.map(toWire),
		...(page.nextCursor === undefined ? {} : { NextToken: encodeNextToken(kind, page.nextCursor) }),
		PageSize: paging.maxResults,
		TotalCount: store.count(matches),
	};
}
