import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { listAll, readLimit } from '../../helpers/paging';
import { toManagedInstance } from '../../helpers/response';
import {
	InputError,
	type TagPair,
	optionalResourceGroupId,
	optionalText,
	validateInstanceIdList,
	validateTags,
} from '../../helpers/validation';
import type { EcsParams } from '../../transport/client';
import { filtersProperty, returnAllProperties, tagsProperty } from '../common.descriptions';

const show = { resource: ['managedInstance'], operation: ['getAll'] };

const description: INodeProperties[] = [
	...returnAllProperties(show),
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
			default: 'any',
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
		{
			displayName: 'Instance Name',
			name: 'instanceName',
			type: 'string',
			default: '',
			description: 'Only instances with this name',
		},
		{
			displayName: 'Machine ID',
			name: 'machineId',
			type: 'string',
			default: '',
			description: 'Only the instance with this machine code (up to 36 characters)',
		},
		{
			displayName: 'OS Type',
			name: 'osType',
			type: 'options',
			default: 'any',
			options: [
				{ name: 'Any', value: 'any' },
				{ name: 'FreeBSD', value: 'FreeBSD' },
				{ name: 'Linux', value: 'linux' },
				{ name: 'Windows', value: 'windows' },
			],
			description: 'Only instances with this operating system type',
		},
		{
			displayName: 'Resource Group ID',
			name: 'resourceGroupId',
			type: 'string',
			default: '',
			description: 'Only instances in this resource group (rg-…)',
		},
	]),
	tagsProperty(show, 'Only instances that have all of these tags (up to 20)', true),
];

interface GetAllInput {
	params: EcsParams;
	limit?: number;
}

const OS_TYPES = new Set(['windows', 'linux', 'FreeBSD']);

function readFilters(filters: IDataObject, tags: TagPair[]): EcsParams {
	const params: EcsParams = {};
	const instanceIds = validateInstanceIdList(filters.instanceIds, 'Instance IDs', 50);
	if (instanceIds.length > 0) params.InstanceId = instanceIds;
	params.InstanceName = optionalText(filters.instanceName, 'Instance Name', {
		min: 1,
		max: 128,
		example: 'web-01',
	});
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
	params.ResourceGroupId = optionalResourceGroupId(filters.resourceGroupId);
	if (filters.osType !== undefined && filters.osType !== 'any') {
		if (!OS_TYPES.has(String(filters.osType))) {
			throw new InputError(
				'OS Type',
				`OS Type must be windows, linux or FreeBSD, but got ${String(filters.osType)}`,
			);
		}
		params.OsType = String(filters.osType);
	}
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

/**
 * Managed instances matching the filters, one output item per instance, paged
 * with NextToken/MaxResults (50 a page) until done or the limit is reached.
 */
export const getAll: EcsOperation<GetAllInput> = {
	description,

	readInput(context, itemIndex) {
		const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const tags = validateTags(context.getNodeParameter('tags', itemIndex, {}), 'Tags', 'omit');
		return { params: readFilters(filters, tags), limit: readLimit(context, itemIndex) };
	},

	async execute(api, { params, limit }) {
		return await listAll(
			api,
			'DescribeManagedInstances',
			params,
			limit,
			'Instances',
			toManagedInstance,
		);
	},
};
