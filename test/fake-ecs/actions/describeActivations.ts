import { describeActivationWire, type Activation } from '../model';
import { pageOf, readPaging } from '../paging';
import { matchesTags, optional, tagParams } from '../params';
import { ECS_VERSION, requireRegion, type ActionSpec } from './context';

export const describeActivations: ActionSpec = {
	action: 'DescribeActivations',
	version: ECS_VERSION,
	// Operation.Forbidden: not read on its reference page (unverified); the stricter case.
	forbiddable: true,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const paging = readPaging(ctx.params, 'act');
		const activationId = optional(ctx.params, 'ActivationId');
		const instanceName = optional(ctx.params, 'InstanceName');
		const resourceGroupId = optional(ctx.params, 'ResourceGroupId');
		const tags = tagParams(ctx.params);
		const matches = (a: Activation) =>
			(activationId === undefined || a.ActivationId === activationId) &&
			(instanceName === undefined || a.InstanceName === instanceName) &&
			(resourceGroupId === undefined || a.ResourceGroupId === resourceGroupId) &&
			matchesTags(a.Tags, tags);
		return pageOf(
			ctx.state.region(regionId).activations,
			paging,
			'act',
			matches,
			describeActivationWire,
			'ActivationList',
		);
	},
};
