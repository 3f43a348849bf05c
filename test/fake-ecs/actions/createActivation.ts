import { isIP } from 'node:net';
import { ApiError } from '../errors';
import { isWellFormedName, optional, optionalInt, tagParams } from '../params';
import { ECS_VERSION, requireRegion, type ActionContext, type ActionSpec } from './context';

/** An IPv4/IPv6 address or CIDR block. */
export function isIpRange(value: string): boolean {
	const [address, prefix, ...rest] = value.split('/');
	const family = isIP(address);
	if (!family || rest.length) return false;
	if (prefix === undefined) return true;
	return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * CreateActivation's checks and codes as its API reference's "Error codes" give them (400
 * InstanceName.ExceedLimit / InstanceName.InvalidPattern, ActivationDesc.ExceedLimit,
 * ActivationLimitation.Invalid for InstanceCount, AddressRange.InvalidPattern,
 * ActivationTTL.ExceedLimit; the limits: its request parameters). A TimeToLiveInHours below 1 has
 * no documented code (unverified: InvalidParam.TimeToLiveInHours).
 */
function readInput(ctx: ActionContext) {
	const p = ctx.params;
	const instanceName = optional(p, 'InstanceName');
	if (instanceName !== undefined && instanceName.length > 50) {
		throw new ApiError(
			400,
			'InstanceName.ExceedLimit',
			'Default instance name prefix length exceeds.',
		);
	}
	if (instanceName !== undefined && (instanceName.length < 2 || !isWellFormedName(instanceName))) {
		throw new ApiError(
			400,
			'InstanceName.InvalidPattern',
			'Default instance name prefix pattern invalid.',
		);
	}
	const description = optional(p, 'Description');
	if (description !== undefined && description.length > 100) {
		throw new ApiError(400, 'ActivationDesc.ExceedLimit', 'Activation description length exceeds.');
	}
	const ipAddressRange = optional(p, 'IpAddressRange');
	if (ipAddressRange !== undefined && !isIpRange(ipAddressRange)) {
		throw new ApiError(
			400,
			'AddressRange.InvalidPattern',
			'Address range should be ipv4 address or cidr.',
		);
	}
	const instanceCount = optional(p, 'InstanceCount');
	if (
		instanceCount !== undefined &&
		(!/^\d+$/.test(instanceCount) || Number(instanceCount) < 1 || Number(instanceCount) > 1000)
	) {
		throw new ApiError(
			400,
			'ActivationLimitation.Invalid',
			'The specified parameter InstanceCount exceeds the limit of 1000.',
		);
	}
	const hours = optionalInt(p, 'TimeToLiveInHours', 1, Number.MAX_SAFE_INTEGER);
	if (hours !== undefined && hours > ctx.maxActivationHours) {
		throw new ApiError(
			400,
			'ActivationTTL.ExceedLimit',
			`The specified parameter TimeToLiveInHours exceeds the limit of ${ctx.maxActivationHours}.`,
		);
	}
	return {
		InstanceName: instanceName,
		Description: description,
		InstanceCount: instanceCount === undefined ? 10 : Number(instanceCount),
		TimeToLiveInHours: hours ?? 4,
		IpAddressRange: ipAddressRange ?? '0.0.0.0/0',
		ResourceGroupId: optional(p, 'ResourceGroupId'),
		Tags: tagParams(p).map((t) => ({ TagKey: t.key, TagValue: t.value ?? '' })),
	};
}

export const createActivation: ActionSpec = {
	action: 'CreateActivation',
	version: ECS_VERSION,
	forbiddable: true,
	idempotent: true,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const activation = ctx.state.addActivation({ ...readInput(ctx), RegionId: regionId });
		return { ActivationCode: activation.ActivationCode, ActivationId: activation.ActivationId };
	},
};
