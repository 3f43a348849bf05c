/**
 * The pure parts of failure handling: which SDK errors mean what, which are
 * retried for which kind of action, and how long to wait.
 */
import { ERROR_CODES, lookupErrorCode } from '../../nodes/AlibabaEcs/transport/errorCodes';
import {
	EcsError,
	fromSdkError,
	isTargetNotFound,
	toNodeApiError,
} from '../../nodes/AlibabaEcs/transport/errors';
import {
	DEFAULT_RETRY_POLICY,
	refusedBeforeActing,
	retryAfterMs,
	retryDelay,
} from '../../nodes/AlibabaEcs/transport/retry';

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

	it('retries an unsafe write only when it certainly did not act: throttled, or never sent', () => {
		expect(retryDelay(api(400, 'Throttling.User'), 1, 'unsafe', policy)).toBeGreaterThan(0);
		expect(retryDelay(api(500, 'InternalError.Dispatch'), 1, 'unsafe', policy)).toBeUndefined();
		expect(retryDelay(new EcsError('timeout', call, {}, 't'), 1, 'unsafe', policy)).toBeUndefined();
		const waited = new EcsError('timeout', call, { phase: 'answer' }, 't');
		expect(retryDelay(waited, 1, 'unsafe', policy)).toBeUndefined();
		expect(retryDelay(waited, 1, 'read', policy)).toBeGreaterThan(0);
		// Connecting ran out (TCP, TLS or the proxy's tunnel): the request was never written.
		const connecting = new EcsError('timeout', call, { phase: 'connect', errno: 'ETIMEDOUT' }, 'c');
		expect(retryDelay(connecting, 1, 'unsafe', policy)).toBeGreaterThan(0);
		const noDns = new EcsError('network', call, { errno: 'EAI_AGAIN' }, 'd');
		expect(retryDelay(noDns, 1, 'unsafe', policy)).toBeGreaterThan(0);
		const cut = new EcsError('network', call, { errno: 'ECONNRESET' }, 'r');
		expect(retryDelay(cut, 1, 'unsafe', policy)).toBeUndefined();
	});

	it('retries a 5xx error page as a 5xx, never a 4xx page, and an unreadable success', () => {
		const page = (statusCode: number) =>
			new EcsError('response', call, { statusCode, unreadable: true }, 'page');
		for (const status of [502, 503, 504, 500]) {
			expect(retryDelay(page(status), 1, 'read', policy)).toBeGreaterThan(0);
			expect(retryDelay(page(status), 1, 'unsafe', policy)).toBeUndefined();
		}
		for (const status of [400, 403, 404, 301]) {
			expect([status, retryDelay(page(status), 1, 'read', policy)]).toEqual([status, undefined]);
		}
		expect(retryDelay(page(200), 1, 'read', policy)).toBeGreaterThan(0);
		expect(
			retryDelay(new EcsError('response', call, { unreadable: true }, 'cut'), 1, 'read', policy),
		).toBeGreaterThan(0);
	});

	it('words an error page by its status line and host, from the table', () => {
		const node = { name: 'ECS' } as never;
		const page = (statusCode: number, statusMessage?: string) =>
			toNodeApiError(
				node,
				new EcsError('response', call, { statusCode, statusMessage, unreadable: true }, 'page'),
			);
		expect(page(502, 'Bad Gateway').message).toBe(
			'DescribeManagedInstances failed: HTTP 502 Bad Gateway from ecs-cn-hangzhou.aliyuncs.com',
		);
		expect(page(503).message).toBe(
			'DescribeManagedInstances failed: HTTP 503 Service Unavailable from ecs-cn-hangzhou.aliyuncs.com',
		);
		expect(page(404).description).toMatch(/not an ECS API response.*not retried/);
		expect(page(504).description).toMatch(/Disable and Delete are not sent again/);
		expect(lookupErrorCode({ statusCode: 404, page: true })?.code).toBe('HTTP 4xx page');
		expect(lookupErrorCode({ statusCode: 502, page: true })?.code).toBe('HTTP 5xx page');
		// Throttling wins over the page: a 429 page is a 429.
		expect(lookupErrorCode({ statusCode: 429, page: true })?.code).toBe('HTTP 429');
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

describe("retryAfterMs: the header's unit", () => {
	it.each([
		[{ 'x-acs-retry-after': '1500' }, 1500],
		[{ 'x-acs-retry-after': ' 80 ' }, 80],
		[{ 'x-acs-retry-after': ['250', '999'] }, 250],
		[{ 'retry-after': '3' }, 3000],
		[{ 'x-acs-retry-after': '40', 'retry-after': '3' }, 40],
	])('reads %j as %i ms (x-acs-retry-after in ms, Retry-After in s)', (headers, ms) => {
		expect(retryAfterMs(headers)).toBe(ms);
	});

	it.each([
		{ 'x-acs-retry-after': '0' },
		{ 'x-acs-retry-after': '-1' },
		{ 'x-acs-retry-after': 'soon' },
		{ 'x-acs-retry-after': '' },
		{ 'retry-after': '0' },
		{},
	])('gives no hint for %j, as the SDKs do', (headers) => {
		expect(retryAfterMs(headers)).toBeUndefined();
	});

	it('reads an HTTP date in Retry-After as the time left until then', () => {
		const now = Date.parse('2025-01-01T00:00:00Z');
		expect(retryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }, now)).toBe(7000);
		expect(retryAfterMs({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, now)).toBeUndefined();
	});
});

describe('throttling in every form', () => {
	const policy = DEFAULT_RETRY_POLICY;
	const answer = (statusCode: number, code?: string, retryAfter?: number) =>
		new EcsError('api', call, { statusCode, code, retryAfterMs: retryAfter }, 'x');

	it('a 429 is throttling whatever its code or body, refused before acting: every action retries', () => {
		for (const error of [
			answer(429, 'TooManyRequests'),
			answer(429, 'InvalidParameter'),
			answer(429),
			new EcsError('response', call, { statusCode: 429, unreadable: true }, 'html'),
		]) {
			expect(refusedBeforeActing(error)).toBe(true);
			expect(retryDelay(error, 1, 'unsafe', policy)).toBeGreaterThan(0);
		}
		expect(
			toNodeApiError({ name: 'ECS' } as never, answer(429, 'TooManyRequests')).message,
		).toMatch(
			/^ecs-cn-hangzhou\.aliyuncs\.com answered 429 Too Many Requests to DescribeManagedInstances \(TooManyRequests\)$/,
		);
	});

	it('any answer with x-acs-retry-after is throttling, and waits as long as it says, capped', () => {
		const hinted = answer(400, 'InvalidParameter.Something', 1234);
		expect(retryDelay(hinted, 1, 'read', policy)).toBe(1234);
		expect(retryDelay(hinted, 1, 'unsafe', policy)).toBe(1234);
		expect(retryDelay(answer(400, 'Throttling.User', 10 ** 9), 1, 'read', policy)).toBe(
			policy.maxRetryAfterMs,
		);
	});

	it('a 5xx with a retry hint waits as it says for reads, but an unsafe write is not sent again', () => {
		const busy = answer(503, 'ServiceUnavailable', 700);
		expect(retryDelay(busy, 1, 'read', policy)).toBe(700);
		expect(retryDelay(busy, 1, 'idempotent', policy)).toBe(700);
		expect(refusedBeforeActing(busy)).toBe(false);
		expect(retryDelay(busy, 1, 'unsafe', policy)).toBeUndefined();
	});
});

describe('the error table', () => {
	it.each([
		['InvalidInstance.NotFound', 'target-not-found'],
		['InvalidInstanceId.NotFound', 'target-not-found'],
		['ActivationId.NotFound', 'target-not-found'],
		['InvalidActivationId.NotFound', 'target-not-found'],
		['InvalidRegionId.NotFound', 'region'],
		['RegionId.ApiNotSupported', 'region'],
		['InvalidAction.NotFound', 'action'],
		['InvalidResourceGroup.NotFound', 'other-not-found'],
		['InvalidAccessKeyId.NotFound', 'access-key'],
		['EntityNotExist.Whatever.NotFound', 'other-not-found'],
		['Throttling', 'throttled'],
		['Throttling.User', 'throttled'],
		['Api.Throttling.Burst', 'throttled'],
		['InvalidTimeStamp.Expired', 'clock'],
		['Forbidden.RAM', 'permission'],
		['Forbidden.Whatever', 'permission'],
		['Operation.Forbidden', 'forbidden'],
		['InvalidParameter.MaxResults', 'parameter'],
		['InternalError.Dispatch', 'server'],
	])('%s is %s', (code, kind) => {
		expect(lookupErrorCode({ code, statusCode: 400 })?.kind).toBe(kind);
	});

	it('"already gone" is only the target\'s own not-found', () => {
		const gone = (code: string) =>
			isTargetNotFound(new EcsError('api', call, { code, statusCode: 404 }, 'x'));
		expect(gone('InvalidInstance.NotFound')).toBe(true);
		expect(gone('ActivationId.NotFound')).toBe(true);
		for (const code of [
			'InvalidRegionId.NotFound',
			'InvalidAction.NotFound',
			'InvalidResourceGroup.NotFound',
			'InvalidAccessKeyId.NotFound',
			'InvalidKey.NotFound',
		]) {
			expect([code, gone(code)]).toEqual([code, false]);
		}
		// Throttling wins over the code: a throttled answer is never "already gone".
		expect(
			isTargetNotFound(
				new EcsError('api', call, { code: 'InvalidInstance.NotFound', statusCode: 429 }, 'x'),
			),
		).toBe(false);
	});

	it('has one row per code, each with its kind, retry rule, texts and source; every placeholder is one the node fills', () => {
		const codes = ERROR_CODES.map((row) => `${row.action ?? ''}:${row.code}`);
		expect(new Set(codes).size).toBe(codes.length);
		for (const row of ERROR_CODES) {
			expect(row.source.length).toBeGreaterThan(10);
			expect(row.summary).not.toMatch(/check the parameters/i);
			const placeholders = `${row.summary} ${row.advice}`.match(/\{\w+\}/g) ?? [];
			for (const p of placeholders) {
				expect([
					'{action}',
					'{region}',
					'{host}',
					'{subject}',
					'{code}',
					'{message}',
					'{ramAction}',
					'{status}',
					'{regions}',
				]).toContain(p);
			}
		}
	});

	it('shows a code it does not know with Alibaba Cloud\'s own code and message, once, never "check the parameters"', () => {
		const error = fromSdkError(
			apiError(400, 'Weird.NewCode', {
				data: { Code: 'Weird.NewCode', Message: 'The moon is in the way.', RequestId: 'R1' },
			}),
			call,
		);
		const nodeError = toNodeApiError({ name: 'ECS' } as never, error);
		expect(nodeError.message).toBe(
			'DescribeManagedInstances failed: The moon is in the way. (Weird.NewCode, request R1)',
		);
		expect(nodeError.description).not.toMatch(/check the parameters/i);
		expect(nodeError.description).toMatch(/Weird\.NewCode/);
		expect(
			`${nodeError.message} ${nodeError.description}`.split('The moon is in the way.'),
		).toHaveLength(2);
	});

	it('explains a refused region with the regions where managed instances exist', () => {
		const error = new EcsError(
			'api',
			{ ...call, regionId: 'xx-nowhere-1' },
			{ code: 'InvalidRegionId.NotFound', statusCode: 404 },
			'x',
		);
		const nodeError = toNodeApiError({ name: 'ECS' } as never, error);
		expect(nodeError.message).toBe(
			'Region xx-nowhere-1 is not known to the endpoint ecs-cn-hangzhou.aliyuncs.com (InvalidRegionId.NotFound)',
		);
		expect(nodeError.description).toMatch(/cn-qingdao, cn-beijing, .*, us-west-1, us-east-1/);
		expect(nodeError.message).not.toMatch(/not found in region/);
	});
});
