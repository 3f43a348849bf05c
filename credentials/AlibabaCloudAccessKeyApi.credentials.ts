import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * An Alibaba Cloud AccessKey pair (RAM user), optionally with an STS security
 * token, and an optional custom endpoint. Tested by the node's
 * "alibabaCloudAccessKeyApiTest" method (a DescribeRegions call), because
 * Alibaba Cloud requests are signed by the SDK, not by a static header.
 */
export class AlibabaCloudAccessKeyApi implements ICredentialType {
	name = 'alibabaCloudAccessKeyApi';

	displayName = 'Alibaba Cloud AccessKey API';

	icon: Icon = {
		light: 'file:../nodes/AlibabaEcs/alibabaEcs.svg',
		dark: 'file:../nodes/AlibabaEcs/alibabaEcs.dark.svg',
	};

	documentationUrl = 'https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair';

	properties: INodeProperties[] = [
		{
			displayName: 'AccessKey ID',
			name: 'accessKeyId',
			type: 'string',
			required: true,
			default: '',
			description: 'The AccessKey ID of a RAM user (or the temporary "STS." key issued by STS)',
		},
		{
			displayName: 'AccessKey Secret',
			name: 'accessKeySecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The AccessKey secret that belongs to the AccessKey ID',
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Only for temporary credentials from STS (AssumeRole): the SecurityToken returned with the STS AccessKey. Leave empty for a RAM user's AccessKey.",
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			placeholder: 'https://ecs-vpc.cn-hangzhou.aliyuncs.com',
			description:
				"Optional. Leave empty to use the public endpoint of each item's region. Set it to reach ECS through a VPC endpoint (https://ecs-vpc.REGION.aliyuncs.com) or a gateway; plain http:// is accepted only for a local test endpoint.",
		},
	];
}
