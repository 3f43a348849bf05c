import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { asObject } from '../helpers/response';
import { InputError } from '../helpers/validation';
import { FALLBACK_REGION, connect } from '../transport';
import { EcsError, apiMessageOf, errorSummary } from '../transport/errors';

/**
 * Tests an "Alibaba Cloud AccessKey API" credential with a harmless read
 * (DescribeRegions), after assuming the RAM role when one is set: success, or
 * the Alibaba error code and message.
 */
export async function alibabaCloudAccessKeyApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const { credentials, transport } = await connect({
			getCredentials: async () => credential.data ?? {},
		});
		const regions = await transport.call(
			credentials.defaultRegionId ?? FALLBACK_REGION,
			'DescribeRegions',
			{},
			{
				parse: (body) => {
					const list = asObject(body.Regions, 'Regions').Region;
					return Array.isArray(list) ? list.length : 0;
				},
			},
		);
		const via = credentials.role ? ` through the role ${credentials.role.roleArn}` : '';
		return {
			status: 'OK',
			message: `Connection successful: the AccessKey can call ECS${via} (${regions} regions visible)`,
		};
	} catch (error) {
		if (error instanceof InputError) return { status: 'Error', message: error.message };
		if (error instanceof EcsError) {
			// Our summary, then Alibaba Cloud's own message, once (some summaries already quote it).
			const summary = errorSummary(error);
			const apiMessage = apiMessageOf(error);
			return {
				status: 'Error',
				message:
					apiMessage && !summary.includes(apiMessage) ? `${summary}: ${apiMessage}` : summary,
			};
		}
		return { status: 'Error', message: 'The credential test failed unexpectedly' };
	}
}
