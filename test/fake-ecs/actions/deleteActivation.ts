import { ApiError } from '../errors';
import { deletedActivationWire } from '../model';
import { ECS_VERSION, findActivation, requireRegion, type ActionSpec } from './context';

/** Only a code that never registered an instance can go (the documented 403 ActivationId.InUse otherwise). */
export const deleteActivation: ActionSpec = {
	action: 'DeleteActivation',
	version: ECS_VERSION,
	forbiddable: true,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const activation = findActivation(ctx, regionId);
		if (activation.RegisteredCount > 0) {
			throw new ApiError(
				403,
				'ActivationId.InUse',
				`The specified activation id is in use: ${activation.RegisteredCount} managed instance(s) registered with it. Disable it with DisableActivation instead.`,
			);
		}
		ctx.state.removeActivation(activation.ActivationId, regionId);
		return { Activation: deletedActivationWire(activation) };
	},
};
