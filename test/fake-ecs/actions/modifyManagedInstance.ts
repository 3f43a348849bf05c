import { ApiError } from '../errors';
import { isWellFormedName, required } from '../params';
import { ECS_VERSION, findInstance, requireRegion, type ActionSpec } from './context';

export const modifyManagedInstance: ActionSpec = {
	action: 'ModifyManagedInstance',
	version: ECS_VERSION,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const name = required(ctx.params, 'InstanceName');
		if (name.length < 2 || name.length > 128) {
			throw new ApiError(
				400,
				'InstanceName.ExceedLimit',
				'The InstanceName must be 2 to 128 characters long.',
			);
		}
		if (!isWellFormedName(name)) {
			throw new ApiError(
				400,
				'InvalidInstanceName.Malformed',
				'The specified InstanceName is not valid: it must start with a letter and contain only letters, digits, periods (.), underscores (_), hyphens (-) and colons (:).',
			);
		}
		const instance = findInstance(ctx, regionId);
		instance.InstanceName = name;
		return { Instance: { InstanceId: instance.InstanceId, InstanceName: instance.InstanceName } };
	},
};
