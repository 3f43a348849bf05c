import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { InputError } from '../../helpers/validation';
import { instanceIdsProperty, invokeIdProperty } from './descriptions';
import { readInvokeId } from './getResults.operation';
import { readInstanceIds } from './input';
import { subjectOf } from './results';

const show = { resource: ['command'], operation: ['stop'] };

/** StopInvocationRequest.d.ts: InstanceId "up to 50 instance IDs". */
const MAX_STOP_TARGETS = 50;

const description: INodeProperties[] = [
	invokeIdProperty(show, 'The command run to stop: the Invoke ID that Run output (t-…)'),
	instanceIdsProperty(show, {
		required: false,
		max: MAX_STOP_TARGETS,
		description: 'Stop the run only on these instances; leave empty to stop it everywhere.',
	}),
];

interface StopInput {
	invokeId: string;
	instanceIds: string[];
}

/**
 * StopInvocation: stops a command run on all or some of its instances. Where it has not started
 * it is cancelled (status Cancelled); where it runs it is killed (Stopping, then Terminated).
 * Outputs one item: the Invoke ID, the instances asked for (empty: all) and the RequestId.
 */
export const stop: EcsOperation<StopInput> = {
	description,

	readInput(context, itemIndex) {
		const invokeId = readInvokeId(context.getNodeParameter('invokeId', itemIndex));
		if (invokeId.startsWith('f-')) {
			throw new InputError(
				'Invoke ID',
				`Invoke ID "${invokeId}" is a file send, which cannot be stopped`,
			);
		}
		return {
			invokeId,
			instanceIds: readInstanceIds(context.getNodeParameter('instanceIds', itemIndex, ''), {
				max: MAX_STOP_TARGETS,
				required: false,
			}),
		};
	},

	async execute(api, { invokeId, instanceIds }) {
		return await api.call(
			'StopInvocation',
			{ InvokeId: invokeId, ...(instanceIds.length > 0 ? { InstanceId: instanceIds } : {}) },
			{
				subject: subjectOf(invokeId),
				parse: (body) => ({
					InvokeId: invokeId,
					InstanceIds: instanceIds,
					RequestId: body.RequestId ?? null,
				}),
			},
		);
	},
};
