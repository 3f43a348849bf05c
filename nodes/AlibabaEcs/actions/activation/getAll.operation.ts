import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EcsOperation, RegionApi } from '../../helpers/interfaces';
import { listInRegions } from '../../helpers/listing';
import { describePage, listAll, readLimit } from '../../helpers/paging';
import {
	type ToolPage,
	answerOnePage,
	nextTokenToolProperty,
	readToolPage,
} from '../../helpers/toolMode';
import { activationItem, toActivation } from '../../helpers/response';
import {
	optionalResourceGroupId,
	optionalText,
	validateActivationId,
	booleanValue,
} from '../../helpers/validation';
import type { EcsParams } from '../../transport/client';
import { MANAGED_INSTANCE_REGION_IDS } from '../../transport/regions';
import {
	filtersProperty,
	readFilterTags,
	returnAllProperties,
	tagsFilterOption,
	tagsProperty,
} from '../common.descriptions';

const show = { resource: ['activation'], operation: ['getAll'] };

const description: INodeProperties[] = [
	...returnAllProperties(show),
	nextTokenToolProperty(show, 'activation codes'),
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
		tagsFilterOption('Only activation codes that have all of these tags (up to 20)'),
	]),
	// Before Tags moved into Filters (node version 1.1); version 1 workflows keep it where it was.
	tagsProperty(
		{ ...show, '@version': [1] },
		'Only activation codes that have all of these tags (up to 20)',
	),
];

interface GetAllInput {
	params: EcsParams;
	limit?: number;
	allRegions: boolean;
	/** as an AI tool: the one page this call answers */
	page?: ToolPage;
}

const activationOf = (api: RegionApi) => (raw: unknown, field: string) =>
	activationItem(toActivation(raw, field), api.regionId);

async function listActivations(api: RegionApi, { params, limit }: GetAllInput) {
	return await listAll(
		api,
		'DescribeActivations',
		params,
		limit,
		'ActivationList',
		activationOf(api),
	);
}

/**
 * Activation codes (without the codes themselves, which the API never lists
 * again), one output item per code, paged with NextToken/MaxResults; in the item's
 * region, or (option All Regions) in every region where managed instances exist.
 * As an AI tool, one page per call instead (helpers/toolMode.ts).
 */
export const getAll: EcsOperation<GetAllInput> = {
	description,

	ignoresRegion: (options) => options.allRegions === true,

	readInput(context, itemIndex, options) {
		const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const tags = readFilterTags(context, itemIndex, filters);
		const activationId = filters.activationId
			? validateActivationId(filters.activationId)
			: undefined;
		const limit = readLimit(context, itemIndex);
		return {
			allRegions: booleanValue(options.allRegions ?? false, 'All Regions'),
			limit,
			page: readToolPage(context, itemIndex, limit),
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

	async execute(api, input) {
		if (input.page) {
			return await answerOnePage(
				api,
				input.page,
				'ActivationList',
				async (regionApi, nextToken, maxResults) =>
					await describePage(
						regionApi,
						'DescribeActivations',
						input.params,
						nextToken,
						maxResults,
						'ActivationList',
						activationOf(regionApi),
					),
				input.allRegions ? MANAGED_INSTANCE_REGION_IDS : undefined,
			);
		}
		if (!input.allRegions) return await listActivations(api, input);
		return await listInRegions(
			api,
			MANAGED_INSTANCE_REGION_IDS,
			input.limit,
			async (regionApi) => await listActivations(regionApi, input),
		);
	},
};
