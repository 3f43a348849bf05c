/**
 * DescribeCloudAssistantStatus for managed instances.
 *
 * Sources: the SDK's request/response models (`@alicloud/ecs20140526` 7.11.x,
 * `dist/models/DescribeCloudAssistantStatusRequest.d.ts`: MaxResults up to 50, default 10, "If
 * InstanceId is set, this parameter is ignored"; NextToken; OSType Windows/Linux/FreeBSD;
 * PageNumber/PageSize "about to be deprecated") and the API reference page
 * (help.aliyun.com, "DescribeCloudAssistantStatus": InstanceId.N "can be an ECS instance or a
 * managed instance. You can specify up to 100 instance IDs in a single request"; PageSize 1 to 50;
 * with MaxResults or NextToken, PageSize and PageNumber do not take effect). Field meanings: see
 * ../heartbeat.ts.
 *
 * Unverified, built both ways: how an unknown InstanceId.N is answered (left out, or 404
 * InvalidInstance.NotFound; `FakeEcsState.statusOfUnknownIds`), and the code for more than 100
 * IDs (answered here as InvalidParam.InstanceId, like DescribeManagedInstances' N limit).
 */
import { ApiError, invalidParam } from '../errors';
import { cloudAssistantStatusWire, statusOsType } from '../heartbeat';
import type { ManagedInstance } from '../model';
import { pageOf, readPaging } from '../paging';
import { optional, repeatList } from '../params';
import { ECS_VERSION, requireRegion, type ActionContext, type ActionSpec } from './context';

const MAX_INSTANCE_IDS = 100;
const OS_TYPES = ['Windows', 'Linux', 'FreeBSD'];

function readOsType(ctx: ActionContext): string | undefined {
	const osType = optional(ctx.params, 'OSType');
	if (osType !== undefined && !OS_TYPES.includes(osType))
		throw invalidParam('OSType', 'Valid values: Windows, Linux, FreeBSD.');
	return osType;
}

/** The answer for a list of IDs: every known one, in the order asked, in one page. */
function byIds(
	ctx: ActionContext,
	regionId: string,
	ids: string[],
	matches: (i: ManagedInstance) => boolean,
): Record<string, unknown> {
	const now = ctx.now();
	const found: ManagedInstance[] = [];
	for (const id of new Set(ids)) {
		const instance = ctx.state.getInstance(id, regionId);
		if (instance) {
			if (matches(instance)) found.push(instance);
		} else if (ctx.state.statusOfUnknownIds === 'notFound') {
			throw new ApiError(
				404,
				'InvalidInstance.NotFound',
				`The specified instance does not exist: ${id}.`,
			);
		}
	}
	return {
		InstanceCloudAssistantStatusSet: {
			InstanceCloudAssistantStatus: found.map((i) => cloudAssistantStatusWire(i, now)),
		},
	};
}

export const describeCloudAssistantStatus: ActionSpec = {
	action: 'DescribeCloudAssistantStatus',
	version: ECS_VERSION,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const ids = repeatList(ctx.params, 'InstanceId', MAX_INSTANCE_IDS);
		const osType = readOsType(ctx);
		const matches = (i: ManagedInstance) =>
			osType === undefined || statusOsType(i.OsType) === osType;
		const paging = readPaging(ctx.params, 'cas');
		if (ids.length > 0) return byIds(ctx, regionId, ids, matches);
		const now = ctx.now();
		const { Instances, ...rest } = pageOf(
			ctx.state.region(regionId).instances,
			paging,
			'cas',
			matches,
			(i) => cloudAssistantStatusWire(i, now),
			'Instances',
		);
		return {
			InstanceCloudAssistantStatusSet: { InstanceCloudAssistantStatus: Instances },
			...rest,
		};
	},
};
