import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { getResults } from './getResults.operation';
import { run } from './run.operation';
import { sendFile } from './sendFile.operation';
import { stop } from './stop.operation';

export const operations: Record<string, EcsOperation> = { getResults, run, sendFile, stop };

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['command'] } },
	options: [
		{
			name: 'Get Results',
			value: 'getResults',
			description:
				'Get the state, exit code and output of a run (or a file send) on each of its instances',
			action: 'Get the results of a command',
		},
		{
			name: 'Run',
			value: 'run',
			description:
				"Run a shell, PowerShell or Bat script on managed instances and (by default) wait for each instance's exit code and output",
			action: 'Run a command on managed instances',
		},
		{
			name: 'Send File',
			value: 'sendFile',
			description: 'Write a file from text or binary data to managed instances',
			action: 'Send a file to managed instances',
		},
		{
			name: 'Stop',
			value: 'stop',
			description: 'Stop a running command on all or some of its instances',
			action: 'Stop a running command',
		},
	],
	// The default is stored by no saved workflow (n8n omits defaults), so it can never change.
	default: 'run',
};

/** The fields of every command operation, each shown only for its operation. */
export const fields: INodeProperties[] = [
	...run.description,
	...getResults.description,
	...stop.description,
	...sendFile.description,
];
