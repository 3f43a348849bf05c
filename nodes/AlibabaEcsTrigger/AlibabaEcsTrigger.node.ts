import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { credentialTest, loadOptions } from '../AlibabaEcs/methods';
import { triggerProperties } from './description';
import { pollFleet } from './poll';

/** Alibaba Cloud's user guide: registering and managing servers outside Alibaba Cloud. */
const MANAGED_INSTANCES_GUIDE_URL =
	'https://www.alibabacloud.com/help/en/ecs/user-guide/manage-servers-that-are-not-provided-by-alibaba-cloud';

export class AlibabaEcsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Cloud ECS Trigger',
		name: 'alibabaEcsTrigger',
		icon: {
			light: 'file:../AlibabaEcs/alibabaEcs.svg',
			dark: 'file:../AlibabaEcs/alibabaEcs.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when a managed instance registers, disconnects, comes back, stays offline or is deregistered, or an activation code is used up or expires',
		documentationUrl: MANAGED_INSTANCES_GUIDE_URL,
		defaults: {
			name: 'Alibaba Cloud ECS Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'alibabaCloudAccessKeyApi',
				required: true,
				testedBy: 'alibabaCloudAccessKeyApiTest',
			},
		],
		// A fresh list per instance: n8n's loader adds Poll Times to it in place
		// (DirectoryLoader.applySpecialNodeParameters), once for every instance it loads.
		properties: [...triggerProperties],
	};

	methods = { credentialTest, loadOptions: { getRegions: loadOptions.getRegions } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollFleet(this);
	}
}
