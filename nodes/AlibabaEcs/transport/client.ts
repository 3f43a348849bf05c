import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { ResponseShapeError, asObject } from '../helpers/response';
import { NONCE_HEADER, forget, watchNewRequest } from './answers';
import type { AccessKeyCredentials } from './credentials';
import { type CallInfo, EcsError, fromSdkError } from './errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type RetrySafety, retryDelay } from './retry';
import { type AlibabaSdk, type CredentialProvider, type EcsClientInstance, loadSdk } from './sdk';

/** The ECS API actions this package calls (RPC style, version 2014-05-26), and how safe a repeat is. */
export const ECS_ACTIONS = {
	DeregisterManagedInstance: 'idempotent', // ClientToken
	DescribeManagedInstances: 'read',
	ModifyManagedInstance: 'idempotent', // same name again: same end state
	CreateActivation: 'idempotent', // ClientToken
	DescribeActivations: 'read',
	DisableActivation: 'unsafe',
	DeleteActivation: 'unsafe',
	DescribeRegions: 'read',
} as const satisfies Record<string, RetrySafety>;

export type EcsAction = keyof typeof ECS_ACTIONS;

export const ECS_API_VERSION = '2014-05-26';

/** Request parameters under the API's own names; arrays and objects are flattened (InstanceId.1, Tag.1.Key). */
export type EcsParamValue =
	| string
	| number
	| boolean
	| undefined
	| string[]
	| EcsParams
	| EcsParams[];
export interface EcsParams {
	[name: string]: EcsParamValue;
}

export interface CallSettings {
	/** Per attempt: connecting and waiting for the answer. */
	timeoutMs: number;
	/** Attempts in all, the first included. */
	maxAttempts: number;
}

export const DEFAULT_CALL_SETTINGS: CallSettings = {
	timeoutMs: 10_000,
	maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
};

export interface CallOptions<T> {
	/** What the call is about, e.g. "Managed instance mi-abc", for error messages. */
	subject?: string;
	/** Checks and maps the body as the API sent it (the API's own field names). */
	parse: (body: IDataObject) => T;
	settings?: CallSettings;
	/** Turns a final failure into a result instead (return undefined to fail). */
	recover?: (error: EcsError) => T | undefined;
}

const CONNECT_TIMEOUT_MAX_MS = 5_000;

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One credential's connection to ECS: a signing client per region, created on
 * first use, and for a RAM role the STS session the SDK keeps fresh. The only
 * place that calls the SDK. Shared by every execution that uses the same
 * credential data (see transportFor).
 */
export class EcsTransport {
	private readonly clients = new Map<string, EcsClientInstance>();

	private provider: CredentialProvider | undefined;

	constructor(
		readonly credentials: AccessKeyCredentials,
		private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
	) {}

	/** For a RAM role: the provider that assumes it and refreshes the session before it expires. */
	private credentialProvider(sdk: AlibabaSdk): CredentialProvider | undefined {
		const { role } = this.credentials;
		if (!role) return undefined;
		this.provider ??= new sdk.Credential(
			new sdk.CredentialConfig({
				type: 'ram_role_arn',
				accessKeyId: this.credentials.accessKeyId,
				accessKeySecret: this.credentials.accessKeySecret,
				securityToken: this.credentials.securityToken,
				roleArn: role.roleArn,
				roleSessionName: role.roleSessionName,
				roleSessionExpiration: role.durationSeconds,
				externalId: role.externalId,
				stsEndpoint: role.stsEndpoint,
			}),
		);
		return this.provider;
	}

	private client(sdk: AlibabaSdk, regionId: string): EcsClientInstance {
		let client = this.clients.get(regionId);
		if (!client) {
			const { accessKeyId, accessKeySecret, securityToken, endpoint } = this.credentials;
			const provider = this.credentialProvider(sdk);
			client = new sdk.EcsClient(
				new sdk.Config({
					// With a role, only the provider: the SDK prefers a plain AccessKey when both are set.
					...(provider
						? { credential: provider }
						: { accessKeyId, accessKeySecret, securityToken }),
					regionId,
					endpoint: endpoint?.host,
					protocol: endpoint?.protocol ?? 'HTTPS',
				}),
			);
			this.clients.set(regionId, client);
		}
		return client;
	}

	/**
	 * The host a call to this region really goes to, for messages: the credential's Endpoint, or
	 * the one the SDK's endpoint map picks (`@alicloud/ecs20140526` dist/client.js: cn-hangzhou →
	 * ecs-cn-hangzhou.aliyuncs.com, most regions → ecs.<region>.aliyuncs.com). Creates the
	 * region's client if needed, so that even the first call names the right host.
	 */
	hostFor(sdk: AlibabaSdk, regionId: string): string {
		if (this.credentials.endpoint) return this.credentials.endpoint.host;
		const client = this.client(sdk, regionId) as unknown as { _endpoint?: string };
		return client._endpoint ?? `ecs.${regionId}.aliyuncs.com`;
	}

	private async attempt(
		sdk: AlibabaSdk,
		regionId: string,
		action: EcsAction,
		params: EcsParams,
		settings: CallSettings,
		call: CallInfo,
	): Promise<{ body?: unknown; statusCode?: number }> {
		// Our own nonce (signed like the SDK's), to find this request's answer in answers.ts.
		const nonce = watchNewRequest();
		try {
			return await this.client(sdk, regionId).callApi(
				new sdk.Params({
					action,
					version: ECS_API_VERSION,
					protocol: 'HTTPS',
					pathname: '/',
					method: 'POST',
					authType: 'AK',
					style: 'RPC',
					reqBodyType: 'formData',
					// Read as text and parsed here: the SDK's own JSON parsing hides the HTTP
					// status of an empty or broken answer behind a bare SyntaxError.
					bodyType: 'string',
				}),
				new sdk.OpenApiRequest({
					headers: { [NONCE_HEADER]: nonce },
					// DescribeRegions takes no RegionId (the SDK's own method sends none).
					query: sdk.flattenQuery(
						action === 'DescribeRegions' ? params : { RegionId: regionId, ...params },
					),
				}),
				new sdk.RuntimeOptions({
					readTimeout: settings.timeoutMs,
					connectTimeout: Math.min(settings.timeoutMs, CONNECT_TIMEOUT_MAX_MS),
				}),
			);
		} catch (error) {
			const seen = forget(nonce);
			throw this.attributeToSts(fromSdkError(error, call, seen.answer), seen.started);
		} finally {
			forget(nonce);
		}
	}

	/**
	 * Calls one ECS action in a region, retrying transient failures as far as the
	 * action allows (the same parameters, so the same ClientToken, every time).
	 * `parse` checks and maps the body; a body without the documented shape
	 * becomes an error naming the field and the host.
	 */
	async call<T>(
		regionId: string,
		action: EcsAction,
		params: EcsParams,
		options: CallOptions<T>,
	): Promise<T> {
		const sdk = await loadSdk();
		const settings = options.settings ?? DEFAULT_CALL_SETTINGS;
		const policy = { ...this.retryPolicy, maxAttempts: settings.maxAttempts };
		const call: CallInfo = {
			action,
			regionId,
			host: this.hostFor(sdk, regionId),
			subject: options.subject,
		};
		for (let attempt = 1; ; attempt++) {
			try {
				const result = await this.attempt(sdk, regionId, action, params, settings, call);
				return this.parse(result, call, options.parse);
			} catch (error) {
				const failure = error instanceof EcsError ? error : fromSdkError(error, call);
				if (this.dropRejectedSession(failure, attempt)) continue;
				const delay = retryDelay(failure, attempt, ECS_ACTIONS[action], policy);
				if (delay === undefined) {
					failure.details.attempts = attempt;
					const recovered = options.recover?.(failure);
					if (recovered !== undefined) return recovered;
					throw failure;
				}
				await sleep(delay);
			}
		}
	}

	/**
	 * With a RAM role, a connection can fail before ECS is reached: on the way to STS, where
	 * the SDK assumes the role before it sends the ECS request. A network failure names STS only
	 * when the ECS request never left (`requestStarted`, from answers.ts), never by guessing
	 * from host names or addresses.
	 */
	private attributeToSts(failure: EcsError, requestStarted: boolean): EcsError {
		const { role } = this.credentials;
		if (!role || (failure.kind !== 'network' && failure.kind !== 'timeout') || requestStarted)
			return failure;
		const stsHost = role.stsEndpoint ?? defaultStsHost();
		return new EcsError(
			failure.kind,
			{ ...failure.call, action: 'AssumeRole', host: stsHost },
			failure.details,
			failure.message,
		);
	}

	/**
	 * An assumed-role session that ECS no longer accepts (revoked, or the role
	 * changed) is dropped, so that the next attempt assumes the role afresh. ECS
	 * refused the request before acting on it, so it is safe to send again, once.
	 */
	private dropRejectedSession(failure: EcsError, attempt: number): boolean {
		const code = failure.details.code ?? '';
		const rejected =
			code.startsWith('InvalidAccessKeyId') || code.startsWith('InvalidSecurityToken');
		if (!this.credentials.role || !this.provider || !rejected || attempt > 1) return false;
		this.provider = undefined;
		this.clients.clear();
		return true;
	}

	private parse<T>(
		result: { body?: unknown; statusCode?: number },
		call: CallInfo,
		parse: (body: IDataObject) => T,
	): T {
		const statusCode = result.statusCode;
		const text = typeof result.body === 'string' ? result.body : '';
		if (text.trim() === '') {
			throw new EcsError(
				'response',
				call,
				{ statusCode, unreadable: true },
				`${call.action} returned an empty response`,
			);
		}
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			throw new EcsError(
				'response',
				call,
				{ statusCode, unreadable: true },
				`${call.action} returned a response that is not JSON`,
			);
		}
		try {
			return parse(asObject(body, 'response body'));
		} catch (error) {
			if (error instanceof ResponseShapeError) {
				throw new EcsError(
					'response',
					call,
					{ statusCode },
					`${call.action} returned an unexpected response: ${error.message}`,
				);
			}
			throw error;
		}
	}
}

/**
 * The STS host `@alicloud/credentials` uses when the credential names none
 * (dist/src/providers/ram_role_arn.js): sts.aliyuncs.com, or the region of
 * ALIBABA_CLOUD_STS_REGION (sts-vpc.… with ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true).
 */
export function defaultStsHost(env: NodeJS.ProcessEnv = process.env): string {
	const region = env.ALIBABA_CLOUD_STS_REGION;
	if (!region) return 'sts.aliyuncs.com';
	const vpc = env.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED?.toLowerCase() === 'true';
	return `${vpc ? 'sts-vpc' : 'sts'}.${region}.aliyuncs.com`;
}

/** Transports by a digest of the credential data, so executions reuse clients and STS sessions. */
const transports = new Map<string, EcsTransport>();
const MAX_CACHED_TRANSPORTS = 32;

function fingerprint(credentials: AccessKeyCredentials): string {
	return createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
}

/**
 * The transport for this credential data: the same object for the same data
 * (any field changed, e.g. a rotated secret, gives a new one), never shared
 * between different credentials.
 */
export function transportFor(credentials: AccessKeyCredentials): EcsTransport {
	const key = fingerprint(credentials);
	let transport = transports.get(key);
	if (transport) {
		transports.delete(key); // re-inserted below: the Map's order is the LRU order
	} else {
		transport = new EcsTransport(credentials);
		if (transports.size >= MAX_CACHED_TRANSPORTS) {
			transports.delete(transports.keys().next().value as string);
		}
	}
	transports.set(key, transport);
	return transport;
}
