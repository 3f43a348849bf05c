import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { InputError } from '../../helpers/validation';
import { instanceIdsProperty, invokeIdProperty, waitProperties } from './descriptions';
import { readInstanceIds, readWait, type WaitInput } from './input';
import { collectResults } from './results';

const show = { resource: ['command'], operation: ['getResults'] };

const description: INodeProperties[] = [
	invokeIdProperty(
		show,
		'The run to read: the Invoke ID that Run or Send File output (t-… for a command, f-… for a file send)',
	),
	instanceIdsProperty(show, {
		required: false,
		max: 100,
		description: 'Only the results of these instances; leave empty for every instance of the run.',
	}),
	...waitProperties(show, {
		waitByDefault: false,
		what: 'the run',
		failName: 'failOnNonZeroExitCode',
		failDisplayName: 'Fail on Non-Zero Exit Code',
		failDescription:
			'Whether an instance where the run did not succeed (a non-zero exit code, failed, timed out, stopped, not delivered, or still running when Max Wait ended) becomes an error naming the instance, its exit code and the first line of its output',
	}),
];

interface GetResultsInput {
	invokeId: string;
	instanceIds: string[];
	wait?: WaitInput;
}

/** Invoke IDs: "t-" (commands) or "f-" (file sends) and letters and digits. */
const INVOKE_ID = /^[tf]-[0-9a-z]{4,64}$/;

export function readInvokeId(value: unknown): string {
	const id = typeof value === 'string' ? value.trim() : '';
	if (!INVOKE_ID.test(id)) {
		throw new InputError(
			'Invoke ID',
			id === ''
				? 'Invoke ID is empty'
				: `Invoke ID "${id.slice(0, 70)}" is not a Cloud Assistant Invoke ID`,
			'Invoke IDs look like t-hz0jdfwd9f0001 (a command run) or f-hz0jdfwd9f0001 (a file send): use the InvokeId field that Run or Send File output.',
		);
	}
	return id;
}

/** DescribeInvocationResults (or DescribeSendFileResults for f-…): one item per instance of a run. */
export const getResults: EcsOperation<GetResultsInput> = {
	description,

	readInput(context, itemIndex) {
		return {
			invokeId: readInvokeId(context.getNodeParameter('invokeId', itemIndex)),
			instanceIds: readInstanceIds(context.getNodeParameter('instanceIds', itemIndex, ''), {
				max: 100,
				required: false,
			}),
			wait: readWait(context, itemIndex, 'failOnNonZeroExitCode', 'Fail on Non-Zero Exit Code'),
		};
	},

	async execute(api, { invokeId, instanceIds, wait }) {
		return await collectResults(api, invokeId, { instanceIds, wait, mustExist: true });
	},
};
