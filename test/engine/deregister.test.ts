/**
 * Deregister Managed Instance, run through n8n's real engine against the fake
 * ECS endpoint (signature verified on every request) with the real SDK.
 */
import { FakeEcs, SAMPLE_INSTANCE, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import { expectedFixture, FIXTURE_CREDENTIAL_ID, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

// Every request must carry a valid signature unless a test clears the record
// (those that use a wrong secret on purpose), and no secret may leak: see setup.ts.
const t = useEngine();

const sample = { region: 'cn-hangzhou', instanceId: SAMPLE_INSTANCE.InstanceId };

describe('Deregister Managed Instance', () => {
	it('outputs the documented instance fields under the API names, with InvocationCount as a number', async () => {
		const result = await t.harness.run(workflowFixture('deregister'), [sample]);

		expect(result.error).toBeUndefined();
		const [item, ...rest] = result.items('Deregister');
		expect(rest).toEqual([]);
		const { RequestId, ...fields } = item.json;
		const expected = expectedFixture('deregister-sample').item as Record<string, unknown>;
		expect(fields).toEqual(expected);
		// in the documented order: what identifies the instance first, RequestId last
		expect(Object.keys(item.json)).toEqual([...Object.keys(expected), 'RequestId']);
		expect(RequestId).toMatch(REQUEST_ID);
		expect(item.pairedItem).toEqual({ item: 0 });

		expect(t.fake.requests).toHaveLength(1);
		const [request] = t.fake.requests;
		expect(request).toMatchObject({
			action: 'DeregisterManagedInstance',
			signatureScheme: 'ACS3-HMAC-SHA256',
			signatureValid: true,
			accessKeyId: TEST_ACCESS_KEY_ID,
			status: 200,
			requestId: RequestId,
		});
		expect(request.params).toMatchObject({
			RegionId: 'cn-hangzhou',
			InstanceId: 'mi-hz01axdfas0001',
		});
		expect(t.fake.state.getInstance('mi-hz01axdfas0001', 'cn-hangzhou')).toBeUndefined();
	});

	it('keeps any further field the API returns, such as ResourceGroupId', async () => {
		t.fake.state.addInstance({
			InstanceId: 'mi-rg0000000001',
			RegionId: 'cn-beijing',
			ResourceGroupId: 'rg-acfmzw2jz2z****',
			InvocationCount: '0',
		});
		const result = await t.harness.run(workflowFixture('deregister'), [
			{ region: 'cn-beijing', instanceId: 'mi-rg0000000001' },
		]);
		expect(result.json('Deregister')[0]).toMatchObject({
			InstanceId: 'mi-rg0000000001',
			ResourceGroupId: 'rg-acfmzw2jz2z****',
			InvocationCount: 0,
		});
	});

	it('handles several items with per-item expressions, one output per input, in order and paired', async () => {
		t.fake.state.addInstance({ InstanceId: 'mi-bj0000000001', RegionId: 'cn-beijing' });
		t.fake.state.addInstance({ InstanceId: 'mi-sg0000000001', RegionId: 'ap-southeast-1' });
		const input = [
			{ region: 'ap-southeast-1', instanceId: 'mi-sg0000000001' },
			{ region: ' cn-beijing ', instanceId: ' mi-bj0000000001 ' },
			sample,
		];

		const result = await t.harness.run(workflowFixture('deregister'), input);

		expect(result.error).toBeUndefined();
		const items = result.items('Deregister');
		expect(items.map((i) => i.json.InstanceId)).toEqual([
			'mi-sg0000000001',
			'mi-bj0000000001',
			'mi-hz01axdfas0001',
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(t.fake.requests.map((r) => [r.params.RegionId, r.params.InstanceId])).toEqual([
			['ap-southeast-1', 'mi-sg0000000001'],
			['cn-beijing', 'mi-bj0000000001'],
			['cn-hangzhou', 'mi-hz01axdfas0001'],
		]);
		expect(t.fake.state.listInstances()).toEqual([]);
	});

	it('sends a ClientToken per item, the same for identical retries and different between items', async () => {
		t.fake.state.addInstance({ InstanceId: 'mi-bj0000000001', RegionId: 'cn-beijing' });
		await t.harness.run(workflowFixture('deregister'), [
			sample,
			{ region: 'cn-beijing', instanceId: 'mi-bj0000000001' },
		]);
		const tokens = t.fake.requests.map((r) => r.params.ClientToken);
		expect(tokens[0]).toMatch(/^[0-9a-f]{48}$/);
		expect(tokens[1]).toMatch(/^[0-9a-f]{48}$/);
		expect(tokens[0]).not.toBe(tokens[1]);
	});
});

describe('Deregister errors', () => {
	it('stops the run with a NotFound error naming the instance, region, code and request ID', async () => {
		const result = await t.harness.run(workflowFixture('deregister'), [
			{ region: 'cn-beijing', instanceId: SAMPLE_INSTANCE.InstanceId },
		]);

		expect(result.run.status).toBe('error');
		const error = result.error!;
		expect(error.message).toMatch(
			/^Managed instance mi-hz01axdfas0001 was not found in region cn-beijing \(InvalidInstance\.NotFound, request [0-9A-F-]{36}\)$/,
		);
		expect(error.description).toMatch(/Check the Region ID/);
		expect(error).toMatchObject({ httpCode: '404', context: { itemIndex: 0 } });
		expect(t.fake.requests[0].requestId).toBe(/request ([0-9A-F-]{36})/.exec(error.message)![1]);
		expect(t.fake.requests[0]).toMatchObject({ status: 404, code: 'InvalidInstance.NotFound' });
		// Nothing was deregistered in the region where the instance lives.
		expect(t.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, 'cn-hangzhou')).toBeDefined();
	});

	it.each([
		[
			'InternalError.Dispatch',
			{
				kind: 'error',
				status: 500,
				code: 'InternalError.Dispatch',
				message: 'An error occurred when you dispatched the request. Try again later.',
			},
			/^Alibaba Cloud could not process DeregisterManagedInstance right now \(InternalError\.Dispatch, request /,
			/safe to retry/,
			'500',
		],
		[
			'Throttling.User',
			{
				kind: 'error',
				status: 400,
				code: 'Throttling.User',
				message: 'Request was denied due to user flow control.',
			},
			/^Alibaba Cloud is throttling DeregisterManagedInstance requests \(Throttling\.User, /,
			/Try again later/,
			'400',
		],
		[
			'Forbidden.RAM',
			{
				kind: 'error',
				status: 403,
				code: 'Forbidden.RAM',
				message:
					'User not authorized to operate on the specified resource, or this API does not support RAM.',
				body: {
					AccessDeniedDetail: {
						AuthAction: 'ecs:DeregisterManagedInstance',
						PolicyType: 'AccountLevelIdentityBasedPolicy',
					},
				},
			},
			/^The AccessKey is not allowed to call ecs:DeregisterManagedInstance \(Forbidden\.RAM, /,
			/Grant the RAM user or role a policy that allows "ecs:DeregisterManagedInstance"/,
			'403',
		],
		[
			'RegionId.ApiNotSupported',
			{
				kind: 'error',
				status: 400,
				code: 'RegionId.ApiNotSupported',
				message: 'The api is not supported in this region.',
			},
			/^DeregisterManagedInstance is not available in region cn-hangzhou \(RegionId\.ApiNotSupported, /,
			/Check the Region ID/,
			'400',
		],
	] as const)(
		'maps %s to a clear NodeApiError',
		async (_code, fault, message, description, httpCode) => {
			// Often enough that retries of transient errors give up too.
			t.fake.inject({ ...fault, action: 'DeregisterManagedInstance', times: 10 } as Parameters<
				FakeEcs['inject']
			>[0]);
			const result = await t.harness.run(workflowFixture('deregister'), [sample]);

			expect(result.run.status).toBe('error');
			expect(result.error!.message).toMatch(message);
			expect(result.error!.description).toMatch(description);
			expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode });
			expect(result.error!.message).toContain(t.fake.requests.at(-1)!.requestId);
		},
	);

	it('reports a wrong AccessKey secret as SignatureDoesNotMatch', async () => {
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: 'WrongSecretWrongSecretWrongSec',
			endpoint: t.fake.url,
		});
		const result = await t.harness.run(workflowFixture('deregister'), [sample]);

		expect(result.error!.message).toMatch(
			/^Alibaba Cloud rejected the request signature \(SignatureDoesNotMatch, request /,
		);
		expect(result.error!.description).toMatch(/AccessKey Secret in the credential does not belong/);
		expect(t.fake.requests).toMatchObject([
			{ signatureValid: false, status: 400, code: 'SignatureDoesNotMatch' },
		]);
		expect(t.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, 'cn-hangzhou')).toBeDefined();
		t.fake.requests.length = 0;
	});

	it('reports an unknown AccessKey ID', async () => {
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: 'LTAI5tUnknownKey000000000',
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: t.fake.url,
		});
		const result = await t.harness.run(workflowFixture('deregister'), [sample]);
		expect(result.error!.message).toMatch(
			/^Alibaba Cloud does not know the AccessKey ID in the credential \(InvalidAccessKeyId\.NotFound, /,
		);
		t.fake.requests.length = 0;
	});

	it('reports an unreachable endpoint by host, without the request URL', async () => {
		const closed = await FakeEcs.start();
		const host = closed.host;
		await closed.close();
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: `http://${host}`,
		});
		const result = await t.harness.run(workflowFixture('deregister'), [sample]);
		expect(result.error!.message).toBe(`The ECS endpoint ${host} refused the connection`);
		expect(result.error!.description).toMatch(/ECONNREFUSED/);
		expect(result.everything()).not.toMatch(/InstanceId=mi-/);
	});
});

describe('Bad input is refused before any request', () => {
	it.each([
		[
			{ region: 'cn-hangzhou.evil.example', instanceId: 'mi-hz01axdfas0001' },
			/^Item 0: Region ID "cn-hangzhou\.evil\.example" is not a region ID$/,
		],
		[
			{ region: 'cn-hangzhou', instanceId: 'i-bp1h6ntgnhykgtyd1rmw' },
			/^Item 0: Instance ID "i-bp1h6ntgnhykgtyd1rmw" is an ECS instance ID, not a managed instance ID$/,
		],
		[
			{ region: 'cn-hangzhou', instanceId: 'mi-1&Action=DeleteInstance' },
			/^Item 0: Instance ID "mi-1&Action=DeleteInstance" is not a managed instance ID$/,
		],
		[{ region: '', instanceId: 'mi-hz01axdfas0001' }, /^Item 0: Region ID is empty$/],
		[{ region: 'cn-hangzhou', instanceId: '   ' }, /^Item 0: Instance ID is empty$/],
		[
			{ region: 'cn-hangzhou', instanceId: 12345 },
			/^Item 0: Instance ID must be text .* got number 12345$/,
		],
		[
			{ region: 'cn-hangzhou', instanceId: ['mi-a', 'mi-b'] },
			/^Item 0: Instance ID must be text .* got a list \(2 entries\)$/,
		],
		[
			{ region: 'cn-hangzhou', instanceId: { id: 'mi-a' } },
			/^Item 0: Instance ID must be text .* got an object$/,
		],
	])('%j', async (input, message) => {
		const result = await t.harness.run(workflowFixture('deregister'), [input]);
		expect(result.run.status).toBe('error');
		expect(result.error!.message).toMatch(message);
		expect(result.error!.description).toBeTruthy();
		expect(t.fake.requests).toEqual([]);
	});

	it('checks every item before sending the first request', async () => {
		const result = await t.harness.run(workflowFixture('deregister'), [
			sample,
			sample,
			{ region: 'cn-hangzhou', instanceId: 'i-bp1h6ntgnhykgtyd1rmw' },
		]);
		expect(result.error!.message).toMatch(/^Item 2: Instance ID/);
		expect(result.error).toMatchObject({ context: { itemIndex: 2 } });
		expect(t.fake.requests).toEqual([]);
		expect(t.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, 'cn-hangzhou')).toBeDefined();
	});

	it('refuses a credential endpoint that would send signed requests over plain HTTP to another host', async () => {
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: 'http://ecs.example.com',
		});
		const result = await t.harness.run(workflowFixture('deregister'), [sample]);
		expect(result.error!.message).toMatch(
			/^Endpoint "http:\/\/ecs\.example\.com" in the credential is not usable: plain http:\/\/ is only allowed for a local endpoint/,
		);
		expect(t.fake.requests).toEqual([]);
	});
});

describe('Continue on fail', () => {
	const input = [
		{ region: 'cn-hangzhou', instanceId: 'mi-missing00001' },
		sample,
		{ region: 'cn-hangzhou', instanceId: 'i-bp1h6ntgnhykgtyd1rmw' },
		{ region: 'cn-beijing', instanceId: 'mi-bj0000000001' },
	];

	beforeEach(() => {
		t.fake.state.addInstance({ InstanceId: 'mi-bj0000000001', RegionId: 'cn-beijing' });
	});

	it('continueRegularOutput: failed items become error items paired to their input, the rest go on', async () => {
		const result = await t.harness.run(workflowFixture('deregister-continue-regular'), input);

		expect(result.run.status).toBe('success');
		const items = result.items('Deregister');
		expect(items.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(items[0].json).toEqual({
			error: expect.stringMatching(
				/^Managed instance mi-missing00001 was not found in region cn-hangzhou \(InvalidInstance\.NotFound, request [0-9A-F-]{36}\)$/,
			),
		});
		expect(items[0].error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '404',
			description: expect.stringMatching(/Check the Region ID/),
			context: { itemIndex: 0 },
		});
		expect(items[1].json).toMatchObject({ InstanceId: 'mi-hz01axdfas0001', InvocationCount: 2 });
		expect(items[2].json).toMatchObject({
			error:
				'Item 2: Instance ID "i-bp1h6ntgnhykgtyd1rmw" is an ECS instance ID, not a managed instance ID',
		});
		expect(items[3].json).toMatchObject({ InstanceId: 'mi-bj0000000001' });
		// The bad item sent nothing; the other three did.
		expect(t.fake.requests.map((r) => r.params.InstanceId)).toEqual([
			'mi-missing00001',
			'mi-hz01axdfas0001',
			'mi-bj0000000001',
		]);
	});

	it('continueErrorOutput: failed items go to the error output, successes to the main output', async () => {
		const result = await t.harness.run(workflowFixture('deregister-error-output'), input);

		expect(result.run.status).toBe('success');
		const success = result.items('Deregister', 0);
		const failed = result.items('Deregister', 1);
		expect(success.map((i) => [i.json.InstanceId, i.pairedItem])).toEqual([
			['mi-hz01axdfas0001', { item: 1 }],
			['mi-bj0000000001', { item: 3 }],
		]);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failed[0].json).toEqual({
			error: expect.stringMatching(
				/^Managed instance mi-missing00001 was not found .*InvalidInstance\.NotFound/,
			),
		});
		expect(failed[1].json.error).toMatch(/^Item 2: Instance ID/);
	});
});

describe('Secrets', () => {
	it('never appear in output items, errors or logs, whatever happens', async () => {
		const securityToken = 'CAIS-static-sts-token-that-must-never-leak-0123456789';
		const runs = [];
		// Success and failures with the real secret.
		runs.push(
			await t.harness.run(workflowFixture('deregister-continue-regular'), [
				sample,
				{ region: 'cn-hangzhou', instanceId: 'mi-missing00001' },
				{ region: 'cn-hangzhou', instanceId: 'i-x' },
			]),
		);
		t.fake.inject({ kind: 'error', status: 500, code: 'InternalError.Dispatch', times: 3 });
		runs.push(await t.harness.run(workflowFixture('deregister'), [sample]));
		// An STS token that the fake does not know (rejected) still must not be echoed.
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			securityToken,
			endpoint: t.fake.url,
		});
		runs.push(await t.harness.run(workflowFixture('deregister'), [sample]));

		for (const result of runs) {
			const everything = result.everything();
			expect(everything).not.toContain(TEST_ACCESS_KEY_SECRET);
			expect(everything).not.toContain(securityToken);
		}
		expect(t.harness.logger.lines.join('\n')).not.toContain(TEST_ACCESS_KEY_SECRET);
		// The check can fail: the secret did reach the engine, encrypted, and the token was sent.
		expect(t.fake.requests.some((r) => r.securityToken === securityToken)).toBe(true);
		t.fake.requests.length = 0;
	});
});
