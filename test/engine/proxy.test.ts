/**
 * Behind a corporate proxy: the node's requests to ECS and to STS (RAM role) go through the
 * proxy n8n's own requests use (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, lower case too,
 * NO_PROXY), tested with a real forward proxy on loopback (npm `proxy`) that tunnels CONNECT
 * to the fake endpoint's HTTPS port. A proxy that cannot be reached, refuses a tunnel or wants
 * credentials is named in the error, never with its password.
 */
import {
	FakeEcs,
	SAMPLE_INSTANCE,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	TEST_ROLE_ARN,
} from '../fake-ecs';
import { ForwardProxy } from '../fake-ecs/forward-proxy';
import { FIXTURE_CREDENTIAL_ID, workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ https: true });
const sample = { region: 'cn-hangzhou', instanceId: SAMPLE_INSTANCE.InstanceId, timeout: 5_000 };
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'];
const CREDENTIALS = { user: 'n8n', password: 'Pr0xy-Secret-9e1d' };

let proxy: ForwardProxy;

beforeAll(async () => {
	proxy = await ForwardProxy.start();
});
afterAll(async () => {
	await proxy.close();
});

/** Sets proxy variables for one test (all others unset), as n8n's environment would. */
function useProxyEnvironment(variables: Record<string, string>): void {
	for (const name of PROXY_VARIABLES) {
		delete process.env[name];
		delete process.env[name.toLowerCase()];
	}
	Object.assign(process.env, variables);
}

afterEach(() => useProxyEnvironment({}));
beforeEach(() => {
	proxy.requests.length = 0;
});

/** The fake's HTTPS port under a host name (the test certificate is for localhost too). */
function httpsEndpoint(host = 'localhost'): string {
	return `https://${host}:${t.fake.httpsHost!.split(':')[1]}`;
}

function useCredential(extra: Record<string, unknown> = {}): void {
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint: httpsEndpoint(),
		...extra,
	});
}

async function getSample(input: Record<string, unknown> = {}) {
	return await t.harness.run(workflowFixture('instance-get-fast-timeout'), [
		{ ...sample, ...input },
	]);
}

it('tunnels ECS requests through HTTPS_PROXY with CONNECT', async () => {
	useProxyEnvironment({ HTTPS_PROXY: proxy.url() });
	useCredential();
	const result = await getSample();
	expect(result.json('ECS')).toEqual([
		expect.objectContaining({ InstanceId: SAMPLE_INSTANCE.InstanceId }),
	]);
	expect(proxy.tunnels).toEqual([`localhost:${t.fake.httpsHost!.split(':')[1]}`]);
	expect(t.fake.requests.map((r) => [r.action, r.signatureValid])).toEqual([
		['DescribeManagedInstances', true],
	]);
});

it('reads the lower-case https_proxy too, and ALL_PROXY', async () => {
	useCredential();
	useProxyEnvironment({ https_proxy: proxy.url() });
	expect((await getSample()).error).toBeUndefined();
	useProxyEnvironment({ ALL_PROXY: proxy.url() });
	expect((await getSample()).error).toBeUndefined();
	expect(proxy.tunnels).toHaveLength(2);
});

it('connects directly to hosts in NO_PROXY', async () => {
	useProxyEnvironment({ HTTPS_PROXY: proxy.url(), NO_PROXY: 'example.com,localhost' });
	useCredential();
	const result = await getSample();
	expect(result.error).toBeUndefined();
	expect(result.json('ECS')).toHaveLength(1);
	expect(proxy.requests).toEqual([]);
	expect(t.fake.requests).toHaveLength(1);
});

it('sends plain-HTTP endpoints through HTTP_PROXY (no tunnel), and only through it', async () => {
	useProxyEnvironment({ HTTP_PROXY: proxy.url(), HTTPS_PROXY: 'http://127.0.0.1:9' });
	useCredential({ endpoint: t.fake.url.replace('127.0.0.1', 'localhost') });
	const result = await getSample();
	expect(result.error).toBeUndefined();
	expect(proxy.requests).toEqual([
		expect.objectContaining({
			method: 'POST',
			target: expect.stringMatching(/^http:\/\/localhost:\d+\/\?/),
		}),
	]);
});

it('assumes a RAM role through the proxy too: STS and ECS both tunnelled', async () => {
	useProxyEnvironment({ HTTPS_PROXY: proxy.url() });
	useCredential({
		roleArn: TEST_ROLE_ARN,
		roleSessionName: 'behind-proxy',
		// STS under another name of the same fake, so that the tunnels tell the two apart
		stsEndpoint: httpsEndpoint('127.0.0.1'),
	});
	const result = await getSample();
	expect(result.error).toBeUndefined();
	expect(t.fake.requests.map((r) => r.action)).toEqual(['AssumeRole', 'DescribeManagedInstances']);
	const port = t.fake.httpsHost!.split(':')[1];
	expect(proxy.tunnels).toEqual([`127.0.0.1:${port}`, `localhost:${port}`]);
});

it('uses no local DNS for a public endpoint: the proxy resolves it (here it cannot, and says so)', async () => {
	useProxyEnvironment({ HTTPS_PROXY: proxy.url() });
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
	});
	const result = await getSample({ maxAttempts: 1 });
	expect(proxy.tunnels).toEqual(['ecs-cn-hangzhou.aliyuncs.com:443']);
	const [item] = result.items('ECS');
	expect(item.json.error).toBe(
		`The proxy http://127.0.0.1:${proxy.port} refused to connect to ecs-cn-hangzhou.aliyuncs.com:443 (HTTP 404 Not Found)`,
	);
	expect(item.error?.description).toMatch(/HTTPS_PROXY/);
	expect(item.error?.description).toMatch(/NO_PROXY/);
	expect(t.fake.requests).toEqual([]);
});

describe('a proxy that wants credentials', () => {
	let guarded: ForwardProxy;
	beforeAll(async () => {
		guarded = await ForwardProxy.start(CREDENTIALS);
	});
	afterAll(async () => {
		await guarded.close();
	});

	it('is sent the user and password of the proxy URL (Proxy-Authorization: Basic)', async () => {
		useProxyEnvironment({ HTTPS_PROXY: guarded.url(CREDENTIALS) });
		useCredential();
		const result = await getSample();
		expect(result.error).toBeUndefined();
		expect(result.json('ECS')).toHaveLength(1);
		expect(guarded.requests[0].authorization).toBe(
			`Basic ${Buffer.from(`${CREDENTIALS.user}:${CREDENTIALS.password}`).toString('base64')}`,
		);
		expect(result.everything()).not.toContain(CREDENTIALS.password);
	});

	it('without them, or with a wrong password: a clear error naming the proxy, not retried, never the password', async () => {
		useCredential();
		for (const url of [guarded.url(), guarded.url({ ...CREDENTIALS, password: 'wrong-Pa55' })]) {
			useProxyEnvironment({ HTTPS_PROXY: url });
			guarded.requests.length = 0;
			const result = await getSample();
			const [item] = result.items('ECS');
			expect(item.json.error).toBe(
				`The proxy http://127.0.0.1:${guarded.port} requires authentication (HTTP 407 Proxy Authentication Required)`,
			);
			expect(item.error?.description).toMatch(/http:\/\/user:password@host:port/);
			expect(guarded.requests).toHaveLength(1);
			expect(result.everything()).not.toMatch(/wrong-Pa55|Pr0xy-Secret/);
			// nor the request URL: httpx appends it to the messages of errors it passes on
			expect(result.everything()).not.toMatch(/RegionId=|InstanceId\.1=/);
		}
		expect(t.fake.requests).toEqual([]);
	});
});

it('a proxy that is not running: named in the error (without its password), nothing sent', async () => {
	const gone = await ForwardProxy.start();
	const url = gone.url(CREDENTIALS);
	await gone.close();
	useProxyEnvironment({ HTTPS_PROXY: url });
	useCredential();
	const result = await getSample();
	const [item] = result.items('ECS');
	expect(item.json.error).toBe(`Could not connect to the proxy http://127.0.0.1:${gone.port}`);
	expect(item.error?.description).toMatch(/ECONNREFUSED/);
	expect(result.everything()).not.toContain(CREDENTIALS.password);
	expect(result.everything()).not.toMatch(/RegionId=|InstanceId\.1=/);
	expect(t.fake.requests).toEqual([]);
});

it("the SDK's own Config.httpsProxy is ignored by its HTTP layer (why the node brings its own agent)", async () => {
	const { default: Ecs, DescribeRegionsRequest } = await import('@alicloud/ecs20140526');
	const { $OpenApiUtil } = await import('@alicloud/openapi-core');
	const { readFileSync } = await import('node:fs');
	const client = new Ecs(
		new $OpenApiUtil.Config({
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
			endpoint: httpsEndpoint().slice('https://'.length),
			protocol: 'HTTPS',
			ca: readFileSync(FakeEcs.caCertPath, 'utf8'),
			httpsProxy: proxy.url(),
			regionId: 'cn-hangzhou',
		}),
	);
	await client.describeRegions(new DescribeRegionsRequest({}));
	expect(proxy.requests).toEqual([]);
	expect(t.fake.requests).toHaveLength(1);
});
