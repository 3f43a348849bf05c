/**
 * StopInvocation: stops a run on some (InstanceId.N, "up to 50") or all of its instances
 * (StopInvocationRequest.d.ts). A run that already ended on an instance stays as it was; asking
 * again is accepted (unverified: the fake treats a repeat as a no-op). An instance that is not a
 * target of the run: 404 InvalidInstance.NotFound (unverified code).
 */
import { ApiError } from '../errors';
import { repeatList } from '../params';
import { ECS_VERSION, requireRegion, type ActionSpec } from './context';
import { assistantOf, instanceNotFound, requireInvocation } from './invocations';

export const stopInvocation: ActionSpec = {
	action: 'StopInvocation',
	version: ECS_VERSION,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const invocation = requireInvocation(ctx, regionId, 'command');
		const ids = repeatList(ctx.params, 'InstanceId', 10_000);
		if (ids.length > 50) {
			throw new ApiError(
				403,
				'InstanceIds.ExceedLimit',
				'The number of instance IDs exceeds the upper limit.',
			);
		}
		for (const id of ids) {
			if (!invocation.targets.some((t) => t.instanceId === id)) throw instanceNotFound();
		}
		assistantOf(ctx).stop(invocation, ids.length > 0 ? ids : undefined);
		return {};
	},
};
