/** DescribeRegions and the `regions` option, through the real SDK. */
import { FakeEcs } from './index';
import { MANAGED_INSTANCE_REGION_IDS } from './regions';
import { $Ecs, ecsClient, rejectionOf, sdkSignedRequest } from './test-clients';

let fake: FakeEcs;
afterEach(() => fake.close());

const describeRegions = (acceptLanguage?: string) =>
	ecsClient(fake).describeRegions(new $Ecs.DescribeRegionsRequest({ acceptLanguage }));

it('lists about 20 real regions under Regions.Region, in Chinese unless asked otherwise', async () => {
	fake = await FakeEcs.start();
	const raw = await sdkSignedRequest(fake, { action: 'DescribeRegions' });
	const list = (raw.json.Regions as { Region: Array<Record<string, string>> }).Region;
	expect(list.length).toBeGreaterThanOrEqual(20);
	expect(list.map((r) => r.RegionId)).toEqual(
		expect.arrayContaining([
			'cn-hangzhou',
			'cn-beijing',
			'cn-shanghai',
			'ap-southeast-1',
			'eu-central-1',
			'us-west-1',
		]),
	);
	expect(list.find((r) => r.RegionId === 'cn-hangzhou')).toEqual({
		RegionId: 'cn-hangzhou',
		LocalName: '华东1（杭州）',
		RegionEndpoint: 'ecs.cn-hangzhou.aliyuncs.com',
		Status: 'available',
	});
	const english = await describeRegions('en-US');
	expect(english.body?.regions?.region?.find((r) => r.regionId === 'eu-central-1')?.localName).toBe(
		'Germany (Frankfurt)',
	);
});

it('knows only the configured regions: another one does not exist (404 InvalidRegionId.NotFound)', async () => {
	fake = await FakeEcs.start({ regions: ['cn-hangzhou', 'cn-shanghai'] });
	const res = await describeRegions();
	expect(res.body?.regions?.region?.map((r) => r.regionId)).toEqual(['cn-hangzhou', 'cn-shanghai']);
	const err = await rejectionOf(
		ecsClient(fake).describeManagedInstances(
			new $Ecs.DescribeManagedInstancesRequest({ regionId: 'cn-beijing' }),
		),
	);
	expect(err).toMatchObject({ statusCode: 404, code: 'InvalidRegionId.NotFound' });
});

const MANAGED_INSTANCE_ACTIONS = [
	'DeregisterManagedInstance',
	'DescribeManagedInstances',
	'ModifyManagedInstance',
	'CreateActivation',
	'DescribeActivations',
	'DisableActivation',
	'DeleteActivation',
];

it('lists every ECS region, but serves the managed-instance APIs only in the 16 regions of the SDK models', async () => {
	fake = await FakeEcs.start();
	const listed =
		(await describeRegions()).body?.regions?.region?.map((r) => r.regionId ?? '') ?? [];
	expect(listed).toHaveLength(25);
	expect(MANAGED_INSTANCE_REGION_IDS).toHaveLength(16);
	expect(listed).toEqual(expect.arrayContaining([...MANAGED_INSTANCE_REGION_IDS]));
	const others = listed.filter((id) => !MANAGED_INSTANCE_REGION_IDS.includes(id));
	expect(others).toEqual(expect.arrayContaining(['eu-central-1', 'ap-southeast-3', 'me-east-1']));
	for (const action of MANAGED_INSTANCE_ACTIONS) {
		const refused = await sdkSignedRequest(fake, {
			action,
			query: {
				RegionId: 'eu-central-1',
				InstanceId: 'mi-x',
				ActivationId: 'A-1',
				InstanceName: 'ab',
			},
		});
		expect([action, refused.status, refused.json.Code]).toEqual([
			action,
			400,
			'RegionId.ApiNotSupported',
		]);
		const unknown = await sdkSignedRequest(fake, {
			action,
			query: {
				RegionId: 'xx-nowhere-9',
				InstanceId: 'mi-x',
				ActivationId: 'A-1',
				InstanceName: 'ab',
			},
		});
		expect([action, unknown.status, unknown.json.Code]).toEqual([
			action,
			404,
			'InvalidRegionId.NotFound',
		]);
	}
	for (const regionId of MANAGED_INSTANCE_REGION_IDS) {
		const res = await ecsClient(fake).describeManagedInstances(
			new $Ecs.DescribeManagedInstancesRequest({ regionId }),
		);
		expect(res.statusCode).toBe(200);
	}
});
