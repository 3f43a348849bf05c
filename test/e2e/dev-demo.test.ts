/**
 * The commands the README gives people, run as they run them (on n8n 2.8.4):
 * `npm run demo` (scripts/demo.ts) prints the output items of the stale-server cleanup run in a
 * real n8n; `npm run dev` (scripts/dev.ts) serves n8n with the package, a ready credential and
 * the fake endpoint, and Ctrl-C stops all of it. Needs `npm run build` first.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

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

	it('npm run demo: runs the stale-server cleanup in n8n 2.8.4 and prints its output items', async () => {
		const demo = runScript('scripts/demo.ts', []);
		const { code } = await demo.exited;
		if (code !== 0) throw new Error(`demo exited ${code}\n${demo.stderr()}\n${demo.stdout()}`);
		const items = JSON.parse(demo.stdout()) as Array<Record<string, unknown>>;
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) {
			expect(item.InstanceId).toMatch(/^mi-/);
			expect(item.RequestId).toEqual(expect.any(String));
		}
		expect(demo.stderr()).toMatch(
			/requests reached the fake ECS endpoint .*, 0 with an invalid signature/,
		);
	});

	it('npm run dev: n8n with the package, a ready credential and the fake endpoint; Ctrl-C stops everything', async () => {
		const port = await getFreePort();
		const fakePort = await getFreePort();
		const userFolder = makeUserFolder('e2e-dev-');
		const dev = runScript('scripts/dev.ts', [
			'--port',
			String(port),
			'--fake-port',
			String(fakePort),
			'--user-folder',
			userFolder,
		]);
		try {
			await waitUntil(
				() => dev.stdout().includes('Ctrl-C stops everything') || dev.stderr().includes('[dev]'),
				Boolean,
				{ timeoutMs: 240_000, intervalMs: 500, what: 'npm run dev to be ready' },
			);
			expect(dev.stderr()).not.toContain('[dev]');
			expect(dev.stdout()).toContain(`is ready: http://127.0.0.1:${port}`);

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
			// on a failure: stop it as a person would, then make sure
			if (!dev.hasExited()) {
				killGroup(dev.pid, 'SIGINT');
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([
					dev.exited,
					new Promise((resolve) => (timer = setTimeout(resolve, 20_000))),
				]);
				clearTimeout(timer);
				killGroup(dev.pid, 'SIGKILL');
			}
			removeUserFolder(userFolder);
		}
	});
});
