/**
 * The official SDK used directly, outside n8n: the baselines. Importing this
 * module loads the SDK.
 */
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import { RuntimeOptions } from '@darabonba/typescript';

import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../../test/fake-ecs';

export { $Ecs, Ecs, $OpenApiUtil, OpenApiUtil, RuntimeOptions };

export function rawClient(host: string, regionId: string): Ecs {
	return new Ecs(
		new $OpenApiUtil.Config({
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: host,
			protocol: 'HTTP',
			regionId,
		}),
	);
}

/** The Params the node's transport sends for an RPC action (transport/client.ts). */
export function rpcParams(action: string): $OpenApiUtil.Params {
	return new $OpenApiUtil.Params({
		action,
		version: '2014-05-26',
		protocol: 'HTTPS',
		pathname: '/',
		method: 'POST',
		authType: 'AK',
		style: 'RPC',
		reqBodyType: 'formData',
		bodyType: 'json',
	});
}

/** One RPC call through callApi, as the node's transport makes it; returns the JSON body. */
export async function callAction(
	client: Ecs,
	action: string,
	query: Record<string, unknown>,
): Promise<Record<string, unknown>> {
	const result = (await client.callApi(
		rpcParams(action),
		new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) }),
		new RuntimeOptions({}),
	)) as { body: Record<string, unknown> };
	return result.body;
}
