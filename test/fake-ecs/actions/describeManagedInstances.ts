import { invalidParam } from '../errors';
import { describeInstanceWire, type ManagedInstance } from '../model';
import { pageOf, readPaging } from '../paging';
import { matchesTags, optional, optionalBool, repeatList, tagParams } from '../params';
import { ECS_VERSION, requireRegion, type ActionContext, type ActionSpec } from './context';

const OS_TYPES = ['windows', 'linux', 'freebsd'];

function filterFrom(ctx: ActionContext): (i: ManagedInstance) => boolean {
	const p = ctx.params;
	const ids = new Set(repeatList(p, 'InstanceId', 50));
	const name = optional(p, 'InstanceName');
	const ip = optional(p, 'InstanceIp');
	const activationId = optional(p, 'ActivationId');
	const machineId = optional(p, 'MachineId');
	if (machineId !== undefined && machineId.length > 36)
		throw invalidParam('MachineId', 'It can be up to 36 characters long.');
	const osType = optional(p, 'OsType')?.toLowerCase();
	if (osType !== undefined && !OS_TYPES.includes(osType))
		throw invalidParam('OsType', 'Valid values: windows, linux, FreeBSD.');
	const connected = optionalBool(p, 'Connected');
	const resourceGroupId = optional(p, 'ResourceGroupId');
	const tags = tagParams(p);
	return (i) =>
		(ids.size === 0 || ids.has(i.InstanceId)) &&
		(name === undefined || i.InstanceName === name) &&
		(ip === undefined || i.InternetIp === ip || i.IntranetIp === ip) &&
		(activationId === undefined || i.ActivationId === activationId) &&
		(machineId === undefined || i.MachineId === machineId) &&
		(osType === undefined || i.OsType.toLowerCase() === osType) &&
		(connected === undefined || i.Connected === connected) &&
		(resourceGroupId === undefined || i.ResourceGroupId === resourceGroupId) &&
		matchesTags(i.Tags, tags);
}

export const describeManagedInstances: ActionSpec = {
	action: 'DescribeManagedInstances',
	version: ECS_VERSION,
	forbiddable: true,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const paging = readPaging(ctx.params, 'mi');
		const matches = filterFrom(ctx);
		return pageOf(
			ctx.state.region(regionId).instances,
			paging,
			'mi',
			matches,
			describeInstanceWire,
			'Instances',
		);
	},
};
