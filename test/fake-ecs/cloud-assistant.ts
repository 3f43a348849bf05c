/**
 * The fake's Cloud Assistant: command runs (RunCommand) and file sends (SendFile) on managed
 * instances, each walked through the API's per-instance states on the agent's own clock, which
 * tests can speed up or advance. Nothing runs on this machine: a command's content is read by
 * agent-script.ts. Field names and states are the API's own.
 *
 * Sources (quoted in the comments below):
 * - [results] Alibaba's C# SDK models DescribeInvocationResultsResponseBody.cs,
 *   DescribeInvocationsResponseBody.cs and DescribeSendFileResultsResponseBody.cs
 *   (aliyun/alibabacloud-csharp-sdk, ecs-20140526): the states, ErrorCode and ErrorInfo values,
 *   Dropped ("truncated and discarded because the Output value exceeded 24 KB"), FinishedTime of
 *   a timeout ("StartTime plus Timeout"). The TypeScript SDK 7.11.6 ships these models without
 *   remarks.
 * - [run] RunCommandRequest.d.ts remarks (@alicloud/ecs20140526 7.11.6): content size, parameters,
 *   built-in `{{ACS::…}}` parameters, Timeout default 60.
 * - [invoke] the InvokeCommand API reference's error table (the same invocation service):
 *   403 Invocation.ExceedQuota, 404 InvalidInstance.NotFound and the other codes the actions use.
 */
import { isoSeconds, seededRandom } from './generate';
import { interpretScript, type ScriptTimeline } from './agent-script';
import type { FakeEcsState, ManagedInstance } from './model';
import { regionCode } from './regions';

/** [results] Aborted: "make sure ... the command can be sent to the instance within 1 minute". */
export const DELIVERY_TIMEOUT_MS = 60_000;
/** From delivery to the script starting; unverified (the agent's own latency). */
const START_LATENCY_MS = 100;
/** From StopInvocation to Terminated (status Stopping meanwhile); unverified. */
const STOP_LATENCY_MS = 1_000;
/** From delivery to a sent file being written; unverified. */
const FILE_WRITE_MS = 200;
/**
 * [results] Dropped: output beyond 24 KB is discarded. Which end is kept is not documented
 * (unverified): the fake keeps the beginning. KB taken as 1,000 bytes, the stricter reading.
 */
export const OUTPUT_LIMIT_BYTES = 24_000;
/** The documented default quota is not published (unverified); tests set their own. */
const DEFAULT_DAILY_QUOTA = 10_000;

const TERMINAL = new Set([
	'Success',
	'Failed',
	'Error',
	'Timeout',
	'Cancelled',
	'Terminated',
	'Invalid',
	'Aborted',
]);
const STOPPED_LIKE = new Set(['Cancelled', 'Terminated']);
const FAILED_LIKE = new Set(['Failed', 'Error', 'Timeout', 'Invalid', 'Aborted']);

/** [results] ErrorInfo texts for each ErrorCode the fake produces. */
const ERROR_INFO: Record<string, string> = {
	CommandNotApplicable: 'the command is not applicable',
	DeliveryTimeout: 'the command delivery has been timeout',
	ExecutionTimeout: 'the command execution has been timeout',
	ExecutionException: 'the command execution got an exception',
	ExitCodeNonzero: 'the command execution exit code is not zero',
	FileAlreadyExists: 'File already exists',
};

export interface CloudAssistantOptions {
	/** How fast the agent's clock runs against real time (default 1). */
	speed?: number;
	/** Runs a region accepts per agent day (UTC) before 403 Invocation.ExceedQuota. */
	dailyQuota?: number;
	/**
	 * How long a new run stays invisible to DescribeInvocations/DescribeInvocationResults, in agent
	 * milliseconds (default 0). Eventual consistency of the read side is unverified for Alibaba;
	 * AWS SSM has it (InvocationDoesNotExist right after SendCommand), so clients must cope.
	 */
	visibilityDelayMs?: number;
	/** Seed for run IDs (InvokeId, CommandId), for repeatable runs; default Math.random. */
	seed?: number;
}

export interface CommandSpec {
	type: string;
	/** The script as the agent runs it, before per-instance `{{ACS::…}}` substitution. */
	script: string;
	/** Content as sent, Base64-encoded (DescribeInvocations returns CommandContent so). */
	contentBase64: string;
	name?: string;
	description?: string;
	workingDir?: string;
	username?: string;
	/** Parameters as sent (a JSON object text), or undefined. */
	parameters?: string;
	/** Whether `{{…}}` in the content are parameters (EnableParameter). */
	enableParameter: boolean;
	values: Record<string, string>;
}

export interface FileSpec {
	name: string;
	targetDir: string;
	content: Buffer;
	contentType: string;
	owner: string;
	group: string;
	mode: string;
	overwrite: boolean;
	description?: string;
}

interface Target {
	instanceId: string;
	deliveredAt?: number;
	stoppedAt?: number;
	timeline?: ScriptTimeline;
	/** Refused before delivery (e.g. a Windows script for a Linux instance). */
	invalid?: string;
	/** For files: the outcome once written (undefined: not yet). */
	written?: { ok: boolean; errorCode?: string; at: number };
}

export interface Invocation {
	kind: 'command' | 'file';
	regionId: string;
	invokeId: string;
	commandId?: string;
	createdAt: number;
	timeoutMs: number;
	command?: CommandSpec;
	file?: FileSpec;
	targets: Target[];
}

/** What the state of an instance whose run has started is computed from. */
interface StartedRun {
	invocation: Invocation;
	target: Target;
	started: Omit<TargetView, 'InvocationStatus'>;
	/** When the script (or the file write) started, agent ms. */
	startsAt: number;
	now: number;
	ended: (status: string, at: number, code?: string, extra?: Partial<TargetView>) => TargetView;
}

/** One instance's state in an invocation, in the API's terms. */
export interface TargetView {
	InstanceId: string;
	InvocationStatus: string;
	ExitCode?: number;
	output: Buffer;
	Dropped: number;
	ErrorCode: string;
	ErrorInfo: string;
	CreationTime: string;
	StartTime?: string;
	FinishedTime?: string;
	StopTime?: string;
	UpdateTime: string;
	Repeats: number;
}

interface FileEntry {
	content: Buffer;
	owner: string;
	group: string;
	mode: string;
}

const DAY_MS = 86_400_000;

function hex(random: () => number, length: number): string {
	let out = '';
	while (out.length < length)
		out += Math.floor(random() * 0x100000000)
			.toString(16)
			.padStart(8, '0');
	return out.slice(0, length);
}

export class CloudAssistant {
	private readonly invocations = new Map<string, Invocation>();
	private readonly files = new Map<string, Map<string, FileEntry>>();
	private readonly runsPerDay = new Map<string, number>();
	private baseReal = Date.now();
	private baseAgent = Date.now();
	private speedFactor: number;
	dailyQuota: number;
	visibilityDelayMs: number;
	private random: () => number;

	constructor(
		private readonly state: FakeEcsState,
		private readonly accountId: string,
		private readonly options: CloudAssistantOptions = {},
	) {
		this.speedFactor = options.speed ?? 1;
		this.dailyQuota = options.dailyQuota ?? DEFAULT_DAILY_QUOTA;
		this.visibilityDelayMs = options.visibilityDelayMs ?? 0;
		this.random = randomFor(options.seed);
	}

	// ------------------------------------------------------------ the agent's clock

	/** The agent's clock, epoch ms. */
	now(): number {
		return this.baseAgent + (Date.now() - this.baseReal) * this.speedFactor;
	}

	/** Moves the agent's clock forward. */
	advance(ms: number): void {
		this.baseAgent += ms;
	}

	get speed(): number {
		return this.speedFactor;
	}

	set speed(factor: number) {
		this.baseAgent = this.now();
		this.baseReal = Date.now();
		this.speedFactor = factor;
	}

	reset(): void {
		this.invocations.clear();
		this.files.clear();
		this.runsPerDay.clear();
		this.baseReal = Date.now();
		this.baseAgent = Date.now();
		this.speedFactor = this.options.speed ?? 1;
		this.dailyQuota = this.options.dailyQuota ?? DEFAULT_DAILY_QUOTA;
		this.visibilityDelayMs = this.options.visibilityDelayMs ?? 0;
		this.random = randomFor(this.options.seed);
	}

	// ------------------------------------------------------------ starting runs

	/** Counts a run against the region's daily quota; false when the quota is used up. */
	takeQuota(regionId: string): boolean {
		const key = `${regionId}|${Math.floor(this.now() / DAY_MS)}`;
		const used = this.runsPerDay.get(key) ?? 0;
		if (used >= this.dailyQuota) return false;
		this.runsPerDay.set(key, used + 1);
		return true;
	}

	startCommand(
		regionId: string,
		instances: ManagedInstance[],
		command: CommandSpec,
		timeoutSeconds: number,
	): Invocation {
		const code = regionCode(regionId);
		const invocation: Invocation = {
			kind: 'command',
			regionId,
			invokeId: `t-${code}${hex(this.random, 16)}`,
			commandId: `c-${code}${hex(this.random, 16)}`,
			createdAt: this.now(),
			timeoutMs: timeoutSeconds * 1000,
			command,
			targets: instances.map((instance) => ({
				instanceId: instance.InstanceId,
				// [results] CommandNotApplicable: "The command is not applicable to the specified instance"
				invalid: applicable(command.type, instance.OsType) ? undefined : 'CommandNotApplicable',
			})),
		};
		for (const instance of instances) {
			instance.InvocationCount++;
			instance.LastInvokedTime = isoSeconds(invocation.createdAt);
		}
		return this.start(invocation);
	}

	startFile(
		regionId: string,
		instances: ManagedInstance[],
		file: FileSpec,
		timeoutSeconds: number,
	): Invocation {
		const invocation: Invocation = {
			kind: 'file',
			regionId,
			invokeId: `f-${regionCode(regionId)}${hex(this.random, 16)}`,
			createdAt: this.now(),
			timeoutMs: timeoutSeconds * 1000,
			file,
			targets: instances.map((instance) => ({ instanceId: instance.InstanceId })),
		};
		return this.start(invocation);
	}

	private start(invocation: Invocation): Invocation {
		for (const target of invocation.targets) {
			if (!target.invalid) this.tryDeliver(invocation, target, invocation.createdAt);
		}
		this.invocations.set(invocation.invokeId, invocation);
		return invocation;
	}

	// ------------------------------------------------------------ reading runs

	/** A run of this region that reads can see (see visibilityDelayMs). */
	find(regionId: string, invokeId: string): Invocation | undefined {
		const invocation = this.invocations.get(invokeId);
		if (!invocation || invocation.regionId !== regionId) return undefined;
		return this.now() - invocation.createdAt >= this.visibilityDelayMs ? invocation : undefined;
	}

	/** Every visible run of one kind in a region, oldest first. */
	list(regionId: string, kind: Invocation['kind']): Invocation[] {
		return [...this.invocations.values()].filter(
			(i) => i.kind === kind && this.find(regionId, i.invokeId) === i,
		);
	}

	/** Asks the agents to stop a run on some (default: all) of its instances. */
	stop(invocation: Invocation, instanceIds?: string[]): void {
		const now = this.now();
		for (const target of invocation.targets) {
			if (instanceIds && !instanceIds.includes(target.instanceId)) continue;
			const status = this.view(invocation, target, now).InvocationStatus;
			if (!TERMINAL.has(status) && target.stoppedAt === undefined) target.stoppedAt = now;
		}
	}

	/**
	 * Every text the agents were given or produced: scripts, sent files, outputs (whole, before
	 * truncation). Tests search logs and errors for secrets planted in them.
	 */
	texts(): string[] {
		const texts: string[] = [];
		for (const invocation of this.invocations.values()) {
			if (invocation.command) texts.push(invocation.command.script);
			if (invocation.file) texts.push(invocation.file.content.toString('utf8'));
			for (const target of invocation.targets) {
				if (target.timeline)
					texts.push(Buffer.concat(target.timeline.outputs.map((o) => o.text)).toString('utf8'));
			}
		}
		return texts;
	}

	/** Files on an instance (path → content), as SendFile wrote them. */
	filesOf(instanceId: string): Map<string, FileEntry> {
		let files = this.files.get(instanceId);
		if (!files) {
			files = new Map();
			this.files.set(instanceId, files);
		}
		return files;
	}

	/** [results] InvocationStatus of the whole run, from its instances' states. */
	overallStatus(invocation: Invocation, views: TargetView[]): string {
		const statuses = views.map((v) => v.InvocationStatus);
		for (const busy of ['Pending', 'Running', 'Stopping']) {
			if (statuses.includes(busy)) return busy;
		}
		if (invocation.kind === 'file') {
			// DescribeSendFileResults: Success when all succeeded, Failed when all failed, else PartialFailed.
			if (statuses.every((s) => s === 'Success')) return 'Success';
			if (statuses.every((s) => s !== 'Success')) return 'Failed';
			return 'PartialFailed';
		}
		if (statuses.every((s) => STOPPED_LIKE.has(s))) return 'Stopped';
		if (statuses.every((s) => s === 'Success' || STOPPED_LIKE.has(s))) return 'Success';
		if (statuses.every((s) => FAILED_LIKE.has(s) || STOPPED_LIKE.has(s))) return 'Failed';
		return 'PartialFailed';
	}

	/** Every instance's state now. */
	views(invocation: Invocation): TargetView[] {
		const now = this.now();
		return invocation.targets.map((target) => this.view(invocation, target, now));
	}

	private view(invocation: Invocation, target: Target, now: number): TargetView {
		const base = {
			InstanceId: target.instanceId,
			CreationTime: isoSeconds(invocation.createdAt),
			UpdateTime: isoSeconds(now),
			output: Buffer.alloc(0),
			Dropped: 0,
			ErrorCode: '',
			ErrorInfo: '',
			Repeats: 0,
			StopTime: target.stoppedAt === undefined ? undefined : isoSeconds(target.stoppedAt),
		};
		const ended = (
			status: string,
			at: number,
			errorCode = '',
			extra: Partial<TargetView> = {},
		) => ({
			...base,
			InvocationStatus: status,
			FinishedTime: isoSeconds(at),
			ErrorCode: errorCode,
			ErrorInfo: ERROR_INFO[errorCode] ?? '',
			...extra,
		});

		if (target.invalid) return ended('Invalid', invocation.createdAt, target.invalid);
		if (target.deliveredAt === undefined) this.tryDeliver(invocation, target, now);
		if (target.deliveredAt === undefined) {
			if (target.stoppedAt !== undefined) return ended('Cancelled', target.stoppedAt);
			const deadline = invocation.createdAt + DELIVERY_TIMEOUT_MS;
			if (now >= deadline) return ended('Aborted', deadline, 'DeliveryTimeout');
			return { ...base, InvocationStatus: 'Pending' };
		}
		const startsAt = target.deliveredAt + START_LATENCY_MS;
		if (target.stoppedAt !== undefined && target.stoppedAt < startsAt) {
			return ended('Cancelled', target.stoppedAt);
		}
		if (now < startsAt) return { ...base, InvocationStatus: 'Pending' };
		const started = { ...base, StartTime: isoSeconds(startsAt), Repeats: 1 };
		const run: StartedRun = { invocation, target, started, startsAt, now, ended };
		return invocation.kind === 'file' ? this.fileView(run) : this.commandView(run);
	}

	private commandView({
		invocation,
		target,
		started,
		startsAt,
		now,
		ended,
	}: StartedRun): TargetView {
		const timeline = target.timeline ?? this.timelineFor(invocation, target);
		const naturalEnd = startsAt + timeline.endsAt;
		const timeoutAt = startsAt + invocation.timeoutMs;
		const endsAt = Math.min(naturalEnd, timeoutAt);
		const stopAt =
			target.stoppedAt !== undefined && target.stoppedAt < endsAt ? target.stoppedAt : undefined;
		const outputUntil = Math.min(now, stopAt ?? endsAt);
		const { output, Dropped } = truncate(
			Buffer.concat(
				timeline.outputs.filter((o) => startsAt + o.at <= outputUntil).map((o) => o.text),
			),
		);
		const withOutput = { ...started, StartTime: started.StartTime, output, Dropped };
		if (stopAt !== undefined) {
			if (now < stopAt + STOP_LATENCY_MS) {
				return now < stopAt
					? { ...withOutput, InvocationStatus: 'Running' }
					: { ...withOutput, InvocationStatus: 'Stopping' };
			}
			return { ...ended('Terminated', stopAt + STOP_LATENCY_MS), ...pick(withOutput) };
		}
		if (now < endsAt) return { ...withOutput, InvocationStatus: 'Running' };
		if (naturalEnd > timeoutAt) {
			// [results] FinishedTime of a timeout "is equal to ... StartTime plus ... Timeout".
			return { ...ended('Timeout', timeoutAt, 'ExecutionTimeout'), ...pick(withOutput) };
		}
		if (timeline.exception) {
			return { ...ended('Error', endsAt, 'ExecutionException'), ...pick(withOutput) };
		}
		if (timeline.exitCode !== 0) {
			return {
				...ended('Failed', endsAt, 'ExitCodeNonzero'),
				...pick(withOutput),
				ExitCode: timeline.exitCode,
			};
		}
		return { ...ended('Success', endsAt), ...pick(withOutput), ExitCode: 0 };
	}

	private fileView({ invocation, target, started, startsAt, now, ended }: StartedRun): TargetView {
		const writeAt = startsAt + FILE_WRITE_MS;
		if (target.stoppedAt !== undefined && target.stoppedAt < writeAt) {
			return ended('Cancelled', target.stoppedAt);
		}
		if (now < writeAt) return { ...started, InvocationStatus: 'Running' };
		const written = (target.written ??= this.write(
			invocation.file as FileSpec,
			target.instanceId,
			writeAt,
		));
		const extra = { StartTime: started.StartTime };
		return written.ok
			? ended('Success', written.at, '', extra)
			: ended('Failed', written.at, written.errorCode, extra);
	}

	private write(file: FileSpec, instanceId: string, at: number): NonNullable<Target['written']> {
		const files = this.filesOf(instanceId);
		const path = `${file.targetDir.replace(/\/+$/, '')}/${file.name}`;
		// [results] FileAlreadyExists: "A file with the same name exists in the specified directory".
		if (files.has(path) && !file.overwrite)
			return { ok: false, errorCode: 'FileAlreadyExists', at };
		files.set(path, {
			content: file.content,
			owner: file.owner,
			group: file.group,
			mode: file.mode,
		});
		return { ok: true, at };
	}

	/** Delivers to a connected instance that is still registered, before the delivery deadline. */
	private tryDeliver(invocation: Invocation, target: Target, now: number): void {
		if (target.stoppedAt !== undefined || now >= invocation.createdAt + DELIVERY_TIMEOUT_MS) return;
		const instance = this.state.getInstance(target.instanceId, invocation.regionId);
		if (instance?.Connected) target.deliveredAt = now;
	}

	private timelineFor(invocation: Invocation, target: Target): ScriptTimeline {
		const command = invocation.command as CommandSpec;
		const instance = this.state.getInstance(target.instanceId, invocation.regionId);
		const builtIns: Record<string, string> = {
			'acs::regionid': invocation.regionId,
			'acs::accountid': this.accountId,
			'acs::instanceid': target.instanceId,
			'acs::instancename': instance?.InstanceName ?? '',
			'acs::invokeid': invocation.invokeId,
			'acs::commandid': invocation.commandId ?? '',
		};
		const script = command.enableParameter
			? command.script.replace(/\{\{\s*([\w:-]+)\s*\}\}/g, (_, name: string) => {
					const key = name.toLowerCase();
					return builtIns[key] ?? command.values[key] ?? '';
				})
			: command.script;
		const files = this.filesOf(target.instanceId);
		target.timeline = interpretScript(script, (path) => files.get(path)?.content);
		return target.timeline;
	}
}

function randomFor(seed: number | undefined): () => number {
	return seed === undefined ? Math.random : seededRandom(seed);
}

function pick(view: Partial<TargetView>): Partial<TargetView> {
	return { StartTime: view.StartTime, output: view.output, Dropped: view.Dropped };
}

function truncate(output: Buffer): { output: Buffer; Dropped: number } {
	if (output.length <= OUTPUT_LIMIT_BYTES) return { output, Dropped: 0 };
	return {
		output: output.subarray(0, OUTPUT_LIMIT_BYTES),
		Dropped: output.length - OUTPUT_LIMIT_BYTES,
	};
}

/** [run] Type: RunBatScript and RunPowerShellScript are for Windows, RunShellScript for Linux. */
function applicable(type: string, osType: string): boolean {
	const windows = osType.toLowerCase() === 'windows';
	return type === 'RunShellScript' ? !windows : windows;
}

export function isTerminal(status: string): boolean {
	return TERMINAL.has(status);
}
