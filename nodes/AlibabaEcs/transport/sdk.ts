/**
 * The only module that loads the Alibaba Cloud SDK, and only when first asked.
 *
 * n8n requires every installed node's compiled file at start-up to read its
 * description; the SDK costs about half a second and 64 MB to load, so it must
 * not be loaded then. Type-only imports are erased by the compiler; the real
 * modules are required on the first execution and shared after that.
 */
import type EcsClient from '@alicloud/ecs20140526';
import type { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import type Credential from '@alicloud/credentials';
import type { Config as CredentialConfig } from '@alicloud/credentials';
import type { RuntimeOptions } from '@darabonba/typescript';

export interface AlibabaSdk {
	EcsClient: typeof EcsClient;
	Config: typeof $OpenApiUtil.Config;
	Params: typeof $OpenApiUtil.Params;
	OpenApiRequest: typeof $OpenApiUtil.OpenApiRequest;
	RuntimeOptions: typeof RuntimeOptions;
	flattenQuery: typeof OpenApiUtil.query;
	Credential: typeof Credential;
	CredentialConfig: typeof CredentialConfig;
}

export type EcsClientInstance = InstanceType<typeof EcsClient>;
export type CredentialProvider = InstanceType<typeof Credential>;

let loading: Promise<AlibabaSdk> | undefined;

export async function loadSdk(): Promise<AlibabaSdk> {
	loading ??= (async () => {
		const [ecs, core, dara, credentials] = await Promise.all([
			import('@alicloud/ecs20140526'),
			import('@alicloud/openapi-core'),
			import('@darabonba/typescript'),
			import('@alicloud/credentials'),
		]);
		return {
			EcsClient: ecs.default,
			Config: core.$OpenApiUtil.Config,
			Params: core.$OpenApiUtil.Params,
			OpenApiRequest: core.$OpenApiUtil.OpenApiRequest,
			RuntimeOptions: dara.RuntimeOptions,
			flattenQuery: (filter) => core.OpenApiUtil.query(filter),
			Credential: credentials.default,
			CredentialConfig: credentials.Config,
		};
	})();
	try {
		return await loading;
	} catch (error) {
		loading = undefined;
		throw error;
	}
}
