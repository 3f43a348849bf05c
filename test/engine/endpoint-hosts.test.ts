/**
 * The host named in a message is the host the request really went to, from the first call on,
 * with no custom endpoint: the SDK's endpoint map sends cn-hangzhou to
 * ecs-cn-hangzhou.aliyuncs.com (and most regions to ecs.<region>.aliyuncs.com). No request may
 * leave loopback, so the system resolver is replaced for this file by one that knows no name
 * ("DNS pointing nowhere"): every lookup fails as getaddrinfo does (ENOTFOUND), and the names
 * asked for are recorded, which shows where each request was headed. IP literals (the fake's
 * 127.0.0.1) need no lookup and still work.
 */
import dns from 'node:dns';

import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET, TEST_ROLE_ARN } from '../fake-ecs';
import { FIXTURE_CREDENTIAL_ID, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ https: true });

const asked: string[] = [];
const systemLookup = dns.lookup;

beforeAll(() => {
	if (!process.env.NODE_EXTRA_CA_CERTS) {
		throw new Error(
			'Run through `npm run jest` (scripts/jest.mjs), which trusts the fake STS test certificate',
		);
	}
	const nowhere = (hostname: string, ...rest: unknown[]) => {
		const callback = rest.at(-1) as (error: NodeJS.ErrnoException) => void;
		asked.push(hostname);
		const error: NodeJS.ErrnoException & { hostname?: string } = new Error(
			`getaddrinfo ENOTFOUND ${hostname}`,
		);
		Object.assign(error, { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });
		process.nextTick(callback, error);
	};
	(dns as { lookup: unknown }).lookup = nowhere;
});

afterAll(() => {
	(dns as { lookup: unknown }).lookup = systemLookup;
});

beforeEach(() => {
	asked.length = 0;
});

/** The stored credential, with no Endpoint: the SDK picks each region's public host. */
function publicEndpoint(extra: Record<string, unknown> = {}) {
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		...extra,
	});
}

async function firstError(region: string) {
	const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [
		// A Timeout that a loaded machine's first TLS handshake with the fake STS stays well within
		// (it bounds AssumeRole too); a name that does not resolve fails at once anyway.
		{ region, instanceId: 'mi-hz01axdfas0001', maxAttempts: 1, timeout: 10_000 },
	]);
	return result.items('ECS')[0];
}

it.each([
	['cn-hangzhou', 'ecs-cn-hangzhou.aliyuncs.com'],
	['cn-beijing', 'ecs.cn-beijing.aliyuncs.com'],
])('%s: the first failure names %s, the host the SDK really asked for', async (region, host) => {
	publicEndpoint();
	const item = await firstError(region);
	expect(item.json.error).toBe(`The host name of the ECS endpoint ${host} could not be resolved`);
	expect(item.error?.description).toMatch(/ENOTFOUND/);
	expect(asked).toEqual([host]);
	expect(t.fake.requests).toEqual([]);
});

it('with a RAM role, an ECS failure names the ECS host, not STS (STS answered)', async () => {
	publicEndpoint({
		roleArn: TEST_ROLE_ARN,
		roleSessionName: 'hosts-test',
		stsEndpoint: `https://${t.fake.httpsHost}`,
	});
	const item = await firstError('cn-hangzhou');
	expect(item.json.error).toBe(
		'The host name of the ECS endpoint ecs-cn-hangzhou.aliyuncs.com could not be resolved',
	);
	expect(t.fake.requests.map((r) => [r.action, r.status])).toEqual([['AssumeRole', 200]]);
	expect(asked).toEqual(['ecs-cn-hangzhou.aliyuncs.com']);
});

it('with a RAM role whose STS cannot be reached, the failure names STS', async () => {
	publicEndpoint({ roleArn: TEST_ROLE_ARN, roleSessionName: 'hosts-test-sts' });
	const item = await firstError('cn-hangzhou');
	expect(item.json.error).toBe(
		'The host name of the STS endpoint sts.aliyuncs.com could not be resolved',
	);
	expect(item.error?.description).toMatch(/STS Endpoint field/);
	expect(asked).toEqual(['sts.aliyuncs.com']);
});
