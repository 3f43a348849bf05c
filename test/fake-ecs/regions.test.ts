/** DescribeRegions and the `regions` option, through the real SDK. */
import { FakeEcs } from './index';
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

it('knows only the configured regions', async () => {
	fake = await FakeEcs.start({ regions: ['cn-hangzhou', 'cn-shanghai'] });
	const res = await describeRegions();
	expect(res.body?.regions?.region?.map((r) => r.regionId)).toEqual(['cn-hangzhou', 'cn-shanghai']);
	const err = await rejectionOf(
		ecsClient(fake).describeManagedInstances(
			new $Ecs.DescribeManagedInstancesRequest({ regionId: 'cn-beijing' }),
		),
	);
	expect(err).toMatchObject({ statusCode: 400, code: 'RegionId.ApiNotSupported' });
});
