/**
 * Regions the fake knows, with the names DescribeRegions returns (zh-CN is the API's default),
 * and whether the managed-instance APIs serve them.
 *
 * `managedInstances`: the 16 regions of the `regionId` remark of every managed-instance request
 * model of `@alicloud/ecs20140526` 7.11.x (e.g. dist/models/DeregisterManagedInstanceRequest.d.ts)
 * and of the API reference pages of those actions ("Supported regions: China (Qingdao), …, US
 * (Virginia)"). The other ECS regions are listed by DescribeRegions but refuse those APIs with
 * 400 RegionId.ApiNotSupported ("The api is not supported in this region.", API reference, Error
 * codes); a region that does not exist at all gets 404 InvalidRegionId.NotFound.
 */
export interface RegionInfo {
	RegionId: string;
	zh: string;
	en: string;
	managedInstances?: true;
}

export const KNOWN_REGIONS: readonly RegionInfo[] = [
	{ RegionId: 'cn-qingdao', zh: '华北1（青岛）', en: 'China (Qingdao)', managedInstances: true },
	{ RegionId: 'cn-beijing', zh: '华北2（北京）', en: 'China (Beijing)', managedInstances: true },
	{
		RegionId: 'cn-zhangjiakou',
		zh: '华北3（张家口）',
		en: 'China (Zhangjiakou)',
		managedInstances: true,
	},
	{
		RegionId: 'cn-huhehaote',
		zh: '华北5（呼和浩特）',
		en: 'China (Hohhot)',
		managedInstances: true,
	},
	{
		RegionId: 'cn-wulanchabu',
		zh: '华北6（乌兰察布）',
		en: 'China (Ulanqab)',
		managedInstances: true,
	},
	{ RegionId: 'cn-hangzhou', zh: '华东1（杭州）', en: 'China (Hangzhou)', managedInstances: true },
	{ RegionId: 'cn-shanghai', zh: '华东2（上海）', en: 'China (Shanghai)', managedInstances: true },
	{ RegionId: 'cn-shenzhen', zh: '华南1（深圳）', en: 'China (Shenzhen)', managedInstances: true },
	{ RegionId: 'cn-heyuan', zh: '华南2（河源）', en: 'China (Heyuan)', managedInstances: true },
	{
		RegionId: 'cn-guangzhou',
		zh: '华南3（广州）',
		en: 'China (Guangzhou)',
		managedInstances: true,
	},
	{ RegionId: 'cn-chengdu', zh: '西南1（成都）', en: 'China (Chengdu)', managedInstances: true },
	{ RegionId: 'cn-hongkong', zh: '中国香港', en: 'China (Hong Kong)', managedInstances: true },
	{ RegionId: 'ap-southeast-1', zh: '新加坡', en: 'Singapore', managedInstances: true },
	{ RegionId: 'ap-northeast-1', zh: '日本（东京）', en: 'Japan (Tokyo)', managedInstances: true },
	{ RegionId: 'ap-northeast-2', zh: '韩国（首尔）', en: 'South Korea (Seoul)' },
	{ RegionId: 'ap-southeast-3', zh: '马来西亚（吉隆坡）', en: 'Malaysia (Kuala Lumpur)' },
	{ RegionId: 'ap-southeast-5', zh: '印度尼西亚（雅加达）', en: 'Indonesia (Jakarta)' },
	{ RegionId: 'ap-southeast-6', zh: '菲律宾（马尼拉）', en: 'Philippines (Manila)' },
	{ RegionId: 'ap-southeast-7', zh: '泰国（曼谷）', en: 'Thailand (Bangkok)' },
	{ RegionId: 'eu-central-1', zh: '德国（法兰克福）', en: 'Germany (Frankfurt)' },
	{ RegionId: 'eu-west-1', zh: '英国（伦敦）', en: 'UK (London)' },
	{ RegionId: 'me-east-1', zh: '阿联酋（迪拜）', en: 'UAE (Dubai)' },
	{ RegionId: 'me-central-1', zh: '沙特（利雅得）', en: 'Saudi Arabia (Riyadh)' },
	{ RegionId: 'us-west-1', zh: '美国（硅谷）', en: 'US (Silicon Valley)', managedInstances: true },
	{ RegionId: 'us-east-1', zh: '美国（弗吉尼亚）', en: 'US (Virginia)', managedInstances: true },
];

/** Every region DescribeRegions lists (25 real ECS regions). */
export const DEFAULT_REGION_IDS: readonly string[] = KNOWN_REGIONS.map((r) => r.RegionId);

/** The 16 regions where the managed-instance APIs answer. */
export const MANAGED_INSTANCE_REGION_IDS: readonly string[] = KNOWN_REGIONS.filter(
	(r) => r.managedInstances,
).map((r) => r.RegionId);

/** LocalName for a region; unknown regions (passed via options) are named by their ID. */
export function localName(regionId: string, acceptLanguage: string | undefined): string {
	const info = KNOWN_REGIONS.find((r) => r.RegionId === regionId);
	if (!info) return regionId;
	return !acceptLanguage || acceptLanguage.toLowerCase().startsWith('zh') ? info.zh : info.en;
}

export const regionEndpoint = (regionId: string): string => `ecs.${regionId}.aliyuncs.com`;

/** Short code used inside managed-instance IDs: mi-hz01…, mi-bj01… */
export function regionCode(regionId: string): string {
	const known: Record<string, string> = {
		'cn-hangzhou': 'hz',
		'cn-beijing': 'bj',
		'cn-shanghai': 'sh',
		'cn-shenzhen': 'sz',
		'cn-qingdao': 'qd',
		'cn-zhangjiakou': 'zb',
		'cn-huhehaote': 'hh',
		'cn-wulanchabu': 'wl',
		'cn-heyuan': 'hy',
		'cn-guangzhou': 'gz',
		'cn-chengdu': 'cd',
		'cn-hongkong': 'hk',
		'ap-southeast-1': 'sg',
		'ap-northeast-1': 'jp',
		'us-west-1': 'us',
		'us-east-1': 'va',
		'eu-central-1': 'de',
	};
	return (
		known[regionId] ??
		regionId
			.replace(/[^a-z]/g, '')
			.slice(-2)
			.padEnd(2, 'x')
	);
}
