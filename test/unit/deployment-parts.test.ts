/**
 * The pure parts behind proxies, timeouts, RAM-role sessions, Retry On Fail and text values:
 * the assumed-role session (one AssumeRole however many ask), the write journal's rules,
 * the httpx hook outside this package's calls and what it observes of the API request inside, and
 * yes/no values from expressions.
 */
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

import { InputError, booleanValue } from '../../nodes/AlibabaEcs/helpers/validation';
import {
	WriteJournal,
	WriteNotRepeatedError,
	mayHaveActed,
} from '../../nodes/AlibabaEcs/transport/writeJournal';
import { EcsError, type EcsErrorKind } from '../../nodes/AlibabaEcs/transport/errors';
import {
	type HttpScope,
	type HttpxModule,
	hookHttpx,
	runInHttpScope,
} from '../../nodes/AlibabaEcs/transport/http';
import { AssumedRoleProvider, type AssumedSession } from '../../nodes/AlibabaEcs/transport/session';
import { thrown } from './thrown';

const call = {
	action: 'DeleteActivation',
	regionId: 'cn-hangzhou',
	host: 'ecs-cn-hangzhou.aliyuncs.com',
};

describe('booleanValue', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['false', false],
		[' TRUE ', true],
		['False', false],
	])('reads %j as %s', (value, expected) => {
		expect(booleanValue(value, 'Return All')).toBe(expected);
	});

	it.each(['', 'yes', '1', 'maybe', 1, 0, null, undefined, ['true'], {}])(
		'refuses %j, naming the field, instead of reading a default',
		(value) => {
			const error = thrown(() => booleanValue(value, 'Return All'), InputError);
			expect(error.field).toBe('Return All');
			expect(error.message).toMatch(/^Return All must be true or false, but got /);
		},
	);
});

describe('AssumedRoleProvider', () => {
	const HOUR = 3_600_000;
	function setup(lifeMs = HOUR) {
		let now = Date.parse('2026-01-01T00:00:00Z');
		let calls = 0;
		let release: () => void = () => undefined;
		const assume = async (): Promise<AssumedSession> => {
			calls++;
			await new Promise<void>((resolve) => (release = resolve));
			return {
				accessKeyId: `STS.key${calls}`,
				accessKeySecret: 'secret',
				securityToken: 'token',
				expiration: new Date(now + lifeMs).toISOString(),
			};
		};
		const provider = new AssumedRoleProvider(assume, 'ram_role_arn/static_ak', () => now);
		return {
			provider,
			calls: () => calls,
			release: () => release(),
			advance: (ms: number) => (now += ms),
		};
	}

	it('assumes the role once for any number of concurrent requests', async () => {
		const s = setup();
		const waiting = Array.from({ length: 10 }, async () => await s.provider.getCredentials());
		await new Promise((resolve) => setImmediate(resolve));
		s.release();
		const credentials = await Promise.all(waiting);
		expect(s.calls()).toBe(1);
		expect(new Set(credentials).size).toBe(1);
		expect(credentials[0]).toMatchObject({
			accessKeyId: 'STS.key1',
			providerName: 'ram_role_arn/static_ak',
		});
	});

	it('renews 5 minutes before expiry, or after half the life of a short session', async () => {
		for (const [life, reusedFor] of [
			[3_600_000, 3_300_000],
			[900_000, 600_000],
			[300_000, 150_000],
		]) {
			const s = setup(life);
			const first = s.provider.getCredentials();
			s.release();
			await first;
			s.advance(reusedFor - 1);
			await s.provider.getCredentials();
			expect(s.calls()).toBe(1);
			s.advance(1);
			const renewed = s.provider.getCredentials();
			await new Promise((resolve) => setImmediate(resolve));
			s.release();
			expect((await renewed).accessKeyId).toBe('STS.key2');
		}
	});

	it('drops a rejected session once: later rejections of the same session change nothing', async () => {
		const s = setup();
		const first = s.provider.getCredentials();
		s.release();
		const rejected = await first;
		s.provider.reject(rejected);
		const renewal = s.provider.getCredentials();
		await new Promise((resolve) => setImmediate(resolve));
		s.release();
		const renewed = await renewal;
		s.provider.reject(rejected); // a late rejection of the old session
		expect(await s.provider.getCredentials()).toBe(renewed);
		expect(s.calls()).toBe(2);
	});

	it('lets every waiter see a failed AssumeRole, and tries again on the next request', async () => {
		let fail = true;
		let calls = 0;
		const provider = new AssumedRoleProvider(async () => {
			calls++;
			if (fail) throw new Error('refresh session token failed: {"Code":"NoPermission"}');
			return {
				accessKeyId: 'a',
				accessKeySecret: 'b',
				securityToken: 'c',
				expiration: '2999-01-01T00:00:00Z',
			};
		}, 'p');
		const results = await Promise.allSettled([
			provider.getCredentials(),
			provider.getCredentials(),
		]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		fail = false;
		await expect(provider.getCredentials()).resolves.toMatchObject({ accessKeyId: 'a' });
		expect(calls).toBe(2);
	});
});

describe('write journal', () => {
	const failure = (kind: EcsErrorKind, details: ConstructorParameters<typeof EcsError>[2] = {}) =>
		new EcsError(kind, call, details, 'failed');

	it.each([
		['an API refusal (4xx)', false, failure('api', { statusCode: 400, code: 'Throttling.User' })],
		['a 5xx', true, failure('api', { statusCode: 503, code: 'ServiceUnavailable' })],
		['a refused connection', false, failure('network', { errno: 'ECONNREFUSED' })],
		['a TLS failure', false, failure('network', { errno: 'ERR_TLS_CERT_ALTNAME_INVALID' })],
		['a cut connection', true, failure('network', { errno: 'ECONNRESET' })],
		['a connect timeout', false, failure('timeout', { phase: 'connect' })],
		['an answer timeout', true, failure('timeout', { phase: 'answer' })],
		['an unreadable answer', true, failure('response', { unreadable: true })],
		['a proxy refusal', false, failure('proxy', { statusCode: 407 })],
		['an answer that did not parse', true, new Error('shape')],
	])('%s: the API may have acted: %s', (_name, acted, error) => {
		expect(mayHaveActed(error)).toBe(acted);
	});

	it('reports a done write again without sending it, per item and per action in order', async () => {
		const journal = new WriteJournal();
		let sent = 0;
		const send = async (params: Record<string, unknown>) => ({ n: ++sent, params });
		const first = journal.forItem(0);
		const a = await first.perform('DeleteActivation', { ActivationId: 'A' }, send);
		const b = await first.perform('DeleteActivation', { ActivationId: 'B' }, send);
		const again = journal.forItem(0); // the next try
		expect(await again.perform('DeleteActivation', { ActivationId: 'changed' }, send)).toEqual(a);
		expect(await again.perform('DeleteActivation', { ActivationId: 'changed' }, send)).toEqual(b);
		expect(
			await journal.forItem(1).perform('DeleteActivation', { ActivationId: 'C' }, send),
		).toMatchObject({ n: 3 });
		expect(sent).toBe(3);
	});

	it('after a lost answer sends the first request again, or settles an unsafe write by its reconcile read', async () => {
		const journal = new WriteJournal();
		const lost = failure('network', { errno: 'ECONNRESET' });
		const requests: unknown[] = [];
		const failing = async (params: unknown) => {
			requests.push(params);
			throw lost;
		};
		await expect(
			journal
				.forItem(0)
				.perform('CreateActivation', { Description: 't1', ClientToken: 'x' }, failing),
		).rejects.toBe(lost);
		await expect(
			journal.forItem(1).perform('DeleteActivation', { ActivationId: 'A' }, failing),
		).rejects.toBe(lost);
		const resent = await journal
			.forItem(0)
			.perform(
				'CreateActivation',
				{ Description: 't2', ClientToken: 'y' },
				async (params) => params,
			);
		expect(resent).toEqual({ Description: 't1', ClientToken: 'x' });
		const settled = await journal
			.forItem(1)
			.perform('DeleteActivation', { ActivationId: 'A' }, failing, async () => ({
				AlreadyDeleted: true,
			}));
		expect(settled).toEqual({ AlreadyDeleted: true });
		expect(requests).toHaveLength(2);
	});

	it('never sends an unsafe write again after a lost answer when it has no reconcile read', async () => {
		const journal = new WriteJournal();
		const lost = failure('timeout', { phase: 'answer' });
		let sent = 0;
		const send = async () => {
			sent++;
			throw lost;
		};
		await expect(
			journal.forItem(0).perform('DisableActivation', { ActivationId: 'A' }, send),
		).rejects.toBe(lost);
		await expect(
			journal.forItem(0).perform('DisableActivation', { ActivationId: 'A' }, send),
		).rejects.toBeInstanceOf(WriteNotRepeatedError);
		expect(sent).toBe(1);
	});

	it('forgets a write refused before acting: the next try sends the new request', async () => {
		const journal = new WriteJournal();
		const refused = failure('api', { statusCode: 400, code: 'Throttling.User' });
		await expect(
			journal.forItem(0).perform('CreateActivation', { Description: 't1' }, async () => {
				throw refused;
			}),
		).rejects.toBe(refused);
		expect(
			await journal.forItem(0).perform('CreateActivation', { Description: 't2' }, async (p) => p),
		).toEqual({ Description: 't2' });
	});
});

describe('the httpx hook', () => {
	it('leaves calls made outside this package untouched, and sets agent and bounds inside', async () => {
		const seen: unknown[] = [];
		const response = { statusCode: 200, statusMessage: 'OK' };
		const httpx: HttpxModule = {
			request: async (_url, options) => {
				seen.push(options);
				return response as never;
			},
		};
		const agent = {} as never;
		hookHttpx(httpx, () => ({ agent }));
		hookHttpx(httpx, () => ({ agent: 'another' as never })); // once per module
		await httpx.request('https://sts.aliyuncs.com/', { readTimeout: 3000 });
		await runInHttpScope({ timeoutMs: 15_000, connectTimeoutMs: 10_000 }, async () => {
			await httpx.request('https://ecs-cn-hangzhou.aliyuncs.com/?x=1', { readTimeout: 3000 });
		});
		expect(seen).toEqual([
			{ readTimeout: 3000 },
			{ readTimeout: 15_000, connectTimeout: 25_000, agent },
		]);
	});
});

describe("the httpx hook observes the call's own API request, not STS", () => {
	// The real httpx the SDK sends with, against a loopback server that throttles everything.
	const httpx = createRequire(require.resolve('@darabonba/typescript'))('httpx') as HttpxModule;
	let server: http.Server;
	let url: string;

	beforeAll(async () => {
		server = http.createServer((_req, res) => {
			res.writeHead(429, 'Too Many Requests', {
				'x-acs-retry-after': '1500',
				'x-acs-request-id': '4ECEEE12-56F1-4FBC-9AB1-890F74942176',
				'content-type': 'text/html',
			});
			res.end('<html>slow down</html>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?Action=AssumeRole`;
		hookHttpx(httpx, () => ({ agent: new http.Agent() }));
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	async function send(headers: Record<string, string>): Promise<void> {
		const response = await httpx.request(url, { headers });
		response.resume();
	}

	function newScope(): HttpScope {
		return { timeoutMs: 5000, connectTimeoutMs: 5000 };
	}

	it('sees that the API request (x-acs-action) left, and its status, reason, retry hint and request ID', async () => {
		const scope = newScope();
		await runInHttpScope(scope, async () => {
			await send({ 'content-type': 'application/x-www-form-urlencoded' }); // STS: no x-acs-action
			await send({ 'x-acs-action': 'DescribeRegions', 'x-acs-version': '2014-05-26' });
		});
		expect(scope.started).toBe(true);
		expect(scope.answer).toEqual({
			statusCode: 429,
			statusMessage: 'Too Many Requests',
			retryAfterMs: 1500,
			requestId: '4ECEEE12-56F1-4FBC-9AB1-890F74942176',
		});
	});

	it("leaves a scope whose only request was STS's as not started and unanswered", async () => {
		const scope = newScope();
		await runInHttpScope(scope, async () => {
			await send({ 'x-acs-credentials-provider': 'ram_role_arn' });
		});
		expect(scope).toEqual(newScope());
	});

	it('observes nothing outside a scope', async () => {
		const scope = newScope();
		await runInHttpScope(scope, async () => undefined);
		await send({ 'x-acs-action': 'DescribeRegions' });
		expect(scope).toEqual(newScope());
	});
});

describe('proxyFor: the proxy n8n would use for a URL (proxy-from-env, as n8n-core)', () => {
	const NAMES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'];
	const saved = { ...process.env };
	const ecs = new URL('https://ecs-cn-hangzhou.aliyuncs.com/?RegionId=cn-hangzhou');

	function use(variables: Record<string, string>): void {
		for (const name of NAMES) {
			delete process.env[name];
			delete process.env[name.toLowerCase()];
		}
		Object.assign(process.env, variables);
	}
	afterAll(() => {
		use({});
		Object.assign(process.env, saved);
	});

	it.each([
		[{ HTTPS_PROXY: 'http://proxy:3128' }, 'http://proxy:3128'],
		[{ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'http://lower:1'],
		[{ ALL_PROXY: 'http://all:1' }, 'http://all:1'],
		[{ HTTP_PROXY: 'http://plain:1' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.aliyuncs.com' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*.aliyuncs.com' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'ECS-CN-HANGZHOU.aliyuncs.com' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'ecs-cn-hangzhou.aliyuncs.com:443' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*' }, undefined],
		[
			{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'ecs-cn-hangzhou.aliyuncs.com:80' },
			'http://proxy:3128',
		],
		[{ HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'sts.aliyuncs.com' }, 'http://proxy:3128'],
	])('%j → %s', async (variables, expected) => {
		const { proxyFor, describeProxy } = await import('../../nodes/AlibabaEcs/transport/proxy');
		use(variables);
		const proxy = proxyFor(ecs);
		expect(proxy && describeProxy(proxy)).toBe(expected);
	});

	it('shows a proxy without its user name and password', async () => {
		const { describeProxy } = await import('../../nodes/AlibabaEcs/transport/proxy');
		expect(describeProxy(new URL('http://user:s3cret@proxy.example.com:3128'))).toBe(
			'http://proxy.example.com:3128',
		);
	});
});
