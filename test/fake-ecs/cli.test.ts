/** The standalone CLI: ready line, a real SDK call, per-request log lines without secrets, clean stop. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { $Ecs, Ecs } from './test-clients';
import { $OpenApiUtil } from '@alicloud/openapi-core';

const repoRoot = path.resolve(__dirname, '../..');
const tsxCli = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');

interface Ready {
	endpoint: string;
	host: string;
	accessKeyId: string;
	accessKeySecret: string;
	region: string;
}

let child: ChildProcessWithoutNullStreams;
let stderr = '';
let ready: Ready;

beforeAll(async () => {
	child = spawn(process.execPath, [tsxCli, path.join(__dirname, 'cli.ts'), '--seed', '7'], {
		cwd: repoRoot,
	});
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	ready = await new Promise<Ready>((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
		});
		child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
	});
}, 20_000);

afterAll(() => {
	if (child.exitCode === null) child.kill('SIGKILL');
});

const client = (secret = ready.accessKeySecret) =>
	new Ecs(
		new $OpenApiUtil.Config({
			accessKeyId: ready.accessKeyId,
			accessKeySecret: secret,
			endpoint: ready.host,
			protocol: 'HTTP',
			regionId: ready.region,
		}),
	);

it('prints one JSON line with the endpoint and test keys', () => {
	expect(Object.keys(ready)).toEqual([
		'endpoint',
		'host',
		'accessKeyId',
		'accessKeySecret',
		'region',
	]);
	expect(ready.endpoint).toBe(`http://${ready.host}`);
	expect(ready.host).toMatch(/^127\.0\.0\.1:\d+$/);
	expect(ready.region).toBe('cn-hangzhou');
});

it('serves the SDK: the sample plus the demo account', async () => {
	const res = await client().describeManagedInstances(
		new $Ecs.DescribeManagedInstancesRequest({ regionId: ready.region, maxResults: 50 }),
	);
	const instances = res.body?.instances ?? [];
	expect(instances.map((i) => i.instanceId)).toContain('mi-hz01axdfas0001');
	expect(new Set(instances.map((i) => i.osType))).toEqual(new Set(['linux', 'windows', 'FreeBSD']));
	expect(new Set(instances.map((i) => i.connected))).toEqual(new Set([true, false]));
	const activations = await client().describeActivations(
		new $Ecs.DescribeActivationsRequest({ regionId: ready.region }),
	);
	expect(activations.body?.activationList?.length).toBeGreaterThanOrEqual(2);
});

it('logs one line per request to stderr, never a secret or an activation code', async () => {
	const created = await client().createActivation(
		new $Ecs.CreateActivationRequest({ regionId: ready.region }),
	);
	await client('wrong-secret-wrong-secret-0000')
		.describeRegions(new $Ecs.DescribeRegionsRequest({}))
		.catch(() => undefined);
	await new Promise((r) => setTimeout(r, 100));
	const lines = stderr.trim().split('\n');
	expect(lines.some((l) => / CreateActivation 200 OK sig=ACS3-HMAC-SHA256:valid /.test(l))).toBe(
		true,
	);
	expect(
		lines.some((l) =>
			/ DescribeRegions 400 SignatureDoesNotMatch sig=ACS3-HMAC-SHA256:INVALID /.test(l),
		),
	).toBe(true);
	expect(stderr).not.toContain(ready.accessKeySecret);
	expect(stderr).not.toContain(created.body?.activationCode ?? 'no code');
});

it('stops cleanly on SIGTERM', async () => {
	const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	child.kill('SIGTERM');
	expect(await exit).toBe(0);
	expect(stderr).toContain('SIGTERM: stopping fake ECS');
});
