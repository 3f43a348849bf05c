/** Regions the fake knows, with the names DescribeRegions returns (zh-CN is the API's default). */
export interface RegionInfo {
	RegionId: string;
	zh: string;
	en: string;
}

export const KNOWN_REGIONS: readonly RegionInfo[] = [
	{ RegionId: 'cn-qingdao', zh: '华北1（青岛）', en: 'China (Qingdao)' },
	{ RegionId: 'cn-beijing', zh: '华北2（北京）', en: 'China (Beijing)' },
	{ RegionId: 'cn-zhangjiakou', zh: '华北3（张家口）', en: 'China (Zhangjiakou)' },
	{ RegionId: 'cn-huhehaote', zh: '华北5（呼和浩特）', en: 'China (Hohhot)' },
	{ RegionId: 'cn-wulanchabu', zh: '华北6（乌兰察布）', en: 'China (Ulanqab)' },
	{ RegionId: 'cn-hangzhou', zh: '华东1（杭州）', en: 'China (Hangzhou)' },
	{ RegionId: 'cn-shanghai', zh: '华东2（上海）', en: 'China (Shanghai)' },
	{ RegionId: 'cn-shenzhen', zh: '华南1（深圳）', en: 'China (Shenzhen)' },
	{ RegionId: 'cn-heyuan', zh: '华南2（河源）', en: 'China (Heyuan)' },
	{ RegionId: 'cn-guangzhou', zh: '华南3（广州）', en: 'China (Guangzhou)' },
	{ RegionId: 'cn-chengdu', zh: '西南1（成都）', en: 'China (Chengdu)' },
	{ RegionId: 'cn-hongkong', zh: '中国香港', en: 'China (Hong Kong)' },
	{ RegionId: 'ap-southeast-1', zh: '新加坡', en: 'Singapore' },
	{ RegionId: 'ap-northeast-1', zh: '日本（东京）', en: 'Japan (Tokyo)' },
	{ RegionId: 'ap-northeast-2', zh: '韩国（首尔）', en: 'South Korea (Seoul)' },
	{ RegionId: 'ap-southeast-3', zh: '马来西亚（吉隆坡）', en: 'Malaysia (Kuala Lumpur)' },
	{ RegionId: 'ap-southeast-5', zh: '印度尼西亚（雅加达）', en: 'Indonesia (Jakarta)' },
	{ RegionId: 'ap-southeast-6', zh: '菲律宾（马尼拉）', en: 'Philippines (Manila)' },
	{ RegionId: 'ap-southeast-7', zh: '泰国（曼谷）', en: 'Thailand (Bangkok)' },
	{ RegionId: 'eu-central-1', zh: '德国（法兰克福）', en: 'Germany (Frankfurt)' },
	{ RegionId: 'eu-west-1', zh: '英国（伦敦）', en: 'UK (London)' },
	{ RegionId: 'me-east-1', zh: '阿联酋（迪拜）', en: 'UAE (Dubai)' },
	{ RegionId: 'me-central-1', zh: '沙特（利雅得）', en: 'Saudi Arabia (Riyadh)' },
	{ RegionId: 'us-west-1', zh: '美国（硅谷）', en: 'US (Silicon Valley)' },
	{ RegionId: 'us-east-1', zh: '美国（弗吉尼亚）', en: 'US (Virginia)' },
];

export const DEFAULT_REGION_IDS: readonly string[] = KNOWN_REGIONS.map((r) => r.RegionId);

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
