/**
 * The pure parts of failure handling: which SDK errors mean what, which are
 * retried for which kind of action, and how long to wait.
 */
import { EcsError, fromSdkError, toNodeApiError } from '../../nodes/AlibabaEcs/transport/errors';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../nodes/AlibabaEcs/transport/retry';

const call = {
	action: 'DescribeManagedInstances',
	regionId: 'cn-hangzhou',
	host: 'ecs-cn-hangzhou.aliyuncs.com',
};

function systemError(code: string, message = `connect ${code} 1.2.3.4:443`): Error {
	return Object.assign(
		new Error(`${message} https://ecs.aliyuncs.com/?InstanceId=mi-1&RegionId=x`),
		{ code },
	);
}

function apiError(statusCode: number, code: string, extra: Record<string, unknown> = {}) {
	return Object.assign(new Error(`${code}: code: ${statusCode}, x request id: R1`), {
		name:
			statusCode >= 500
				? 'ServerError'
				: code.includes('Throttling')
					? 'ThrottlingError'
					: 'ClientError',
		code,
		statusCode,
		requestId: 'R1',
		data: { Code: code, Message: 'm', RequestId: 'R1' },
		...extra,
	});
}

describe('fromSdkError', () => {
	it.each([
		['ECONNREFUSED', 'network', /refused the connection/],
		['ENOTFOUND', 'network', /host name of the ECS endpoint .* could not be resolved/],
		['EAI_AGAIN', 'network', /could not be resolved/],
		['ECONNRESET', 'network', /was cut before DescribeManagedInstances was answered/],
		['EPROTO', 'network', /secure connection .* failed/],
		['CERT_HAS_EXPIRED', 'network', /secure connection .* failed/],
		['SELF_SIGNED_CERT_IN_CHAIN', 'network', /secure connection .* failed/],
		['ETIMEDOUT', 'timeout', /got no answer from .* in time/],
	])('%s is a %s error: %s', (code, kind, message) => {
		const error = fromSdkError(systemError(code), call);
		expect(error.kind).toBe(kind);
		const nodeError = toNodeApiError({ name: 'ECS' } as never, error, 0);
		expect(nodeError.message).toMatch(message);
		// The request URL (with its query) never reaches the message.
		expect(`${nodeError.message} ${nodeError.description}`).not.toMatch(/https?:\/\/|InstanceId=/);
	});

	it('keeps the Alibaba code, request ID, status and retry-after of an API error', () => {
		const error = fromSdkError(apiError(400, 'Throttling.User', { retryAfter: 1500 }), call);
		expect(error).toMatchObject({
			kind: 'api',
			details: { code: 'Throttling.User', requestId: 'R1', statusCode: 400, retryAfterMs: 1500 },
		});
	});

	it('reads the denied RAM action', () => {
		const error = fromSdkError(
			apiError(403, 'Forbidden.RAM', {
				accessDeniedDetail: { AuthAction: 'ecs:DescribeManagedInstances' },
			}),
			call,
		);
		expect(toNodeApiError({ name: 'ECS' } as never, error).message).toMatch(
			/^The AccessKey is not allowed to call ecs:DescribeManagedInstances \(Forbidden\.RAM, request R1\)$/,
		);
	});

	it("keeps only STS's Code and Message from a failed AssumeRole", () => {
		const error = fromSdkError(
			new Error(
				'refresh session token failed: {"RequestId":"R2","Code":"EntityNotExist.Role","Message":"The role not exists."}',
			),
			call,
		);
		expect(error).toMatchObject({
			call: { action: 'AssumeRole' },
			details: { code: 'EntityNotExist.Role', requestId: 'R2' },
		});
	});

	it('turns a bare SyntaxError (an error page the SDK could not parse) into a retryable answer error', () => {
		const error = fromSdkError(new SyntaxError('Unexpected token < in JSON at position 0'), call);
		expect(error).toMatchObject({ kind: 'response', details: { unreadable: true } });
	});
});

describe('retryDelay', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 };
	const api = (status: number, code: string, retryAfterMs?: number) =>
		new EcsError('api', call, { statusCode: status, code, retryAfterMs }, code);

	it.each([
		['5xx', api(500, 'InternalError.Dispatch')],
		['503', api(503, 'ServiceUnavailable')],
		['throttling', api(400, 'Throttling.User')],
		['a timeout', new EcsError('timeout', call, {}, 't')],
		['a reset', new EcsError('network', call, { errno: 'ECONNRESET' }, 'r')],
		[
			'an unreadable answer',
			new EcsError('response', call, { unreadable: true, statusCode: 200 }, 'u'),
		],
	])('retries %s for reads and idempotent writes', (_name, error) => {
		expect(retryDelay(error, 1, 'read', policy)).toBeGreaterThan(0);
		expect(retryDelay(error, 1, 'idempotent', policy)).toBeGreaterThan(0);
	});

	it.each([
		['a 4xx', api(400, 'InvalidParam.MaxResults')],
		['NotFound', api(404, 'InvalidInstance.NotFound')],
		['a refused connection', new EcsError('network', call, { errno: 'ECONNREFUSED' }, 'c')],
		['a TLS failure', new EcsError('network', call, { errno: 'EPROTO' }, 'c')],
		['a wrong field type', new EcsError('response', call, { statusCode: 200 }, 'w')],
	])('never retries %s', (_name, error) => {
		expect(retryDelay(error, 1, 'read', policy)).toBeUndefined();
	});

	it('retries an unsafe write only when it was throttled (refused before acting)', () => {
		expect(retryDelay(api(400, 'Throttling.User'), 1, 'unsafe', policy)).toBeGreaterThan(0);
		expect(retryDelay(api(500, 'InternalError.Dispatch'), 1, 'unsafe', policy)).toBeUndefined();
		expect(retryDelay(new EcsError('timeout', call, {}, 't'), 1, 'unsafe', policy)).toBeUndefined();
	});

	it('stops after the maximum number of attempts', () => {
		const error = api(500, 'InternalError.Dispatch');
		expect(retryDelay(error, 3, 'read', policy)).toBeGreaterThan(0);
		expect(retryDelay(error, 4, 'read', policy)).toBeUndefined();
	});

	it('backs off exponentially with jitter, capped', () => {
		const error = api(500, 'InternalError.Dispatch');
		const long = { ...policy, maxAttempts: 20 };
		expect(retryDelay(error, 1, 'read', long, () => 0)).toBe(150);
		expect(retryDelay(error, 1, 'read', long, () => 1)).toBe(300);
		expect(retryDelay(error, 2, 'read', long, () => 1)).toBe(600);
		expect(retryDelay(error, 3, 'read', long, () => 1)).toBe(1200);
		expect(retryDelay(error, 15, 'read', long, () => 1)).toBe(long.maxDelayMs);
	});

	it('honours x-acs-retry-after, within a bound', () => {
		expect(retryDelay(api(400, 'Throttling.User', 1234), 1, 'read', policy)).toBe(1234);
		expect(retryDelay(api(400, 'Throttling.User', 10 ** 9), 1, 'read', policy)).toBe(
			policy.maxRetryAfterMs,
		);
	});
});
