/**
 * One poll: read the parameters and the fleet, compare it with what the previous poll saw
 * (events.ts), keep the new state in the workflow's static data, return the events. Nothing is
 * kept when anything fails: the error is thrown for n8n to record (an error execution, and the
 * workflow's error workflow), and the next successful poll compares with the old state, so no
 * change is lost.
 */
import {
	NodeApiError,
	NodeOperationError,
	type INode,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { ExplainedError } from '../AlibabaEcs/helpers/refusals';
import { ResponseShapeError } from '../AlibabaEcs/helpers/response';
import { InputError } from '../AlibabaEcs/helpers/validation';
import { connect } from '../AlibabaEcs/transport';
import {
	EcsError,
	NotFoundError,
	notFoundNodeError,
	toNodeApiError,
} from '../AlibabaEcs/transport/errors';
import { diffFleet } from './events';
import { ServerClock, readFleet, readOnlyApi } from './fleet';
import { guardPoll, isCurrent } from './pollGuard';
import { sampleEvents } from './samples';
import { readSettings, resolveRegions, watchOf } from './settings';
import { decodeState, encodeState } from './state';

/** Where the state lives in the node's static data. */
export const STATE_KEY = 'fleetState';

/** A message kept as written (n8n replaces one that contains a system error name). */
function operationError(node: INode, message: string, description?: string): NodeOperationError {
	const error = new NodeOperationError(node, message, { description });
	error.message = message;
	return error;
}

/** Any failure of a poll as the n8n error it reports. */
export function toPollError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof InputError) return operationError(node, error.message, error.hint);
	if (error instanceof EcsError) return toNodeApiError(node, error);
	if (error instanceof NotFoundError) return notFoundNodeError(node, error);
	if (error instanceof ExplainedError) return operationError(node, error.message, error.hint);
	if (error instanceof ResponseShapeError) {
		return operationError(node, `The ECS API returned an unexpected response: ${error.message}`);
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}

async function poll(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings((name, fallback) =>
		context.getNodeParameter(name, fallback as never),
	);
	const { credentials, transport } = await connect(context);
	const regions = resolveRegions(settings, credentials);
	const watch = watchOf(settings, credentials, regions);
	const clock = new ServerClock();
	const api = readOnlyApi(transport, regions[0], settings.call, clock);
	const output = (items: ReturnType<typeof sampleEvents>) =>
		items.length > 0 ? [context.helpers.returnJsonArray(items)] : null;

	if (context.getMode() === 'manual') {
		return output(
			sampleEvents(await readFleet(api, clock, watch, settings.params, undefined), watch),
		);
	}
	const owner = {
		context,
		workflowId: String(context.getWorkflow().id ?? ''),
		nodeId: context.getNode().id,
	};
	return await guardPoll(owner, async () => {
		const staticData = context.getWorkflowStaticData('node');
		const previous = decodeState(staticData[STATE_KEY]);
		const fleet = await readFleet(api, clock, watch, settings.params, previous);
		const { events, next } = diffFleet(previous, fleet, watch);
		// A newer activation of this workflow started polling meanwhile: it reports instead.
		if (!isCurrent(owner)) return null;
		staticData[STATE_KEY] = encodeState(next);
		return output(events);
	});
}

/** The trigger's poll(): the events since the previous poll, or null when there are none. */
export async function pollFleet(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	try {
		return await poll(context);
	} catch (error) {
		throw toPollError(context.getNode(), error);
	}
}
