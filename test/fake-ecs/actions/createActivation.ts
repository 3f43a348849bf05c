import { isIP } from 'node:net';
import { ApiError, invalidParam } from '../errors';
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

// Sources disagree on the maximum lifetime (4 h, 24 h, more): accept up to 100 years.
const MAX_TTL_HOURS = 876_000;

function readInput(ctx: ActionContext) {
	const p = ctx.params;
	const instanceName = optional(p, 'InstanceName');
	if (
		instanceName !== undefined &&
		(instanceName.length < 2 || instanceName.length > 50 || !isWellFormedName(instanceName))
	) {
		throw new ApiError(
			400,
			'InvalidInstanceName.Malformed',
			'The specified InstanceName is not valid: 2 to 50 characters, starting with a letter; letters, digits, periods (.), underscores (_), hyphens (-) and colons (:) only.',
		);
	}
	const description = optional(p, 'Description');
	if (
		description !== undefined &&
		(description.length > 100 || /^https?:\/\//i.test(description))
	) {
		throw new ApiError(
			400,
			'InvalidDescription.Malformed',
			'The specified Description is not valid: 1 to 100 characters, not starting with http:// or https://.',
		);
	}
	const ipAddressRange = optional(p, 'IpAddressRange');
	if (ipAddressRange !== undefined && !isIpRange(ipAddressRange)) {
		throw invalidParam(
			'IpAddressRange',
			'It must be an IPv4 address, an IPv6 address or a CIDR block.',
		);
	}
	return {
		InstanceName: instanceName,
		Description: description,
		InstanceCount: optionalInt(p, 'InstanceCount', 1, 1000) ?? 10,
		TimeToLiveInHours: optionalInt(p, 'TimeToLiveInHours', 1, MAX_TTL_HOURS) ?? 4,
		IpAddressRange: ipAddressRange ?? '0.0.0.0/0',
		ResourceGroupId: optional(p, 'ResourceGroupId'),
		Tags: tagParams(p).map((t) => ({ TagKey: t.key, TagValue: t.value ?? '' })),
	};
}

export const createActivation: ActionSpec = {
	action: 'CreateActivation',
	version: ECS_VERSION,
	idempotent: true,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const activation = ctx.state.addActivation({ ...readInput(ctx), RegionId: regionId });
		return { ActivationCode: activation.ActivationCode, ActivationId: activation.ActivationId };
	},
};
