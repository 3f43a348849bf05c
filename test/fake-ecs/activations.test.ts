/** CreateActivation, DescribeActivations, DisableActivation, DeleteActivation through the real SDK. */
import { $Ecs, rejectionOf, sdkSignedRequest, useFakeEcs } from './test-clients';

const env = useFakeEcs();

const create = (request: Partial<$Ecs.CreateActivationRequest> = {}) =>
	env.ecs.createActivation(
		new $Ecs.CreateActivationRequest({ regionId: 'cn-hangzhou', ...request }),
	);
const list = async (request: Partial<$Ecs.DescribeActivationsRequest> = {}) =>
	(
		await env.ecs.describeActivations(
			new $Ecs.DescribeActivationsRequest({ regionId: 'cn-hangzhou', maxResults: 50, ...request }),
		)
	).body?.activationList ?? [];
const disable = (activationId: string) =>
	env.ecs.disableActivation(
		new $Ecs.DisableActivationRequest({ regionId: 'cn-hangzhou', activationId }),
	);
const remove = (activationId: string) =>
	env.ecs.deleteActivation(
		new $Ecs.DeleteActivationRequest({ regionId: 'cn-hangzhou', activationId }),
	);

describe('CreateActivation', () => {
	it('returns ActivationCode, ActivationId and RequestId, and applies the documented defaults', async () => {
		const res = await create();
		expect(Object.keys(res.body?.toMap() ?? {}).sort()).toEqual([
			'ActivationCode',
			'ActivationId',
			'RequestId',
		]);
		expect(res.body?.activationCode).toMatch(/^a-hz0/);
		const [listed] = await list();
		expect(listed.toMap()).toMatchObject({
			ActivationId: res.body?.activationId,
			InstanceCount: 10,
			TimeToLiveInHours: 4,
			IpAddressRange: '0.0.0.0/0',
			RegisteredCount: 0,
			DeregisteredCount: 0,
			Disabled: false,
			Tags: [],
		});
	});

	it('stores what it was given', async () => {
		const res = await create({
			instanceName: 'edge-node',
			description: 'Edge fleet',
			instanceCount: 1000,
			timeToLiveInHours: 4,
			ipAddressRange: '2001:db8::/32',
			resourceGroupId: 'rg-x',
			tag: [{ key: 'env', value: 'prod' }] as never,
		});
		expect(env.fake.state.getActivation(res.body?.activationId ?? '', 'cn-hangzhou')).toMatchObject(
			{
				InstanceName: 'edge-node',
				Description: 'Edge fleet',
				InstanceCount: 1000,
				TimeToLiveInHours: 4,
				IpAddressRange: '2001:db8::/32',
				ResourceGroupId: 'rg-x',
				Tags: [{ TagKey: 'env', TagValue: 'prod' }],
			},
		);
	});

	it('never shows the code again', async () => {
		const code = (await create()).body?.activationCode ?? 'missing';
		const res = await sdkSignedRequest(env.fake, {
			action: 'DescribeActivations',
			query: { RegionId: 'cn-hangzhou' },
		});
		expect(res.status).toBe(200);
		expect(res.text).not.toContain(code);
	});

	it.each<[string, Partial<$Ecs.CreateActivationRequest>, string]>([
		['a 1-character InstanceName', { instanceName: 'a' }, 'InstanceName.InvalidPattern'],
		['a 51-character InstanceName', { instanceName: 'a'.repeat(51) }, 'InstanceName.ExceedLimit'],
		[
			'an InstanceName starting with a digit',
			{ instanceName: '9lives' },
			'InstanceName.InvalidPattern',
		],
		[
			'an InstanceName starting with http://',
			{ instanceName: 'http://x' },
			'InstanceName.InvalidPattern',
		],
		['a 101-character Description', { description: 'd'.repeat(101) }, 'ActivationDesc.ExceedLimit'],
		['InstanceCount 0', { instanceCount: 0 }, 'ActivationLimitation.Invalid'],
		['InstanceCount 1001', { instanceCount: 1001 }, 'ActivationLimitation.Invalid'],
		['TimeToLiveInHours 0', { timeToLiveInHours: 0 }, 'InvalidParam.TimeToLiveInHours'],
		[
			"TimeToLiveInHours 5, over the SDK model's 4",
			{ timeToLiveInHours: 5 },
			'ActivationTTL.ExceedLimit',
		],
		[
			'an IpAddressRange that is no address',
			{ ipAddressRange: 'office' },
			'AddressRange.InvalidPattern',
		],
		['a /33 IPv4 block', { ipAddressRange: '10.0.0.0/33' }, 'AddressRange.InvalidPattern'],
		[
			'a 65-character tag key',
			{ tag: [{ key: 'k'.repeat(65), value: 'v' }] as never },
			'InvalidTagKey.Malformed',
		],
		[
			'a tag value with a URL',
			{ tag: [{ key: 'k', value: 'see https://x' }] as never },
			'InvalidTagValue.Malformed',
		],
		[
			'a tag key given twice',
			{
				tag: [
					{ key: 'k', value: 'a' },
					{ key: 'k', value: 'b' },
				] as never,
			},
			'Duplicate.TagKey',
		],
		['a tag value without a key', { tag: [{ value: 'v' }] as never }, 'MissingParameter.TagKey'],
		[
			'a tag key starting with aliyun',
			{ tag: [{ key: 'aliyun-x', value: 'v' }] as never },
			'InvalidTagKey.Malformed',
		],
		[
			'21 tags',
			{ tag: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' })) as never },
			'NumberExceed.Tags',
		],
		['a 65-character ClientToken', { clientToken: 'x'.repeat(65) }, 'InvalidParam.ClientToken'],
	])('rejects %s with 400 and creates nothing', async (_what, request, code) => {
		expect(await rejectionOf(create(request))).toMatchObject({ statusCode: 400, code });
		expect(env.fake.state.listActivations()).toEqual([]);
	});

	it('accepts the bounds', async () => {
		await create({
			instanceName: 'ab',
			description: 'd',
			instanceCount: 1,
			timeToLiveInHours: 1,
			ipAddressRange: '192.168.1.10',
		});
		await create({
			instanceName: 'a'.repeat(50),
			description: 'd'.repeat(100),
			instanceCount: 1000,
		});
		expect(env.fake.state.listActivations()).toHaveLength(2);
	});
});

describe('DescribeActivations', () => {
	it('returns ActivationList as a plain array and filters by ID, InstanceName, resource group and tags', async () => {
		const a = env.fake.state.addActivation({ InstanceName: 'web', Tags: { env: 'prod' } });
		const b = env.fake.state.addActivation({
			InstanceName: 'db',
			ResourceGroupId: 'rg-db',
			Tags: { env: 'dev' },
		});
		const res = await sdkSignedRequest(env.fake, {
			action: 'DescribeActivations',
			query: { RegionId: 'cn-hangzhou' },
		});
		expect(Array.isArray(res.json.ActivationList)).toBe(true);
		const idsOf = async (r: Partial<$Ecs.DescribeActivationsRequest>) =>
			(await list(r)).map((x) => x.activationId).sort();
		expect(await idsOf({})).toEqual([a.ActivationId, b.ActivationId].sort());
		expect(await idsOf({ activationId: a.ActivationId })).toEqual([a.ActivationId]);
		expect(await idsOf({ instanceName: 'db' })).toEqual([b.ActivationId]);
		expect(await idsOf({ resourceGroupId: 'rg-db' })).toEqual([b.ActivationId]);
		expect(await idsOf({ tag: [{ key: 'env', value: 'prod' }] as never })).toEqual([
			a.ActivationId,
		]);
		expect(await idsOf({ regionId: 'cn-beijing' })).toEqual([]);
	});

	it('pages with PageNumber/PageSize and then reports TotalCount', async () => {
		for (let i = 0; i < 12; i++) env.fake.state.addActivation();
		const res = await env.ecs.describeActivations(
			new $Ecs.DescribeActivationsRequest({ regionId: 'cn-hangzhou', pageNumber: 2, pageSize: 5 }),
		);
		expect(res.body?.toMap()).toMatchObject({ PageNumber: 2, PageSize: 5, TotalCount: 12 });
		expect(res.body?.activationList).toHaveLength(5);
	});

	it('pages with NextToken/MaxResults without repeating or skipping', async () => {
		const all = Array.from(
			{ length: 23 },
			() => env.fake.state.addActivation().ActivationId,
		).sort();
		const seen: string[] = [];
		let nextToken: string | undefined;
		do {
			const res = await env.ecs.describeActivations(
				new $Ecs.DescribeActivationsRequest({ regionId: 'cn-hangzhou', maxResults: 10, nextToken }),
			);
			seen.push(...(res.body?.activationList ?? []).map((x) => x.activationId ?? ''));
			nextToken = res.body?.nextToken;
		} while (nextToken);
		expect(seen).toEqual(all);
	});

	it('ignores PageNumber/PageSize beside NextToken or MaxResults, and answers TotalCount and PageSize in NextToken mode', async () => {
		for (let i = 0; i < 12; i++) env.fake.state.addActivation();
		const first = await env.ecs.describeActivations(
			new $Ecs.DescribeActivationsRequest({
				regionId: 'cn-hangzhou',
				maxResults: 5,
				pageNumber: 2,
				pageSize: 3,
			}),
		);
		expect(first.body?.activationList).toHaveLength(5);
		expect(first.body?.toMap()).toMatchObject({ PageSize: 5, TotalCount: 12 });
		const second = await env.ecs.describeActivations(
			new $Ecs.DescribeActivationsRequest({
				regionId: 'cn-hangzhou',
				maxResults: 5,
				nextToken: first.body?.nextToken,
				pageNumber: 1,
			}),
		);
		const firstIds = first.body?.activationList?.map((a) => a.activationId);
		expect(second.body?.activationList?.map((a) => a.activationId)).not.toEqual(
			expect.arrayContaining([firstIds?.[0]]),
		);
		expect(second.body?.totalCount).toBe(12);
	});

	it.each<[string, Partial<$Ecs.DescribeActivationsRequest>, string]>([
		['a NextToken it did not issue', { nextToken: 'x' }, 'InvalidParameter.NextToken'],
		['MaxResults 51', { maxResults: 51 }, 'InvalidParameter.MaxResults'],
		['PageSize 51', { pageSize: 51 }, 'InvalidParam.PageSize'],
		['PageNumber 0', { pageNumber: 0 }, 'InvalidParam.PageNumber'],
	])('rejects %s with 400', async (_what, request, code) => {
		expect(
			await rejectionOf(
				env.ecs.describeActivations(
					new $Ecs.DescribeActivationsRequest({ regionId: 'cn-hangzhou', ...request }),
				),
			),
		).toMatchObject({ statusCode: 400, code });
	});
});

describe('DisableActivation', () => {
	it('returns the Activation with Disabled true, and it stays disabled', async () => {
		const { ActivationId } = env.fake.state.addActivation({ Description: 'temp' });
		const first = await disable(ActivationId);
		expect(first.body?.activation?.toMap()).toMatchObject({
			ActivationId,
			Disabled: true,
			Description: 'temp',
		});
		const again = await disable(ActivationId);
		expect(again.body?.activation?.disabled).toBe(true);
		expect((await list())[0].disabled).toBe(true);
	});

	it('answers an unknown ID with 404 ActivationId.NotFound, as its reference documents', async () => {
		expect(await rejectionOf(disable('4ECEEE12-0000-4000-8000-000000000000'))).toMatchObject({
			statusCode: 404,
			code: 'ActivationId.NotFound',
		});
	});
});

describe('DeleteActivation', () => {
	it('deletes an unused code and returns it', async () => {
		const { ActivationId } = env.fake.state.addActivation({ InstanceName: 'x1' });
		const res = await remove(ActivationId);
		expect(res.body?.activation?.toMap()).toMatchObject({
			ActivationId,
			InstanceName: 'x1',
			RegisteredCount: 0,
		});
		expect(await list()).toEqual([]);
		expect(await rejectionOf(remove(ActivationId))).toMatchObject({
			statusCode: 404,
			code: 'ActivationId.NotFound',
		});
	});

	it('refuses a code that registered an instance with 403 ActivationId.InUse, even after deregistration', async () => {
		const { ActivationId } = env.fake.state.addActivation();
		const instance = env.fake.state.addInstance({ ActivationId });
		expect(await rejectionOf(remove(ActivationId))).toMatchObject({
			statusCode: 403,
			code: 'ActivationId.InUse',
		});
		env.fake.state.deregisterInstance(instance.InstanceId, 'cn-hangzhou');
		expect(await rejectionOf(remove(ActivationId))).toMatchObject({
			statusCode: 403,
			code: 'ActivationId.InUse',
		});
		expect(env.fake.state.getActivation(ActivationId)).toBeDefined();
	});
});
