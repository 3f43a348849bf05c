/** Each injected fault kind, as the real SDK experiences it. */
import { FakeEcs, SAMPLE_INSTANCE } from './index';
import {
	$Ecs,
	ecsClient,
	rejectionOf,
	sdkSignedRequest,
	useFakeEcs,
	type Ecs,
} from './test-clients';

const env = useFakeEcs();

const regions = (client: Ecs = env.ecs) =>
	client.describeRegions(new $Ecs.DescribeRegionsRequest({}));
const listInstances = () =>
	env.ecs.describeManagedInstances(
		new $Ecs.DescribeManagedInstancesRequest({ regionId: 'cn-hangzhou' }),
	);
const deregisterSample = (client: Ecs = env.ecs) =>
	client.deregisterManagedInstance(
		new $Ecs.DeregisterManagedInstanceRequest({
			regionId: 'cn-hangzhou',
			instanceId: SAMPLE_INSTANCE.InstanceId,
		}),
	);
const sampleExists = () => env.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId) !== undefined;
const last = () => env.fake.requests[env.fake.requests.length - 1];

describe('error', () => {
	it('answers with the status, code and message given: 5xx becomes a ServerError', async () => {
		env.fake.inject({
			kind: 'error',
			status: 500,
			code: 'InternalError.Dispatch',
			message: 'An error occurred when you dispatched the request. Try again later.',
		});
		const err = await rejectionOf(regions());
		expect(err).toMatchObject({
			name: 'ServerError',
			statusCode: 500,
			code: 'InternalError.Dispatch',
		});
		expect(err.message).toContain('An error occurred when you dispatched the request');
		expect(last()).toMatchObject({ status: 500, code: 'InternalError.Dispatch', fault: 'error' });
	});

	it('throttles with x-acs-retry-after, which the SDK reads into ThrottlingError.retryAfter (ms)', async () => {
		env.fake.inject({
			kind: 'error',
			status: 400,
			code: 'Throttling.User',
			message: 'Request was denied due to user flow control.',
			retryAfterSeconds: 2,
		});
		const err = await rejectionOf(regions());
		expect(err).toMatchObject({
			name: 'ThrottlingError',
			code: 'Throttling.User',
			retryAfter: 2000,
		});
	});

	it('can carry extra body fields such as AccessDeniedDetail', async () => {
		const detail = {
			AuthAction: 'ecs:DeregisterManagedInstance',
			PolicyType: 'AccountLevelIdentityBasedPolicy',
			NoPermissionType: 'ImplicitDeny',
		};
		env.fake.inject({
			kind: 'error',
			status: 403,
			code: 'Forbidden.RAM',
			body: { AccessDeniedDetail: detail },
		});
		const err = await rejectionOf(deregisterSample());
		expect(err).toMatchObject({
			name: 'ClientError',
			statusCode: 403,
			code: 'Forbidden.RAM',
			accessDeniedDetail: detail,
		});
		expect(sampleExists()).toBe(true);
	});

	it('matches only its action, applies `times` times, then is consumed', async () => {
		env.fake.inject({
			kind: 'error',
			status: 503,
			code: 'ServiceUnavailable',
			action: 'DeregisterManagedInstance',
			times: 2,
		});
		await expect(regions()).resolves.toBeDefined();
		await rejectionOf(deregisterSample());
		await rejectionOf(deregisterSample());
		await expect(deregisterSample()).resolves.toBeDefined();
	});

	it('spares requests whose signature failed: the fault waits for a verified one', async () => {
		env.fake.inject({ kind: 'error', status: 503, code: 'ServiceUnavailable' });
		const wrongSecret = ecsClient(env.fake, { accessKeySecret: 'wrong-wrong-wrong-wrong-wrong-' });
		expect(await rejectionOf(regions(wrongSecret))).toMatchObject({
			code: 'SignatureDoesNotMatch',
		});
		expect(await rejectionOf(regions())).toMatchObject({ code: 'ServiceUnavailable' });
	});

	it('is cleared by reset()', async () => {
		env.fake.inject({ kind: 'error', status: 503, code: 'ServiceUnavailable' });
		env.fake.reset();
		await expect(regions()).resolves.toBeDefined();
	});
});

describe('broken bodies', () => {
	it('html: a 502 proxy page makes the SDK throw a bare SyntaxError', async () => {
		env.fake.inject({ kind: 'html', status: 502 });
		const res = await sdkSignedRequest(env.fake, { action: 'DescribeRegions' });
		expect([res.status, res.headers['content-type']]).toEqual([502, 'text/html']);
		expect(res.text).toContain('502 Bad Gateway');
		env.fake.inject({ kind: 'html' });
		expect((await rejectionOf(regions())).name).toBe('SyntaxError');
	});

	it.each([
		[503, '503 Service Temporarily Unavailable'],
		[504, '504 Gateway Time-out'],
	])(
		'html %i: the gateway page for that status, with a standard Retry-After when asked',
		async (status, title) => {
			env.fake.inject({ kind: 'html', status, retryAfterSeconds: 3 });
			const res = await sdkSignedRequest(env.fake, { action: 'DescribeRegions' });
			expect([res.status, res.headers['retry-after']]).toEqual([status, '3']);
			expect(res.text).toContain(`<title>${title}</title>`);
			expect(res.headers['x-acs-retry-after']).toBeUndefined();
		},
	);

	it('tooManyRequests: 429 before acting, JSON TooManyRequests (a ClientError, not a ThrottlingError, for the SDK), HTML or empty', async () => {
		env.fake.inject({
			kind: 'tooManyRequests',
			retryAfterSeconds: 1.5,
			action: 'DeregisterManagedInstance',
		});
		const err = await rejectionOf(deregisterSample());
		expect(err).toMatchObject({ name: 'ClientError', statusCode: 429, code: 'TooManyRequests' });
		expect(err).not.toHaveProperty('retryAfter', 1500);
		expect(sampleExists()).toBe(true);
		expect(last()).toMatchObject({
			status: 429,
			code: 'TooManyRequests',
			fault: 'tooManyRequests',
		});

		env.fake.inject({
			kind: 'tooManyRequests',
			body: 'html',
			retryAfterSeconds: 2,
			retryAfterHeader: 'retry-after',
		});
		const page = await sdkSignedRequest(env.fake, { action: 'DescribeRegions' });
		expect([page.status, page.headers['content-type'], page.headers['retry-after']]).toEqual([
			429,
			'text/html',
			'2',
		]);
		expect(page.text).toContain('429 Too Many Requests');

		env.fake.inject({ kind: 'tooManyRequests', body: 'empty', retryAfterSeconds: 0.25 });
		const empty = await sdkSignedRequest(env.fake, { action: 'DescribeRegions' });
		expect([empty.status, empty.text, empty.headers['x-acs-retry-after']]).toEqual([
			429,
			'',
			'250',
		]);
	});

	it('empty: a 200 with no body makes the SDK throw a SyntaxError', async () => {
		env.fake.inject({ kind: 'empty', status: 200 });
		expect((await rejectionOf(regions())).name).toBe('SyntaxError');
		expect(last()).toMatchObject({ status: 200, fault: 'empty' });
	});

	it('malformedJson: truncated JSON makes the SDK throw a SyntaxError', async () => {
		env.fake.inject({ kind: 'malformedJson' });
		expect((await rejectionOf(listInstances())).name).toBe('SyntaxError');
	});

	it('wrongTypes: InvocationCount "abc" / Connected "maybe" break the SDK model', async () => {
		env.fake.inject({ kind: 'wrongTypes' });
		const res = await sdkSignedRequest(env.fake, {
			action: 'DescribeManagedInstances',
			query: { RegionId: 'cn-hangzhou' },
		});
		expect(res.json.Instances).toEqual([
			expect.objectContaining({ InvocationCount: 'abc', Connected: 'maybe' }),
		]);
		env.fake.inject({ kind: 'wrongTypes' });
		expect((await rejectionOf(listInstances())).message).toMatch(/type of \w+ is mismatch/);
	});

	it('wrongTypes breaks a body without numbers too, after acting', async () => {
		env.fake.inject({ kind: 'wrongTypes' });
		expect((await rejectionOf(regions())).message).toMatch(/type of requestId is mismatch/);
		env.fake.inject({ kind: 'wrongTypes', action: 'DeregisterManagedInstance' });
		expect((await rejectionOf(deregisterSample())).message).toMatch(/is mismatch/);
		expect(sampleExists()).toBe(false);
	});
});

describe('connections', () => {
	it('hang: no answer within the client timeout; the action does not run', async () => {
		// The hang outlasts the client's 200 ms by far, so only the client's own timeout can end
		// the call first (a Timeout error, not the hang's dropped connection), even on a loaded machine.
		env.fake.inject({ kind: 'hang', ms: 20_000 });
		const impatient = ecsClient(env.fake, { readTimeout: 200 });
		const started = Date.now();
		const err = await rejectionOf(deregisterSample(impatient));
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(`${err.name} ${err.message}`).toMatch(/Timeout/);
		expect(sampleExists()).toBe(true);
		expect(last()).toMatchObject({ status: 0, fault: 'hang' });
	});

	it('reset: the connection drops and the action does not run', async () => {
		env.fake.inject({ kind: 'reset' });
		const err = await rejectionOf(deregisterSample());
		expect(err.message).toMatch(/ECONNRESET|socket hang up/);
		expect(sampleExists()).toBe(true);
	});

	it('dropAfterAction: the connection drops after the action ran', async () => {
		env.fake.inject({ kind: 'dropAfterAction' });
		const err = await rejectionOf(deregisterSample());
		expect(err.message).toMatch(/ECONNRESET|socket hang up/);
		expect(sampleExists()).toBe(false);
		expect(last()).toMatchObject({
			status: 0,
			fault: 'dropAfterAction',
			action: 'DeregisterManagedInstance',
		});
	});
});

describe('slow', () => {
	it('answers one request late, then acts and answers as usual', async () => {
		env.fake.inject({ kind: 'slow', ms: 300, action: 'DeregisterManagedInstance' });
		const started = Date.now();
		await deregisterSample();
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(sampleExists()).toBe(false);
		expect(last()).toMatchObject({ status: 200, fault: 'slow' });
	});
});

describe('latency', () => {
	it('delays every answer by latencyMs', async () => {
		const slow = await FakeEcs.start({ latencyMs: 150 });
		try {
			const started = Date.now();
			await regions(ecsClient(slow));
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		} finally {
			await slow.close();
		}
	});
});
