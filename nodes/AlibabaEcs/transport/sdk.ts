/**
 * The only module that loads the Alibaba Cloud SDK, and only when first asked.
 *
 * n8n requires every installed node's compiled file at start-up to read its
 * description; the SDK costs about half a second and 64 MB to load, so it must
 * not be loaded then. Type-only imports are erased by the compiler; the real
 * modules are required on the first execution and shared after that.
 *
 * Loading also hooks this package's HTTP layer (proxy, timeouts: see http.ts)
 * into the `httpx` module(s) the SDK sends with, for ECS and for STS.
 */
import { createRequire } from 'node:module';

import type EcsClient from '@alicloud/ecs20140526';
import type { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import type Credential from '@alicloud/credentials';
import type {
	RAMRoleARNCredentialsProvider,
	StaticAKCredentialsProvider,
	StaticSTSCredentialsProvider,
} from '@alicloud/credentials';
import type { RuntimeOptions } from '@darabonba/typescript';

import { type HttpxModule, hookHttpx } from './http';

export interface AlibabaSdk {
	EcsClient: typeof EcsClient;
	Config: typeof $OpenApiUtil.Config;
	Params: typeof $OpenApiUtil.Params;
	OpenApiRequest: typeof $OpenApiUtil.OpenApiRequest;
	RuntimeOptions: typeof RuntimeOptions;
	flattenQuery: typeof OpenApiUtil.query;
	Credential: typeof Credential;
	RAMRoleARNCredentialsProvider: typeof RAMRoleARNCredentialsProvider;
	StaticAKCredentialsProvider: typeof StaticAKCredentialsProvider;
	StaticSTSCredentialsProvider: typeof StaticSTSCredentialsProvider;
}

export type EcsClientInstance = InstanceType<typeof EcsClient>;
export type CredentialProvider = InstanceType<typeof Credential>;

let loading: Promise<AlibabaSdk> | undefined;

/** The `httpx` module as `pkg` (an SDK package) resolves it. */
function httpxOf(pkg: string): HttpxModule {
	return createRequire(require.resolve(pkg))('httpx') as HttpxModule;
}

export async function loadSdk(): Promise<AlibabaSdk> {
	loading ??= (async () => {
		const [ecs, core, dara, credentials, proxy] = await Promise.all([
			import('@alicloud/ecs20140526'),
			import('@alicloud/openapi-core'),
			import('@darabonba/typescript'),
			import('@alicloud/credentials'),
			import('./proxy'),
		]);
		// ECS requests (doAction) and STS AssumeRole (providers/http.js); one module when hoisted.
		hookHttpx(httpxOf('@darabonba/typescript'), proxy.routeFor);
		hookHttpx(httpxOf('@alicloud/credentials'), proxy.routeFor);
		return {
			EcsClient: ecs.default,
			Config: core.$OpenApiUtil.Config,
			Params: core.$OpenApiUtil.Params,
			OpenApiRequest: core.$OpenApiUtil.OpenApiRequest,
			RuntimeOptions: dara.RuntimeOptions,
			flattenQuery: (filter) => core.OpenApiUtil.query(filter),
			Credential: credentials.default,
			RAMRoleARNCredentialsProvider: credentials.RAMRoleARNCredentialsProvider,
			StaticAKCredentialsProvider: credentials.StaticAKCredentialsProvider,
			StaticSTSCredentialsProvider: credentials.StaticSTSCredentialsProvider,
		};
	})();
	try {
		return await loading;
	} catch (error) {
		loading = undefined;
		throw error;
	}
}
