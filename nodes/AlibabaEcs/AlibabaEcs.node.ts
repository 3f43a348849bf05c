import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as activation from './actions/activation/Activation.resource';
import * as command from './actions/command/Command.resource';
import { optionsProperty, regionIdProperty } from './actions/common.descriptions';
import * as managedInstance from './actions/managedInstance/ManagedInstance.resource';
import { router } from './actions/router';
import { credentialTest, listSearch, loadOptions } from './methods';

/** Alibaba Cloud's user guide: registering and managing servers outside Alibaba Cloud. */
const MANAGED_INSTANCES_GUIDE_URL =
	'https://www.alibabacloud.com/help/en/ecs/user-guide/manage-servers-that-are-not-provided-by-alibaba-cloud';

export class AlibabaEcs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Cloud ECS',
		name: 'alibabaEcs',
		icon: { light: 'file:alibabaEcs.svg', dark: 'file:alibabaEcs.dark.svg' },
		group: ['transform'],
		// 1.1: Get Many's Tags moved into Filters (version 1 workflows keep the field where it was).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Manage Alibaba Cloud ECS managed instances: servers outside Alibaba Cloud registered with Cloud Assistant',
		// The editor's "Docs" link. Without it n8n links a community node to its npm page, which
		// exists only once the package is published; Alibaba's guide to managed instances exists.
		documentationUrl: MANAGED_INSTANCES_GUIDE_URL,
		defaults: {
			name: 'Alibaba Cloud ECS',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'alibabaCloudAccessKeyApi',
				required: true,
				testedBy: 'alibabaCloudAccessKeyApiTest',
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Activation Code',
						value: 'activation',
						description: 'A code that registers servers as managed instances',
					},
					{
						name: 'Command',
						value: 'command',
						description:
							'Cloud Assistant: run a script on managed instances and get its output, send a file, stop a run',
					},
					{
						name: 'Managed Instance',
						value: 'managedInstance',
						description: 'A server outside Alibaba Cloud registered with Cloud Assistant (mi-…)',
					},
				],
				// Stored by no saved workflow (n8n omits defaults), so it can never change.
				default: 'managedInstance',
			},
			managedInstance.operationProperty,
			activation.operationProperty,
			command.operationProperty,
			regionIdProperty,
			...managedInstance.fields,
			...activation.fields,
			...command.fields,
			optionsProperty,
		],
	};

	methods = { credentialTest, listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
