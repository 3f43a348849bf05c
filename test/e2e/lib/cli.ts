/**
 * The n8n command line: import credentials and workflows, execute a workflow, parse its run.
 */
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { getFreePort, n8nEnv } from './env';
import type { N8nLine } from './lines';

export interface CliResult {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
	seconds: number;
}

export interface CliOptions {
	line: N8nLine;
	userFolder: string;
	args: string[];
	timeoutMs?: number;
	encryptionKey?: string;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	env?: Record<string, string | undefined>;
}

/**
 * Runs `n8n <args>` of the given line (its own node binary, own process group, own broker port)
 * and collects the output. Never throws for a non-zero exit: check exitCode.
 */
export async function runN8nCli(o: CliOptions): Promise<CliResult> {
	const brokerPort = await getFreePort();
	const env = n8nEnv({
		line: o.line,
		userFolder: o.userFolder,
		brokerPort,
		encryptionKey: o.encryptionKey,
		logLevel: o.logLevel,
		extra: o.env,
	});
	const started = Date.now();
	return new Promise<CliResult>((resolve, reject) => {
		const child = spawn(o.line.nodeBin, [o.line.n8nBin, ...o.args], {
			cwd: o.userFolder,
			env,
			detached: true, // own process group: a timeout kills n8n and its task runners together
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGKILL');
		}, o.timeoutMs ?? 180000);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			// leftovers of the group (task runner) must not outlive the command
			killGroup(child.pid, 'SIGKILL');
			resolve({
				exitCode: code,
				signal,
				stdout,
				stderr,
				timedOut,
				seconds: (Date.now() - started) / 1000,
			});
		});
	});
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		/* group already gone */
	}
}

function cliFailed(what: string, r: CliResult): Error {
	return new Error(
		`${what} failed (exit ${r.exitCode}${r.signal ? ', signal ' + r.signal : ''}${r.timedOut ? ', timed out' : ''})\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
	);
}

// ------------------------------------------------------------------ credentials and workflows

/** A credential as `n8n import:credentials` takes it; `data` is plaintext and gets encrypted on import. */
export interface CredentialInput {
	id?: string;
	name: string;
	/** credential type name, e.g. 'alibabaCloudAccessKeyApi' */
	type: string;
	data: Record<string, unknown>;
}

/** A workflow as `n8n import:workflow` takes it (the JSON the editor exports). */
export interface WorkflowInput {
	id?: string;
	name?: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** n8n ids: 16 alphanumerics (nanoid-like). */
export function newId(): string {
	const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
	const bytes = crypto.randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function inputDir(userFolder: string): string {
	const d = path.join(userFolder, 'e2e-input');
	fs.mkdirSync(d, { recursive: true });
	return d;
}

export async function importCredentials(
	line: N8nLine,
	userFolder: string,
	credentials: CredentialInput[],
	encryptionKey?: string,
): Promise<CredentialInput[]> {
	const withIds = credentials.map((c) => ({ ...c, id: c.id ?? newId() }));
	const file = path.join(inputDir(userFolder), `credentials-${newId()}.json`);
	fs.writeFileSync(file, JSON.stringify(withIds, null, 2));
	const r = await runN8nCli({
		line,
		userFolder,
		encryptionKey,
		args: ['import:credentials', `--input=${file}`],
	});
	if (r.exitCode !== 0) throw cliFailed('n8n import:credentials', r);
	return withIds;
}

/** Fills in what n8n 2.x requires of an imported workflow (ids, node ids, settings). */
function completeWorkflow(workflow: WorkflowInput): WorkflowInput & { id: string } {
	const wf = {
		name: 'e2e workflow',
		active: false,
		settings: {},
		...workflow,
		id: workflow.id ?? newId(),
	};
	// 2.x requires the node ids to be present; give every node one.
	wf.nodes = wf.nodes.map((n) => ({
		id: crypto.randomUUID(),
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...n,
	}));
	return wf;
}

export async function importWorkflow(
	line: N8nLine,
	userFolder: string,
	workflow: WorkflowInput,
	encryptionKey?: string,
): Promise<WorkflowInput & { id: string }> {
	const [wf] = await importWorkflows(line, userFolder, [workflow], encryptionKey);
	return wf;
}

/**
 * Imports several workflows with one `n8n import:workflow` (a file holding an array): one n8n
 * boot instead of one per workflow. An existing id is overwritten.
 */
export async function importWorkflows(
	line: N8nLine,
	userFolder: string,
	workflows: WorkflowInput[],
	encryptionKey?: string,
): Promise<Array<WorkflowInput & { id: string }>> {
	const all = workflows.map(completeWorkflow);
	const file = path.join(inputDir(userFolder), `workflows-${newId()}.json`);
	fs.writeFileSync(file, JSON.stringify(all.length === 1 ? all[0] : all, null, 2));
	const r = await runN8nCli({
		line,
		userFolder,
		encryptionKey,
		args: ['import:workflow', `--input=${file}`],
	});
	if (r.exitCode !== 0) throw cliFailed('n8n import:workflow', r);
	return all;
}

// ------------------------------------------------------------------ run output

/** The parts of n8n's IRun that tests look at (the whole object is there too). */
export interface N8nRun {
	finished?: boolean;
	status?: string;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, N8nTaskData[]>;
			lastNodeExecuted?: string;
			error?: N8nError;
		};
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

export interface N8nTaskData {
	startTime?: number;
	executionTime?: number;
	executionStatus?: string;
	data?: {
		main?: Array<N8nItem[] | null>;
	};
	error?: N8nError;
	[key: string]: unknown;
}

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	binary?: unknown;
	error?: unknown;
}

export interface N8nError {
	message?: string;
	description?: string | null;
	name?: string;
	httpCode?: string | null;
	node?: { name?: string; type?: string };
	[key: string]: unknown;
}

/**
 * Finds the run JSON in `n8n execute --rawOutput` stdout. n8n prints log lines first (and
 * sometimes after); the run is a pretty-printed JSON object starting at a line that is exactly
 * '{'. Returns the last such object that parses and looks like a run, or undefined.
 */
export function parseRunOutput(stdout: string): N8nRun | undefined {
	const lines = stdout.split(/\r?\n/);
	let found: N8nRun | undefined;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		// the object ends at a line that is exactly '}' (pretty-printed, 2-space indent)
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				const obj = JSON.parse(lines.slice(i, j + 1).join('\n')) as N8nRun;
				if (
					obj &&
					typeof obj === 'object' &&
					obj.data &&
					(obj.data as { resultData?: unknown }).resultData
				) {
					found = obj;
					i = j;
				}
				break;
			} catch {
				/* a '}' inside a string or a nested block: keep looking */
			}
		}
	}
	if (found) return found;
	// compact output (one line)
	for (const l of lines) {
		const t = l.trim();
		if (!t.startsWith('{') || !t.endsWith('}')) continue;
		try {
			const obj = JSON.parse(t) as N8nRun;
			if (obj?.data?.resultData) found = obj;
		} catch {
			/* a log line */
		}
	}
	return found;
}

/** The output items (json) of a node's first run, first output (or the given output index). */
export function nodeItems(
	run: N8nRun | undefined,
	nodeName: string,
	outputIndex = 0,
	runIndex = 0,
): Array<Record<string, unknown>> {
	const task = run?.data.resultData.runData[nodeName]?.[runIndex];
	return (task?.data?.main?.[outputIndex] ?? []).map((i) => i.json);
}

/** The whole output items (json, pairedItem, error) of a node's run and output. */
export function nodeOutput(
	run: N8nRun | undefined,
	nodeName: string,
	outputIndex = 0,
	runIndex = 0,
): N8nItem[] {
	return run?.data.resultData.runData[nodeName]?.[runIndex]?.data?.main?.[outputIndex] ?? [];
}

/** The error of a node's run (the error n8n recorded for it), if any. */
export function nodeError(
	run: N8nRun | undefined,
	nodeName: string,
	runIndex = 0,
): N8nError | undefined {
	return run?.data.resultData.runData[nodeName]?.[runIndex]?.error;
}

export interface ExecuteWorkflowOptions {
	line: N8nLine;
	userFolder: string;
	/** the id of an imported workflow */
	workflowId: string;
	encryptionKey?: string;
	timeoutMs?: number;
	/** extra environment for `n8n execute` (e.g. NODE_EXTRA_CA_CERTS for a fake endpoint) */
	env?: Record<string, string | undefined>;
}

export interface RunWorkflowOptions extends Omit<ExecuteWorkflowOptions, 'workflowId'> {
	workflow: WorkflowInput;
	credentials?: CredentialInput[];
}

export interface RunWorkflowResult {
	exitCode: number | null;
	stdout: string;
	stderr: string;
	/** the parsed run JSON, undefined when n8n printed none */
	run: N8nRun | undefined;
	workflowId: string;
	seconds: number;
}

/**
 * `n8n execute --id=<id> --rawOutput` of an imported workflow, parsed. Never throws for a failed
 * run (exit 1): check exitCode and run.status. Throws only when n8n timed out.
 */
export async function executeWorkflow(o: ExecuteWorkflowOptions): Promise<RunWorkflowResult> {
	const r = await runN8nCli({
		line: o.line,
		userFolder: o.userFolder,
		encryptionKey: o.encryptionKey,
		args: ['execute', `--id=${o.workflowId}`, '--rawOutput'],
		timeoutMs: o.timeoutMs,
		env: o.env,
		logLevel: 'info', // the run JSON is printed at info level
	});
	if (r.timedOut) throw cliFailed(`n8n execute --id=${o.workflowId}`, r);
	return {
		exitCode: r.exitCode,
		stdout: r.stdout,
		stderr: r.stderr,
		run: parseRunOutput(r.stdout),
		workflowId: o.workflowId,
		seconds: r.seconds,
	};
}

/**
 * Imports the credentials (plaintext `data`) and the workflow with the CLI, then runs
 * `n8n execute --id=<id> --rawOutput` and parses the run. The workflow needs a trigger node
 * (Manual Trigger); credential ids must match the workflow's node references.
 */
export async function runWorkflow(o: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const started = Date.now();
	if (o.credentials?.length)
		await importCredentials(o.line, o.userFolder, o.credentials, o.encryptionKey);
	const wf = await importWorkflow(o.line, o.userFolder, o.workflow, o.encryptionKey);
	const result = await executeWorkflow({ ...o, workflowId: wf.id });
	return { ...result, seconds: (Date.now() - started) / 1000 };
}

/**
 * The node types this n8n loads with the user folder's community packages
 * (`n8n export:nodes`, the same list the editor gets): e.g. contains
 * 'n8n-nodes-alibaba-ecs.alibabaEcs' once installPackageInto ran.
 */
export async function exportNodeTypes(
	line: N8nLine,
	userFolder: string,
): Promise<
	Array<{ name: string; displayName?: string; version?: number | number[]; [k: string]: unknown }>
> {
	const file = path.join(inputDir(userFolder), `nodes-${newId()}.json`);
	const r = await runN8nCli({ line, userFolder, args: ['export:nodes', `--output=${file}`] });
	if (r.exitCode !== 0 || !fs.existsSync(file)) throw cliFailed('n8n export:nodes', r);
	// the command may exit before its write stream is flushed: wait for a complete JSON file
	for (let i = 0; i < 50; i++) {
		try {
			return JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string }>;
		} catch {
			await new Promise((res) => setTimeout(res, 100));
		}
	}
	throw new Error(`n8n export:nodes wrote an unreadable ${file}`);
}
