/**
 * The main job, in a real n8n: `npm run demo` builds the package, then this script
 *  1. makes sure n8n 2.8.4 is installed (scripts/n8n/install.sh; once per machine, ~5 min),
 *  2. starts the bundled fake ECS endpoint with a small demo account (test/fake-ecs/seed.ts),
 *  3. packs the package and installs the tarball into a fresh $N8N_USER_FOLDER/.n8n/nodes, as
 *     n8n's community-package installer does,
 *  4. imports a credential pointing at the fake endpoint and the workflow
 *     test/e2e/workflows/stale-cleanup.json (Get Many, all regions, Offline For At Least 720 hours
 *     -> Deregister in each item's region, re-checked right before, at most 20 a run) with the
 *     n8n CLI, runs it with `n8n execute --id`; one server of the demo account comes back online
 *     between the listing and the deregistration (its agent reconnects right after the fake
 *     answered the listing's status call), so the re-check has something to catch,
 *  5. prints the output items of the workflow's last node (JSON) on stdout; progress on stderr,
 *     ending with what was deregistered and each instance the cleanup left alone and why
 *     (connected, offline for less than 30 days by its last heartbeat, back online at the
 *     re-check; another region only if the listing is not over all regions), and a last line
 *     saying where to go next (README's "Install in your n8n", examples/).
 * On a Node other than 20 it runs the n8n line that brings its own Node (scripts/lib/command.ts),
 * and an expected problem ends with one sentence, not a stack trace.
 *
 *   npm run demo                          # the stale-server cleanup
 *   npm run demo -- path/to/workflow.json # any workflow with a Manual Trigger; its Alibaba
 *                                         # credential references are pointed at the fake
 *   npm run demo -- --line n8n1-node20    # another pinned n8n line (scripts/n8n/versions.json)
 *   npm run demo -- --keep                # keep the n8n user folder for a look afterwards
 * Exit code 0 when the run succeeded and every request reached the fake with a valid signature.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../test/fake-ecs';
import { lastHeartbeatTime } from '../test/fake-ecs/heartbeat';
import type { ManagedInstance } from '../test/fake-ecs/model';
import { seedDemo, type DemoAccount } from '../test/fake-ecs/seed';
import {
	CREDENTIAL_TYPE,
	CREDENTIALS,
	executeWorkflow,
	fakeEcsCredentials,
	loadWorkflow,
	nodeItems,
	assertBuilt,
	packBuiltPackage,
	removePackedPackage,
	prepareUserFolder,
	removeUserFolder,
	type WorkflowInput,
} from '../test/e2e/lib';
import { ExpectedError, ensureLineForThisMachine, runMain } from './lib/command';

const log = (line: string) => process.stderr.write(`${line}\n`);

function parseArgs(argv: string[]): { workflow?: string; line?: string; keep: boolean } {
	const args = {
		workflow: undefined as string | undefined,
		line: undefined as string | undefined,
		keep: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--keep') args.keep = true;
		else if (a === '--line') args.line = argv[++i] ?? '';
		else if (a.startsWith('--line=')) args.line = a.slice('--line='.length);
		else if (!a.startsWith('-') && !args.workflow) args.workflow = a;
		else {
			log(`usage: npm run demo -- [workflow.json] [--line <id>] [--keep]   (bad: ${a})`);
			process.exit(2);
		}
	}
	return args;
}

/** Points every Alibaba Cloud credential reference of the workflow at the demo credential. */
function useDemoCredential(workflow: WorkflowInput): WorkflowInput {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => {
			const credentials = node.credentials as Record<string, unknown> | undefined;
			if (!credentials?.[CREDENTIAL_TYPE]) return node;
			return { ...node, credentials: { ...credentials, [CREDENTIAL_TYPE]: CREDENTIALS.accessKey } };
		}),
	};
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	assertBuilt(); // before a first-time n8n install of several minutes

	let started = Date.now();
	const { line, installed } = ensureLineForThisMachine(args.line, (text) => log(`[demo] ${text}`));
	log(
		`[demo] n8n ${line.n8n} on Node ${line.nodeVersion} (install: ${seconds(started)}${installed ? '' : ', cached'})`,
	);

	const workflow = useDemoCredential(
		args.workflow ? readWorkflowFile(args.workflow) : loadWorkflow('stale-cleanup'),
	);

	// The main job's server that comes back between listing and deregistering (not in a workflow
	// of the user's: nothing should change under it).
	let comeBack: DemoAccount['reconnectAfterListing'] | undefined;
	const fake = await FakeEcs.start({
		onRequest: (request) => {
			const back = comeBack?.(request);
			if (back)
				log(
					`[demo] ${back.InstanceName} is back online: its agent reconnected right after the listing (the demo switched it on)`,
				);
		},
	});
	const account = seedDemo(fake.state);
	if (!args.workflow) comeBack = account.reconnectAfterListing;
	let userFolder: string | undefined;
	let tarball: string | undefined;
	try {
		log(`[demo] fake ECS endpoint on ${fake.url}: ${describeAccount(fake)}`);
		started = Date.now();
		tarball = packBuiltPackage();
		const prepared = await prepareUserFolder({
			line,
			tarball,
			credentials: fakeEcsCredentials(fake.url, {
				accessKeyId: TEST_ACCESS_KEY_ID,
				accessKeySecret: TEST_ACCESS_KEY_SECRET,
			}),
			workflows: [workflow],
		});
		userFolder = prepared.userFolder;
		log(
			`[demo] installed ${path.basename(tarball)} into ${userFolder}/.n8n/nodes, imported the credential and "${workflow.name ?? 'the workflow'}" (${seconds(started)})`,
		);

		started = Date.now();
		const workflowId = prepared.workflows[0].id;
		log(`[demo] n8n execute --id=${workflowId} ...`);
		const result = await executeWorkflow({ line, userFolder, workflowId });
		const run = result.run;
		const last = run?.data.resultData.lastNodeExecuted;
		const unsigned = fake.requests.filter((r) => !r.signatureValid).length;
		if (run?.status === 'success' && last) {
			process.stdout.write(`${JSON.stringify(nodeItems(run, last), null, 2)}\n`);
		} else {
			const error = run?.data.resultData.error;
			log(result.stdout.slice(-3000));
			log(`[demo] the run failed: ${error?.message ?? `n8n exited with ${result.exitCode}`}`);
		}
		log(
			`[demo] "${last ?? '?'}" output above. ${count(fake.requests.length, 'request')} reached the fake ECS endpoint (${summarize(fake)}), ${unsigned} with an invalid signature. n8n exit code ${result.exitCode}, ${seconds(started)}.`,
		);
		const output = run && last ? nodeItems(run, last) : [];
		const cleanup = args.workflow ? undefined : cleanupSettings(workflow);
		if (cleanup) {
			for (const item of output.filter((i) => i.Deregistered === true)) {
				const beat = Date.parse(String(item.LastHeartbeatTime));
				const why = Number.isFinite(beat)
					? `disconnected, last heartbeat ${days(Date.now() - beat)} ago`
					: 'disconnected, no heartbeat since its registration';
				log(
					`[demo]   deregistered: ${String(item.InstanceId)} ${String(item.InstanceName)} (${String(item.RegionId)}): ${why}`,
				);
			}
		}
		log(`[demo] left in the account: ${describeAccount(fake)}`);
		if (cleanup) {
			const skipped = new Map(output.filter((i) => i.Skipped).map((i) => [i.InstanceId, i]));
			const now = Date.now();
			for (const instance of fake.state.listInstances()) {
				log(
					`[demo]   left alone: ${instance.InstanceId} ${instance.InstanceName} (${instance.RegionId}): ${whyLeftAlone(instance, cleanup, now, skipped.get(instance.InstanceId))}`,
				);
			}
		}
		if (result.exitCode !== 0 || run?.status !== 'success' || unsigned > 0) process.exitCode = 1;
	} finally {
		await fake.close();
		removePackedPackage(tarball);
		if (userFolder && !args.keep) removeUserFolder(userFolder);
		else if (userFolder) log(`[demo] kept the n8n user folder ${userFolder}`);
	}
	if (process.exitCode !== 1) log(NEXT_STEP);
}

/** The demo's last line: where a user goes from here. */
const NEXT_STEP =
	'[demo] Next: install the package in your own n8n (README, "Install in your n8n") and import a workflow from examples/ (examples/README.md).';

function readWorkflowFile(file: string): WorkflowInput {
	try {
		return JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')) as WorkflowInput;
	} catch (error) {
		throw new ExpectedError(
			`Cannot read the workflow ${file}: ${(error as Error).message.split('\n')[0]}`,
		);
	}
}

/** What the cleanup workflow (test/e2e/workflows/stale-cleanup.json) lists. */
interface CleanupSettings {
	/** Get Many's Offline For At Least (hours). */
	hours: number;
	/** Get Many's Region, or undefined with the option All Regions. */
	regionId?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function cleanupSettings(workflow: WorkflowInput): CleanupSettings {
	const list = workflow.nodes.find(
		(n) => (n.parameters as { operation?: string } | undefined)?.operation === 'getAll',
	);
	const parameters = (list?.parameters ?? {}) as {
		regionId?: string;
		filters?: { offlineForAtLeast?: number };
		options?: { allRegions?: boolean };
	};
	return {
		hours: Number(parameters.filters?.offlineForAtLeast),
		regionId: parameters.options?.allRegions ? undefined : String(parameters.regionId),
	};
}

function days(ms: number): string {
	const n = Math.floor(ms / DAY);
	return `${n} day${n === 1 ? '' : 's'}`;
}

/**
 * Why the cleanup did not deregister an instance, in the terms of the workflow's steps and of
 * what "offline" means (README): disconnected, and the later of the last heartbeat and the
 * registration at least `hours` old. `skipped` is Deregister's item for it, if the re-check kept it.
 */
function whyLeftAlone(
	instance: ManagedInstance,
	cleanup: CleanupSettings,
	now: number,
	skipped: Record<string, unknown> | undefined,
): string {
	const limit = cleanup.hours % 24 === 0 ? days(cleanup.hours * HOUR) : `${cleanup.hours} hours`;
	if (cleanup.regionId && instance.RegionId !== cleanup.regionId)
		return `another region: the workflow lists ${cleanup.regionId} only`;
	if (skipped)
		return `listed as offline for ${limit}, but kept by the re-check right before deregistering: ${String(skipped.Reason)} (Skipped)`;
	if (instance.Connected) return 'connected';
	const beat = Date.parse(lastHeartbeatTime(instance, now) ?? '');
	const registered = Date.parse(instance.RegistrationTime);
	const since = Math.max(Number.isFinite(beat) ? beat : -Infinity, registered);
	const what =
		since === beat
			? `its last heartbeat was ${days(now - beat)} ago`
			: `it sent no heartbeat since its registration ${days(now - registered)} ago`;
	if (now - since >= cleanup.hours * HOUR)
		return `disconnected and ${what}, yet still registered (see the run's output above)`;
	const command = instance.LastInvokedTime ? now - Date.parse(instance.LastInvokedTime) : 0;
	const oldCommand =
		command >= cleanup.hours * HOUR
			? ` (its last command ran ${days(command)} ago: that says nothing about being offline)`
			: '';
	return `disconnected, but ${what}: not offline for ${limit}${oldCommand}`;
}

function describeAccount(fake: FakeEcs): string {
	const instances = fake.state.listInstances();
	const offline = instances.filter((i) => !i.Connected).length;
	const regions = [...new Set(instances.map((i) => i.RegionId))].sort().join(', ');
	return `${instances.length} managed instances (${offline} disconnected) in ${regions}`;
}

function summarize(fake: FakeEcs): string {
	const counts = new Map<string, number>();
	for (const r of fake.requests) counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
	return [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
}

/** "1 request", "2 requests". */
function count(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

runMain('[demo]', main);
