import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import {
	type InstanceListing,
	listInRegions,
	listManagedInstances,
	pageOfManagedInstances,
} from '../../helpers/listing';
import { readHours } from '../../helpers/offline';
import { readLimit } from '../../helpers/paging';
import {
	type ToolPage,
	answerOnePage,
	nextTokenToolProperty,
	readToolPage,
} from '../../helpers/toolMode';
import {
	InputError,
	type TagPair,
	optionalText,
	readInstanceFilters,
	validateInstanceIdList,
	booleanValue,
} from '../../helpers/validation';
import type { EcsParams } from '../../transport/client';
import { MANAGED_INSTANCE_REGION_IDS } from '../../transport/regions';
import {
	filtersProperty,
	readFilterTags,
	returnAllProperties,
	sharedInstanceFilterOptions,
	tagsFilterOption,
	tagsProperty,
} from '../common.descriptions';

const show = { resource: ['managedInstance'], operation: ['getAll'] };

const description: INodeProperties[] = [
	...returnAllProperties(show),
	nextTokenToolProperty(show, 'managed instances'),
	filtersProperty(show, [
		{
			displayName: 'Activation ID',
			name: 'activationId',
			type: 'string',
			default: '',
			description: 'Only instances registered with this activation code',
		},
		{
			displayName: 'Connected',
			name: 'connected',
			type: 'options',
			// Added as a filter, it filters: "Any" stays for workflows that stored it.
			default: 'false',
			options: [
				{ name: 'Any', value: 'any' },
				{ name: 'Connected', value: 'true', description: 'The Cloud Assistant agent is online' },
				{
					name: 'Disconnected',
					value: 'false',
					description: 'The Cloud Assistant agent is offline',
				},
			],
			description: 'Whether the Cloud Assistant agent on the instance is connected',
		},
		{
			displayName: 'Instance IDs',
			name: 'instanceIds',
			type: 'string',
			default: '',
			placeholder: 'mi-hz01axdfas0001, mi-hz01axdfas0002',
			description: 'Comma-separated managed instance IDs, up to 50',
		},
		{
			displayName: 'Instance IP',
			name: 'instanceIp',
			type: 'string',
			default: '',
			description: 'Only instances with this internet or intranet IP address',
		},
		sharedInstanceFilterOptions.instanceName,
		{
			displayName: 'Machine ID',
			name: 'machineId',
			type: 'string',
			default: '',
			description: 'Only the instance with this machine code (up to 36 characters)',
		},
		{
			displayName: 'Offline For At Least (Hours)',
			name: 'offlineForAtLeast',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 87_600 },
			default: 720,
			placeholder: '720',
			description:
				"Only instances whose Cloud Assistant agent is disconnected and whose last heartbeat (or registration, if it never sent one) is at least this many hours old, by the ECS endpoint's clock. For days use an expression, e.g. {{ 30 * 24 }}. Checked by the node with DescribeCloudAssistantStatus (RAM action ecs:DescribeCloudAssistantStatus); Limit counts the instances that pass; the agent status fields are added to each.",
		},
		sharedInstanceFilterOptions.osType,
		sharedInstanceFilterOptions.resourceGroupId,
		tagsFilterOption('Only instances that have all of these tags (up to 20)'),
	]),
	// Before Tags moved into Filters (node version 1.1); version 1 workflows keep it where it was.
	tagsProperty(
		{ ...show, '@version': [1] },
		'Only instances that have all of these tags (up to 20)',
	),
];

interface GetAllInput {
	listing: InstanceListing;
	allRegions: boolean;
	/** as an AI tool: the one page this call answers */
	page?: ToolPage;
}

function readFilters(filters: IDataObject, tags: TagPair[]): EcsParams {
	const params: EcsParams = {};
	const instanceIds = validateInstanceIdList(filters.instanceIds, 'Instance IDs', 50);
	if (instanceIds.length > 0) params.InstanceId = instanceIds;
	params.InstanceIp = optionalText(filters.instanceIp, 'Instance IP', {
		min: 1,
		max: 64,
		example: '192.168.1.10',
	});
	params.ActivationId = optionalText(filters.activationId, 'Activation ID', {
		min: 1,
		max: 64,
		example: '4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD',
	});
	params.MachineId = optionalText(filters.machineId, 'Machine ID', {
		min: 1,
		max: 36,
		example: 'e03231b37ab14e53b5795ad625fc0000',
	});
	Object.assign(params, readInstanceFilters(filters));
	if (
		filters.connected === 'true' ||
		filters.connected === 'false' ||
		typeof filters.connected === 'boolean'
	) {
		params.Connected = String(filters.connected);
	}
	if (tags.length > 0) params.Tag = tags.map((tag) => ({ ...tag }));
	return params;
}

/** Offline For At Least: hours, and only disconnected instances are asked for. */
function readOffline(filters: IDataObject, params: EcsParams): number | undefined {
	if (filters.offlineForAtLeast === undefined || filters.offlineForAtLeast === '') return undefined;
	const hours = readHours(filters.offlineForAtLeast, 'Offline For At Least (Hours)');
	if (params.Connected === 'true') {
		throw new InputError(
			'Connected',
			'Connected is "Connected", but Offline For At Least only keeps disconnected instances',
			'Remove the Connected filter or set it to Disconnected.',
		);
	}
	params.Connected = 'false';
	return hours;
}

/**
 * Managed instances matching the filters, one output item per instance, paged
 * with NextToken/MaxResults (50 a page) until done or the limit is reached; in the
 * item's region, or (option All Regions) in every region where managed instances exist.
 * As an AI tool, one page per call instead (helpers/toolMode.ts).
 */
export const getAll: EcsOperation<GetAllInput> = {
	description,

	ignoresRegion: (options) => options.allRegions === true,

	readInput(context, itemIndex, options) {
		const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const tags = readFilterTags(context, itemIndex, filters);
		const params = readFilters(filters, tags);
		const offlineForHours = readOffline(filters, params);
		const limit = readLimit(context, itemIndex);
		return {
			page: readToolPage(context, itemIndex, limit),
			listing: {
				params,
				limit,
				agentStatus: booleanValue(options.includeAgentStatus ?? false, 'Include Agent Status'),
				offlineForHours,
			},
			allRegions: booleanValue(options.allRegions ?? false, 'All Regions'),
		};
	},

	async execute(api, { listing, allRegions, page }) {
		if (page) {
			return await answerOnePage(
				api,
				page,
				'Instances',
				async (regionApi, nextToken, maxResults) =>
					await pageOfManagedInstances(regionApi, listing, nextToken, maxResults),
				allRegions ? MANAGED_INSTANCE_REGION_IDS : undefined,
			);
		}
		if (!allRegions) return await listManagedInstances(api, listing);
		return await listInRegions(
			api,
			MANAGED_INSTANCE_REGION_IDS,
			listing.limit,
			async (regionApi) => await listManagedInstances(regionApi, listing),
		);
	},
};
