/** What every action handler gets, and the lookups several of them share. */
import { ApiError } from '../errors';
import type { Activation, FakeEcsState, ManagedInstance } from '../model';
import { required, type Params } from '../params';
import type { RoleConfig, StsSessions } from '../sts';

export interface ActionContext {
	params: Params;
	state: FakeEcsState;
	/** Regions that exist for this account. */
	regions: readonly string[];
	roles: Readonly<Record<string, RoleConfig>>;
	sts: StsSessions;
	now(): number;
	random(): number;
}

export interface ActionSpec {
	action: string;
	version: string;
	/** Accepts ClientToken: a repeat with the same token and params replays the first result. */
	idempotent?: boolean;
	/** The response body without RequestId; throw ApiError for an error answer. */
	handle(ctx: ActionContext): Record<string, unknown>;
}

export const ECS_VERSION = '2014-05-26';
export const STS_VERSION = '2015-04-01';

export function requireRegion(ctx: ActionContext): string {
	const regionId = required(ctx.params, 'RegionId');
	if (!ctx.regions.includes(regionId)) {
		throw new ApiError(
			400,
			'RegionId.ApiNotSupported',
			`The api is not supported in this region: ${regionId}.`,
		);
	}
	return regionId;
}

export function findInstance(ctx: ActionContext, regionId: string): ManagedInstance {
	const instanceId = required(ctx.params, 'InstanceId');
	const instance = ctx.state.getInstance(instanceId, regionId);
	if (!instance)
		throw new ApiError(
			404,
			'InvalidInstance.NotFound',
			`The specified instance does not exist: ${instanceId}.`,
		);
	return instance;
}

export function findActivation(ctx: ActionContext, regionId: string): Activation {
	const activationId = required(ctx.params, 'ActivationId');
	const activation = ctx.state.getActivation(activationId, regionId);
	if (!activation)
		throw new ApiError(
			404,
			'InvalidActivationId.NotFound',
			`The specified activation code does not exist: ${activationId}.`,
		);
	return activation;
}
