/**
 * Starting a run (RunCommand, SendFile) on a list of instances of which some may not exist:
 * Alibaba refuses the whole request with 404 InvalidInstance.NotFound without saying which one
 * (RunCommand/InvokeCommand API reference, error table). Then the node looks the instances up
 * (DescribeManagedInstances, 50 per request), sends to the ones that exist, and reports the
 * others per instance instead of failing them all. Both requests carry a ClientToken (the
 * router's), so neither can start a run twice.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RegionApi } from '../../helpers/interfaces';
import { ResponseShapeError, asList, asObject } from '../../helpers/response';
import type { EcsAction, EcsParams } from '../../transport/client';
import { type EcsError, isTargetNotFound } from '../../transport/errors';

export interface Started {
	invokeId?: string;
	commandId?: string;
	requestId?: string;
	/** The instances the run went to (empty for tag targets: the API chose them). */
	sentTo: string[];
	/** Instances that do not exist in the region: not sent. */
	notFound: string[];
}

const LOOKUP_BATCH = 50;

/** The IDs among `instanceIds` that are registered managed instances of the region. */
async function registered(api: RegionApi, instanceIds: string[]): Promise<Set<string>> {
	const found = new Set<string>();
	for (let start = 0; start < instanceIds.length; start += LOOKUP_BATCH) {
		const batch = instanceIds.slice(start, start + LOOKUP_BATCH);
		const ids = await api.call(
			'DescribeManagedInstances',
			{ InstanceId: batch, MaxResults: LOOKUP_BATCH },
			{
				parse: (body) =>
					asList(body.Instances, 'Instances').map((raw, index) =>
						String(asObject(raw, `Instances[${index}]`).InstanceId),
					),
			},
		);
		for (const id of ids) found.add(id);
	}
	return found;
}

interface Accepted {
	invokeId?: string;
	commandId?: string;
	requestId?: string;
}

/** Starts the run; a refusal for an unknown instance comes back as `unknownInstance`. */
async function start(
	api: RegionApi,
	action: EcsAction,
	params: EcsParams,
	subject: string,
): Promise<Accepted | { unknownInstance: EcsError }> {
	return await api.call<Accepted | { unknownInstance: EcsError }>(action, params, {
		subject,
		parse: (body: IDataObject) => {
			if (typeof body.InvokeId !== 'string' || body.InvokeId === '') {
				throw new ResponseShapeError('InvokeId', 'is missing');
			}
			return {
				invokeId: body.InvokeId,
				commandId: typeof body.CommandId === 'string' ? body.CommandId : undefined,
				requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined,
			};
		},
		// 404 InvalidInstance.NotFound (or the ECS family's InvalidInstanceId.NotFound): one of the
		// instances does not exist, which one is not said.
		recover: (error) =>
			Array.isArray(params.InstanceId) && isTargetNotFound(error)
				? { unknownInstance: error }
				: undefined,
	});
}

/**
 * Starts `action` with `params` on `instanceIds` (undefined: the params select the targets,
 * e.g. by tag), skipping instances that turn out not to exist.
 */
export async function startOnKnownInstances(
	api: RegionApi,
	action: EcsAction,
	params: EcsParams,
	instanceIds: string[] | undefined,
	subject: string,
): Promise<Started> {
	const first = await start(
		api,
		action,
		instanceIds ? { ...params, InstanceId: instanceIds } : params,
		subject,
	);
	if (!('unknownInstance' in first)) return { ...first, sentTo: instanceIds ?? [], notFound: [] };
	const ids = instanceIds ?? [];
	const known = await registered(api, ids);
	const notFound = ids.filter((id) => !known.has(id));
	// Every instance exists after all (registered meanwhile?): the refusal stands.
	if (notFound.length === 0) throw first.unknownInstance;
	const sentTo = ids.filter((id) => known.has(id));
	if (sentTo.length === 0) return { sentTo, notFound };
	const second = await start(api, action, { ...params, InstanceId: sentTo }, subject);
	if ('unknownInstance' in second) throw second.unknownInstance;
	return { ...second, sentTo, notFound };
}

/** Why an instance was not sent to, in the API's per-instance terms (ErrorCode InstanceNotExists). */
export function notSentFields(instanceId: string, regionId: string): IDataObject {
	return {
		InvocationStatus: 'Aborted',
		ErrorCode: 'InstanceNotExists',
		ErrorInfo: `not sent: ${instanceId} is not a managed instance of region ${regionId} (deregistered, never registered, or registered in another region)`,
	};
}
