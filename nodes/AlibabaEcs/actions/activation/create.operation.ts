import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { ResponseShapeError } from '../../helpers/response';
import {
	NAME_LIMITS,
	integerInRange,
	optionalIpAddressRange,
	optionalResourceGroupId,
	optionalText,
	validateName,
	validateTags,
} from '../../helpers/validation';
import type { EcsParams } from '../../transport/client';
import { tagsProperty } from '../common.descriptions';

const show = { resource: ['activation'], operation: ['create'] };

const description: INodeProperties[] = [
	{
		displayName: 'Instance Count',
		name: 'instanceCount',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 10,
		description: 'How many servers can be registered with this activation code (1 to 1000)',
		displayOptions: { show },
	},
	{
		displayName: 'Time to Live (Hours)',
		name: 'timeToLiveInHours',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 4,
		description:
			"How long the activation code can be used to register servers, in hours. Alibaba Cloud caps it (the API reference has named 4 and 24 hours); a value over the cap is refused with the API's error.",
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'A description of the activation code, 1 to 100 characters',
			},
			{
				displayName: 'Instance Name',
				name: 'instanceName',
				type: 'string',
				default: '',
				description:
					'The name prefix given to the servers registered with this code: 2 to 50 characters, starting with a letter',
			},
			{
				displayName: 'IP Address Range',
				name: 'ipAddressRange',
				type: 'string',
				default: '',
				placeholder: '192.168.0.0/16',
				description:
					'Only servers with an IP address in this range (one IPv4 or IPv6 address or CIDR block) can use the code. Empty: any address.',
			},
			{
				displayName: 'Resource Group ID',
				name: 'resourceGroupId',
				type: 'string',
				default: '',
				description: 'The resource group of the activation code (rg-…)',
			},
		],
	},
	tagsProperty(show, 'Tags to attach to the activation code (up to 20)'),
];

/**
 * CreateActivation: a code that registers up to Instance Count servers as managed
 * instances. Alibaba Cloud shows the ActivationCode only once, so it is in the
 * output item (it is a secret: the node never logs it).
 */
export const create: EcsOperation<EcsParams> = {
	description,

	readInput(context, itemIndex) {
		const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as Record<
			string,
			unknown
		>;
		const tags = validateTags(context.getNodeParameter('tags', itemIndex, {}));
		return {
			// CreateActivation InstanceCount: "Valid values: 1 to 1000" (API reference, SDK model).
			InstanceCount: integerInRange(
				context.getNodeParameter('instanceCount', itemIndex, 10),
				'Instance Count',
				{
					min: 1,
					max: 1000,
				},
			),
			// Sources disagree on the maximum (the SDK model: 1 to 4; the current reference: no
			// maximum, and 400 ActivationTTL.ExceedLimit above the account's limit): only whole
			// hours from 1 are checked here, and Alibaba Cloud decides the rest (100 years is a
			// sanity bound, not a documented one).
			TimeToLiveInHours: integerInRange(
				context.getNodeParameter('timeToLiveInHours', itemIndex, 4),
				'Time to Live (Hours)',
				{ min: 1, max: 876_000 },
			),
			// CreateActivation InstanceName: 2 to 50 characters, the name rules (validateName).
			InstanceName: validateName(
				fields.instanceName,
				'Instance Name',
				NAME_LIMITS.activationPrefix,
				false,
			),
			// CreateActivation Description: "1 to 100 characters" (API reference, SDK model).
			Description: optionalText(fields.description, 'Description', {
				min: 1,
				max: 100,
				example: 'Web servers in DC 2',
			}),
			IpAddressRange: optionalIpAddressRange(fields.ipAddressRange),
			ResourceGroupId: optionalResourceGroupId(fields.resourceGroupId),
			Tag: tags.length > 0 ? tags.map((tag) => ({ ...tag })) : undefined,
		};
	},

	async execute(api, params) {
		return await api.call('CreateActivation', params, {
			subject: 'The activation code',
			parse: (body) => {
				if (typeof body.ActivationCode !== 'string' || body.ActivationCode === '') {
					throw new ResponseShapeError('ActivationCode', 'is missing');
				}
				if (typeof body.ActivationId !== 'string' || body.ActivationId === '') {
					throw new ResponseShapeError('ActivationId', 'is missing');
				}
				return {
					ActivationId: body.ActivationId,
					ActivationCode: body.ActivationCode,
					RegionId: api.regionId,
					RequestId: body.RequestId,
				};
			},
		});
	},
};
