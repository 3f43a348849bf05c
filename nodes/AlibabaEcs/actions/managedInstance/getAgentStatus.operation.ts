import type { INodeProperties } from 'n8n-workflow';

import { type AgentStatusLookup, prefetchAgentStatus } from '../../helpers/agentStatus';
import type { EcsOperation } from '../../helpers/interfaces';
import { fieldOrder } from '../../helpers/response';
import { validateManagedInstanceId } from '../../helpers/validation';
import { NotFoundError } from '../../transport/errors';
import { instanceIdLocator } from '../common.descriptions';

const show = { resource: ['managedInstance'], operation: ['getAgentStatus'] };

const description: INodeProperties[] = [instanceIdLocator(show)];

/** An Agent Status item: the API's own fields, in output order. */
const agentStatusItem = fieldOrder([
	'InstanceId',
	'RegionId',
	'CloudAssistantStatus',
	'LastHeartbeatTime',
	'CloudAssistantVersion',
	'ActiveTaskCount',
	'InvocationCount',
	'LastInvokedTime',
	'OSType',
	'SupportSessionManager',
]);

/**
 * The Cloud Assistant agent's status of one managed instance per item
 * (DescribeCloudAssistantStatus): whether it is running (CloudAssistantStatus: a heartbeat in
 * the last 2 minutes), its version, its last heartbeat, its task counts. The statuses of all
 * items are read before any item is output, 50 instances of a region per call.
 */
export const getAgentStatus: EcsOperation<{ instanceId: string }, AgentStatusLookup> = {
	description,

	readInput(context, itemIndex) {
		const value = context.getNodeParameter('instanceId', itemIndex, undefined, {
			extractValue: true,
		});
		return { instanceId: validateManagedInstanceId(value) };
	},

	async prepareRun(items, tools) {
		return await prefetchAgentStatus(items, tools);
	},

	async execute(api, { instanceId }, statuses) {
		const { status } = statuses.get(api.regionId, instanceId);
		if (!status) throw new NotFoundError(`Managed instance ${instanceId}`, api.regionId);
		return agentStatusItem(status, api.regionId);
	},
};
