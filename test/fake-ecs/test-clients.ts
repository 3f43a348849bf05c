/**
 * Test helpers (tests only, never imported by the fake): real SDK clients pointed at a FakeEcs,
 * and raw requests signed by the SDK's own signer, for the cases a client would never send.
 */
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import {
	doRequest as credentialsHttpRequest,
	type Request as CredentialsRequest,
} from '@alicloud/credentials/dist/src/providers/http';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { stringify } from 'node:querystring';
import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET, type FakeEcsOptions } from './server';
import { EMPTY_BODY_SHA256, sha256Hex } from './signature';

export { $Ecs, Ecs };

export interface ClientOptions {
	accessKeyId?: string;
	accessKeySecret?: string;
	securityToken?: string;
	regionId?: string;
	readTimeout?: number;
	/** Talk HTTPS to fake.httpsHost, trusting the test CA. */
	https?: boolean;
	/** An @alicloud/credentials object instead of the AK pair. */
	credential?: unknown;
	signatureAlgorithm?: 'v2';
}

export function ecsClient(fake: FakeEcs, o: ClientOptions = {}): Ecs {
	const keys = o.credential
		? { credential: o.credential }
		: {
				accessKeyId: o.accessKeyId ?? TEST_ACCESS_KEY_ID,
				accessKeySecret: o.accessKeySecret ?? TEST_ACCESS_KEY_SECRET,
				securityToken: o.securityToken,
			};
	return new Ecs(
		new $OpenApiUtil.Config({
			...keys,
			regionId: o.regionId ?? 'cn-hangzhou',
			endpoint: o.https ? fake.httpsHost : fake.host,
			protocol: o.https ? 'HTTPS' : 'HTTP',
			ca: o.https ? readFileSync(FakeEcs.caCertPath, 'utf8') : undefined,
			readTimeout: o.readTimeout,
			signatureAlgorithm: o.signatureAlgorithm,
		}),
	);
}

/** One FakeEcs for a whole test file, reset before each test, and an SDK client for it. */
export function useFakeEcs(options?: FakeEcsOptions): {
	readonly fake: FakeEcs;
	readonly ecs: Ecs;
} {
	const env = {} as { fake: FakeEcs; ecs: Ecs };
	beforeAll(async () => {
		env.fake = await FakeEcs.start(options);
		env.ecs = ecsClient(env.fake);
	});
	afterAll(() => env.fake?.close());
	beforeEach(() => env.fake.reset());
	return env;
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(
	promise: Promise<unknown>,
): Promise<Record<string, unknown> & Error> {
	try {
		await promise;
	} catch (err) {
		return err as Record<string, unknown> & Error;
	}
	throw new Error('expected the call to fail, but it succeeded');
}

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: Record<string, unknown>;
}

export function rawRequest(
	fake: FakeEcs,
	req: {
		method?: string;
		path?: string;
		query?: Record<string, string>;
		headers?: Record<string, string>;
		body?: string;
	},
): Promise<RawResponse> {
	const query = req.query && Object.keys(req.query).length ? `?${stringify(req.query)}` : '';
	return new Promise((resolve, reject) => {
		const r = http.request(
			`${fake.url}${req.path ?? '/'}${query}`,
			{ method: req.method ?? 'POST', headers: req.headers, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString();
					let json: Record<string, unknown> = {};
					try {
						json = JSON.parse(text);
					} catch {
						// not JSON: leave json empty, text holds it
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		r.on('error', reject);
		r.end(req.body ?? '');
	});
}

export interface V3Request {
	action: string;
	query?: Record<string, string>;
	version?: string;
	accessKeyId?: string;
	secret?: string;
	date?: string;
	nonce?: string;
	/** More headers, signed like the SDK signs (host, content-type, x-acs-*). */
	headers?: Record<string, string>;
	/** A request body (its hash is signed). */
	body?: string;
}

/** Headers for a V3 request to `fake`, signed by the SDK's signer (not the fake's). */
export function sdkSignedHeaders(fake: FakeEcs, r: V3Request): Record<string, string> {
	const headers: Record<string, string> = {
		host: fake.host,
		'x-acs-action': r.action,
		'x-acs-version': r.version ?? '2014-05-26',
		'x-acs-date': r.date ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
		'x-acs-signature-nonce': r.nonce ?? randomBytes(16).toString('hex'),
		'x-acs-content-sha256': r.body ? sha256Hex(r.body) : EMPTY_BODY_SHA256,
		...r.headers,
	};
	headers.authorization = OpenApiUtil.getAuthorization(
		{ pathname: '/', method: 'POST', query: r.query ?? {}, headers } as never,
		'ACS3-HMAC-SHA256',
		headers['x-acs-content-sha256'],
		r.accessKeyId ?? TEST_ACCESS_KEY_ID,
		r.secret ?? TEST_ACCESS_KEY_SECRET,
	);
	return headers;
}

/** Sends a V3 request signed by the SDK's signer; `tamper` may change it after signing. */
export function sdkSignedRequest(
	fake: FakeEcs,
	r: V3Request,
	tamper?: (headers: Record<string, string>, query: Record<string, string>) => void,
): Promise<RawResponse> {
	const query = { ...r.query };
	const headers = sdkSignedHeaders(fake, r);
	tamper?.(headers, query);
	return rawRequest(fake, { query, headers, body: r.body });
}

export interface RoleOptions {
	roleArn: string;
	externalId?: string;
	accessKeyId?: string;
	accessKeySecret?: string;
	durationSeconds?: number;
	/**
	 * The provider always calls STS over HTTPS and takes no CA; in-process tests can have it use
	 * plain HTTP instead through its `doRequest` hook (signing stays the SDK's). The HTTPS path
	 * itself is tested in a child process started with NODE_EXTRA_CA_CERTS.
	 */
	plainHttp?: boolean;
}

/** An `@alicloud/credentials` ram_role_arn credential whose STS endpoint is `fake`. */
export function ramRoleCredential(fake: FakeEcs, o: RoleOptions): Credential {
	const credential = new Credential(
		new CredentialConfig({
			type: 'ram_role_arn',
			accessKeyId: o.accessKeyId ?? TEST_ACCESS_KEY_ID,
			accessKeySecret: o.accessKeySecret ?? TEST_ACCESS_KEY_SECRET,
			roleArn: o.roleArn,
			roleSessionName: 'fake-ecs-test',
			externalId: o.externalId,
			roleSessionExpiration: o.durationSeconds,
			stsEndpoint: o.plainHttp ? fake.host : fake.httpsHost,
		}),
	);
	if (o.plainHttp) {
		const provider = (
			credential as unknown as {
				credential: { provider: { doRequest: (r: CredentialsRequest) => unknown } };
			}
		).credential.provider;
		provider.doRequest = (req: CredentialsRequest) =>
			credentialsHttpRequest(Object.assign(req, { protocol: 'http' }));
	}
	return credential;
}
