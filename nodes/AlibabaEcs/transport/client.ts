import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { ResponseShapeError, asObject } from '../helpers/response';
import type { AccessKeyCredentials } from './credentials';
import { type CallInfo, EcsError, fromSdkError } from './errors';
import { type HttpScope, fromHttpFailure, runInHttpScope } from './http';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type RetrySafety, retryDelay } from './retry';
import { type AlibabaSdk, type CredentialProvider, type EcsClientInstance, loadSdk } from './sdk';
import { AssumedRoleProvider } from './session';

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
	RunCommand: 'idempotent', // ClientToken
	DescribeInvocations: 'read',
	DescribeInvocationResults: 'read',
	StopInvocation: 'idempotent', // stopping again: same end state
	SendFile: 'idempotent', // ClientToken
	DescribeSendFileResults: 'read',
	DescribeCloudAssistantStatus: 'read',
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
	/**
	 * Per attempt: how long to wait for the answer once connected (the option Timeout (Ms)).
	 * Connecting has its own bound, connectTimeoutMs(timeoutMs), so one attempt takes at most
	 * their sum.
	 */
	timeoutMs: number;
	/** Attempts in all, the first included. */
	maxAttempts: number;
}

export const DEFAULT_CALL_SETTINGS: CallSettings = {
	timeoutMs: 10_000,
	maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
};

/** Connecting (TCP, a proxy's CONNECT, TLS) may take this long at most… */
export const CONNECT_TIMEOUT_MAX_MS = 10_000;

/** …and no longer than the Timeout itself: a 1-second Timeout is not kept waiting 10 s to connect. */
export function connectTimeoutMs(timeoutMs: number): number {
	return Math.min(timeoutMs, CONNECT_TIMEOUT_MAX_MS);
}

/** What an answer says besides its body. */
export interface ResponseInfo {
	/**
	 * The server's clock when it answered (epoch ms, from the HTTP Date header, 1 s resolution),
	 * or undefined when the answer had no readable Date header.
	 */
	serverTime?: number;
}

export interface CallOptions<T> {
	/** What the call is about, e.g. "Managed instance mi-abc", for error messages. */
	subject?: string;
	/** Checks and maps the body as the API sent it (the API's own field names). */
	parse: (body: IDataObject, response: ResponseInfo) => T;
	settings?: CallSettings;
	/** Turns a final failure into a result instead (return undefined to fail). */
	recover?: (error: EcsError) => T | undefined;
	/**
	 * For a write that is not safe to repeat (ECS_ACTIONS 'unsafe'): when n8n's Retry On Fail
	 * runs the node again after this write's answer was lost, reads whether it took effect and
	 * returns the result to report, or undefined to send it again (writeJournal.ts). An unsafe
	 * write without it is then not sent again.
	 */
	reconcile?: () => Promise<T | undefined>;
}

interface SdkAnswer {
	body?: unknown;
	statusCode?: number;
	headers?: Record<string, string | string[] | undefined>;
}

function serverTimeOf(headers: SdkAnswer['headers']): number | undefined {
	const date = headers?.date;
	const ms = typeof date === 'string' ? Date.parse(date) : Number.NaN;
	return Number.isFinite(ms) ? ms : undefined;
}

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

	/** For a RAM role: the assumed-role session all of this credential's requests share. */
	private session: AssumedRoleProvider | undefined;

	constructor(
		readonly credentials: AccessKeyCredentials,
		private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
	) {}

	/**
	 * For a RAM role: the SDK's credential over one shared session (session.ts), which calls
	 * the SDK's own AssumeRole (RAMRoleARNCredentialsProvider, as `type: 'ram_role_arn'` would
	 * build it) once per renewal.
	 */
	private credentialProvider(sdk: AlibabaSdk): CredentialProvider | undefined {
		const { role, accessKeyId, accessKeySecret, securityToken } = this.credentials;
		if (!role) return undefined;
		if (!this.provider) {
			const signer = securityToken
				? sdk.StaticSTSCredentialsProvider.builder()
						.withAccessKeyId(accessKeyId)
						.withAccessKeySecret(accessKeySecret)
						.withSecurityToken(securityToken)
						.build()
				: sdk.StaticAKCredentialsProvider.builder()
						.withAccessKeyId(accessKeyId)
						.withAccessKeySecret(accessKeySecret)
						.build();
			const builder = sdk.RAMRoleARNCredentialsProvider.builder()
				.withCredentialsProvider(signer)
				.withRoleArn(role.roleArn)
				.withRoleSessionName(role.roleSessionName)
				.withDurationSeconds(role.durationSeconds);
			if (role.externalId) builder.withExternalId(role.externalId);
			if (role.stsEndpoint) builder.withStsEndpoint(role.stsEndpoint);
			const assumer = builder.build();
			// `refresher` is the provider's single AssumeRole call (SessionCredentialProvider).
			this.session = new AssumedRoleProvider(
				async () => await assumer.refresher(),
				assumer.getProviderName(),
			);
			this.provider = new sdk.Credential(null, this.session);
		}
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
		scope: HttpScope,
		call: CallInfo,
	): Promise<SdkAnswer> {
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
					// DescribeRegions takes no RegionId (the SDK's own method sends none).
					query: sdk.flattenQuery(
						action === 'DescribeRegions' ? params : { RegionId: regionId, ...params },
					),
				}),
				// The HTTP scope's bounds apply (http.ts); these keep the SDK's 3 s defaults away.
				new sdk.RuntimeOptions({
					readTimeout: scope.timeoutMs,
					connectTimeout: scope.connectTimeoutMs,
				}),
			);
		} catch (error) {
			throw this.attributeToSts(fromHttpFailure(error, call, scope), scope.started === true);
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
			const scope: HttpScope = {
				timeoutMs: settings.timeoutMs,
				connectTimeoutMs: connectTimeoutMs(settings.timeoutMs),
			};
			try {
				const result = await runInHttpScope(
					scope,
					async () => await this.attempt(sdk, regionId, action, params, scope, call),
				);
				return this.parse(result, call, options.parse);
			} catch (error) {
				const failure = error instanceof EcsError ? error : fromSdkError(error, call);
				if (this.dropRejectedSession(failure, attempt, scope)) continue;
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
	 * when the ECS request never left (`requestStarted`: the HTTP layer saw no request of this
	 * call's own, see http.ts), never by guessing from host names or addresses.
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
	 * An assumed-role session that ECS no longer accepts (expired, revoked, or the
	 * role changed) is dropped, so that the next attempt assumes the role afresh;
	 * requests that were rejected with the same session together cause one renewal.
	 * ECS refused the request before acting on it, so it is safe to send again, once.
	 */
	private dropRejectedSession(failure: EcsError, attempt: number, scope: HttpScope): boolean {
		const code = failure.details.code ?? '';
		const rejected =
			code.startsWith('InvalidAccessKeyId') || code.startsWith('InvalidSecurityToken');
		if (!this.session || !rejected || attempt > 1) return false;
		this.session.reject(scope.session);
		return true;
	}

	private parse<T>(result: SdkAnswer, call: CallInfo, parse: CallOptions<T>['parse']): T {
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
			return parse(asObject(body, 'response body'), { serverTime: serverTimeOf(result.headers) });
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
