/**
 * NextToken/MaxResults (cursor of the last key returned, opaque to clients) or the deprecated
 * PageNumber/PageSize (offset, with TotalCount). Mixing the two is an error.
 */
import { ApiError, invalidParam } from './errors';
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
		throw invalidParam('NextToken', 'Use the NextToken value returned by the previous call.');
	}
	return text.slice(kind.length + 1);
}

export function readPaging(params: Params, kind: string): Paging {
	const token = optional(params, 'NextToken');
	const maxResults = optionalInt(params, 'MaxResults', 1, MAX_PAGE);
	const hasPage =
		optional(params, 'PageNumber') !== undefined || optional(params, 'PageSize') !== undefined;
	if (hasPage && (token !== undefined || maxResults !== undefined)) {
		throw new ApiError(
			400,
			'InvalidParameter.Conflict',
			'NextToken/MaxResults and PageNumber/PageSize cannot be used together. Use NextToken and MaxResults.',
		);
	}
	if (hasPage) {
		return {
			mode: 'page',
			pageNumber: optionalInt(params, 'PageNumber', 1, Number.MAX_SAFE_INTEGER) ?? 1,
			pageSize: optionalInt(params, 'PageSize', 1, MAX_PAGE) ?? DEFAULT_PAGE,
		};
	}
	return {
		mode: 'token',
		maxResults: maxResults ?? DEFAULT_PAGE,
		after: token === undefined ? undefined : decodeNextToken(kind, token),
	};
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
	};
}
