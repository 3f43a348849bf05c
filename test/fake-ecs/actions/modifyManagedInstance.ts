import { ApiError } from '../errors';
import { isWellFormedName, required } from '../params';
import { ECS_VERSION, findInstance, requireRegion, type ActionSpec } from './context';

export const modifyManagedInstance: ActionSpec = {
	action: 'ModifyManagedInstance',
	version: ECS_VERSION,
	forbiddable: true,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		// ModifyManagedInstance's Error codes (API reference): 400 InstanceName.ExceedLimit ("The
		// specified instance name exceed limit.") above 128 characters, 400
		// InstanceName.InvalidPattern for a name that is too short or not well formed (starts
		// with a letter; letters, digits, ".", "_", "-", ":"; so never "http://").
		const name = required(ctx.params, 'InstanceName');
		if (name.length > 128) {
			throw new ApiError(
				400,
				'InstanceName.ExceedLimit',
				'The specified instance name exceed limit.',
			);
		}
		if (name.length < 2 || !isWellFormedName(name)) {
			throw new ApiError(
				400,
				'InstanceName.InvalidPattern',
				'The specified instance name pattern invalid.',
			);
		}
		const instance = findInstance(ctx, regionId);
		instance.InstanceName = name;
		return { Instance: { InstanceId: instance.InstanceId, InstanceName: instance.InstanceName } };
	},
};
