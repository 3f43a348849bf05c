import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * An Alibaba Cloud AccessKey pair (RAM user), optionally with an STS security
 * token, a custom endpoint, a default region, and a RAM role to assume. Tested by the node's
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
		{
			displayName: 'Default Region ID',
			name: 'defaultRegionId',
			type: 'string',
			default: '',
			placeholder: 'cn-hangzhou',
			description:
				'Optional. The region used when a node leaves Region empty, and for the credential test.',
		},
		{
			displayName: 'RAM Role ARN',
			name: 'roleArn',
			type: 'string',
			default: '',
			placeholder: 'acs:ram::1234567890123456:role/n8n-ecs-cleanup',
			description:
				'Optional. Assume this RAM role through STS (AssumeRole) and sign ECS calls with its temporary credentials, so the AccessKey above only needs permission to assume the role. The session is cached and renewed before it expires.',
		},
		{
			displayName: 'Role Session Name',
			name: 'roleSessionName',
			type: 'string',
			default: 'n8n',
			description:
				'Shown in ActionTrail for calls made with the role: 2 to 64 letters, digits, or . @ - _',
			displayOptions: { hide: { roleArn: [''] } },
		},
		{
			displayName: 'External ID',
			name: 'externalId',
			type: 'string',
			default: '',
			description: "Only if the role's trust policy requires an external ID (sts:ExternalId)",
			displayOptions: { hide: { roleArn: [''] } },
		},
		{
			displayName: 'Session Duration (Seconds)',
			name: 'roleSessionDurationSeconds',
			type: 'number',
			typeOptions: { minValue: 900, maxValue: 43200 },
			default: 3600,
			description:
				"How long each assumed-role session lasts, 900 to 43200 seconds, and at most the role's maximum session duration",
			displayOptions: { hide: { roleArn: [''] } },
		},
		{
			displayName: 'STS Endpoint',
			name: 'stsEndpoint',
			type: 'string',
			default: '',
			placeholder: 'https://sts-vpc.cn-hangzhou.aliyuncs.com',
			description: 'Optional. Leave empty for the public STS endpoint (sts.aliyuncs.com).',
			displayOptions: { hide: { roleArn: [''] } },
		},
	];
}
