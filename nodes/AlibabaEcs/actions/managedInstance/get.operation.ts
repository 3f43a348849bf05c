import type { INodeProperties } from 'n8n-workflow';

import {
	type AgentStatusLookup,
	addAgentStatus,
	prefetchAgentStatus,
} from '../../helpers/agentStatus';
import type { EcsOperation } from '../../helpers/interfaces';
import { asList, managedInstanceItem, toManagedInstance } from '../../helpers/response';
import { booleanValue, validateManagedInstanceId } from '../../helpers/validation';
import { NotFoundError } from '../../transport/errors';
import { instanceIdLocator } from '../common.descriptions';

const show = { resource: ['managedInstance'], operation: ['get'] };

const description: INodeProperties[] = [instanceIdLocator(show)];

interface GetInput {
	instanceId: string;
	includeAgentStatus: boolean;
}

/**
 * One managed instance by ID (DescribeManagedInstances with InstanceId.1); absent is an error.
 * Option Include Agent Status adds DescribeCloudAssistantStatus' fields, read for all items of
 * the run before the instances, 50 instances a call.
 */
export const get: EcsOperation<GetInput, AgentStatusLookup | undefined> = {
	description,

	readInput(context, itemIndex, options) {
		const value = context.getNodeParameter('instanceId', itemIndex, undefined, {
			extractValue: true,
		});
		return {
			instanceId: validateManagedInstanceId(value),
			includeAgentStatus: booleanValue(options.includeAgentStatus ?? false, 'Include Agent Status'),
		};
	},

	async prepareRun(items, tools) {
		if (!items[0].input.includeAgentStatus) return undefined;
		return await prefetchAgentStatus(items, tools);
	},

	async execute(api, { instanceId }, statuses) {
		const subject = `Managed instance ${instanceId}`;
		const { instance, requestId } = await api.call(
			'DescribeManagedInstances',
			{ InstanceId: [instanceId] },
			{
				subject,
				parse: (body) => {
					const found = asList(body.Instances, 'Instances')
						.map((raw, index) => toManagedInstance(raw, `Instances[${index}]`))
						.find((candidate) => candidate.InstanceId === instanceId);
					return { instance: found, requestId: body.RequestId as string | undefined };
				},
			},
		);
		if (!instance) throw new NotFoundError(subject, api.regionId, requestId);
		if (statuses) addAgentStatus(instance, statuses.get(api.regionId, instanceId).status);
		return managedInstanceItem(instance, api.regionId);
	},
};
