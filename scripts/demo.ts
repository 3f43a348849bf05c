/**
 * The main job, in a real n8n: `npm run demo` builds the package, then this script
 *  1. makes sure n8n 2.8.4 is installed (scripts/n8n/install.sh; once per machine, ~5 min),
 *  2. starts the bundled fake ECS endpoint with a small demo account (test/fake-ecs),
 *  3. packs the package and installs the tarball into a fresh $N8N_USER_FOLDER/.n8n/nodes, as
 *     n8n's community-package installer does,
 *  4. imports a credential pointing at the fake endpoint and the workflow
 *     test/e2e/workflows/stale-cleanup.json (Get Many disconnected servers -> Filter: idle for
 *     30 days -> Deregister) with the n8n CLI, runs it with `n8n execute --id`,
 *  5. prints the output items of the workflow's last node (JSON) on stdout; progress on stderr,
 *     ending with each instance the cleanup left alone and why (other region, connected, not
 *     idle for 30 days).
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
import type { ManagedInstance } from '../test/fake-ecs/model';
import { seedDemo } from '../test/fake-ecs/seed';
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
import { ExpectedError, lineForThisMachine, runMain } from './lib/command';

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
	const line = lineForThisMachine(args.line, (text) => log(`[demo] ${text}`));
	log(`[demo] n8n ${line.n8n} on Node ${line.nodeVersion} (${seconds(started)})`);

	const workflow = useDemoCredential(
		args.workflow ? readWorkflowFile(args.workflow) : loadWorkflow('stale-cleanup'),
	);

	const fake = await FakeEcs.start();
	seedDemo(fake.state);
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
			`[demo] "${last ?? '?'}" output above. ${fake.requests.length} requests reached the fake ECS endpoint (${summarize(fake)}), ${unsigned} with an invalid signature. n8n exit code ${result.exitCode}, ${seconds(started)}.`,
		);
		log(`[demo] left in the account: ${describeAccount(fake)}`);
		if (!args.workflow) {
			const region = cleanupRegion(workflow);
			for (const instance of fake.state.listInstances()) {
				log(
					`[demo]   left alone: ${instance.InstanceId} ${instance.InstanceName} (${instance.RegionId}): ${whyLeftAlone(instance, region, Date.now())}`,
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
}

function readWorkflowFile(file: string): WorkflowInput {
	try {
		return JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')) as WorkflowInput;
	} catch (error) {
		throw new ExpectedError(
			`Cannot read the workflow ${file}: ${(error as Error).message.split('\n')[0]}`,
		);
	}
}

/** The cleanup workflow (test/e2e/workflows/stale-cleanup.json): one region, 30 days idle. */
const STALE_AFTER_DAYS = 30;
const DAY = 86_400_000;

function cleanupRegion(workflow: WorkflowInput): string {
	const list = workflow.nodes.find((n) => n.name === 'Disconnected servers');
	return String((list?.parameters as { regionId?: string } | undefined)?.regionId);
}

/** Why the cleanup did not deregister an instance, in the terms of the workflow's steps. */
function whyLeftAlone(instance: ManagedInstance, region: string, now: number): string {
	if (instance.RegionId !== region) return `another region: the workflow lists ${region} only`;
	if (instance.Connected) return 'connected';
	const days = (iso: string) => Math.floor((now - Date.parse(iso)) / DAY);
	const idle = instance.LastInvokedTime
		? `its last command ran ${days(instance.LastInvokedTime)} days ago`
		: `registered ${days(instance.RegistrationTime)} days ago, no command since`;
	const lastUse = Date.parse(instance.LastInvokedTime ?? instance.RegistrationTime);
	return lastUse > now - STALE_AFTER_DAYS * DAY
		? `disconnected, but ${idle}: not idle for ${STALE_AFTER_DAYS} days`
		: `disconnected and ${idle}, yet still registered (see the run's output above)`;
}

function describeAccount(fake: FakeEcs): string {
	const instances = fake.state.listInstances();
	const offline = instances.filter((i) => !i.Connected).length;
	return `${instances.length} managed instances (${offline} disconnected)`;
}

function summarize(fake: FakeEcs): string {
	const counts = new Map<string, number>();
	for (const r of fake.requests) counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
	return [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

runMain('[demo]', main);
