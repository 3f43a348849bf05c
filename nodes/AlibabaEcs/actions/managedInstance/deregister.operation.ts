import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { alreadyDeregistered } from '../../helpers/regionSearch';
import { toManagedInstance } from '../../helpers/response';
import { booleanValue, validateManagedInstanceId } from '../../helpers/validation';
import { instanceIdLocator } from '../common.descriptions';

const description: INodeProperties[] = [
	instanceIdLocator({ resource: ['managedInstance'], operation: ['deregister'] }),
];

interface DeregisterInput {
	instanceId: string;
	succeedIfAlreadyDeregistered: boolean;
}

/**
 * DeregisterManagedInstance: the server stops being a managed instance and can no
 * longer receive Cloud Assistant commands or files. Outputs the instance as it was, with the
 * RegionId used; an instance already gone is `AlreadyDeregistered` only with the option on.
 */
export const deregister: EcsOperation<DeregisterInput> = {
	description,

	readInput(context, itemIndex, options) {
		const value = context.getNodeParameter('instanceId', itemIndex, undefined, {
			extractValue: true,
		});
		return {
			instanceId: validateManagedInstanceId(value),
			succeedIfAlreadyDeregistered: booleanValue(
				options.succeedIfAlreadyDeregistered ?? false,
				'Succeed If Already Deregistered',
			),
		};
	},

	async execute(api, { instanceId, succeedIfAlreadyDeregistered }) {
		try {
			return await api.call(
				'DeregisterManagedInstance',
				{ InstanceId: instanceId },
				{
					subject: `Managed instance ${instanceId}`,
					parse: (body) => ({
						...toManagedInstance(body.Instance),
						RegionId: api.regionId,
						RequestId: body.RequestId,
					}),
				},
			);
		} catch (error) {
			// Success only for the instance's own not-found, once no other region has it;
			// every other failure is thrown on.
			return await alreadyDeregistered(api, instanceId, error, succeedIfAlreadyDeregistered);
		}
	},
};
