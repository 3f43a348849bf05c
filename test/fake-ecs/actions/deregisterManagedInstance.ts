import { deregisterInstanceWire } from '../model';
import { ECS_VERSION, findInstance, requireRegion, type ActionSpec } from './context';

export const deregisterManagedInstance: ActionSpec = {
	action: 'DeregisterManagedInstance',
	version: ECS_VERSION,
	forbiddable: true,
	idempotent: true,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const instance = findInstance(ctx, regionId);
		ctx.state.deregisterInstance(instance.InstanceId, regionId);
		return { Instance: deregisterInstanceWire(instance) };
	},
};
