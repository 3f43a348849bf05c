import type { IncomingHttpHeaders } from 'node:http';

import { lookupErrorCode, type ErrorCodeRow } from './errorCodes';
import type { EcsError } from './errors';

/**
 * How safe it is to send an action again when its outcome is unknown.
 * - read: always.
 * - idempotent: a repeat cannot act twice (a ClientToken, or the same end state).
 * - unsafe: only when the API certainly did not act (refused before dispatch, or never reached).
 */
export type RetrySafety = 'read' | 'idempotent' | 'unsafe';

export interface RetryPolicy {
	maxAttempts: number;
	/** First backoff in ms; doubles per attempt, with full jitter. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** Upper bound for a server's x-acs-retry-after / Retry-After. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 300,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 30_000,
};

/**
 * How long an answer asks to wait before the next try, in milliseconds, or undefined.
 *
 * - `x-acs-retry-after`: **milliseconds**, a positive integer. Every Alibaba Cloud source that
 *   reads it agrees: `@alicloud/openapi-core` 1.0.x (`Utils.getThrottlingTimeLeft` parses it as
 *   an integer, and `@darabonba/typescript`'s retry loop sleeps that many ms), the Java
 *   tea-openapi client (its ThrottlingBackoffTest waits ~80 ms for "80"), the C# OpenApiClient
 *   (`GetThrottlingTimeLeft("2000")` = 2000 ms; "0", negative or non-numeric = no hint) and
 *   aliyun-cli ("retrying in 100ms" for "100"). No public page documents the header itself.
 * - `Retry-After` (RFC 9110 §10.2.3, what a gateway or proxy in front of Alibaba Cloud sends with
 *   a 429 or 503): seconds, or an HTTP date.
 * Values that are not positive or not numbers are no hint, as in the SDKs.
 */
export function retryAfterMs(
	headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
	now: number = Date.now(),
): number | undefined {
	const first = (name: string): string | undefined => {
		const value = headers[name];
		return (Array.isArray(value) ? value[0] : value)?.trim();
	};
	const acs = first('x-acs-retry-after');
	if (acs !== undefined && /^\d+$/.test(acs) && Number(acs) > 0) return Number(acs);
	const standard = first('retry-after');
	if (standard === undefined || standard === '') return undefined;
	if (/^\d+$/.test(standard)) return Number(standard) > 0 ? Number(standard) * 1000 : undefined;
	const at = Date.parse(standard);
	return Number.isNaN(at) || at <= now ? undefined : at - now;
}

/** Connection failures after which the request may or may not have been processed. */
const TRANSIENT_ERRNOS = new Set([
	'ECONNRESET',
	'EPIPE',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
]);

/**
 * The error table's row for an API answer, or for an unreadable answer with a telling status
 * (an error page, a 429, a retry hint).
 */
export function rowOf(error: EcsError): ErrorCodeRow | undefined {
	if (error.kind !== 'api' && error.kind !== 'response') return undefined;
	const { code, statusCode, retryAfterMs: wait, unreadable } = error.details;
	const page = error.kind === 'response' && unreadable === true;
	if (error.kind === 'response' && !page && statusCode !== 429 && wait === undefined)
		return undefined;
	return lookupErrorCode({
		code: error.kind === 'api' ? code : undefined,
		statusCode,
		retryAfter: wait !== undefined,
		page,
		action: error.call.action,
	});
}

/** Whether the answer is throttling: a Throttling code, a 429, or a retry-after hint. */
export function isThrottled(error: EcsError): boolean {
	return rowOf(error)?.kind === 'throttled';
}

/**
 * Whether the API certainly refused the request before acting on it, so that even an unsafe
 * write may be sent again: a "refused" row (flow control, a used nonce) answered with a 4xx, or
 * a code that names throttling whatever the status. A 5xx that merely carries a retry hint may
 * come from after the action was dispatched, so it is not enough.
 */
export function refusedBeforeActing(error: EcsError): boolean {
	const row = rowOf(error);
	if (row?.retry !== 'refused') return false;
	const status = error.details.statusCode ?? 400;
	return status < 500 || (error.details.code ?? '').includes('Throttling');
}

/** Connection failures after which the request certainly did not reach the API. */
const NEVER_SENT_ERRNOS = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EAI_NONAME',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/**
 * Whether the request certainly never reached the API: no connection was made (refused, no DNS
 * answer, no route, TLS not established), connecting ran out of time (`phase` 'connect': the
 * request is written only once the connection, TLS and any proxy tunnel stand), or the proxy
 * refused or could not be reached.
 */
export function neverSent(error: EcsError): boolean {
	switch (error.kind) {
		case 'proxy':
			return true;
		case 'timeout':
			return error.details.phase === 'connect';
		case 'network': {
			const errno = error.details.errno ?? '';
			return (
				NEVER_SENT_ERRNOS.has(errno) ||
				/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(errno)
			);
		}
		default:
			return false;
	}
}

/** Whether the failure is transient, so that trying again can succeed. */
export function isTransient(error: EcsError): boolean {
	switch (error.kind) {
		case 'timeout':
			return true;
		case 'network':
			return TRANSIENT_ERRNOS.has(error.details.errno ?? '');
		case 'response': {
			// An error page (a proxy's, a gateway's), a 429 or a retry hint: as its row says
			// (a 5xx page may be gone on the next try, a 4xx page comes back the same).
			const row = rowOf(error);
			if (row) return row.retry !== 'no';
			// An empty or non-JSON success may be a cut-off body; well-formed JSON of the wrong
			// shape, or a redirect, will come back the same.
			return error.details.unreadable === true && (error.details.statusCode ?? 200) < 300;
		}
		case 'api':
			return (rowOf(error)?.retry ?? 'no') !== 'no';
		default:
			return false;
	}
}

/**
 * The delay before attempt `attempt + 1` (attempts count from 1), or undefined
 * when the error must not be retried.
 */
export function retryDelay(
	error: EcsError,
	attempt: number,
	safety: RetrySafety,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number | undefined {
	if (attempt >= policy.maxAttempts || !isTransient(error)) return undefined;
	if (safety === 'unsafe' && !refusedBeforeActing(error) && !neverSent(error)) return undefined;
	const retryAfter = error.details.retryAfterMs;
	if (retryAfter !== undefined && retryAfter > 0)
		return Math.min(retryAfter, policy.maxRetryAfterMs);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	// "Equal jitter": at least half the backoff, and parallel items spread apart.
	return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
