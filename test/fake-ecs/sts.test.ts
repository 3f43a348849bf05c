/** STS AssumeRole as @alicloud/credentials' ram_role_arn provider calls it, and ECS calls with its keys. */
import { OpenApiUtil } from '@alicloud/openapi-core';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET, TEST_ROLE_ARN } from './index';
import {
	$Ecs,
	ecsClient,
	rawRequest,
	rejectionOf,
	ramRoleCredential,
	type RoleOptions,
} from './test-clients';

const EXTERNAL_ROLE = 'acs:ram::1234567890123456:role/partner-role';
let fake: FakeEcs;

beforeAll(async () => {
	fake = await FakeEcs.start({
		https: true,
		roles: { [TEST_ROLE_ARN]: {}, [EXTERNAL_ROLE]: { externalId: 'abcd1234' } },
	});
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const describeRegionsWith = (o: Omit<RoleOptions, 'plainHttp'>) =>
	ecsClient(fake, {
		credential: ramRoleCredential(fake, { ...o, plainHttp: true }),
	}).describeRegions(new $Ecs.DescribeRegionsRequest({}));

describe('in process (STS over plain HTTP through the provider hook)', () => {
	it('issues STS credentials that later ECS calls must use with their token', async () => {
		await describeRegionsWith({ roleArn: TEST_ROLE_ARN });
		const [assume, ecsCall] = fake.requests;
		expect(assume).toMatchObject({
			action: 'AssumeRole',
			method: 'POST',
			signatureScheme: 'HMAC-SHA1',
			signatureValid: true,
			status: 200,
			accessKeyId: TEST_ACCESS_KEY_ID,
			params: {
				Version: '2015-04-01',
				RoleArn: TEST_ROLE_ARN,
				RoleSessionName: 'fake-ecs-test',
				DurationSeconds: '3600',
				Format: 'JSON',
			},
		});
		const [session] = fake.sts.list();
		expect(session.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]{25}$/);
		expect(ecsCall).toMatchObject({
			action: 'DescribeRegions',
			status: 200,
			signatureValid: true,
			accessKeyId: session.accessKeyId,
			securityToken: session.securityToken,
		});
		expect(ecsCall.headers['x-acs-credentials-provider']).toBe('ram_role_arn/static_ak');
	});

	it('answers with the documented shape', async () => {
		// Signed by the SDK's RPC signer: query holds the common parameters, the form body the rest.
		const query: Record<string, string> = {
			Action: 'AssumeRole',
			Version: '2015-04-01',
			Format: 'JSON',
			Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
			SignatureMethod: 'HMAC-SHA1',
			SignatureVersion: '1.0',
			SignatureNonce: `n-${Date.now()}`,
			AccessKeyId: TEST_ACCESS_KEY_ID,
		};
		const form = { RoleArn: TEST_ROLE_ARN, RoleSessionName: 'alice', DurationSeconds: '900' };
		query.Signature = OpenApiUtil.getRPCSignature(
			{ ...query, ...form },
			'POST',
			TEST_ACCESS_KEY_SECRET,
		);
		const res = await rawRequest(fake, {
			query,
			body: new URLSearchParams(form).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
			AssumedRoleUser: {
				Arn: `${TEST_ROLE_ARN}/alice`,
				AssumedRoleId: expect.stringMatching(/^\d{18}:alice$/),
			},
			Credentials: {
				AccessKeyId: expect.stringMatching(/^STS\./),
				AccessKeySecret: expect.any(String),
				SecurityToken: expect.stringMatching(/^CAIS/),
				Expiration: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
			},
		});
		const expiresIn =
			Date.parse(String((res.json.Credentials as Record<string, unknown>).Expiration)) - Date.now();
		expect(expiresIn).toBeGreaterThan(880_000);
		expect(expiresIn).toBeLessThanOrEqual(900_000);
	});

	it("accepts the role's ExternalId and refuses another with 403 NoPermission", async () => {
		await expect(
			describeRegionsWith({ roleArn: EXTERNAL_ROLE, externalId: 'abcd1234' }),
		).resolves.toBeDefined();
		const err = await rejectionOf(
			describeRegionsWith({ roleArn: EXTERNAL_ROLE, externalId: 'wrong' }),
		);
		expect(err.message).toContain('NoPermission');
		const missing = await rejectionOf(describeRegionsWith({ roleArn: EXTERNAL_ROLE }));
		expect(missing.message).toContain('NoPermission');
	});

	it.each<[string, Omit<RoleOptions, 'plainHttp'>, string]>([
		[
			'an unknown role',
			{ roleArn: 'acs:ram::1234567890123456:role/nobody' },
			'EntityNotExist.Role',
		],
		['a malformed RoleArn', { roleArn: 'arn:aws:iam::1:role/x' }, 'InvalidParameter.RoleArn'],
		[
			'a duration above the role maximum',
			{ roleArn: TEST_ROLE_ARN, durationSeconds: 7200 },
			'InvalidParameter.DurationSeconds',
		],
	])('refuses %s', async (_what, options, code) => {
		const err = await rejectionOf(describeRegionsWith(options));
		expect(err.message).toContain(code);
		expect(fake.sts.list()).toEqual([]);
	});

	it("lets the provider recognise a wrong secret from the server's string to sign", async () => {
		const err = await rejectionOf(
			describeRegionsWith({
				roleArn: TEST_ROLE_ARN,
				accessKeySecret: 'wrong-secret-wrong-secret-0000',
			}),
		);
		expect(err.message).toBe('the access key secret is invalid');
		expect(fake.requests[0]).toMatchObject({
			action: 'AssumeRole',
			status: 400,
			code: 'SignatureDoesNotMatch',
			signatureValid: false,
		});
	});
});

describe('in a child process (the real HTTPS path, no hooks)', () => {
	const repoRoot = path.resolve(__dirname, '../..');
	const script = `
		const { default: Credential, Config } = require('@alicloud/credentials');
		const Ecs = require('@alicloud/ecs20140526');
		const { $OpenApiUtil } = require('@alicloud/openapi-core');
		const [host, stsEndpoint, accessKeyId, accessKeySecret, roleArn] = process.argv.slice(1);
		const credential = new Credential(new Config({ type: 'ram_role_arn', accessKeyId, accessKeySecret, roleArn, roleSessionName: 'child', stsEndpoint }));
		const ecs = new Ecs.default(new $OpenApiUtil.Config({ credential, endpoint: host, protocol: 'HTTP', regionId: 'cn-hangzhou' }));
		ecs.describeRegions(new Ecs.DescribeRegionsRequest({}))
			.then((res) => console.log(JSON.stringify({ regions: res.body.regions.region.length })))
			.catch((err) => console.log(JSON.stringify({ error: err.message })));
	`;
	const run = async (env: NodeJS.ProcessEnv) => {
		const args = [
			'-e',
			script,
			fake.host,
			fake.httpsHost ?? '',
			TEST_ACCESS_KEY_ID,
			TEST_ACCESS_KEY_SECRET,
			TEST_ROLE_ARN,
		];
		const { stdout } = await promisify(execFile)(process.execPath, args, {
			cwd: repoRoot,
			env,
			timeout: 20_000,
		});
		return JSON.parse(stdout.trim()) as { regions?: number; error?: string };
	};

	it('assumes the role over HTTPS when the test CA is trusted, then calls ECS with the STS key', async () => {
		const result = await run({ ...process.env, NODE_EXTRA_CA_CERTS: FakeEcs.caCertPath });
		expect(result).toEqual({ regions: fake.regions.length });
		expect(fake.requests.map((r) => [r.action, r.status, r.signatureValid])).toEqual([
			['AssumeRole', 200, true],
			['DescribeRegions', 200, true],
		]);
		expect(fake.requests[1].securityToken).toBe(fake.sts.list().at(-1)?.securityToken);
	});

	it('fails the TLS handshake when the CA is not trusted', async () => {
		const env = { ...process.env };
		delete env.NODE_EXTRA_CA_CERTS;
		const result = await run(env);
		expect(result.error).toMatch(/certificate/i);
		expect(fake.requests).toEqual([]);
	});
});
