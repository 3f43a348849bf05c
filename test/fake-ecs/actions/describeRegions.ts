import { localName, regionEndpoint } from '../regions';
import { optional } from '../params';
import { ECS_VERSION, type ActionSpec } from './context';

export const describeRegions: ActionSpec = {
	action: 'DescribeRegions',
	version: ECS_VERSION,
	handle(ctx) {
		const language = optional(ctx.params, 'AcceptLanguage');
		return {
			Regions: {
				Region: ctx.regions.map((RegionId) => ({
					RegionId,
					LocalName: localName(RegionId, language),
					RegionEndpoint: regionEndpoint(RegionId),
					Status: 'available',
				})),
			},
		};
	},
};
