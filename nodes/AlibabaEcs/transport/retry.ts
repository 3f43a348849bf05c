import type { EcsError } from './errors';

/**
 * How safe it is to send an action again when its outcome is unknown.
 * - read: always.
 * - idempotent: a repeat cannot act twice (a ClientToken, or the same end state).
 * - unsafe: only when the API certainly did not act (throttled before dispatch).
 */
export type RetrySafety = 'read' | 'idempotent' | 'unsafe';

export interface RetryPolicy {
	maxAttempts: number;
	/** First backoff in ms; doubles per attempt, with full jitter. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** Upper bound for a server's x-acs-retry-after. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 300,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 30_000,
};

/** Connection failures after which the request may or may not have been processed. */
const TRANSIENT_ERRNOS = new Set([
	'ECONNRESET',
	'EPIPE',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
]);

function isThrottled(error: EcsError): boolean {
	return error.kind === 'api' && (error.details.code ?? '').includes('Throttling');
}

/** Whether the failure is transient, so that trying again can succeed. */
export function isTransient(error: EcsError): boolean {
	switch (error.kind) {
		case 'timeout':
			return true;
		case 'network':
			return TRANSIENT_ERRNOS.has(error.details.errno ?? '');
		case 'response':
			// An empty or non-JSON answer (a proxy's error page, a cut-off body) may be
			// gone on the next try; well-formed JSON of the wrong shape will not be.
			return error.details.unreadable === true || (error.details.statusCode ?? 0) >= 500;
		case 'api': {
			const code = error.details.code ?? '';
			return (
				isThrottled(error) ||
				code.startsWith('InternalError') ||
				code === 'ServiceUnavailable' ||
				(error.details.statusCode ?? 0) >= 500
			);
		}
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
	if (safety === 'unsafe' && !isThrottled(error)) return undefined;
	const retryAfter = error.details.retryAfterMs;
	if (retryAfter !== undefined && retryAfter >= 0)
		return Math.min(retryAfter, policy.maxRetryAfterMs);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	// "Equal jitter": at least half the backoff, and parallel items spread apart.
	return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
