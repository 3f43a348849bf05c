/**
 * Cloud Assistant results, per instance: reading them (DescribeInvocations for the state while
 * waiting, DescribeInvocationResults for the output, DescribeSendFileResults for file sends),
 * waiting for them (helpers/waiting.ts) and turning each instance into one output item.
 *
 * States and codes: Alibaba's SDK models (DescribeInvocationResultsResponseBody,
 * DescribeSendFileResultsResponseBody; their meanings are spelled out in the C# SDK's copies,
 * aliyun/alibabacloud-csharp-sdk ecs-20140526): Pending, Invalid, Aborted, Running, Success,
 * Failed, Error, Timeout, Cancelled, Stopping, Terminated, Scheduled.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RegionApi } from '../../helpers/interfaces';
import { collectPages } from '../../helpers/paging';
import {
	ResponseShapeError,
	asList,
	asObject,
	nextTokenOf,
	normaliseInteger,
} from '../../helpers/response';
import { TargetFailure } from '../../helpers/targetFailure';
import { pollUntil } from '../../helpers/waiting';
import { NotFoundError } from '../../transport/errors';
import type { WaitInput } from './input';
import { notSentFields, type Started } from './send';

/** States after which an instance's run changes no more. */
const FINAL_STATES = new Set([
	'Success',
	'Failed',
	'Error',
	'Timeout',
	'Cancelled',
	'Terminated',
	'Invalid',
	'Aborted',
]);

/** A state this package does not know counts as final once the API gives a finish time. */
function isFinal(status: unknown, finishedTime: unknown): boolean {
	if (typeof status !== 'string') return false;
	if (FINAL_STATES.has(status)) return true;
	const known = ['Pending', 'Running', 'Stopping', 'Scheduled'].includes(status);
	return !known && typeof finishedTime === 'string' && finishedTime !== '';
}

/** Which run: a command (RunCommand, `t-…`) or a file send (SendFile, `f-…`). */
export type RunKind = 'command' | 'file';

export function runKindOf(invokeId: string): RunKind {
	return invokeId.startsWith('f-') ? 'file' : 'command';
}

export const subjectOf = (invokeId: string): string =>
	`${runKindOf(invokeId) === 'file' ? 'File send' : 'Cloud Assistant run'} ${invokeId}`;

/** Text of a Base64 Output; the API encodes output as Base64 unless asked for PlainText. */
function decodeOutput(value: unknown): string {
	if (typeof value !== 'string' || value === '') return '';
	return Buffer.from(value, 'base64').toString('utf8');
}

const str = (value: unknown): string | null =>
	typeof value === 'string' && value !== '' ? value : null;

/** One instance of a command run as an output item (the API's field names). */
function commandItem(raw: unknown, field: string): IDataObject {
	const result = asObject(raw, field);
	if (typeof result.InstanceId !== 'string')
		throw new ResponseShapeError(`${field}.InstanceId`, 'is missing');
	normaliseInteger(result, 'ExitCode', field);
	normaliseInteger(result, 'Dropped', field);
	const status = str(result.InvocationStatus);
	return {
		InvokeId: str(result.InvokeId),
		InstanceId: result.InstanceId,
		InvocationStatus: status,
		// The exit code only means something once the command has ended.
		ExitCode: isFinal(status, result.FinishedTime)
			? ((result.ExitCode as number | undefined) ?? null)
			: null,
		Output: decodeOutput(result.Output),
		Dropped: (result.Dropped as number | undefined) ?? 0,
		ErrorCode: str(result.ErrorCode),
		ErrorInfo: str(result.ErrorInfo),
		StartTime: str(result.StartTime),
		FinishedTime: str(result.FinishedTime),
		StopTime: str(result.StopTime),
		CommandId: str(result.CommandId),
	};
}

/** One instance of a file send as an output item. */
function fileItem(invocation: IDataObject, raw: unknown, field: string): IDataObject {
	const result = asObject(raw, field);
	if (typeof result.InstanceId !== 'string')
		throw new ResponseShapeError(`${field}.InstanceId`, 'is missing');
	return {
		InvokeId: str(invocation.InvokeId),
		InstanceId: result.InstanceId,
		InvocationStatus: str(result.InvocationStatus),
		ErrorCode: str(result.ErrorCode),
		ErrorInfo: str(result.ErrorInfo),
		Name: str(invocation.Name),
		TargetDir: str(invocation.TargetDir),
		StartTime: str(result.StartTime),
		FinishTime: str(result.FinishTime),
	};
}

/** `{Outer: {Inner: [...]}}`, the RPC JSON shape of a list; absent means empty. */
function nestedList(body: IDataObject, outer: string, inner: string): unknown[] {
	const value = body[outer];
	if (value === undefined || value === null) return [];
	return asList(asObject(value, outer)[inner], `${outer}.${inner}`);
}

/** The states of a run's instances (DescribeInvocations / DescribeSendFileResults), or undefined if not listed. */
async function readStates(
	api: RegionApi,
	kind: RunKind,
	invokeId: string,
): Promise<{ states: Map<string, boolean>; invocation: IDataObject } | undefined> {
	return await api.call(
		kind === 'file' ? 'DescribeSendFileResults' : 'DescribeInvocations',
		{ InvokeId: invokeId, ...(kind === 'command' ? { IncludeOutput: false } : {}) },
		{
			subject: subjectOf(invokeId),
			parse: (body) => {
				const invocation = nestedList(body, 'Invocations', 'Invocation')
					.map((raw, index) => asObject(raw, `Invocations.Invocation[${index}]`))
					.find((candidate) => candidate.InvokeId === invokeId);
				if (!invocation) return undefined;
				const states = new Map<string, boolean>();
				nestedList(invocation, 'InvokeInstances', 'InvokeInstance').forEach((raw, index) => {
					const instance = asObject(raw, `InvokeInstances.InvokeInstance[${index}]`);
					states.set(
						String(instance.InstanceId),
						isFinal(instance.InvocationStatus, instance.FinishTime),
					);
				});
				return { states, invocation };
			},
		},
	);
}

/** Every instance's result of a command run (DescribeInvocationResults, 50 a page). */
async function readCommandResults(
	api: RegionApi,
	invokeId: string,
	instanceIds: string[],
): Promise<IDataObject[]> {
	const one = instanceIds.length === 1 ? { InstanceId: instanceIds[0] } : {};
	return await collectPages(async (nextToken, maxResults) =>
		api.call(
			'DescribeInvocationResults',
			{
				InvokeId: invokeId,
				...one,
				ContentEncoding: 'Base64',
				MaxResults: maxResults,
				NextToken: nextToken,
			},
			{
				subject: subjectOf(invokeId),
				parse: (body) => {
					const invocation = asObject(body.Invocation ?? {}, 'Invocation');
					const list = nestedList(invocation, 'InvocationResults', 'InvocationResult');
					return {
						items: list.map((raw, index) =>
							commandItem(raw, `Invocation.InvocationResults.InvocationResult[${index}]`),
						),
						nextToken: nextTokenOf(invocation),
					};
				},
			},
		),
	);
}

export interface CollectOptions {
	/** Only these instances (and in this order); all when empty. */
	instanceIds: string[];
	wait?: WaitInput;
	/** Not found when the run is missing (Get Results), instead of waiting for it to show up. */
	mustExist: boolean;
}

/**
 * The per-instance results of a run: at once, or after waiting until every instance has
 * finished or the wait ended. With the wait's failure option, every instance that did not
 * succeed (still busy at the end included) becomes a TargetFailure.
 */
export async function collectResults(
	api: RegionApi,
	invokeId: string,
	options: CollectOptions,
): Promise<Array<IDataObject | TargetFailure>> {
	const kind = runKindOf(invokeId);
	const wanted = (id: string) =>
		options.instanceIds.length === 0 || options.instanceIds.includes(id);
	let fileInvocation: IDataObject | undefined;
	if (options.wait) {
		const outcome = await pollUntil(
			async () => await readStates(api, kind, invokeId),
			(read) =>
				read !== undefined &&
				read.states.size > 0 &&
				[...read.states].every(([id, final]) => final || !wanted(id)),
			// A run read later (Get Results) may have ended long ago: look at once.
			{ ...options.wait, checkAtOnce: options.mustExist },
		);
		fileInvocation = outcome.last?.invocation;
	}
	let items: IDataObject[];
	if (kind === 'file') {
		fileInvocation = options.wait
			? fileInvocation
			: (await readStates(api, kind, invokeId))?.invocation;
		items = fileInvocation
			? nestedList(fileInvocation, 'InvokeInstances', 'InvokeInstance').map((raw, index) =>
					fileItem(fileInvocation as IDataObject, raw, `InvokeInstances.InvokeInstance[${index}]`),
				)
			: [];
	} else {
		items = await readCommandResults(api, invokeId, options.instanceIds);
	}
	if (items.length === 0) {
		if (options.mustExist) throw new NotFoundError(subjectOf(invokeId), api.regionId);
		throw new Error(
			`${subjectOf(invokeId)} was accepted in region ${api.regionId}, but Alibaba Cloud does not list its results yet: read them later with Get Results`,
		);
	}
	return orderAndCheck(
		items.filter((item) => wanted(String(item.InstanceId))),
		invokeId,
		options,
		api.regionId,
	);
}

function orderAndCheck(
	items: IDataObject[],
	invokeId: string,
	options: CollectOptions,
	regionId: string,
): Array<IDataObject | TargetFailure> {
	const byId = new Map(items.map((item) => [String(item.InstanceId), item]));
	const order = options.instanceIds.length > 0 ? options.instanceIds : [...byId.keys()].sort();
	return order.map((instanceId) => {
		const item = byId.get(instanceId);
		if (!item)
			throw new NotFoundError(`Instance ${instanceId} in ${subjectOf(invokeId)}`, regionId);
		return options.wait?.failOnFailure ? (failureOf(item, options.wait.maxWaitMs) ?? item) : item;
	});
}

/** Results (and failures) in the order of `instanceIds`: the order the user gave. */
export function inGivenOrder(
	instanceIds: string[],
	results: Array<IDataObject | TargetFailure>,
): Array<IDataObject | TargetFailure> {
	const idOf = (result: IDataObject | TargetFailure) =>
		String(result instanceof TargetFailure ? result.context.InstanceId : result.InstanceId);
	const position = new Map(instanceIds.map((id, index) => [id, index]));
	return [...results].sort(
		(a, b) => (position.get(idOf(a)) ?? Infinity) - (position.get(idOf(b)) ?? Infinity),
	);
}

/** The first line of an output, shortened: all an error message may show of it. */
export function firstLine(output: unknown): string {
	if (typeof output !== 'string') return '';
	const line = output.split(/\r?\n/, 1)[0].trim();
	return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** What a final state other than Success means, as words after "the command" / "the file". */
const OUTCOMES: Record<string, string> = {
	Failed: 'failed',
	Error: 'hit an error on the instance',
	Timeout: 'timed out',
	Cancelled: 'was cancelled before it started',
	Terminated: 'was stopped',
	Invalid: 'was refused as invalid',
	Aborted: 'could not be delivered',
};

/** A TargetFailure for an instance that did not succeed, or undefined when it did. */
export function failureOf(item: IDataObject, maxWaitMs: number): TargetFailure | undefined {
	const status = item.InvocationStatus;
	if (status === 'Success') return undefined;
	const instance = `Managed instance ${String(item.InstanceId)}`;
	const what = 'Output' in item ? 'the command' : 'the file';
	const context: IDataObject = {
		InvokeId: item.InvokeId,
		InstanceId: item.InstanceId,
		InvocationStatus: item.InvocationStatus,
		ExitCode: item.ExitCode,
		ErrorCode: item.ErrorCode,
	};
	if (!isFinal(status, item.FinishedTime ?? item.FinishTime)) {
		return new TargetFailure(
			`${instance}: ${what} was still ${String(status ?? 'not started')} when Max Wait (${maxWaitMs / 1000} s) ended`,
			'The run goes on in the background. Read its results later with Get Results (same Invoke ID), stop it with Stop, or raise Max Wait.',
			context,
		);
	}
	const exit =
		item.ExitCode === null || item.ExitCode === undefined || item.ExitCode === 0
			? ''
			: ` with exit code ${String(item.ExitCode)}`;
	const tags = [status, item.ErrorCode].filter(Boolean).join(', ');
	const begins = firstLine(item.Output);
	const output = begins ? ` Output begins: "${begins}"` : '';
	return new TargetFailure(
		`${instance}: ${what} ${OUTCOMES[String(status)] ?? 'did not succeed'}${exit} (${tags}).${output}`,
		`${item.ErrorInfo ? `Cloud Assistant says: ${String(item.ErrorInfo)}. ` : ''}${
			what === 'the command'
				? "Without Fail on Non-Zero Exit Code, the node outputs this instance's whole result (Output included) as a regular item."
				: "Without Fail on Failed Instance, the node outputs this instance's result as a regular item."
		}`,
		context,
	);
}

/**
 * What a started run outputs. Without waiting: one item with the Invoke ID, the instances it
 * went to and those that do not exist. Waiting: one item per instance, in the order given
 * (`instanceIds`; undefined for tag targets), those not sent to included; with the failure
 * option, each instance that did not succeed as a TargetFailure.
 */
export async function reportStarted(
	api: RegionApi,
	started: Started,
	options: {
		instanceIds?: string[];
		wait?: WaitInput;
		/** The operation's own fields of an instance that was not sent to. */
		notSentItem: (instanceId: string) => IDataObject;
		/** Extra fields of the item output without waiting. */
		summary?: IDataObject;
	},
): Promise<IDataObject | Array<IDataObject | TargetFailure>> {
	const { wait } = options;
	const notSent = started.notFound.map((instanceId) => {
		const item = {
			InvokeId: started.invokeId ?? null,
			InstanceId: instanceId,
			...notSentFields(instanceId, api.regionId),
			...options.notSentItem(instanceId),
		};
		return wait?.failOnFailure ? (failureOf(item, wait.maxWaitMs) ?? item) : item;
	});
	if (!wait) {
		return {
			InvokeId: started.invokeId ?? null,
			...options.summary,
			InstanceIds: started.sentTo,
			...(started.notFound.length > 0 ? { NotFoundInstanceIds: started.notFound } : {}),
			RequestId: started.requestId ?? null,
		};
	}
	// Nothing was sent: every instance is reported as a finished run would report it.
	if (!started.invokeId) return notSent;
	const results = await collectResults(api, started.invokeId, {
		instanceIds: started.sentTo,
		wait,
		mustExist: false,
	});
	return options.instanceIds
		? inGivenOrder(options.instanceIds, [...results, ...notSent])
		: results;
}
