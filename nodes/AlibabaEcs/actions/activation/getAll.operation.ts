import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { listAll, readLimit } from '../../helpers/paging';
import { toActivation } from '../../helpers/response';
import {
	optionalResourceGroupId,
	optionalText,
	validateActivationId,
	validateTags,
} from '../../helpers/validation';
import type { EcsParams } from '../../transport/client';
import { filtersProperty, returnAllProperties, tagsProperty } from '../common.descriptions';

const show = { resource: ['activation'], operation: ['getAll'] };

const description: INodeProperties[] = [
	...returnAllProperties(show),
	filtersProperty(show, [
		{
			displayName: 'Activation ID',
			name: 'activationId',
			type: 'string',
			default: '',
			description: 'Only this activation code',
		},
		{
			displayName: 'Instance Name',
			name: 'instanceName',
			type: 'string',
			default: '',
			description: 'Only activation codes with this instance name prefix',
		},
		{
			displayName: 'Resource Group ID',
			name: 'resourceGroupId',
			type: 'string',
			default: '',
			description: 'Only activation codes in this resource group (rg-…)',
		},
	]),
	tagsProperty(show, 'Only activation codes that have all of these tags (up to 20)', true),
];

interface GetAllInput {
	params: EcsParams;
	limit?: number;
}

/**
 * Activation codes (without the codes themselves, which the API never lists
 * again), one output item per code, paged with NextToken/MaxResults.
 */
export const getAll: EcsOperation<GetAllInput> = {
	description,

	readInput(context, itemIndex) {
		const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const tags = validateTags(context.getNodeParameter('tags', itemIndex, {}), 'Tags', 'omit');
		const activationId = filters.activationId
			? validateActivationId(filters.activationId)
			: undefined;
		return {
			limit: readLimit(context, itemIndex),
			params: {
				ActivationId: activationId,
				InstanceName: optionalText(filters.instanceName, 'Instance Name', {
					min: 1,
					max: 50,
					example: 'web-server',
				}),
				ResourceGroupId: optionalResourceGroupId(filters.resourceGroupId),
				Tag: tags.length > 0 ? tags.map((tag) => ({ ...tag })) : undefined,
			},
		};
	},

	async execute(api, { params, limit }) {
		return await listAll(api, 'DescribeActivations', params, limit, 'ActivationList', toActivation);
	},
};
