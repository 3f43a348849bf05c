/**
 * The credential's Test button: n8n calls the node's credentialTest method with
 * a CredentialTestContext (n8n-core's real class) and the decrypted data.
 */
import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';
import { CredentialTestContext } from 'n8n-core';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import { CREDENTIAL_TYPE } from './harness';
import { useEngine } from './setup';

const t = useEngine();

async function testCredential(
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const node = t.harness.nodeType();
	const test = node.methods!.credentialTest!.alibabaCloudAccessKeyApiTest;
	return await test.call(new CredentialTestContext(), {
		id: 'cred-test',
		name: 'Alibaba Cloud (test)',
		type: CREDENTIAL_TYPE,
		data,
	});
}

const valid = () => ({
	accessKeyId: TEST_ACCESS_KEY_ID,
	accessKeySecret: TEST_ACCESS_KEY_SECRET,
	endpoint: t.fake.url,
});

describe('credential test', () => {
	it('succeeds with a valid AccessKey, by a harmless DescribeRegions call', async () => {
		const result = await testCredential(valid());
		expect(result).toEqual({
			status: 'OK',
			message: `Connection successful: the AccessKey can call ECS (${t.fake.regions.length} regions visible)`,
		});
		expect(t.fake.requests).toMatchObject([
			{ action: 'DescribeRegions', signatureValid: true, status: 200 },
		]);
	});

	it('reports a wrong secret with the Alibaba code, without the secret', async () => {
		const result = await testCredential({ ...valid(), accessKeySecret: 'not-the-secret' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Alibaba Cloud rejected the request signature \(SignatureDoesNotMatch, request [0-9A-F-]{36}\): Specified signature is not matched with our calculation\.$/,
		);
		expect(result.message).not.toContain('not-the-secret');
		t.fake.requests.length = 0; // refused on purpose
	});

	it('reports an unknown AccessKey ID', async () => {
		const result = await testCredential({ ...valid(), accessKeyId: 'LTAI5tNobodyKnowsThisKey0' });
		expect(result).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/InvalidAccessKeyId\.NotFound/),
		});
		t.fake.requests.length = 0; // refused on purpose
	});

	it('reports permission problems with the missing RAM action', async () => {
		t.fake.inject({
			kind: 'error',
			status: 403,
			code: 'Forbidden.RAM',
			message: 'User not authorized to operate on the specified resource.',
			body: { AccessDeniedDetail: { AuthAction: 'ecs:DescribeRegions' } },
		});
		const result = await testCredential(valid());
		expect(result).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(
				/^The AccessKey is not allowed to call ecs:DescribeRegions \(Forbidden\.RAM, /,
			),
		});
	});

	it('refuses bad fields before any request', async () => {
		await expect(testCredential({ ...valid(), accessKeyId: '' })).resolves.toEqual({
			status: 'Error',
			message: 'The credential has no AccessKey ID',
		});
		await expect(
			testCredential({ ...valid(), endpoint: 'http://ecs.example.com' }),
		).resolves.toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/plain http:\/\/ is only allowed for a local endpoint/),
		});
		await expect(
			testCredential({ ...valid(), accessKeyId: 'STS.NaaaaaaaaaaaaaaaaaaaaaaaA' }),
		).resolves.toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/no Security Token/),
		});
		expect(t.fake.requests).toEqual([]);
	});

	it("reports a skewed clock as the n8n host's clock, with Alibaba Cloud's message once", async () => {
		t.fake.skewClock(20 * 60_000);
		const result = await testCredential(valid());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Alibaba Cloud refused the request as expired: the n8n host's clock is more than 15 minutes off \(InvalidTimeStamp\.Expired, request [0-9A-F-]{36}\): Specified time stamp or date value is expired/,
		);
		expect(result.message.match(/Specified time stamp or date value is expired/g)).toHaveLength(1);
		expect(t.fake.requests).toMatchObject([
			{ signatureValid: true, code: 'InvalidTimeStamp.Expired' },
		]);
	});

	it("shows a code the node does not know with Alibaba Cloud's code and message, once", async () => {
		t.fake.inject({ kind: 'error', status: 400, code: 'Brand.NewCode', message: 'Something new.' });
		const result = await testCredential(valid());
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^DescribeRegions failed: Something new\. \(Brand\.NewCode, request [0-9A-F-]{36}\)$/,
			),
		});
	});

	it('reports an endpoint that does not answer', async () => {
		const other = await FakeEcs.start();
		const host = other.host;
		await other.close();
		const result = await testCredential({ ...valid(), endpoint: `http://${host}` });
		expect(result).toEqual({
			status: 'Error',
			message: `The ECS endpoint ${host} refused the connection`,
		});
	});
});
