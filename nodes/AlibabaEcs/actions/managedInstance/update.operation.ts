import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { asObject, managedInstanceItem } from '../../helpers/response';
import { NAME_LIMITS, validateManagedInstanceId, validateName } from '../../helpers/validation';
import { instanceIdLocator } from '../common.descriptions';

const show = { resource: ['managedInstance'], operation: ['update'] };

const description: INodeProperties[] = [
	instanceIdLocator(show),
	{
		displayName: 'New Instance Name',
		name: 'instanceName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'web-server-01',
		description:
			'The new name of the managed instance: 2 to 128 characters, starting with a letter or a Chinese character; it may contain digits, periods (.), underscores (_), hyphens (-) and colons (:)',
		displayOptions: { show },
	},
];

interface RenameInput {
	instanceId: string;
	instanceName: string;
}

/** ModifyManagedInstance: renames a managed instance. Outputs InstanceId, InstanceName, RegionId and RequestId. */
export const update: EcsOperation<RenameInput> = {
	description,

	readInput(context, itemIndex) {
		const id = context.getNodeParameter('instanceId', itemIndex, undefined, { extractValue: true });
		return {
			instanceId: validateManagedInstanceId(id),
			instanceName: validateName(
				context.getNodeParameter('instanceName', itemIndex),
				'New Instance Name',
				NAME_LIMITS.managedInstance,
				true,
			),
		};
	},

	async execute(api, { instanceId, instanceName }) {
		return await api.call(
			'ModifyManagedInstance',
			{ InstanceId: instanceId, InstanceName: instanceName },
			{
				subject: `Managed instance ${instanceId}`,
				parse: (body) =>
					managedInstanceItem(
						{ ...asObject(body.Instance, 'Instance'), RequestId: body.RequestId },
						api.regionId,
					),
			},
		);
	},
};
