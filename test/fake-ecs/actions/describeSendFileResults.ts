/**
 * DescribeSendFileResults: file sends with their overall InvocationStatus and every instance's
 * state (DescribeSendFileResultsResponseBody; meanings from the C# SDK model's remarks). The file
 * content is not returned (unverified whether the API does). An InvokeId that does not exist (or
 * is not visible yet) gives an empty list.
 */
import { ECS_VERSION, requireRegion, type ActionSpec } from './context';
import { assistantOf, invocationsPage } from './invocations';

export const describeSendFileResults: ActionSpec = {
	action: 'DescribeSendFileResults',
	version: ECS_VERSION,
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const assistant = assistantOf(ctx);
		const { page, paging } = invocationsPage(ctx, regionId, 'file');
		return {
			...paging,
			Invocations: {
				Invocation: page.map(({ invocation, views }) => {
					const file = invocation.file;
					return {
						InvokeId: invocation.invokeId,
						Name: file?.name,
						TargetDir: file?.targetDir,
						ContentType: file?.contentType,
						FileOwner: file?.owner,
						FileGroup: file?.group,
						FileMode: file?.mode,
						// The model types Overwrite as a string.
						Overwrite: String(file?.overwrite ?? false),
						Description: file?.description ?? '',
						CreationTime: views[0]?.CreationTime,
						VmCount: invocation.targets.length,
						InvocationStatus: assistant.overallStatus(invocation, views),
						InvokeInstances: {
							InvokeInstance: views.map((view) => ({
								InstanceId: view.InstanceId,
								InvocationStatus: view.InvocationStatus,
								ErrorCode: view.ErrorCode,
								ErrorInfo: view.ErrorInfo,
								CreationTime: view.CreationTime,
								StartTime: view.StartTime,
								FinishTime: view.FinishedTime,
								UpdateTime: view.UpdateTime,
							})),
						},
					};
				}),
			},
		};
	},
};
