/** STS AssumeRole (2015-04-01), as `@alicloud/credentials`' ram_role_arn provider calls it. */
import { ApiError } from '../errors';
import { isoSeconds } from '../generate';
import { optional, optionalInt, required } from '../params';
import { STS_VERSION, type ActionSpec } from './context';

const ROLE_ARN = /^acs:ram::(\d+):role\/([\w.@+=,-]{1,64})$/i;

export const assumeRole: ActionSpec = {
	action: 'AssumeRole',
	version: STS_VERSION,
	handle(ctx) {
		const p = ctx.params;
		const roleArn = required(p, 'RoleArn');
		const arn = ROLE_ARN.exec(roleArn);
		if (!arn)
			throw new ApiError(
				400,
				'InvalidParameter.RoleArn',
				'The parameter RoleArn is wrongly formed.',
			);
		const sessionName = required(p, 'RoleSessionName');
		if (!/^[\w.@-]{2,64}$/.test(sessionName)) {
			throw new ApiError(
				400,
				'InvalidParameter.RoleSessionName',
				'The parameter RoleSessionName is wrongly formed.',
			);
		}
		const policy = optional(p, 'Policy');
		if (policy !== undefined && !isJsonObject(policy)) {
			throw new ApiError(
				400,
				'InvalidParameter.PolicyGrammar',
				'The parameter Policy has not passed grammar check.',
			);
		}
		const role = ctx.roles[roleArn];
		if (!role) throw new ApiError(404, 'EntityNotExist.Role', `The role not exists: ${roleArn}.`);
		const maxDuration = role.maxSessionDuration ?? 3600;
		let duration: number;
		try {
			duration = optionalInt(p, 'DurationSeconds', 900, maxDuration) ?? 3600;
		} catch {
			throw new ApiError(
				400,
				'InvalidParameter.DurationSeconds',
				`The Min/Max value of DurationSeconds is 15min/${maxDuration / 60}min.`,
			);
		}
		if (role.externalId !== undefined && optional(p, 'ExternalId') !== role.externalId) {
			throw new ApiError(
				403,
				'NoPermission',
				'You are not authorized to do this action. You should be authorized by RAM.',
			);
		}
		const session = ctx.sts.issue(roleArn, sessionName, ctx.now() + duration * 1000);
		return {
			AssumedRoleUser: {
				Arn: `acs:ram::${arn[1]}:role/${arn[2]}/${sessionName}`,
				AssumedRoleId: `3${String(Math.floor(ctx.random() * 1e17)).padStart(17, '0')}:${sessionName}`,
			},
			Credentials: {
				AccessKeyId: session.accessKeyId,
				AccessKeySecret: session.accessKeySecret,
				SecurityToken: session.securityToken,
				Expiration: isoSeconds(session.expiresAt),
			},
		};
	},
};

function isJsonObject(text: string): boolean {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null && !Array.isArray(value);
	} catch {
		return false;
	}
}
