/**
 * DescribeInvocationResults: one result per instance of a run, Output Base64-encoded unless
 * ContentEncoding=PlainText. MaxResults "Maximum value: 50. Default value: 10." with NextToken
 * (DescribeInvocationResultsRequest.d.ts); fields and meanings from the C# SDK model's remarks.
 * An InvokeId that does not exist (or is not visible yet) gives an empty list.
 */
import type { Invocation } from '../cloud-assistant';
import { invalidParam } from '../errors';
import { encodeNextToken } from '../paging';
import { optional, optionalInt } from '../params';
import { ECS_VERSION, requireRegion, type ActionSpec } from './context';
import { assistantOf, encodeOutput } from './invocations';

const KIND = 'invocation-results';

function readOffset(token: string | undefined): number {
	if (token === undefined) return 0;
	const text = Buffer.from(token, 'base64').toString();
	const m = new RegExp(`^${KIND}\\|(\\d+)$`).exec(text);
	if (!m) throw invalidParam('NextToken', 'Use the NextToken value returned by the previous call.');
	return Number(m[1]);
}

export const describeInvocationResults: ActionSpec = {
	action: 'DescribeInvocationResults',
	version: ECS_VERSION,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const assistant = assistantOf(ctx);
		const p = ctx.params;
		const invokeId = optional(p, 'InvokeId');
		const instanceId = optional(p, 'InstanceId');
		const maxResults = optionalInt(p, 'MaxResults', 1, 50) ?? 10;
		const offset = readOffset(optional(p, 'NextToken'));
		const invocations = (
			invokeId !== undefined
				? [assistant.find(regionId, invokeId)]
				: assistant.list(regionId, 'command')
		).filter((i): i is Invocation => i !== undefined && i.kind === 'command');
		const results = invocations.flatMap((invocation) => {
			const views = assistant.views(invocation);
			const record = assistant.overallStatus(invocation, views);
			return views
				.filter((v) => instanceId === undefined || v.InstanceId === instanceId)
				.map((view) => ({
					InvokeId: invocation.invokeId,
					CommandId: invocation.commandId,
					InstanceId: view.InstanceId,
					InvocationStatus: view.InvocationStatus,
					// InvokeRecordStatus: Running/Finished/Failed/PartialFailed/Stopped/Stopping.
					InvokeRecordStatus: ['Pending', 'Running'].includes(record)
						? 'Running'
						: record === 'Success'
							? 'Finished'
							: record,
					ExitCode: view.ExitCode,
					Output: encodeOutput(view.output, p),
					Dropped: view.Dropped,
					ErrorCode: view.ErrorCode,
					ErrorInfo: view.ErrorInfo,
					StartTime: view.StartTime,
					FinishedTime: view.FinishedTime,
					StopTime: view.StopTime,
					Repeats: view.Repeats,
					Username: invocation.command?.username ?? '',
				}));
		});
		const page = results.slice(offset, offset + maxResults);
		const next = offset + maxResults;
		return {
			Invocation: {
				InvocationResults: { InvocationResult: page },
				TotalCount: results.length,
				PageSize: maxResults,
				...(next < results.length ? { NextToken: encodeNextToken(KIND, String(next)) } : {}),
			},
		};
	},
};
