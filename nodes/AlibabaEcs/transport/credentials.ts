import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { InputError, validateRegionId } from '../helpers/validation';
import { type EndpointOverride, parseEndpoint } from './endpoint';

export const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';

/** AssumeRole settings: the stored AccessKey assumes this RAM role through STS. */
export interface RoleSettings {
	roleArn: string;
	roleSessionName: string;
	externalId?: string;
	durationSeconds: number;
	stsEndpoint?: string;
}

/** What the transport needs from a stored "Alibaba Cloud AccessKey API" credential. */
export interface AccessKeyCredentials {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
	endpoint?: EndpointOverride;
	defaultRegionId?: string;
	role?: RoleSettings;
}

export const ROLE_SESSION_DEFAULT_NAME = 'n8n';
export const ROLE_SESSION_MIN_SECONDS = 900;
export const ROLE_SESSION_MAX_SECONDS = 43_200;

function text(data: ICredentialDataDecryptedObject, key: string): string {
	const value = data[key];
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' ? value.trim() : '';
}

const ROLE_ARN = /^acs:ram::\d{1,32}:role\/[\w.@+=,/-]{1,128}$/i;
const SESSION_NAME = /^[\w.@-]{2,64}$/;

function readRole(data: ICredentialDataDecryptedObject): RoleSettings | undefined {
	const roleArn = text(data, 'roleArn');
	if (roleArn === '') return undefined;
	if (!ROLE_ARN.test(roleArn)) {
		throw new InputError(
			'RAM Role ARN',
			`RAM Role ARN "${roleArn.slice(0, 80)}" in the credential is not a role ARN`,
			'Copy the ARN from the RAM console, e.g. acs:ram::1234567890123456:role/n8n-ecs-cleanup.',
		);
	}
	const roleSessionName = text(data, 'roleSessionName') || ROLE_SESSION_DEFAULT_NAME;
	if (!SESSION_NAME.test(roleSessionName)) {
		throw new InputError(
			'Role Session Name',
			'Role Session Name in the credential must be 2 to 64 letters, digits, or the characters . @ - _',
		);
	}
	const durationText = text(data, 'roleSessionDurationSeconds');
	const durationSeconds = durationText === '' ? 3600 : Number(durationText);
	if (
		!Number.isInteger(durationSeconds) ||
		durationSeconds < ROLE_SESSION_MIN_SECONDS ||
		durationSeconds > ROLE_SESSION_MAX_SECONDS
	) {
		throw new InputError(
			'Session Duration',
			`Session Duration in the credential must be a whole number of seconds from ${ROLE_SESSION_MIN_SECONDS} to ${ROLE_SESSION_MAX_SECONDS}`,
			"The role's own maximum session duration (RAM console) also applies; 3600 works for every role.",
		);
	}
	const stsEndpoint = text(data, 'stsEndpoint');
	let stsHost: string | undefined;
	if (stsEndpoint !== '') {
		const parsed = parseEndpoint(stsEndpoint, 'STS Endpoint');
		if (parsed?.protocol !== 'HTTPS') {
			throw new InputError('STS Endpoint', 'STS Endpoint in the credential must use https://');
		}
		stsHost = parsed.host;
	}
	return {
		roleArn,
		roleSessionName,
		externalId: text(data, 'externalId') || undefined,
		durationSeconds,
		stsEndpoint: stsHost,
	};
}

/** Checks and normalises decrypted credential data; throws InputError naming the field. */
export function readCredentials(data: ICredentialDataDecryptedObject): AccessKeyCredentials {
	const accessKeyId = text(data, 'accessKeyId');
	const accessKeySecret = text(data, 'accessKeySecret');
	if (accessKeyId === '') {
		throw new InputError('AccessKey ID', 'The credential has no AccessKey ID');
	}
	if (!/^[A-Za-z0-9.]+$/.test(accessKeyId)) {
		throw new InputError(
			'AccessKey ID',
			"The credential's AccessKey ID contains characters an AccessKey ID never has",
			'Copy the AccessKey ID again from the RAM console (letters and digits; STS keys start with "STS.").',
		);
	}
	if (accessKeySecret === '') {
		throw new InputError('AccessKey Secret', 'The credential has no AccessKey Secret');
	}
	const securityToken = text(data, 'securityToken') || undefined;
	if (accessKeyId.startsWith('STS.') && !securityToken) {
		throw new InputError(
			'Security Token',
			'The credential holds a temporary STS AccessKey (ID starting with "STS.") but no Security Token',
			'Add the SecurityToken that STS returned together with this AccessKey.',
		);
	}
	const defaultRegion = text(data, 'defaultRegionId');
	return {
		accessKeyId,
		accessKeySecret,
		securityToken,
		endpoint: parseEndpoint(data.endpoint),
		defaultRegionId:
			defaultRegion === '' ? undefined : validateRegionId(defaultRegion, 'Default Region ID'),
		role: readRole(data),
	};
}
