/**
 * A credential with a RAM Role ARN: the stored AccessKey assumes the role
 * through STS (the SDK's @alicloud/credentials, over HTTPS to the fake's STS with
 * its test certificate) and ECS calls are signed with the temporary keys and
 * security token. The session is reused until shortly before it expires.
 */
import { CredentialTestContext } from 'n8n-core';

import {
	FakeEcs,
	type RecordedRequest,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	TEST_ROLE_ARN,
} from '../fake-ecs';
import { CREDENTIAL_TYPE } from './harness';
import { FIXTURE_CREDENTIAL_ID, nodeWorkflow, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const EXTERNAL_ROLE = 'acs:ram::1234567890123456:role/partner-role';
/** Called by the fake after each request it answered (tests set it to act mid-batch). */
let afterRequest: ((request: RecordedRequest) => void) | undefined;
const t = useEngine({
	https: true,
	roles: { [TEST_ROLE_ARN]: {}, [EXTERNAL_ROLE]: { externalId: 'abc-123' } },
	onRequest: (request) => afterRequest?.(request),
});
afterEach(() => {
	afterRequest = undefined;
});

beforeAll(() => {
	if (!process.env.NODE_EXTRA_CA_CERTS) {
		throw new Error(
			'Run through `npm run jest` (scripts/jest.mjs), which trusts the fake STS test certificate',
		);
	}
});

function roleCredential(extra: Record<string, unknown> = {}) {
	return {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint: t.fake.url,
		roleArn: TEST_ROLE_ARN,
		roleSessionName: 'n8n-test',
		stsEndpoint: `https://${t.fake.httpsHost}`,
		...extra,
	};
}

const input = [{ region: 'cn-hangzhou', returnAll: true }];

it('signs ECS calls with the assumed role keys and token, and reuses the session', async () => {
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, roleCredential());
	const first = await t.harness.run(workflowFixture('instance-get-many'), input);
	expect(first.error).toBeUndefined();
	const second = await t.harness.run(workflowFixture('instance-get-many'), input);
	expect(second.error).toBeUndefined();

	const [assume, ...ecs] = t.fake.requests;
	expect(assume).toMatchObject({
		action: 'AssumeRole',
		signatureScheme: 'HMAC-SHA1',
		signatureValid: true,
		accessKeyId: TEST_ACCESS_KEY_ID,
		params: expect.objectContaining({
			RoleArn: TEST_ROLE_ARN,
			RoleSessionName: 'n8n-test',
			DurationSeconds: '3600',
		}),
	});
	const [session] = t.fake.sts.list();
	expect(ecs).toHaveLength(2);
	for (const request of ecs) {
		expect(request).toMatchObject({
			action: 'DescribeManagedInstances',
			signatureValid: true,
			accessKeyId: session.accessKeyId,
			securityToken: session.securityToken,
		});
	}
	// The temporary secret and token never reach the output or the logs.
	for (const run of [first, second]) {
		expect(run.everything()).not.toContain(session.accessKeySecret);
		expect(run.everything()).not.toContain(session.securityToken);
	}
});

it('passes the external ID a role requires', async () => {
	t.harness.storeCredential(
		FIXTURE_CREDENTIAL_ID,
		roleCredential({ roleArn: EXTERNAL_ROLE, externalId: 'abc-123' }),
	);
	const result = await t.harness.run(workflowFixture('instance-get-many'), input);
	expect(result.error).toBeUndefined();
	expect(t.fake.requests[0].params.ExternalId).toBe('abc-123');
});

it('reports a refused AssumeRole with the STS code', async () => {
	t.harness.storeCredential(
		FIXTURE_CREDENTIAL_ID,
		roleCredential({ roleArn: EXTERNAL_ROLE, externalId: 'wrong' }),
	);
	const result = await t.harness.run(workflowFixture('instance-get-many'), input);
	expect(result.error?.message).toMatch(
		/^Assuming the RAM role failed: .* \(NoPermission, request [0-9A-F-]{36}\)$/,
	);
	expect(result.error?.description).toMatch(/trust policy/);
	expect(t.fake.requests.map((r) => r.action)).toEqual(['AssumeRole']);
});

it('tests the credential through the role', async () => {
	const node = t.harness.nodeType();
	const result = await node.methods!.credentialTest!.alibabaCloudAccessKeyApiTest.call(
		new CredentialTestContext(),
		{
			id: 'x',
			name: 'x',
			type: CREDENTIAL_TYPE,
			// Another session name: another credential, with no session cached by the tests above.
			data: roleCredential({ roleSessionName: 'credential-test' }),
		},
	);
	expect(result).toEqual({
		status: 'OK',
		message: expect.stringMatching(
			new RegExp(`through the role ${TEST_ROLE_ARN.replace(/[/:]/g, '\\$&')}`),
		),
	});
	expect(t.fake.requests.map((r) => r.action)).toEqual(['AssumeRole', 'DescribeRegions']);
});

it('assumes the role afresh when ECS rejects the cached session', async () => {
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, roleCredential({ roleSessionName: 'revoked' }));
	expect((await t.harness.run(workflowFixture('instance-get-many'), input)).error).toBeUndefined();
	t.fake.sts.clear(); // the session is revoked on the server side
	const result = await t.harness.run(workflowFixture('instance-get-many'), input);

	expect(result.error).toBeUndefined();
	expect(t.fake.requests.map((r) => [r.action, r.code ?? 'OK'])).toEqual([
		['AssumeRole', 'OK'],
		['DescribeManagedInstances', 'OK'],
		['DescribeManagedInstances', 'InvalidAccessKeyId.NotFound'],
		['AssumeRole', 'OK'],
		['DescribeManagedInstances', 'OK'],
	]);
	t.fake.requests.length = 0; // the rejected request is expected here
});

it('names the STS endpoint, not ECS, when STS cannot be reached', async () => {
	const closed = await FakeEcs.start();
	const host = closed.host;
	await closed.close();
	t.harness.storeCredential(
		FIXTURE_CREDENTIAL_ID,
		roleCredential({ roleSessionName: 'unreachable', stsEndpoint: `https://${host}` }),
	);
	const result = await t.harness.run(workflowFixture('instance-get-many'), input);
	expect(result.error?.message).toBe(`The STS endpoint ${host} refused the connection`);
	expect(result.error?.description).toMatch(/STS Endpoint field/);
	expect(t.fake.requests).toEqual([]);
});

it('refuses a malformed role ARN before any request', async () => {
	t.harness.storeCredential(
		FIXTURE_CREDENTIAL_ID,
		roleCredential({ roleArn: 'arn:aws:iam::123:role/x' }),
	);
	const result = await t.harness.run(workflowFixture('instance-get-many'), input);
	expect(result.error?.message).toMatch(
		/^RAM Role ARN "arn:aws:iam::123:role\/x" in the credential is not a role ARN$/,
	);
	expect(t.fake.requests).toEqual([]);
});

describe('one session for a whole batch (concurrency 10, 20 items)', () => {
	const ids = Array.from({ length: 20 }, (_, i) => `mi-batch${String(i).padStart(8, '0')}`);
	const getEach = nodeWorkflow(
		{
			resource: 'managedInstance',
			operation: 'get',
			regionId: 'cn-hangzhou',
			instanceId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			options: { concurrency: 10 },
		},
		{ onError: 'continueRegularOutput' },
	);
	const assumeRoleCalls = () => t.fake.requests.filter((r) => r.action === 'AssumeRole').length;

	beforeEach(() => {
		for (const id of ids) t.fake.state.addInstance({ InstanceId: id, RegionId: 'cn-hangzhou' });
	});

	it('when the session expires mid-batch: the role is assumed once more, and every item succeeds', async () => {
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, roleCredential({ roleSessionName: 'batch' }));
		let answered = 0;
		afterRequest = (request) => {
			if (request.action === 'DescribeManagedInstances' && ++answered === 5) {
				t.fake.sts.expireAll(Date.now()); // the session ends while 5 requests are in flight
			}
		};
		const result = await t.harness.run(
			getEach,
			ids.map((id) => ({ id })),
		);

		expect(result.json('ECS').map((item) => item.error ?? item.InstanceId)).toEqual(ids);
		expect(assumeRoleCalls()).toBeLessThanOrEqual(2);
		const expired = t.fake.requests.filter((r) => r.code === 'InvalidSecurityToken.Expired');
		expect(expired.length).toBeGreaterThan(0); // the expiry did hit requests in flight
		t.fake.requests.length = 0; // the rejected requests are expected here
	});

	it('a 900-second session (the shortest STS issues) serves the whole batch', async () => {
		t.harness.storeCredential(
			FIXTURE_CREDENTIAL_ID,
			roleCredential({ roleSessionName: 'short', roleSessionDurationSeconds: 900 }),
		);
		const result = await t.harness.run(
			getEach,
			ids.map((id) => ({ id })),
		);
		expect(result.json('ECS').map((item) => item.error ?? item.InstanceId)).toEqual(ids);
		expect(assumeRoleCalls()).toBe(1);
	});
});
