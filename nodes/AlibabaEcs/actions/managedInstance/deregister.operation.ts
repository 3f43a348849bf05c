import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { toManagedInstance } from '../../helpers/response';
import { booleanValue, validateManagedInstanceId } from '../../helpers/validation';
import { isNotFoundCode } from '../../transport/errors';
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
 * longer receive Cloud Assistant commands or files. Outputs the instance as it was.
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
		return await api.call(
			'DeregisterManagedInstance',
			{ InstanceId: instanceId },
			{
				subject: `Managed instance ${instanceId}`,
				parse: (body) => ({ ...toManagedInstance(body.Instance), RequestId: body.RequestId }),
				recover: (error) =>
					succeedIfAlreadyDeregistered && error.kind === 'api' && isNotFoundCode(error.details.code)
						? {
								InstanceId: instanceId,
								AlreadyDeregistered: true,
								RequestId: error.details.requestId,
							}
						: undefined,
			},
		);
	},
};
