/**
 * `npm run dev`: builds the package (npm script), then this script starts, for clicking through:
 *  - the bundled fake ECS endpoint with a small demo account (test/fake-ecs, seedDemo) on
 *    http://127.0.0.1:5690, printing one line per request it receives,
 *  - n8n 2.8.4 (installed on first use by scripts/n8n/install.sh, once per machine, ~5 min) on
 *    http://127.0.0.1:5678, with this package installed from its tarball into
 *    .tmp/dev-n8n/.n8n/nodes (as n8n's community-package installer does), an owner account,
 *    the credential "Alibaba Cloud (fake ECS)" pointing at the fake endpoint, and the example
 *    workflow "Deregister servers that have been offline for 30 days" (test/e2e/workflows/
 *    stale-cleanup.json). As in `npm run demo`, one server of the demo account (lab-nuc-03)
 *    comes back online right after the first listing that reads its agent status, so the
 *    first run of that workflow shows Deregister's re-check keeping it.
 * The user folder .tmp/dev-n8n (gitignored) is kept between runs, so workflows made in the
 * editor stay; every start installs the freshly built package and re-points the credential.
 * Ctrl-C (or SIGTERM) stops n8n and the fake endpoint. The pids are recorded in the user folder
 * (dev-processes.json): a start after a run that was killed hard (SIGKILL) stops the n8n that
 * run left holding the port. On a Node other than 20, the n8n line is chosen as `npm run demo`
 * does (scripts/lib/command.ts).
 *
 *   npm run dev [-- --port 5678] [--fake-port 5690] [--user-folder DIR] [--fresh] [--line ID]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../test/fake-ecs';
import type { RecordedRequest } from '../test/fake-ecs';
import { seedDemo, type DemoAccount } from '../test/fake-ecs/seed';
import {
	CREDENTIALS,
	DEFAULT_OWNER,
	REPO_ROOT,
	fakeEcsCredentials,
	importCredentials,
	importWorkflows,
	installPackageInto,
	loadWorkflow,
	packBuiltPackage,
	removePackedPackage,
	request,
	setupOwner,
	startN8n,
	type RunningN8n,
} from '../test/e2e/lib';
import { ExpectedError, lineForThisMachine, runMain } from './lib/command';
import {
	assertPortFree,
	cleanUpEarlierRun,
	removeRecord,
	writeRecord,
	type DevProcesses,
} from './lib/dev-processes';

interface Args {
	port: number;
	fakePort: number;
	userFolder: string;
	fresh: boolean;
	/** --line; undefined: the default line for this machine's Node (chooseLine) */
	line?: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function parseArgs(argv: string[]): Args {
	const args: Args = {
		port: 5678,
		fakePort: 5690,
		userFolder: path.join(REPO_ROOT, '.tmp', 'dev-n8n'),
		fresh: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => inline ?? argv[++i] ?? '';
		if (flag === '--fresh') args.fresh = true;
		else if (flag === '--port') args.port = Number(value());
		else if (flag === '--fake-port') args.fakePort = Number(value());
		else if (flag === '--user-folder') args.userFolder = path.resolve(value());
		else if (flag === '--line') args.line = value();
		else {
			process.stderr.write(
				`usage: npm run dev -- [--port 5678] [--fake-port 5690] [--user-folder DIR] [--fresh] [--line ID]  (bad: ${argv[i]})\n`,
			);
			process.exit(2);
		}
	}
	for (const port of [args.port, args.fakePort]) {
		if (!Number.isInteger(port) || port <= 0 || port > 65535) {
			process.stderr.write(`not a port: ${port}\n`);
			process.exit(2);
		}
	}
	return args;
}

function requestLine(r: RecordedRequest): string {
	const outcome = r.status === 0 ? 'no answer' : String(r.status);
	const signature = r.signatureValid ? 'signature ok' : 'signature INVALID';
	const target = r.params.InstanceId ?? r.params.ActivationId ?? '';
	return `[fake ECS] ${new Date().toISOString().slice(11, 19)} ${r.action || '-'} ${r.params.RegionId ?? ''} ${target} -> ${outcome}${r.code ? ` ${r.code}` : ''} (${signature})`;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const built = path.join(REPO_ROOT, 'dist', 'nodes', 'AlibabaEcs', 'AlibabaEcs.node.js');
	if (!fs.existsSync(built))
		throw new ExpectedError(`${built} is missing: run npm run build first.`);
	const line = lineForThisMachine(args.line, (text) => log(`[dev] ${text}`));

	// what an earlier run left (killed hard: its n8n may still hold the port), then the ports
	await cleanUpEarlierRun(args.userFolder, log);
	if (args.fresh) fs.rmSync(args.userFolder, { recursive: true, force: true });
	fs.mkdirSync(args.userFolder, { recursive: true });
	await assertPortFree(args.port, '--port', 'n8n');
	await assertPortFree(args.fakePort, '--fake-port', 'the fake ECS endpoint');
	const record: DevProcesses = {
		devPid: process.pid,
		port: args.port,
		fakePort: args.fakePort,
		startedAt: new Date().toISOString(),
	};
	writeRecord(args.userFolder, record);

	// what was started so far, for stop()
	const started: { fake?: FakeEcs; n8n?: RunningN8n } = {};
	let stopping = false;
	const stop = async (why: string, code: number) => {
		if (stopping) return;
		stopping = true;
		log(`\n[dev] ${why}: stopping n8n and the fake ECS endpoint...`);
		await started.n8n?.stop().catch(() => undefined);
		await started.fake?.close().catch(() => undefined);
		removeRecord(args.userFolder);
		log('[dev] stopped.');
		process.exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => void stop(signal, 0));
	}

	// (set once the account is seeded: the demo's server that comes back, seed.ts)
	const demoAccount: { comeBack?: DemoAccount['reconnectAfterListing'] } = {};
	const fake = await FakeEcs.start({
		port: args.fakePort,
		maxRecordedRequests: 1000,
		onRequest: (r) => {
			log(requestLine(r));
			const back = demoAccount.comeBack?.(r);
			if (back) log(`[fake ECS] ${back.InstanceName} (${back.InstanceId}) is back online`);
		},
	});
	started.fake = fake;
	demoAccount.comeBack = seedDemo(fake.state).reconnectAfterListing;

	const firstRun = !fs.existsSync(path.join(args.userFolder, '.n8n', 'database.sqlite'));

	// the freshly built package, installed the way users get it
	const tarball = packBuiltPackage();
	fs.rmSync(path.join(args.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-alibaba-ecs'), {
		recursive: true,
		force: true,
	});
	const pkg = installPackageInto(args.userFolder, tarball, { line });
	removePackedPackage(tarball);
	// (re)import the credential: the same id, now pointing at this run's fake endpoint
	await importCredentials(
		line,
		args.userFolder,
		fakeEcsCredentials(fake.url, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: TEST_ACCESS_KEY_SECRET,
		}),
	);
	const demo = loadWorkflow('stale-cleanup');
	if (firstRun) await importWorkflows(line, args.userFolder, [demo]);

	const logFile = path.join(args.userFolder, 'n8n.log');
	const logStream = fs.createWriteStream(logFile, { flags: 'a' });
	const n8n = await startN8n({
		line,
		userFolder: args.userFolder,
		port: args.port,
		onOutput: (chunk) => logStream.write(chunk),
		onSpawn: (pid) => writeRecord(args.userFolder, { ...record, n8nPid: pid }),
		guard: false, // (the record above is how a killed run's n8n is found and stopped)
	});
	started.n8n = n8n;
	void n8n.exited.then(({ code, signal }) => {
		if (!stopping) {
			process.stderr.write(n8n.output().slice(-3000));
			void stop(`n8n exited by itself (code ${code}, signal ${signal}); see ${logFile}`, 1);
		}
	});
	const settings = await request('GET', `${n8n.url}/rest/settings`);
	const needsOwner =
		settings.json<{ data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } }>().data
			?.userManagement?.showSetupOnFirstLoad !== false;
	if (needsOwner) await setupOwner(n8n.url);

	const instances = fake.state.listInstances();
	log(
		[
			'',
			`[dev] n8n ${line.n8n} with ${pkg.name} ${pkg.version} is ready: ${n8n.url}`,
			`[dev]   sign in as ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}${needsOwner ? ' (owner account just created)' : ''}`,
			`[dev]   credential "${CREDENTIALS.accessKey.name}" -> fake ECS endpoint ${fake.url}`,
			`[dev]   for a credential of your own: Endpoint ${fake.url}, AccessKey ID ${TEST_ACCESS_KEY_ID}, AccessKey Secret ${TEST_ACCESS_KEY_SECRET} (test values of the fake endpoint, not real keys)`,
			`[dev]   example workflow: ${n8n.url}/workflow/${demo.id}  ("${demo.name}")`,
			`[dev]   fake account: ${instances.length} managed instances (${instances.filter((i) => !i.Connected).length} disconnected) in ${[...new Set(instances.map((i) => i.RegionId))].sort().join(' and ')}, a few activation codes`,
			`[dev]   n8n user folder ${args.userFolder} (kept; --fresh starts over), n8n log ${logFile}`,
			'[dev] requests to the fake endpoint are printed below. Ctrl-C stops everything.',
			'',
		].join('\n'),
	);
}

runMain('[dev]', main);
