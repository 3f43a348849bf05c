/**
 * The commands the README gives people, run as they run them (on n8n 2.8.4):
 * `npm run demo` (scripts/demo.ts) prints the output items of the stale-server cleanup run in a
 * real n8n; `npm run dev` (scripts/dev.ts) serves n8n with the package, a ready credential and
 * the fake endpoint, and Ctrl-C stops all of it; after a SIGKILL of the dev script, the next
 * start stops the n8n it left holding the port. Needs `npm run build` first.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import {
	CREDENTIALS,
	REPO_ROOT,
	getFreePort,
	killGroup,
	login,
	makeUserFolder,
	removeUserFolder,
	request,
	selectedLineIds,
	waitUntil,
} from './lib';

const TSX = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const describeCommands = selectedLineIds().includes('n8n2-node20') ? describe : describe.skip;

interface Child {
	pid: number;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	hasExited: () => boolean;
}

/** `tsx <script> <args>` in its own process group, as a terminal would run it. */
function runScript(script: string, args: string[]): Child {
	const child = spawn(process.execPath, [TSX, script, ...args], {
		cwd: REPO_ROOT,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, FORCE_COLOR: '0' },
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
	child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
	let done = false;
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('close', (code, signal) => {
			done = true;
			resolve({ code, signal });
		}),
	);
	return {
		pid: child.pid as number,
		stdout: () => stdout,
		stderr: () => stderr,
		exited,
		hasExited: () => done,
	};
}

/** `npm run dev` with its own ports and user folder; resolves once it printed that it is ready. */
async function startDev(port: number, fakePort: number, userFolder: string): Promise<Child> {
	const dev = runScript('scripts/dev.ts', [
		'--port',
		String(port),
		'--fake-port',
		String(fakePort),
		'--user-folder',
		userFolder,
	]);
	await waitUntil(
		() =>
			dev.stdout().includes('Ctrl-C stops everything') ||
			dev.stderr().includes('[dev]') ||
			dev.hasExited(),
		Boolean,
		{ timeoutMs: 240_000, intervalMs: 500, what: 'npm run dev to be ready' },
	);
	return dev;
}

/** After a failure: stop it as a person would (Ctrl-C), then make sure. */
async function stopDev(dev: Child): Promise<void> {
	if (dev.hasExited()) return;
	killGroup(dev.pid, 'SIGINT');
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([dev.exited, new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))]);
	clearTimeout(timer);
	killGroup(dev.pid, 'SIGKILL');
}

/** Running: exists and is not a zombie waiting to be reaped (a killed grandchild may be one). */
function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false; // gone in between
	}
}

function portIsClosed(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(true));
	});
}

describeCommands('the README commands', () => {
	beforeAll(() => {
		const built = path.join(REPO_ROOT, 'dist', 'nodes', 'AlibabaEcs', 'AlibabaEcs.node.js');
		if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
	});

	it('npm run demo: runs the stale-server cleanup (offline 30 days by heartbeat, all regions, re-checked) in n8n 2.8.4 and prints its output items', async () => {
		const demo = runScript('scripts/demo.ts', []);
		const { code } = await demo.exited;
		if (code !== 0) throw new Error(`demo exited ${code}\n${demo.stderr()}\n${demo.stdout()}`);
		const items = JSON.parse(demo.stdout()) as Array<Record<string, unknown>>;
		// the demo account's three servers offline for months, in two regions, each deregistered
		// in its own region; the one that came back after the listing kept by the re-check
		const deregistered = items.filter((item) => item.Deregistered === true);
		expect(deregistered.map((item) => item.InstanceName).sort()).toEqual([
			'bj-batch-07',
			'legacy-sql-01',
			'web-fleet-03',
		]);
		for (const item of deregistered) {
			expect(item.InstanceId).toMatch(/^mi-/);
			expect(item.RequestId).toEqual(expect.any(String));
		}
		expect(new Set(deregistered.map((item) => item.RegionId))).toEqual(
			new Set(['cn-hangzhou', 'cn-beijing']),
		);
		expect(items.filter((item) => item.Skipped)).toEqual([
			expect.objectContaining({
				InstanceName: 'lab-nuc-03',
				Deregistered: false,
				Reason: 'The Cloud Assistant agent is connected',
			}),
		]);
		expect(items).toHaveLength(4);
		expect(demo.stderr()).toMatch(
			/requests reached the fake ECS endpoint .*, 0 with an invalid signature/,
		);
		expect(demo.stderr()).toMatch(
			/deregistered: mi-\S+ web-fleet-03 \(cn-hangzhou\): disconnected, last heartbeat 45 days ago$/m,
		);
		// and what it left alone, with the reason (the demo account has each kind)
		const leftAlone = demo.stderr().match(/left alone: .*/g) ?? [];
		const left = /left in the account: (\d+) managed instances/.exec(demo.stderr());
		expect(leftAlone).toHaveLength(Number(left?.[1]));
		expect(leftAlone).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/ bj-db-01 \(cn-beijing\): connected$/),
				expect.stringMatching(
					/ web-fleet-04 \(cn-hangzhou\): disconnected, but its last heartbeat was 12 days ago: not offline for 30 days \(its last command ran 75 days ago: that says nothing about being offline\)$/,
				),
				expect.stringMatching(
					/ lab-nuc-03 \(cn-hangzhou\): listed as offline for 30 days, but kept by the re-check right before deregistering: The Cloud Assistant agent is connected \(Skipped\)$/,
				),
			]),
		);
		expect(leftAlone.join('\n')).not.toContain('yet still registered');
		expect(leftAlone.join('\n')).not.toContain('another region');
		// what the first line's time is; the last line: where to go next, to places that exist
		expect(demo.stderr()).toMatch(
			/^\[demo\] n8n \S+ on Node \S+ \(install: \d+\.\d s(, cached)?\)$/m,
		);
		const lastLine = demo.stderr().trimEnd().split('\n').at(-1);
		expect(lastLine).toMatch(/^\[demo\] Next: .*README, "Install in your n8n".* examples\//);
		expect(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toMatch(
			/^## Install in your n8n$/m,
		);
	});

	it('npm run dev: n8n with the package, a ready credential and the fake endpoint; Ctrl-C stops everything', async () => {
		const port = await getFreePort();
		const fakePort = await getFreePort();
		const userFolder = makeUserFolder('e2e-dev-');
		const dev = await startDev(port, fakePort, userFolder);
		try {
			expect(dev.stderr()).not.toContain('[dev]');
			expect(dev.stdout()).toContain(`is ready: http://127.0.0.1:${port}`);
			// what a person needs for a credential of their own
			expect(dev.stdout()).toContain(
				`Endpoint http://127.0.0.1:${fakePort}, AccessKey ID ${TEST_ACCESS_KEY_ID}, AccessKey Secret ${TEST_ACCESS_KEY_SECRET}`,
			);

			const base = `http://127.0.0.1:${port}`;
			expect((await request('GET', `${base}/healthz/readiness`)).status).toBe(200);
			const cookie = await login(base); // the owner account dev printed
			const credentials = await request('GET', `${base}/rest/credentials?includeData=true`, {
				headers: { cookie },
			});
			const list = credentials.json<{
				data: Array<{ id: string; name: string; data?: Record<string, unknown> }>;
			}>().data;
			expect(list).toEqual([
				expect.objectContaining({
					id: CREDENTIALS.accessKey.id,
					name: CREDENTIALS.accessKey.name,
				}),
			]);
			const workflows = await request('GET', `${base}/rest/workflows`, { headers: { cookie } });
			expect(workflows.json<{ data: Array<{ name: string }> }>().data.map((w) => w.name)).toEqual([
				'Deregister servers that have been offline for 30 days',
			]);
			// the fake endpoint answers (an unsigned request is refused, and logged by dev)
			const unsigned = await request('GET', `http://127.0.0.1:${fakePort}/?Action=DescribeRegions`);
			expect(unsigned.status).toBeGreaterThanOrEqual(400);
			await waitUntil(() => dev.stdout().includes('[fake ECS]'), Boolean, {
				what: 'the request line',
			});

			killGroup(dev.pid, 'SIGINT'); // what Ctrl-C in a terminal does
			const { code } = await dev.exited;
			expect(code).toBe(0);
			expect(dev.stdout()).toContain('[dev] stopped.');
			await expect(portIsClosed(port)).resolves.toBe(true);
			await expect(portIsClosed(fakePort)).resolves.toBe(true);
		} finally {
			await stopDev(dev);
			removeUserFolder(userFolder);
		}
	});

	it('npm run dev after the dev script was killed hard (SIGKILL): stops the n8n left on the port, then serves', async () => {
		const port = await getFreePort();
		const fakePort = await getFreePort();
		const userFolder = makeUserFolder('e2e-dev-killed-');
		const first = await startDev(port, fakePort, userFolder);
		let leftN8n: number | undefined;
		let second: Child | undefined;
		try {
			expect(first.stdout()).toContain(`is ready: http://127.0.0.1:${port}`);
			const record = JSON.parse(
				fs.readFileSync(path.join(userFolder, 'dev-processes.json'), 'utf8'),
			) as { devPid: number; n8nPid: number };
			leftN8n = record.n8nPid;
			killGroup(first.pid, 'SIGKILL'); // the dev script and tsx; n8n has its own process group
			await first.exited;
			expect(isAlive(record.devPid)).toBe(false);
			// n8n outlived it and still holds the port
			expect(isAlive(leftN8n)).toBe(true);
			await expect(portIsClosed(port)).resolves.toBe(false);

			second = await startDev(port, fakePort, userFolder);
			expect(second.stderr()).not.toContain('[dev]');
			expect(second.stdout()).toContain(
				`[dev] n8n (process group ${leftN8n}, port ${port}) was left running by an earlier npm run dev`,
			);
			expect(second.stdout()).toContain(`is ready: http://127.0.0.1:${port}`);
			expect(isAlive(leftN8n)).toBe(false);
			await login(`http://127.0.0.1:${port}`); // the new n8n, same user folder and owner

			killGroup(second.pid, 'SIGINT');
			await expect(second.exited).resolves.toMatchObject({ code: 0 });
			expect(fs.existsSync(path.join(userFolder, 'dev-processes.json'))).toBe(false);
			await expect(portIsClosed(port)).resolves.toBe(true);
		} finally {
			await stopDev(first);
			if (second) await stopDev(second);
			if (leftN8n) killGroup(leftN8n, 'SIGKILL'); // never leave it behind, even on a failure
			removeUserFolder(userFolder);
		}
	});
});
