/**
 * DescribeInvocations: runs (RunCommand) with their overall InvocationStatus and every instance's
 * state; Output only with IncludeOutput=true. Fields from DescribeInvocationsResponseBody
 * (SDK 7.11.6 model; meanings from the C# SDK model's remarks). An InvokeId that does not exist
 * (or is not visible yet) gives an empty list: unverified (the reference lists no error for it;
 * Describe* filters that match nothing answer an empty list), and the node reads an empty answer
 * as "not found" (the stricter case for it).
 */
import { optionalBool } from '../params';
import { ECS_VERSION, requireRegion, type ActionSpec } from './context';
import { assistantOf, invocationsPage, invokeInstanceWire } from './invocations';

export const describeInvocations: ActionSpec = {
	action: 'DescribeInvocations',
	version: ECS_VERSION,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const assistant = assistantOf(ctx);
		const includeOutput = optionalBool(ctx.params, 'IncludeOutput') ?? false;
		const { page, paging } = invocationsPage(ctx, regionId, 'command');
		return {
			...paging,
			Invocations: {
				Invocation: page.map(({ invocation, views }) => {
					const command = invocation.command;
					const status = assistant.overallStatus(invocation, views);
					return {
						InvokeId: invocation.invokeId,
						CommandId: invocation.commandId,
						CommandType: command?.type,
						CommandName: command?.name ?? '',
						CommandDescription: command?.description ?? '',
						CommandContent: command?.contentBase64,
						Parameters: command?.parameters ?? '',
						Username: command?.username ?? '',
						WorkingDir: command?.workingDir ?? '',
						Timeout: invocation.timeoutMs / 1000,
						RepeatMode: 'Once',
						Frequency: '',
						Timed: false,
						CreationTime: views[0]?.CreationTime,
						InvocationStatus: status,
						// The older overall field ("we recommend that you ignore InvokeStatus").
						InvokeStatus: ['Pending', 'Running', 'Stopping'].includes(status)
							? status === 'Pending'
								? 'Running'
								: status
							: status === 'Stopped'
								? 'Stopped'
								: 'Finished',
						InvokeInstances: {
							InvokeInstance: views.map((view) =>
								invokeInstanceWire(view, ctx.params, includeOutput),
							),
						},
					};
				}),
			},
		};
	},
};
