/** Request authentication: signatures (V3 and V1), clock, nonce, STS tokens, routing and error bodies. */
import { FakeEcs, SAMPLE_INSTANCE, TEST_ACCESS_KEY_ID } from './index';
import {
	$Ecs,
	ecsClient,
	rawRequest,
	rejectionOf,
	sdkSignedHeaders,
	sdkSignedRequest,
	type ClientOptions,
} from './test-clients';

let clock = Date.now();
let fake: FakeEcs;

beforeAll(async () => {
	fake = await FakeEcs.start({
		now: () => clock,
		accessKeys: {
			[TEST_ACCESS_KEY_ID]: 'Fk3cT9sEcr8tW2xQ7mL4nV6bZ1yH5p',
			LTAI5tSecondKeyForTests: 'AnotherSecretAnotherSecret1234',
		},
	});
});
afterAll(() => fake.close());
beforeEach(() => {
	clock = Date.now();
	fake.reset();
});

const deregisterSample = (o: ClientOptions = {}) =>
	ecsClient(fake, o).deregisterManagedInstance(
		new $Ecs.DeregisterManagedInstanceRequest({
			regionId: 'cn-hangzhou',
			instanceId: SAMPLE_INSTANCE.InstanceId,
		}),
	);
const sampleQuery = { RegionId: 'cn-hangzhou' };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const lastRequest = () => fake.requests[fake.requests.length - 1];

describe('signatures', () => {
	it('accepts the SDK and records a verified ACS3-HMAC-SHA256 request', async () => {
		await deregisterSample();
		expect(lastRequest()).toMatchObject({
			action: 'DeregisterManagedInstance',
			method: 'POST',
			path: '/',
			signatureScheme: 'ACS3-HMAC-SHA256',
			signatureValid: true,
			accessKeyId: TEST_ACCESS_KEY_ID,
			status: 200,
			params: { RegionId: 'cn-hangzhou', InstanceId: SAMPLE_INSTANCE.InstanceId },
		});
	});

	it('answers a wrong secret with 400 SignatureDoesNotMatch and does not act', async () => {
		const err = await rejectionOf(
			deregisterSample({ accessKeySecret: 'not-the-right-secret-at-all-00' }),
		);
		expect(err).toMatchObject({
			name: 'ClientError',
			statusCode: 400,
			code: 'SignatureDoesNotMatch',
		});
		expect(lastRequest()).toMatchObject({
			signatureValid: false,
			status: 400,
			code: 'SignatureDoesNotMatch',
		});
		expect(fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)).toBeDefined();
	});

	it('answers an unknown AccessKey ID with 404 InvalidAccessKeyId.NotFound', async () => {
		expect(
			await rejectionOf(deregisterSample({ accessKeyId: 'LTAI5tNobodyKnowsThisKey' })),
		).toMatchObject({ statusCode: 404, code: 'InvalidAccessKeyId.NotFound' });
	});

	it('accepts every configured key with its own secret only', async () => {
		await expect(
			deregisterSample({
				accessKeyId: 'LTAI5tSecondKeyForTests',
				accessKeySecret: 'AnotherSecretAnotherSecret1234',
			}),
		).resolves.toBeDefined();
		fake.reset();
		const err = await rejectionOf(
			deregisterSample({
				accessKeyId: 'LTAI5tSecondKeyForTests',
				accessKeySecret: 'Fk3cT9sEcr8tW2xQ7mL4nV6bZ1yH5p',
			}),
		);
		expect(err).toMatchObject({ code: 'SignatureDoesNotMatch' });
	});

	it('accepts V1 HMAC-SHA1 requests (SDK signatureAlgorithm v2)', async () => {
		await deregisterSample({ signatureAlgorithm: 'v2' });
		expect(lastRequest()).toMatchObject({
			signatureScheme: 'HMAC-SHA1',
			signatureValid: true,
			status: 200,
			action: 'DeregisterManagedInstance',
		});
		expect(fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)).toBeUndefined();
	});

	it('answers an unsigned request with 400 SignatureDoesNotMatch', async () => {
		const res = await rawRequest(fake, {
			query: { Action: 'DescribeRegions', Version: '2014-05-26' },
		});
		expect(res.status).toBe(400);
		expect(res.json.Code).toBe('SignatureDoesNotMatch');
		expect(lastRequest()).toMatchObject({ signatureScheme: 'none', signatureValid: false });
	});

	it('answers a malformed Authorization header with 400 IncompleteSignature', async () => {
		const res = await sdkSignedRequest(fake, { action: 'DescribeRegions' }, (h) => {
			h.authorization = 'ACS3-HMAC-SHA256 Credential=LTAI5tFakeEcsTestKey0001,Signature=abc';
		});
		expect([res.status, res.json.Code]).toEqual([400, 'IncompleteSignature']);
	});

	it.each<[string, (h: Record<string, string>, q: Record<string, string>) => void, string]>([
		[
			'a query value changed after signing',
			(_h, q) => (q.RegionId = 'cn-beijing'),
			'SignatureDoesNotMatch',
		],
		[
			'a query parameter added after signing',
			(_h, q) => (q.InstanceId = 'mi-x'),
			'SignatureDoesNotMatch',
		],
		[
			'a signed header changed after signing',
			(h) => (h['x-acs-action'] = 'DescribeActivations'),
			'SignatureDoesNotMatch',
		],
		[
			'an unsigned x-acs-* header',
			(h) => (h['x-acs-security-token'] = 'CAISsmuggled'),
			'IncompleteSignature',
		],
	])('rejects %s', async (_what, tamper, code) => {
		const res = await sdkSignedRequest(
			fake,
			{ action: 'DescribeManagedInstances', query: sampleQuery },
			tamper,
		);
		expect([res.status, res.json.Code]).toEqual([400, code]);
	});

	it('rejects a body that does not match x-acs-content-sha256', async () => {
		const headers = sdkSignedHeaders(fake, {
			action: 'DescribeManagedInstances',
			query: sampleQuery,
		});
		const res = await rawRequest(fake, { query: sampleQuery, headers, body: 'InstanceId=mi-x' });
		expect([res.status, res.json.Code]).toEqual([400, 'SignatureDoesNotMatch']);
	});

	it('reads parameters from a signed form body too', async () => {
		const body = `RegionId=cn-hangzhou&InstanceId=${SAMPLE_INSTANCE.InstanceId}`;
		const res = await sdkSignedRequest(fake, {
			action: 'DeregisterManagedInstance',
			body,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(res.status).toBe(200);
		expect(fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)).toBeUndefined();
	});
});

describe('clock and nonce', () => {
	it.each([
		['16 minutes slow', -16, 'InvalidTimeStamp.Expired'],
		['16 minutes fast', 16, 'InvalidTimeStamp.Expired'],
	])('rejects a request %s', async (_what, minutes, code) => {
		const res = await sdkSignedRequest(fake, {
			action: 'DescribeRegions',
			date: iso(clock + minutes * 60_000),
		});
		expect([res.status, res.json.Code]).toEqual([400, code]);
	});

	it('accepts a request 14 minutes off', async () => {
		const res = await sdkSignedRequest(fake, {
			action: 'DescribeRegions',
			date: iso(clock - 14 * 60_000),
		});
		expect(res.status).toBe(200);
	});

	it('clock-skew mode: a server clock 16 minutes off refuses the SDK with InvalidTimeStamp.Expired, 14 minutes passes, reset() ends it', async () => {
		fake.skewClock(16 * 60_000);
		expect(await rejectionOf(deregisterSample())).toMatchObject({
			statusCode: 400,
			code: 'InvalidTimeStamp.Expired',
		});
		expect(fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)).toBeDefined();
		expect(lastRequest()).toMatchObject({ signatureValid: true, code: 'InvalidTimeStamp.Expired' });
		fake.skewClock(-16 * 60_000);
		expect((await rejectionOf(deregisterSample())).code).toBe('InvalidTimeStamp.Expired');
		fake.skewClock(14 * 60_000);
		await expect(deregisterSample()).resolves.toMatchObject({ statusCode: 200 });
		fake.skewClock(-20 * 60_000);
		fake.reset();
		await expect(
			ecsClient(fake).describeRegions(new $Ecs.DescribeRegionsRequest({})),
		).resolves.toMatchObject({ statusCode: 200 });
	});

	it('rejects a badly formatted x-acs-date with InvalidTimeStamp.Format', async () => {
		const res = await sdkSignedRequest(fake, {
			action: 'DescribeRegions',
			date: new Date(clock).toUTCString(),
		});
		expect([res.status, res.json.Code]).toEqual([400, 'InvalidTimeStamp.Format']);
	});

	it('rejects a replayed nonce with SignatureNonceUsed, and a fresh nonce passes', async () => {
		const first = await sdkSignedRequest(fake, {
			action: 'DescribeRegions',
			nonce: 'fixed-nonce-1',
		});
		const replay = await sdkSignedRequest(fake, {
			action: 'DescribeRegions',
			nonce: 'fixed-nonce-1',
		});
		const fresh = await sdkSignedRequest(fake, {
			action: 'DescribeRegions',
			nonce: 'fixed-nonce-2',
		});
		expect([first.status, replay.status, replay.json.Code, fresh.status]).toEqual([
			200,
			400,
			'SignatureNonceUsed',
			200,
		]);
	});
});

describe('STS keys', () => {
	const issue = (ttlMs = 3_600_000) =>
		fake.sts.issue('acs:ram::1234567890123456:role/r', 's', clock + ttlMs);

	it('accepts an STS key with its token and records both', async () => {
		const session = issue();
		await deregisterSample({
			accessKeyId: session.accessKeyId,
			accessKeySecret: session.accessKeySecret,
			securityToken: session.securityToken,
		});
		expect(lastRequest()).toMatchObject({
			status: 200,
			accessKeyId: session.accessKeyId,
			securityToken: session.securityToken,
		});
		expect(lastRequest().headers['x-acs-accesskey-id']).toBe(session.accessKeyId);
	});

	it.each<[string, (s: ReturnType<typeof issue>) => ClientOptions, string]>([
		[
			'an STS key without a token',
			(s) => ({ accessKeyId: s.accessKeyId, accessKeySecret: s.accessKeySecret }),
			'MissingSecurityToken',
		],
		[
			"an STS key with another session's token",
			(s) => ({
				accessKeyId: s.accessKeyId,
				accessKeySecret: s.accessKeySecret,
				securityToken: issue().securityToken,
			}),
			'InvalidSecurityToken.MismatchWithAccessKey',
		],
		[
			'a permanent key with an STS token',
			(s) => ({ securityToken: s.securityToken }),
			'InvalidSecurityToken.MismatchWithAccessKey',
		],
	])('rejects %s', async (_what, options, code) => {
		const err = await rejectionOf(deregisterSample(options(issue())));
		expect(err).toMatchObject({ statusCode: 400, code });
		expect(fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)).toBeDefined();
	});

	it('rejects an expired STS token', async () => {
		const session = issue(60_000);
		clock += 61_000;
		const err = await rejectionOf(
			deregisterSample({
				accessKeyId: session.accessKeyId,
				accessKeySecret: session.accessKeySecret,
				securityToken: session.securityToken,
			}),
		);
		expect(err).toMatchObject({ statusCode: 400, code: 'InvalidSecurityToken.Expired' });
	});
});

describe('routing and error bodies', () => {
	it('answers an unknown action with 404 InvalidAction.NotFound and an unknown version with 400 InvalidVersion', async () => {
		const unknownAction = await sdkSignedRequest(fake, { action: 'RunInstances' });
		const unknownVersion = await sdkSignedRequest(fake, {
			action: 'DescribeRegions',
			version: '2099-01-01',
		});
		expect([unknownAction.status, unknownAction.json.Code]).toEqual([
			404,
			'InvalidAction.NotFound',
		]);
		expect([unknownVersion.status, unknownVersion.json.Code]).toEqual([400, 'InvalidVersion']);
	});

	it('gives every answer a fresh upper-case RequestId, also in x-acs-request-id', async () => {
		const a = await sdkSignedRequest(fake, { action: 'DescribeRegions' });
		const b = await sdkSignedRequest(fake, { action: 'RunInstances' });
		for (const res of [a, b]) {
			expect(res.json.RequestId).toMatch(/^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/);
			expect(res.headers['x-acs-request-id']).toBe(res.json.RequestId);
		}
		expect(a.json.RequestId).not.toBe(b.json.RequestId);
	});

	it('answers errors with RequestId, HostId, Code, Message and Recommend', async () => {
		const res = await sdkSignedRequest(fake, {
			action: 'DeregisterManagedInstance',
			query: { RegionId: 'cn-hangzhou', InstanceId: 'mi-hz01gone' },
		});
		expect(res.status).toBe(404);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(Object.keys(res.json).sort()).toEqual([
			'Code',
			'HostId',
			'Message',
			'Recommend',
			'RequestId',
		]);
		expect(res.json).toMatchObject({ Code: 'InvalidInstance.NotFound', HostId: fake.host });
		// The reference's message, which names no ID.
		expect(res.json.Message).toBe('The specified instance id does not exist.');
	});
});
