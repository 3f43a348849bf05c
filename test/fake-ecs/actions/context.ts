/** What every action handler gets, and the lookups several of them share. */
import type { CloudAssistant } from '../cloud-assistant';
import { ApiError } from '../errors';
import type { Activation, FakeEcsState, ManagedInstance } from '../model';
import { required, type Params } from '../params';
import type { RoleConfig, StsSessions } from '../sts';

export interface ActionContext {
	params: Params;
	state: FakeEcsState;
	/** Regions that exist for this account (DescribeRegions). */
	regions: readonly string[];
	/** Regions where the managed-instance APIs answer. */
	managedInstanceRegions: readonly string[];
	/** CreateActivation's TimeToLiveInHours limit. */
	maxActivationHours: number;
	/** The action documents 403 Operation.Forbidden (ActionSpec.forbiddable). */
	forbiddable: boolean;
	roles: Readonly<Record<string, RoleConfig>>;
	sts: StsSessions;
	/** Command runs and file sends (Cloud Assistant actions). */
	assistant?: CloudAssistant;
	now(): number;
	random(): number;
}

export interface ActionSpec {
	action: string;
	version: string;
	/** Accepts ClientToken: a repeat with the same token and params replays the first result. */
	idempotent?: boolean;
	/**
	 * The action's reference documents 403 Operation.Forbidden ("The operation is not
	 * permitted."), answered in a region FakeEcsState.forbidOperations() names (requireRegion).
	 */
	forbiddable?: boolean;
	/** The response body without RequestId; throw ApiError for an error answer. */
	handle(ctx: ActionContext): Record<string, unknown>;
}

export const ECS_VERSION = '2014-05-26';
export const STS_VERSION = '2015-04-01';

/**
 * The RegionId of a managed-instance action, checked as the API reference's error tables say:
 * a region that does not exist is 404 InvalidRegionId.NotFound ("The RegionId provided does not
 * exist in our records."), one that exists without managed instances 400 RegionId.ApiNotSupported
 * ("The api is not supported in this region."). Every one of the family documents both.
 */
export function requireRegion(ctx: ActionContext): string {
	const regionId = required(ctx.params, 'RegionId');
	if (!ctx.regions.includes(regionId)) {
		throw new ApiError(
			404,
			'InvalidRegionId.NotFound',
			'The RegionId provided does not exist in our records.',
		);
	}
	if (!ctx.managedInstanceRegions.includes(regionId)) {
		throw new ApiError(400, 'RegionId.ApiNotSupported', 'The api is not supported in this region.');
	}
	// 403 Operation.Forbidden ("The operation is not permitted.", the Error codes of the actions
	// marked forbiddable). What makes the real API answer it is not documented (unverified): the
	// fake answers it in a region that FakeEcsState.forbidOperations() names, as for an account
	// that may not use managed instances there.
	if (ctx.forbiddable && ctx.state.isForbidden(regionId)) {
		throw new ApiError(403, 'Operation.Forbidden', 'The operation is not permitted.');
	}
	return regionId;
}

export function findInstance(ctx: ActionContext, regionId: string): ManagedInstance {
	const instanceId = required(ctx.params, 'InstanceId');
	const instance = ctx.state.getInstance(instanceId, regionId);
	// 404 InvalidInstance.NotFound: API reference, Error codes of DeregisterManagedInstance and
	// ModifyManagedInstance ("The specified instance id does not exist.").
	if (!instance)
		throw new ApiError(
			404,
			'InvalidInstance.NotFound',
			'The specified instance id does not exist.',
		);
	return instance;
}

export function findActivation(ctx: ActionContext, regionId: string): Activation {
	const activationId = required(ctx.params, 'ActivationId');
	const activation = ctx.state.getActivation(activationId, regionId);
	// 404 ActivationId.NotFound: API reference, Error codes of DisableActivation and DeleteActivation.
	if (!activation)
		throw new ApiError(404, 'ActivationId.NotFound', 'The specified activation id does not exist.');
	return activation;
}
