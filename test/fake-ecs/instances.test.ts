/** DeregisterManagedInstance, DescribeManagedInstances (filters), ModifyManagedInstance, through the real SDK. */
import { SAMPLE_INSTANCE } from './index';
import { $Ecs, rejectionOf, sdkSignedRequest, useFakeEcs } from './test-clients';

const env = useFakeEcs();

const describe_ = (request: Partial<$Ecs.DescribeManagedInstancesRequest>) =>
	env.ecs.describeManagedInstances(
		new $Ecs.DescribeManagedInstancesRequest({
			regionId: 'cn-hangzhou',
			maxResults: 50,
			...request,
		}),
	);
const ids = async (request: Partial<$Ecs.DescribeManagedInstancesRequest>) =>
	(await describe_(request)).body?.instances?.map((i) => i.instanceId).sort() ?? [];

describe('DeregisterManagedInstance', () => {
	it('answers with the documented sample, field for field, InvocationCount a number on the wire (the current sample)', async () => {
		const res = await sdkSignedRequest(env.fake, {
			action: 'DeregisterManagedInstance',
			query: { RegionId: 'cn-hangzhou', InstanceId: SAMPLE_INSTANCE.InstanceId },
		});
		expect(res.status).toBe(200);
		expect(res.json.Instance).toEqual({ ...SAMPLE_INSTANCE, InvocationCount: 2 });
		expect(res.json.RequestId).toMatch(
			/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/,
		);
	});

	it('removes the instance: the SDK sees it gone and a second call is 404 InvalidInstance.NotFound', async () => {
		const res = await env.ecs.deregisterManagedInstance(
			new $Ecs.DeregisterManagedInstanceRequest({
				regionId: 'cn-hangzhou',
				instanceId: SAMPLE_INSTANCE.InstanceId,
			}),
		);
		expect(res.statusCode).toBe(200);
		expect(res.body?.instance?.invocationCount).toBe(2);
		expect(res.body?.instance?.instanceName).toBe('test-InstanceName-001');
		expect(await ids({})).toEqual([]);
		const err = await rejectionOf(
			env.ecs.deregisterManagedInstance(
				new $Ecs.DeregisterManagedInstanceRequest({
					regionId: 'cn-hangzhou',
					instanceId: SAMPLE_INSTANCE.InstanceId,
				}),
			),
		);
		expect(err).toMatchObject({
			name: 'ClientError',
			code: 'InvalidInstance.NotFound',
			statusCode: 404,
		});
	});

	it('finds instances only in their own region', async () => {
		const err = await rejectionOf(
			env.ecs.deregisterManagedInstance(
				new $Ecs.DeregisterManagedInstanceRequest({
					regionId: 'cn-beijing',
					instanceId: SAMPLE_INSTANCE.InstanceId,
				}),
			),
		);
		expect(err).toMatchObject({ code: 'InvalidInstance.NotFound', statusCode: 404 });
		expect(env.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, 'cn-hangzhou')).toBeDefined();
	});

	it('counts the deregistration on the activation code', async () => {
		const activation = env.fake.state.addActivation({ InstanceName: 'edge' });
		const instance = env.fake.state.addInstance({ ActivationId: activation.ActivationId });
		expect(instance.InstanceName).toBe('edge-01');
		await env.ecs.deregisterManagedInstance(
			new $Ecs.DeregisterManagedInstanceRequest({
				regionId: 'cn-hangzhou',
				instanceId: instance.InstanceId,
			}),
		);
		expect(env.fake.state.getActivation(activation.ActivationId)).toMatchObject({
			RegisteredCount: 1,
			DeregisteredCount: 1,
		});
	});

	it.each([
		[{ instanceId: SAMPLE_INSTANCE.InstanceId }, 400, 'MissingParameter'],
		[{ regionId: 'cn-hangzhou' }, 400, 'MissingParameter'],
		[
			{ regionId: 'xx-nowhere-1', instanceId: SAMPLE_INSTANCE.InstanceId },
			404,
			'InvalidRegionId.NotFound',
		],
		[
			{ regionId: 'eu-central-1', instanceId: SAMPLE_INSTANCE.InstanceId },
			400,
			'RegionId.ApiNotSupported',
		],
	])('rejects %j with %i %s', async (request, status, code) => {
		const err = await rejectionOf(
			env.ecs.deregisterManagedInstance(new $Ecs.DeregisterManagedInstanceRequest(request)),
		);
		expect(err).toMatchObject({ statusCode: status, code });
		expect(env.fake.state.listInstances()).toHaveLength(1);
	});
});

describe('DescribeManagedInstances', () => {
	it('returns Instances and Tags as plain arrays, with InvocationCount a number and TotalCount/PageSize in NextToken mode', async () => {
		env.fake.state.addInstance({ Tags: { env: 'prod' }, InvocationCount: 7 });
		const res = await sdkSignedRequest(env.fake, {
			action: 'DescribeManagedInstances',
			query: { RegionId: 'cn-hangzhou' },
		});
		const instances = res.json.Instances as Array<Record<string, unknown>>;
		expect(Array.isArray(instances)).toBe(true);
		const tagged = instances.find((i) => i.InvocationCount === 7);
		expect(tagged?.Tags).toEqual([{ TagKey: 'env', TagValue: 'prod' }]);
		expect(typeof tagged?.Connected).toBe('boolean');
		expect(res.json).toMatchObject({ TotalCount: 2, PageSize: 10 });
	});

	it('lists the sample with the SDK, types converted by the SDK model', async () => {
		const [instance] = (await describe_({})).body?.instances ?? [];
		expect(instance.toMap()).toEqual({
			...SAMPLE_INSTANCE,
			InvocationCount: 2,
			Connected: true,
			Tags: [],
		});
	});

	it('keeps regions apart', async () => {
		const beijing = env.fake.state.addInstance({ RegionId: 'cn-beijing' });
		expect(await ids({ regionId: 'cn-beijing' })).toEqual([beijing.InstanceId]);
		expect(await ids({})).toEqual([SAMPLE_INSTANCE.InstanceId]);
	});

	describe('filters', () => {
		const base = {
			Connected: true,
			OsType: 'linux',
			ResourceGroupId: 'rg-a',
			Tags: { env: 'prod' },
		};
		let a: string, b: string, c: string;
		beforeEach(() => {
			a = env.fake.state.addInstance({
				...base,
				InstanceName: 'web-1',
				InternetIp: '47.1.1.1',
				IntranetIp: '10.0.0.1',
				MachineId: 'machine-a',
				ActivationId: 'ACT-A',
			}).InstanceId;
			b = env.fake.state.addInstance({
				...base,
				InstanceName: 'web-2',
				InternetIp: '47.2.2.2',
				IntranetIp: '10.0.0.2',
				OsType: 'windows',
				Connected: false,
				Tags: { env: 'prod', team: 'x' },
			}).InstanceId;
			c = env.fake.state.addInstance({
				...base,
				InstanceName: 'db-1',
				IntranetIp: '10.0.0.3',
				ResourceGroupId: 'rg-b',
				OsType: 'FreeBSD',
				Tags: { env: 'dev' },
			}).InstanceId;
		});

		it.each<[string, Partial<$Ecs.DescribeManagedInstancesRequest>, () => string[]]>([
			['no filter', {}, () => [a, b, c, SAMPLE_INSTANCE.InstanceId]],
			['InstanceName', { instanceName: 'web-2' }, () => [b]],
			['InstanceIp (internet)', { instanceIp: '47.1.1.1' }, () => [a]],
			['InstanceIp (intranet)', { instanceIp: '10.0.0.3' }, () => [c]],
			['ActivationId', { activationId: 'ACT-A' }, () => [a]],
			['MachineId', { machineId: 'machine-a' }, () => [a]],
			['OsType, any case', { osType: 'WINDOWS' }, () => [b]],
			['OsType FreeBSD', { osType: 'FreeBSD' }, () => [c]],
			['Connected=false', { connected: 'false' }, () => [b]],
			['ResourceGroupId', { resourceGroupId: 'rg-b' }, () => [c]],
			['Tag key and value', { tag: [{ key: 'env', value: 'prod' }] as never }, () => [a, b]],
			['Tag key only', { tag: [{ key: 'team' }] as never }, () => [b]],
			[
				'two tags (all must match)',
				{
					tag: [
						{ key: 'env', value: 'prod' },
						{ key: 'team', value: 'x' },
					] as never,
				},
				() => [b],
			],
		])('%s', async (_name, request, expected) => {
			expect(await ids(request)).toEqual(expected().sort());
		});

		it('InstanceId.N picks exactly the listed IDs', async () => {
			expect(await ids({ instanceId: [a, c, 'mi-hz01doesnotexist'] })).toEqual([a, c].sort());
		});

		it('combines filters with AND', async () => {
			expect(await ids({ instanceName: 'web-1', osType: 'windows' })).toEqual([]);
		});
	});

	it.each<[string, Partial<$Ecs.DescribeManagedInstancesRequest>, string]>([
		[
			'51 instance IDs',
			{ instanceId: Array.from({ length: 51 }, (_, i) => `mi-${i}`) },
			'InvalidParam.InstanceId',
		],
		['an unknown OsType', { osType: 'solaris' }, 'InvalidParam.OsType'],
		['a 37-character MachineId', { machineId: 'x'.repeat(37) }, 'InvalidParam.MachineId'],
		['Connected=maybe', { connected: 'maybe' }, 'InvalidParam.Connected'],
		['MaxResults=51', { maxResults: 51 }, 'InvalidParameter.MaxResults'],
		['MaxResults=0', { maxResults: 0 }, 'InvalidParameter.MaxResults'],
		['a made-up NextToken', { nextToken: 'AAAAAdDWBF2' }, 'InvalidParameter.NextToken'],
		[
			'a tag key starting with acs:',
			{ tag: [{ key: 'acs:x', value: 'y' }] as never },
			'InvalidTagKey.Malformed',
		],
		[
			'an ECS region without managed instances',
			{ regionId: 'eu-central-1' },
			'RegionId.ApiNotSupported',
		],
	])('rejects %s with 400', async (_name, request, code) => {
		expect(await rejectionOf(describe_(request))).toMatchObject({ statusCode: 400, code });
	});

	it('answers a region that does not exist with 404 InvalidRegionId.NotFound', async () => {
		expect(await rejectionOf(describe_({ regionId: 'mars-north-1' }))).toMatchObject({
			statusCode: 404,
			code: 'InvalidRegionId.NotFound',
			data: { Message: 'The RegionId provided does not exist in our records.' },
		});
	});

	it('answers 403 Operation.Forbidden in a region where operations are forbidden, and nowhere else', async () => {
		env.fake.state.forbidOperations('cn-hangzhou');
		expect(await rejectionOf(describe_({}))).toMatchObject({
			statusCode: 403,
			code: 'Operation.Forbidden',
		});
		await expect(describe_({ regionId: 'cn-beijing' })).resolves.toBeDefined();
	});
});

describe('ModifyManagedInstance', () => {
	const modify = (instanceName: string, instanceId: string = SAMPLE_INSTANCE.InstanceId) =>
		env.ecs.modifyManagedInstance(
			new $Ecs.ModifyManagedInstanceRequest({ regionId: 'cn-hangzhou', instanceId, instanceName }),
		);

	it('renames and answers Instance{InstanceId, InstanceName}', async () => {
		const res = await modify('web-frontend:01');
		expect(res.body?.instance?.toMap()).toEqual({
			InstanceId: SAMPLE_INSTANCE.InstanceId,
			InstanceName: 'web-frontend:01',
		});
		expect((await describe_({})).body?.instances?.[0].instanceName).toBe('web-frontend:01');
	});

	it('accepts 2 and 128 characters', async () => {
		await expect(modify('ab')).resolves.toBeDefined();
		await expect(modify('a'.repeat(128))).resolves.toBeDefined();
	});

	it.each([
		['1 character', 'InstanceName.InvalidPattern', 'a'],
		['129 characters', 'InstanceName.ExceedLimit', 'a'.repeat(129)],
		['a leading digit', 'InstanceName.InvalidPattern', '1web'],
		['http://', 'InstanceName.InvalidPattern', 'http://x'],
	])('rejects %s with 400 %s and keeps the old name', async (_what, code, name) => {
		expect(await rejectionOf(modify(name))).toMatchObject({ statusCode: 400, code });
		expect(env.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)?.InstanceName).toBe(
			SAMPLE_INSTANCE.InstanceName,
		);
	});

	it('answers an unknown instance with 404 InvalidInstance.NotFound', async () => {
		expect(await rejectionOf(modify('new-name', 'mi-hz01nosuchthing'))).toMatchObject({
			statusCode: 404,
			code: 'InvalidInstance.NotFound',
		});
	});
});
