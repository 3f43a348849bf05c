import { STATUS_CODES } from 'node:http';

import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HttpAnswer } from './http';
import { type ErrorCodeRow, REGION_LIST_TEXT, fillTemplate, lookupErrorCode } from './errorCodes';
import { rowOf } from './retry';

/** Which call failed; enough to explain the failure without echoing secrets. */
export interface CallInfo {
	action: string;
	regionId: string;
	/** Endpoint host (never the URL: its query would repeat the parameters). */
	host: string;
	/** What the call was about, e.g. "Managed instance mi-abc", for messages. */
	subject?: string;
}

export type EcsErrorKind = 'api' | 'network' | 'timeout' | 'response' | 'proxy';

export interface EcsErrorDetails {
	/** Alibaba error code, e.g. "InvalidInstance.NotFound". */
	code?: string;
	apiMessage?: string;
	requestId?: string;
	hostId?: string;
	recommend?: string;
	statusCode?: number;
	/** The HTTP reason phrase that came with statusCode, e.g. "Bad Gateway", when the answer was seen. */
	statusMessage?: string;
	/** The RAM action that was denied, from AccessDeniedDetail. */
	deniedAction?: string;
	retryAfterMs?: number;
	/** Operating-system error code for network failures, e.g. ECONNREFUSED. */
	errno?: string;
	/** How many times the request was sent before giving up. */
	attempts?: number;
	/** An empty or non-JSON body (a proxy's page, a cut connection): worth another try. */
	unreadable?: boolean;
	/** For network failures and connect timeouts: the host (and port) the failed connection was for. */
	targetHost?: string;
	/** The proxy the request went through (scheme://host:port, never credentials). */
	proxy?: string;
	/** For timeouts: which bound ran out, and its length in ms. */
	phase?: 'connect' | 'answer';
	timeoutMs?: number;
	/** A target reported missing in the call's region was found registered in this one. */
	foundInRegionId?: string;
	/** Regions that could not be searched for a missing target, with why. */
	unsearchedRegions?: Array<{ regionId: string; reason: string }>;
}

/**
 * A failed ECS call in plain data. It holds no request URL, header or credential,
 * so it is safe to log and to turn into an n8n error shown to users.
 */
export class EcsError extends Error {
	constructor(
		readonly kind: EcsErrorKind,
		readonly call: CallInfo,
		readonly details: EcsErrorDetails,
		message: string,
	) {
		super(message);
		this.name = 'EcsError';
	}
}

/**
 * A lookup that succeeded but found nothing (Get by ID): reported like the API's
 * own NotFound errors.
 */
export class NotFoundError extends Error {
	constructor(
		readonly subject: string,
		readonly regionId: string,
		readonly requestId?: string,
	) {
		super(`${subject} was not found in region ${regionId}`);
		this.name = 'NotFoundError';
	}
}

export function notFoundNodeError(node: INode, e: NotFoundError, itemIndex?: number): NodeApiError {
	const message = e.requestId ? `${e.message} (request ${e.requestId})` : e.message;
	const description = fillTemplate(NOT_FOUND_ROW.advice, { region: e.regionId });
	const error = new NodeApiError(
		node,
		{ Message: e.message, RequestId: e.requestId ?? null, httpCode: '404' },
		{ message, description, httpCode: '404', itemIndex },
	);
	error.message = message;
	return error;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' && value !== 'undefined' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
	return value !== null && typeof value === 'object'
		? (value as Record<string, unknown>)
		: undefined;
}

const NETWORK_ERRNOS = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EPIPE',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * AssumeRole failures come from @alicloud/credentials as plain Errors whose
 * message embeds STS's JSON answer; keep its Code, Message and RequestId only.
 */
function fromStsFailure(message: string, call: CallInfo): EcsError | undefined {
	if (
		!/refresh session token failed|RoleArn sts token|access key secret is invalid/i.test(message)
	) {
		return undefined;
	}
	const sts: CallInfo = { ...call, action: 'AssumeRole' };
	if (/access key secret is invalid/i.test(message)) {
		return new EcsError('api', sts, { code: 'SignatureDoesNotMatch' }, 'AssumeRole failed');
	}
	try {
		const body = JSON.parse(/\{.*\}/s.exec(message)?.[0] ?? '') as Record<string, unknown>;
		return new EcsError(
			'api',
			sts,
			{
				code: str(body.Code),
				apiMessage: str(body.Message),
				requestId: str(body.RequestId),
				recommend: str(body.Recommend),
			},
			'AssumeRole failed',
		);
	} catch {
		return new EcsError('response', sts, {}, 'AssumeRole returned a response that is not JSON');
	}
}

/**
 * Turns whatever the SDK threw into an EcsError, keeping only safe fields. `answer` is what the
 * HTTP layer saw of the same request (http.ts): the status and retry hint the SDK drops.
 */
export function fromSdkError(error: unknown, call: CallInfo, answer?: HttpAnswer): EcsError {
	if (error instanceof EcsError) return error;
	const sts = error instanceof Error ? fromStsFailure(error.message, call) : undefined;
	if (sts) return sts;
	const err = record(error) ?? {};
	const name = str(err.name) ?? '';
	const code = str(err.code);
	const statusCode =
		typeof err.statusCode === 'number' ? err.statusCode : (answer?.statusCode ?? undefined);
	const data = record(err.data);
	const targetHost =
		str(err.hostname) ??
		(str(err.address) && typeof err.port === 'number'
			? `${String(err.address)}:${err.port}`
			: undefined);

	// The SDK's ClientError/ServerError/ThrottlingError: an answer with a JSON body (its code
	// may be missing, e.g. a gateway's 429 {"message": …}).
	if (
		typeof err.statusCode === 'number' &&
		(data || /(Client|Server|Throttling)Error$/.test(name))
	) {
		const denied = record(err.accessDeniedDetail) ?? record(data?.AccessDeniedDetail);
		const sdkRetryAfter =
			typeof err.retryAfter === 'number' && err.retryAfter > 0 ? err.retryAfter : undefined;
		const details: EcsErrorDetails = {
			code: code ?? str(data?.Code) ?? str(data?.code),
			apiMessage: str(data?.Message) ?? str(data?.message),
			requestId: str(err.requestId) ?? str(data?.RequestId) ?? answer?.requestId,
			hostId: str(data?.HostId),
			recommend: str(data?.Recommend),
			statusCode,
			statusMessage: answer?.statusMessage,
			deniedAction: str(denied?.AuthAction),
			retryAfterMs: answer?.retryAfterMs ?? sdkRetryAfter,
		};
		return new EcsError(
			'api',
			call,
			details,
			`${call.action} failed with ${details.code ?? `HTTP ${statusCode}`}`,
		);
	}

	if (
		name === 'RequestTimeoutError' ||
		code === 'ETIMEDOUT' ||
		code === 'ESOCKETTIMEDOUT' ||
		/timeout/i.test(name)
	) {
		return new EcsError('timeout', call, { errno: code, targetHost }, `${call.action} timed out`);
	}
	if (
		code !== undefined &&
		(NETWORK_ERRNOS.has(code) ||
			/^E[A-Z_]+$/.test(code) ||
			code.startsWith('ERR_') ||
			isTlsFailure(code))
	) {
		return new EcsError(
			'network',
			call,
			{ errno: code, targetHost },
			`${call.action} could not reach ${call.host}`,
		);
	}
	if (error instanceof SyntaxError) {
		// The SDK parses error answers (HTTP 4xx/5xx) as JSON itself, and drops the status;
		// the HTTP layer saw it. Worded by the error table's page rows.
		return new EcsError(
			'response',
			call,
			{
				unreadable: true,
				statusCode: answer?.statusCode,
				statusMessage: answer?.statusMessage,
				retryAfterMs: answer?.retryAfterMs,
				requestId: answer?.requestId,
			},
			`${call.action} got an error page that is not an ECS API answer`,
		);
	}
	return new EcsError(
		'response',
		call,
		{},
		`${call.action} failed unexpectedly (${name || 'unknown error'})`,
	);
}

interface Explanation {
	summary: string;
	hint: string;
}

const NOT_FOUND_ROW = lookupErrorCode({ code: 'InvalidInstance.NotFound' }) as ErrorCodeRow;

/**
 * Whether a failed call says that its *target* is gone: the managed instance or activation
 * code it addresses does not exist (InvalidInstance.NotFound, ActivationId.NotFound and their
 * variants). Any other not-found (region, action, resource group, key) is not.
 */
export function isTargetNotFound(error: EcsError): boolean {
	return error.kind === 'api' && rowOf(error)?.kind === 'target-not-found';
}

/** Whether an Alibaba error code alone says the addressed target does not exist. */
export function isNotFoundCode(code: string | undefined): boolean {
	return code !== undefined && lookupErrorCode({ code })?.kind === 'target-not-found';
}

/** The placeholders the error table's texts use, for one failed call. */
function templateValues(e: EcsError): Record<string, string | undefined> {
	const { action, regionId, host, subject } = e.call;
	const d = e.details;
	const status =
		d.statusCode === undefined
			? undefined
			: `${d.statusCode} ${reasonPhrase(d.statusCode, d.statusMessage)}`;
	return {
		action,
		region: regionId,
		host,
		subject: subject ?? `The ${action} request`,
		code: d.code,
		message: apiMessageOf(e) ?? d.code ?? (status ? `HTTP ${status}` : 'no details'),
		ramAction: d.deniedAction ?? `ecs:${action}`,
		status: status ?? 'error status',
		regions: REGION_LIST_TEXT,
	};
}

/** A missing target that the region search found elsewhere, or could not rule out. */
function explainSearch(
	e: EcsError,
	values: Record<string, string | undefined>,
): Explanation | undefined {
	const { foundInRegionId, unsearchedRegions } = e.details;
	if (foundInRegionId) {
		return {
			summary: `${values.subject} is not in region ${values.region}: it is registered in ${foundInRegionId}`,
			hint: `Nothing was deregistered. Set Region to ${foundInRegionId} (or take the region from the item that listed the instance). Succeed If Already Deregistered only succeeds when the instance is registered in none of the managed-instance regions.`,
		};
	}
	if (unsearchedRegions?.length) {
		const list = unsearchedRegions.map((r) => `${r.regionId} (${r.reason})`).join(', ');
		return {
			summary: `${values.subject} was not found in region ${values.region}, and ${unsearchedRegions.length} other region(s) could not be searched`,
			hint: `Succeed If Already Deregistered looks for the instance in every managed-instance region before it reports success, and these regions did not answer: ${list}. Allow ecs:DescribeManagedInstances there, or turn the option off.`,
		};
	}
	return undefined;
}

/** Human wording for an Alibaba Cloud error answer, from the error table. */
function explainApiError(e: EcsError): Explanation {
	const values = templateValues(e);
	const searched = explainSearch(e, values);
	if (searched) return searched;
	const row = rowOf(e);
	if (row) {
		return { summary: fillTemplate(row.summary, values), hint: fillTemplate(row.advice, values) };
	}
	const status = e.details.statusCode ? `HTTP ${e.details.statusCode}` : 'an error';
	return {
		summary: fillTemplate('{action} failed: {message}', values),
		hint: `Alibaba Cloud answered ${e.details.code ?? status} (${status}), a code this node has no advice for; its own message follows. Look the code up, with the request ID, in Alibaba Cloud's error center (https://api.alibabacloud.com/troubleshoot).`,
	};
}

const CUT_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const DNS_FAILURE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);

function isTlsFailure(errno: string): boolean {
	return /^(EPROTO|ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY))/.test(
		errno,
	);
}

/** What a network failure means, by its system error code, and what to check. */
function explainNetworkError(e: EcsError): Explanation {
	const { action, host } = e.call;
	const errno = e.details.errno ?? '';
	const sts = action === 'AssumeRole';
	const endpoint = sts ? 'STS endpoint' : 'ECS endpoint';
	const check = sts
		? "Check the credential's STS Endpoint field (empty: sts.aliyuncs.com) and that n8n can reach it."
		: "Check the Region ID (it selects the endpoint) and the credential's Endpoint field.";
	if (CUT_CONNECTION.has(errno)) {
		return {
			summary: `The connection to ${host} was cut before ${action} was answered`,
			hint: `Network error ${errno}. The request may or may not have been carried out: check its effect before running it again, unless the operation is safe to repeat (reads, Deregister, Create and Rename are).`,
		};
	}
	if (errno === 'ECONNREFUSED') {
		return {
			summary: `The ${endpoint} ${host} refused the connection`,
			hint: `Network error ${errno}: nothing listens there. ${check}`,
		};
	}
	if (DNS_FAILURE.has(errno)) {
		return {
			summary: `The host name of the ${endpoint} ${host} could not be resolved`,
			hint: `Network error ${errno}. ${check} Also check DNS on the n8n host.`,
		};
	}
	if (isTlsFailure(errno)) {
		return {
			summary: `The secure connection to the ${endpoint} ${host} failed`,
			hint: `TLS error ${errno}: the endpoint's certificate is not trusted or it does not speak HTTPS. ${check} A proxy that inspects TLS needs its CA trusted by n8n (NODE_EXTRA_CA_CERTS).`,
		};
	}
	return {
		summary: `Could not connect to the ${endpoint} ${host}`,
		hint: `Network error ${errno || 'unknown'}. ${check} Also check proxies and firewalls between n8n and Alibaba Cloud.`,
	};
}

/** The reason phrase of a status: what the server sent, else the standard one. */
export function reasonPhrase(statusCode: number, sent?: string): string {
	return sent?.trim() || STATUS_CODES[statusCode] || 'Unknown Status';
}

/** "HTTP 502 Bad Gateway". */
function httpStatus(statusCode: number, statusMessage?: string): string {
	return `HTTP ${statusCode} ${reasonPhrase(statusCode, statusMessage)}`;
}

const PROXY_VARIABLES = 'HTTPS_PROXY, HTTP_PROXY or ALL_PROXY (or their lower-case forms)';

/** A proxy from the environment that could not be used: name it, never its credentials. */
function explainProxyError(e: EcsError): Explanation {
	const { proxy, statusCode, statusMessage, errno, targetHost } = e.details;
	const exclude = `To reach ${targetHost ?? e.call.host} without the proxy, add its host to NO_PROXY.`;
	if (statusCode === 407) {
		return {
			summary: `The proxy ${proxy} requires authentication (${httpStatus(407, statusMessage)})`,
			hint: `n8n sends requests to Alibaba Cloud through the proxy set in ${PROXY_VARIABLES}. Put the proxy's user name and password into that URL (http://user:password@host:port), or ask for this host to be allowed without them.`,
		};
	}
	if (statusCode !== undefined) {
		return {
			summary: `The proxy ${proxy} refused to connect to ${targetHost ?? e.call.host} (${httpStatus(statusCode, statusMessage)})`,
			hint: `n8n sends requests to Alibaba Cloud through the proxy set in ${PROXY_VARIABLES}; the proxy does not allow this host or cannot reach it. Ask for *.aliyuncs.com to be allowed. ${exclude}`,
		};
	}
	return {
		summary: `Could not connect to the proxy ${proxy}`,
		hint: `Network error ${errno ?? 'unknown'}. n8n sends requests to Alibaba Cloud through the proxy set in ${PROXY_VARIABLES}: check that variable and that the proxy runs. ${exclude}`,
	};
}

function explainTimeout(e: EcsError): Explanation {
	const { action, host } = e.call;
	const { phase, timeoutMs, proxy, targetHost } = e.details;
	const within = timeoutMs === undefined ? 'in time' : `within ${timeoutMs} ms`;
	const via = proxy ? ` through the proxy ${proxy}` : '';
	if (phase === 'connect') {
		return {
			summary: `Could not connect to ${targetHost ?? host}${via} ${within}`,
			hint: 'Connecting (TCP and TLS, and the proxy tunnel when there is one) has its own bound: the Timeout option, at most 10,000 ms. Check the network path, firewall and proxy between n8n and the endpoint; nothing was sent, so a retry is safe.',
		};
	}
	return {
		summary: `${action} got no answer from ${host}${via} ${within}`,
		hint: 'The endpoint did not answer before the Timeout option ran out for this attempt. Raise Timeout (Ms) for slow networks, or check the network path to the endpoint.',
	};
}

/**
 * An answer that is not an ECS API response. An error page (4xx/5xx), a 429 and a retry hint
 * have their rows in the error table ("HTTP 4xx page", "HTTP 5xx page": "HTTP 502 Bad Gateway
 * from <host>"); what is left is a success that could not be read (empty, not JSON, not the
 * documented shape).
 */
function explainResponse(e: EcsError): Explanation {
	if (rowOf(e)) return explainApiError(e);
	const { statusCode } = e.details;
	const status = statusCode === undefined ? '' : `, HTTP ${statusCode}`;
	return {
		summary: `${e.message} (endpoint ${e.call.host}${status})`,
		hint: 'The endpoint answered with something that is not an ECS API response. If a proxy, gateway or custom endpoint sits between n8n and Alibaba Cloud, check it.',
	};
}

function explain(e: EcsError): Explanation {
	switch (e.kind) {
		case 'api':
			return explainApiError(e);
		case 'timeout':
			return explainTimeout(e);
		case 'network':
			return explainNetworkError(e);
		case 'response':
			return explainResponse(e);
		case 'proxy':
			return explainProxyError(e);
	}
}

/** The plain-data body kept on the n8n error: the API's own fields, nothing from the request. */
function errorResponse(e: EcsError): JsonObject {
	const d = e.details;
	const body: JsonObject = {};
	if (d.code) body.Code = d.code;
	if (d.apiMessage) body.Message = d.apiMessage;
	if (d.requestId) body.RequestId = d.requestId;
	if (d.hostId) body.HostId = d.hostId;
	if (d.recommend) body.Recommend = d.recommend;
	if (d.statusCode) body.httpCode = String(d.statusCode);
	if (d.errno) body.errno = d.errno;
	if (d.proxy) body.proxy = d.proxy;
	body.action = e.call.action;
	body.endpoint = e.call.host;
	return body;
}

/**
 * Alibaba's own message, for showing beside ours: without the canonical string
 * a SignatureDoesNotMatch message appends, and short.
 */
export function apiMessageOf(e: EcsError): string | undefined {
	const message = e.details.apiMessage?.split(/\s*server string to sign is/i)[0].trim();
	if (!message) return undefined;
	return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

export function errorSummary(e: EcsError): string {
	const { summary } = explain(e);
	const tags = [
		e.details.code,
		e.details.requestId ? `request ${e.details.requestId}` : undefined,
	].filter(Boolean);
	return tags.length > 0 ? `${summary} (${tags.join(', ')})` : summary;
}

/** The n8n error for a failed call, with the Alibaba code, request ID and a hint. */
export function toNodeApiError(node: INode, e: EcsError, itemIndex?: number): NodeApiError {
	const { hint: explanation } = explain(e);
	const attempts = e.details.attempts ?? 1;
	const hint = attempts > 1 ? `${explanation} (Tried ${attempts} times.)` : explanation;
	const message = errorSummary(e);
	const apiMessage = apiMessageOf(e);
	// Alibaba's own message, once: not again when the summary already quotes it.
	const apiSaid =
		apiMessage && !message.includes(apiMessage) ? ` Alibaba Cloud said: ${apiMessage}` : '';
	const recommend = e.details.recommend ? ` Diagnosis: ${e.details.recommend}` : '';
	const error = new NodeApiError(node, errorResponse(e), {
		message,
		description: `${hint}${apiSaid}${recommend}`,
		httpCode: (e.details.statusCode ?? 0) >= 400 ? String(e.details.statusCode) : undefined,
		itemIndex,
	});
	// n8n swaps messages that contain a system error name for a generic text; keep ours.
	error.message = message;
	return error;
}
