import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RegionApi } from './interfaces';
import { MAX_PAGE_SIZE, type Page } from './paging';
import { InputError, describeValue } from './validation';

/**
 * The node as an AI tool. n8n registers every `usableAsTool` node a second time as
 * `<type>Tool` (n8n's `convertNodeToAiTool`: the same node, output `ai_tool`), and an AI
 * Agent or the MCP Server Trigger runs that variant once per tool call, with the model's
 * arguments as the input item. A model reads what the tool answers, so a listing there
 * answers one page at a time (at most 50 entries, the API's page size) with a NextToken to
 * continue, instead of every item (10,000 instances would not fit a model's context).
 * Normal workflows are unchanged.
 */

/**
 * Whether the node runs as its AI-tool variant: its type name ends with "Tool", the test n8n
 * itself uses for the `@tool` display option (n8n-workflow `getPropertyValues`).
 */
export function runsAsTool(context: Pick<IExecuteFunctions, 'getNode'>): boolean {
	return context.getNode().type.endsWith('Tool');
}

/** What one tool call of a listing asks for. */
export interface ToolPage {
	/** where to continue (the NextToken of the previous answer); undefined: from the start */
	nextToken?: string;
	/** entries per answer: Limit, at most 50 (Return All counts as 50) */
	maxResults: number;
}

/**
 * A tool-only field (shown as `@tool`) for the model to continue a listing with: its default
 * lets the model fill it (`$fromAI`, with a description written for the model), optionally.
 */
export function nextTokenToolProperty(
	show: { resource: string[]; operation: string[] },
	entries: string,
): INodeProperties {
	const forModel =
		`Leave empty for the first page. Each answer holds at most ${MAX_PAGE_SIZE} ${entries}; ` +
		`when it also has NextToken, more ${entries} match: call again with the same arguments and nextToken set to that NextToken. ` +
		'No NextToken in the answer means it was the last page.';
	return {
		displayName: 'Next Token',
		name: 'nextToken',
		// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing -- a paging cursor the model reads and passes back, not a secret
		type: 'string',
		default: `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('nextToken', \`${forModel}\`, 'string', '') }}`,
		description: `As an AI tool this operation answers one page of at most ${MAX_PAGE_SIZE} ${entries} (fewer with a smaller Limit) and a NextToken when there are more. This field continues the listing from such a NextToken; by default the model fills it in.`,
		displayOptions: { show: { ...show, '@tool': [true] } },
	};
}

/** NextToken values are opaque to clients; refuse only what cannot be one (and would be sent). */
const NEXT_TOKEN = /^[\x21-\x7e]{1,1024}$/;

const notANextToken = (raw: unknown) =>
	new InputError(
		'Next Token',
		`Next Token ${describeValue(raw)} is not a NextToken`,
		'Pass the NextToken value of the previous answer unchanged, or leave it empty for the first page.',
	);

/**
 * The page a tool call asks for (when the node runs as a tool; otherwise undefined): Next
 * Token (empty: the first page) and Limit, capped at one API page. `limit` undefined (Return
 * All) counts as one full page.
 */
export function readToolPage(
	context: IExecuteFunctions,
	itemIndex: number,
	limit: number | undefined,
): ToolPage | undefined {
	if (!runsAsTool(context)) return undefined;
	const raw = context.getNodeParameter('nextToken', itemIndex, '');
	const maxResults = Math.min(limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	if (raw === '' || raw === undefined || raw === null) return { maxResults };
	if (typeof raw !== 'string' || !NEXT_TOKEN.test(raw.trim())) throw notANextToken(raw);
	return { nextToken: raw.trim(), maxResults };
}

/**
 * API calls one answer over several regions may take: enough to pass every empty region of
 * the 16 and fill the page; a filter that keeps few entries may end an answer before it is
 * full (its NextToken goes on from there).
 */
export const MAX_CALLS_PER_ANSWER = 20;

/** One page of one region: at most `maxResults` entries, and the API's NextToken. */
export type FetchPage = (
	api: RegionApi,
	nextToken: string | undefined,
	maxResults: number,
) => Promise<Page>;

/**
 * The tool's single answer to one call of a listing: `{RegionId, [listField]: entries,
 * NextToken?}` under the API's own names, with NextToken only when more entries match
 * (RegionId null over several regions: each entry names its own).
 *
 * In one region, NextToken is the API's own. Over several `regions` (All Regions) the answer
 * fills up with the regions in their order (at most MAX_CALLS_PER_ANSWER calls), and its
 * NextToken is `<region>|<the API's NextToken in that region>` (empty after the bar: that
 * region from its start).
 */
export async function answerOnePage(
	api: RegionApi,
	page: ToolPage,
	listField: string,
	fetch: FetchPage,
	regions?: readonly string[],
): Promise<IDataObject> {
	// RegionId: the region listed; with several, each entry carries its own
	const regionId = regions ? null : api.regionId;
	const answer = (entries: IDataObject[], nextToken: string | undefined): IDataObject =>
		nextToken
			? { RegionId: regionId, [listField]: entries, NextToken: nextToken }
			: { RegionId: regionId, [listField]: entries };
	if (!regions) {
		const one = await fetch(api, page.nextToken, page.maxResults);
		return answer(one.items, one.nextToken);
	}

	let index = 0;
	let token: string | undefined;
	if (page.nextToken !== undefined) {
		const bar = page.nextToken.indexOf('|');
		index = bar < 0 ? -1 : regions.indexOf(page.nextToken.slice(0, bar));
		if (index < 0) throw notANextToken(page.nextToken);
		token = page.nextToken.slice(bar + 1) || undefined;
	}
	const entries: IDataObject[] = [];
	for (let calls = 0; index < regions.length; calls++) {
		const room = page.maxResults - entries.length;
		if (room === 0 || calls === MAX_CALLS_PER_ANSWER) {
			return answer(entries, `${regions[index]}|${token ?? ''}`);
		}
		const one = await fetch(api.inRegion(regions[index]), token, room);
		entries.push(...one.items.slice(0, room));
		token = one.nextToken || undefined;
		if (token === undefined) index++;
	}
	return answer(entries, undefined);
}
