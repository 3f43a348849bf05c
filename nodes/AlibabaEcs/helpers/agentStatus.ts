import type { IDataObject } from 'n8n-workflow';

import { forEachConcurrently } from './concurrency';
import type { PreparedInput, RegionApi, RunTools } from './interfaces';
import {
	asList,
	asObject,
	normaliseBoolean,
	normaliseInteger,
	ResponseShapeError,
} from './response';
import { parseApiTime } from './time';

/**
 * The Cloud Assistant agent's status of managed instances, from DescribeCloudAssistantStatus.
 *
 * Sources: the SDK's models (`@alicloud/ecs20140526` 7.11.x,
 * `dist/models/DescribeCloudAssistantStatusRequest.d.ts` and `…ResponseBody.d.ts`) and the API
 * reference page "DescribeCloudAssistantStatus": InstanceId.N takes ECS and managed instances,
 * up to 100 per request, and then the answer holds them all (MaxResults does not apply);
 * `CloudAssistantStatus` is the text "true" when a heartbeat arrived in the last 2 minutes;
 * `LastHeartbeatTime` is updated about every minute; `CloudAssistantVersion` is empty when the
 * agent is not running. RAM action: `ecs:DescribeCloudAssistantStatus`.
 */

/** IDs per DescribeCloudAssistantStatus call: a listing page's worth (the API takes up to 100). */
export const MAX_STATUS_IDS = 50;

/** The status fields added to a managed instance (the others repeat the instance's own). */
export const AGENT_STATUS_FIELDS = [
	'CloudAssistantStatus',
	'CloudAssistantVersion',
	'LastHeartbeatTime',
	'ActiveTaskCount',
	'SupportSessionManager',
] as const;

export interface AgentStatuses {
	/** By InstanceId, normalised: CloudAssistantStatus and SupportSessionManager booleans, counts numbers. */
	byId: Map<string, IDataObject>;
	/** The server's clock when it answered (the latest of the calls), epoch ms, if it said. */
	serverTime?: number;
}

/** One entry of InstanceCloudAssistantStatusSet, normalised in place. */
export function toAgentStatus(value: unknown, field: string): IDataObject {
	const status = asObject(value, field);
	if (typeof status.InstanceId !== 'string' || status.InstanceId === '') {
		throw new ResponseShapeError(`${field}.InstanceId`, 'is missing');
	}
	normaliseBoolean(status, 'CloudAssistantStatus', field);
	normaliseBoolean(status, 'SupportSessionManager', field);
	normaliseInteger(status, 'ActiveTaskCount', field);
	normaliseInteger(status, 'InvocationCount', field);
	if (status.LastHeartbeatTime === '' || status.LastHeartbeatTime === undefined) {
		status.LastHeartbeatTime = null;
	} else {
		parseApiTime(status.LastHeartbeatTime, `${field}.LastHeartbeatTime`); // checks the shape
	}
	return status;
}

function statusList(body: IDataObject): unknown[] {
	const set = body.InstanceCloudAssistantStatusSet;
	if (set === undefined || set === null) return [];
	return asList(
		asObject(set, 'InstanceCloudAssistantStatusSet').InstanceCloudAssistantStatus,
		'InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus',
	);
}

const NOT_FOUND = Symbol('not found');

/** An unknown instance ID (not a region, action or key that is not found). */
const UNKNOWN_INSTANCE = /^InvalidInstance(?:Id)?s?\.NotFound$/;

/**
 * The agent status of up to MAX_STATUS_IDS instances of one region, in one call. Instances the
 * answer leaves out are absent from the map. Whether Alibaba leaves an unknown ID out or refuses
 * the whole call with a NotFound code is not documented: on such a refusal the IDs are asked for
 * again in halves, so one instance deregistered meanwhile costs about 2·log2(n) extra calls and
 * never fails the others (it is then absent too). Other errors are thrown as they are.
 */
export async function describeAgentStatus(api: RegionApi, ids: string[]): Promise<AgentStatuses> {
	const result: AgentStatuses = { byId: new Map() };
	if (ids.length === 0) return result;
	if (ids.length > MAX_STATUS_IDS) {
		throw new RangeError(`describeAgentStatus takes at most ${MAX_STATUS_IDS} IDs a call`);
	}
	const answer = await api.call<
		{ statuses: IDataObject[]; serverTime?: number } | typeof NOT_FOUND
	>(
		'DescribeCloudAssistantStatus',
		{ InstanceId: ids },
		{
			subject: ids.length === 1 ? `Managed instance ${ids[0]}` : undefined,
			parse: (body, response) => ({
				statuses: statusList(body).map((raw, index) => {
					const field = 'InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus';
					try {
						return toAgentStatus(raw, field);
					} catch (error) {
						throw error instanceof ResponseShapeError ? error.atIndex(field, index) : error;
					}
				}),
				serverTime: response.serverTime,
			}),
			recover: (error) =>
				error.kind === 'api' && UNKNOWN_INSTANCE.test(error.details.code ?? '')
					? NOT_FOUND
					: undefined,
		},
	);
	if (answer === NOT_FOUND) {
		if (ids.length === 1) return result;
		const half = Math.ceil(ids.length / 2);
		const parts = await Promise.all([
			describeAgentStatus(api, ids.slice(0, half)),
			describeAgentStatus(api, ids.slice(half)),
		]);
		for (const part of parts) mergeStatuses(result, part);
		return result;
	}
	const wanted = new Set(ids);
	for (const status of answer.statuses) {
		if (wanted.has(status.InstanceId as string))
			result.byId.set(status.InstanceId as string, status);
	}
	result.serverTime = answer.serverTime;
	return result;
}

function mergeStatuses(into: AgentStatuses, from: AgentStatuses): void {
	for (const [id, status] of from.byId) into.byId.set(id, status);
	if (from.serverTime !== undefined)
		into.serverTime = Math.max(into.serverTime ?? from.serverTime, from.serverTime);
}

/**
 * Adds the agent status fields to an instance, in place: null for each when the status answer
 * did not include the instance (so an output item always has them once asked for).
 */
export function addAgentStatus(
	instance: IDataObject,
	status: IDataObject | undefined,
): IDataObject {
	for (const name of AGENT_STATUS_FIELDS) instance[name] = status?.[name] ?? null;
	return instance;
}

/** Agent statuses read ahead for a whole node run, by region and instance. */
export interface AgentStatusLookup {
	/**
	 * The instance's status, or undefined when the answer left it out; throws the error of the
	 * call that should have answered for it (so that only that call's items fail).
	 */
	get(regionId: string, instanceId: string): { status?: IDataObject; serverTime?: number };
}

/**
 * Reads the agent status of every item's instance in as few calls as the API allows: grouped
 * by region, MAX_STATUS_IDS a call, at most `concurrency` calls at once (each through the API of
 * the first item that asked, so that errors name a real item's call).
 */
export async function prefetchAgentStatus(
	items: ReadonlyArray<PreparedInput<{ instanceId: string }>>,
	tools: RunTools,
): Promise<AgentStatusLookup> {
	const byRegion = new Map<string, Map<string, PreparedInput>>();
	for (const item of items) {
		let ids = byRegion.get(item.regionId);
		if (!ids) byRegion.set(item.regionId, (ids = new Map()));
		if (!ids.has(item.input.instanceId)) ids.set(item.input.instanceId, item);
	}
	const batches: Array<{ regionId: string; ids: string[]; first: PreparedInput }> = [];
	for (const [regionId, ids] of byRegion) {
		const list = [...ids.keys()];
		for (let i = 0; i < list.length; i += MAX_STATUS_IDS) {
			const chunk = list.slice(i, i + MAX_STATUS_IDS);
			batches.push({ regionId, ids: chunk, first: ids.get(chunk[0]) as PreparedInput });
		}
	}
	const outcome = new Map<string, { statuses?: AgentStatuses; error?: unknown }>();
	await forEachConcurrently(batches, tools.concurrency, async (batch) => {
		let result: { statuses?: AgentStatuses; error?: unknown };
		try {
			result = { statuses: await describeAgentStatus(tools.api(batch.first), batch.ids) };
		} catch (error) {
			result = { error };
		}
		for (const id of batch.ids) outcome.set(`${batch.regionId}/${id}`, result);
	});
	return {
		get(regionId, instanceId) {
			const found = outcome.get(`${regionId}/${instanceId}`);
			if (!found) throw new RangeError(`no agent status was read for ${instanceId}`);
			if (found.error !== undefined) throw found.error;
			return {
				status: found.statuses?.byId.get(instanceId),
				serverTime: found.statuses?.serverTime,
			};
		},
	};
}
