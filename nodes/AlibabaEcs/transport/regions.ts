/**
 * Where managed instances exist, in one place.
 *
 * Source: the `regionId` remark of every managed-instance request model of the official SDK
 * (`@alicloud/ecs20140526` 7.11.x, e.g. `dist/models/DeregisterManagedInstanceRequest.d.ts`,
 * `DescribeManagedInstancesRequest.d.ts`, `CreateActivationRequest.d.ts`): "The following regions
 * are supported: China (Qingdao), China (Beijing), China (Zhangjiakou), China (Hohhot), China
 * (Ulanqab), China (Hangzhou), China (Shanghai), China (Shenzhen), China (Heyuan), China
 * (Guangzhou), China (Chengdu), Hong Kong (China), Singapore, Japan (Tokyo), US (Silicon Valley),
 * and US (Virginia)." The API reference pages of DeregisterManagedInstance and
 * DescribeManagedInstances list the same 16.
 *
 * Alibaba adds regions over time: this list is what the node offers and searches, never a reason
 * to refuse a region set by expression (the API's own refusal is explained instead).
 */
export interface ManagedInstanceRegion {
	/** Region ID as the API takes it, e.g. "cn-hangzhou". */
	RegionId: string;
	/** English name as DescribeRegions returns it with AcceptLanguage=en-US. */
	LocalName: string;
}

export const MANAGED_INSTANCE_REGIONS: readonly ManagedInstanceRegion[] = [
	{ RegionId: 'cn-qingdao', LocalName: 'China (Qingdao)' },
	{ RegionId: 'cn-beijing', LocalName: 'China (Beijing)' },
	{ RegionId: 'cn-zhangjiakou', LocalName: 'China (Zhangjiakou)' },
	{ RegionId: 'cn-huhehaote', LocalName: 'China (Hohhot)' },
	{ RegionId: 'cn-wulanchabu', LocalName: 'China (Ulanqab)' },
	{ RegionId: 'cn-hangzhou', LocalName: 'China (Hangzhou)' },
	{ RegionId: 'cn-shanghai', LocalName: 'China (Shanghai)' },
	{ RegionId: 'cn-shenzhen', LocalName: 'China (Shenzhen)' },
	{ RegionId: 'cn-heyuan', LocalName: 'China (Heyuan)' },
	{ RegionId: 'cn-guangzhou', LocalName: 'China (Guangzhou)' },
	{ RegionId: 'cn-chengdu', LocalName: 'China (Chengdu)' },
	{ RegionId: 'cn-hongkong', LocalName: 'China (Hong Kong)' },
	{ RegionId: 'ap-southeast-1', LocalName: 'Singapore' },
	{ RegionId: 'ap-northeast-1', LocalName: 'Japan (Tokyo)' },
	{ RegionId: 'us-west-1', LocalName: 'US (Silicon Valley)' },
	{ RegionId: 'us-east-1', LocalName: 'US (Virginia)' },
];

/** The 16 region IDs, in the order of the SDK's remark (north to south, then abroad). */
export const MANAGED_INSTANCE_REGION_IDS: readonly string[] = MANAGED_INSTANCE_REGIONS.map(
	(region) => region.RegionId,
);

/** Whether the SDK's models list this region for managed instances. */
export function isManagedInstanceRegion(regionId: string): boolean {
	return MANAGED_INSTANCE_REGION_IDS.includes(regionId);
}
