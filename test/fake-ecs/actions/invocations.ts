/**
 * What the Cloud Assistant actions share: reading targets (InstanceId.N or ResourceTag.N) and
 * InvokeIds, the quota, and the wire forms of runs. Sources as in ../cloud-assistant.ts:
 * [invoke] is the InvokeCommand API reference's error table, [results] the C# SDK models.
 */
import type { CloudAssistant, Invocation, TargetView } from '../cloud-assistant';
import { ApiError } from '../errors';
import type { ManagedInstance } from '../model';
import {
	matchesTags,
	optional,
	optionalInt,
	repeatList,
	type Params,
	type TagFilter,
} from '../params';
import type { ActionContext } from './context';

/** The fake's Cloud Assistant (server.ts puts it on every ActionContext). */
export function assistantOf(ctx: ActionContext): CloudAssistant {
	if (!ctx.assistant) throw new Error('Fake ECS bug: no Cloud Assistant on the action context');
	return ctx.assistant;
}

/** [invoke] 404 InvalidInstance.NotFound: "The specified instance does not exist." */
export function instanceNotFound(): ApiError {
	return new ApiError(404, 'InvalidInstance.NotFound', 'The specified instance does not exist.');
}

/** [invoke] 403 InstanceIds.ExceedLimit. */
function tooManyInstances(): ApiError {
	return new ApiError(
		403,
		'InstanceIds.ExceedLimit',
		'The number of instance IDs exceeds the upper limit.',
	);
}

/** InstanceId.N, each a registered managed instance of the region; at most `max`. */
export function instancesFromIds(
	ctx: ActionContext,
	regionId: string,
	max: number,
): ManagedInstance[] {
	const ids = repeatList(ctx.params, 'InstanceId', 10_000);
	if (ids.length > max) throw tooManyInstances();
	const unique = [...new Set(ids)];
	return unique.map((id) => {
		const instance = ctx.state.getInstance(id, regionId);
		if (!instance) throw instanceNotFound();
		return instance;
	});
}

/**
 * ResourceTag.N.Key/Value. [invoke] "Valid values of N: 1 to 10" (RunCommandRequest.d.ts says 0
 * to 20: the stricter 10 is enforced), keys 1-64 characters without `aliyun`/`acs:` or URLs,
 * values up to 128; at most `max` matching instances.
 */
export function instancesFromTags(
	ctx: ActionContext,
	regionId: string,
	max: number,
): ManagedInstance[] | undefined {
	const tags = resourceTags(ctx.params);
	if (tags.length === 0) return undefined;
	const matches = ctx.state
		.listInstances(regionId)
		.filter((instance) => matchesTags(instance.Tags, tags));
	if (matches.length === 0) {
		throw new ApiError(
			400,
			'InvalidResourceTag.InstanceNotFound',
			'InstanceIds are not found by the specified ResourceTag.',
		);
	}
	if (matches.length > max) throw tooManyInstances();
	return matches;
}

function resourceTags(params: Params): TagFilter[] {
	const byN = new Map<number, TagFilter>();
	for (const [key, value] of Object.entries(params)) {
		const m = /^ResourceTag\.(\d+)\.(Key|Value)$/.exec(key);
		if (!m) continue;
		const n = Number(m[1]);
		if (n < 1 || n > 10) {
			throw new ApiError(
				400,
				'NumberExceed.ResourceTags',
				'The maximum number of ResourceTags is exceeded.',
			);
		}
		const entry = byN.get(n) ?? { key: '' };
		if (m[2] === 'Key') entry.key = value;
		else entry.value = value;
		byN.set(n, entry);
	}
	const tags = [...byN.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
	const keys = new Set<string>();
	for (const { key, value } of tags) {
		if (!key) {
			throw new ApiError(
				400,
				'MissingParameter.ResourceTagKey',
				'You must specify ResourceTag.N.Key.',
			);
		}
		if (key.length > 64 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) {
			throw new ApiError(
				400,
				'InvalidResourceTagKey.Malformed',
				'The specified ResourceTag key is not valid.',
			);
		}
		if (value !== undefined && (value.length > 128 || /https?:\/\//i.test(value))) {
			throw new ApiError(
				400,
				'InvalidResourceTagValue.Malformed',
				'The specified ResourceTag value is not valid.',
			);
		}
		if (keys.has(key)) {
			throw new ApiError(
				400,
				'Duplicate.ResourceTagKey',
				'The ResourceTag contains duplicate keys.',
			);
		}
		keys.add(key);
	}
	return tags;
}

/** The targets of a new run: InstanceId.N or ResourceTag.N, never both, never neither. */
export function targetsOf(ctx: ActionContext, regionId: string, max: number): ManagedInstance[] {
	const hasIds = Object.keys(ctx.params).some((key) => /^InstanceId\.\d+$/.test(key));
	const hasTags = Object.keys(ctx.params).some((key) => key.startsWith('ResourceTag.'));
	if (hasIds && hasTags) {
		throw new ApiError(
			400,
			'InvalidResourceTag.ConflictWithInstanceIds',
			'The specified param ResourceTag conflicts with InstanceId.',
		);
	}
	const instances = hasTags
		? instancesFromTags(ctx, regionId, max)
		: instancesFromIds(ctx, regionId, max);
	if (!instances || instances.length === 0) {
		throw new ApiError(
			400,
			'MissingParam.InstanceId',
			'The parameter instanceId is missing or empty.',
		);
	}
	return instances;
}

/** [invoke] 403 Invocation.ExceedQuota, once the region's runs for the day are used up. */
export function takeDailyQuota(ctx: ActionContext, regionId: string): void {
	if (!assistantOf(ctx).takeQuota(regionId)) {
		throw new ApiError(
			403,
			'Invocation.ExceedQuota',
			'The invocation quota in the current region has been reached for today.',
		);
	}
}

/** Text up to `max` characters (when given); `code` and `status` name the API's refusal. */
export function checkLength(
	params: Params,
	name: string,
	max: number,
	status: number,
	code: string,
	message: string,
): string | undefined {
	const value = optional(params, name);
	if (value !== undefined && value.length > max) throw new ApiError(status, code, message);
	return value;
}

/**
 * A run by InvokeId in this region. Reads answer an unknown id with an empty list (unverified,
 * as a filter that matches nothing); actions that
 * change a run refuse it. The code for that is unverified: 404 InvalidInvokeId.NotFound.
 */
export function requireInvocation(
	ctx: ActionContext,
	regionId: string,
	kind: Invocation['kind'],
): Invocation {
	const invokeId = optional(ctx.params, 'InvokeId');
	if (invokeId === undefined) {
		throw new ApiError(
			400,
			'MissingParameter',
			'The input parameter "InvokeId" that is mandatory for processing this request is not supplied.',
		);
	}
	const invocation = assistantOf(ctx).find(regionId, invokeId);
	if (!invocation || invocation.kind !== kind) {
		throw new ApiError(404, 'InvalidInvokeId.NotFound', 'The specified InvokeId does not exist.');
	}
	return invocation;
}

/** Output as the request's ContentEncoding asks: Base64 (the default) or PlainText. */
export function encodeOutput(output: Buffer, params: Params): string {
	const encoding = (optional(params, 'ContentEncoding') ?? 'Base64').toLowerCase();
	return encoding === 'plaintext' ? output.toString('utf8') : output.toString('base64');
}

/** [results] A DescribeInvocations InvokeInstance (Output only when asked for). */
export function invokeInstanceWire(
	view: TargetView,
	params: Params,
	includeOutput: boolean,
): Record<string, unknown> {
	return {
		InstanceId: view.InstanceId,
		InvocationStatus: view.InvocationStatus,
		InstanceInvokeStatus: legacyStatus(view.InvocationStatus),
		ExitCode: view.ExitCode,
		Output: includeOutput ? encodeOutput(view.output, params) : undefined,
		Dropped: view.Dropped,
		ErrorCode: view.ErrorCode,
		ErrorInfo: view.ErrorInfo,
		CreationTime: view.CreationTime,
		StartTime: view.StartTime,
		FinishTime: view.FinishedTime,
		StopTime: view.StopTime,
		UpdateTime: view.UpdateTime,
		Repeats: view.Repeats,
		Timed: false,
	};
}

/** The older per-instance field InstanceInvokeStatus ("we recommend that you ignore"). */
function legacyStatus(status: string): string {
	if (status === 'Pending' || status === 'Running' || status === 'Stopping') return status;
	if (status === 'Cancelled' || status === 'Terminated') return 'Stopped';
	return 'Finished';
}

/**
 * The runs a Describe action lists: one by InvokeId (none if unknown or not visible yet) or all
 * of the region, narrowed to those with InstanceId when given; paged by MaxResults (or the
 * deprecated PageSize, both "Maximum value: 50", default 10) and PageNumber.
 */
export function invocationsPage(ctx: ActionContext, regionId: string, kind: Invocation['kind']) {
	const assistant = assistantOf(ctx);
	const p = ctx.params;
	const invokeId = optional(p, 'InvokeId');
	const instanceId = optional(p, 'InstanceId');
	const pageSize = optionalInt(p, 'MaxResults', 1, 50) ?? optionalInt(p, 'PageSize', 1, 50) ?? 10;
	const pageNumber = optionalInt(p, 'PageNumber', 1, 1_000_000) ?? 1;
	const one = invokeId === undefined ? undefined : assistant.find(regionId, invokeId);
	const found = (
		invokeId === undefined ? assistant.list(regionId, kind) : one && one.kind === kind ? [one] : []
	).filter((i) => instanceId === undefined || i.targets.some((t) => t.instanceId === instanceId));
	return {
		page: found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((invocation) => ({
			invocation,
			views: assistant
				.views(invocation)
				.filter((v) => instanceId === undefined || v.InstanceId === instanceId),
		})),
		paging: { TotalCount: found.length, PageNumber: pageNumber, PageSize: pageSize },
	};
}
