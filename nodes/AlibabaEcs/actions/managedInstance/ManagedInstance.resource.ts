import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { deregister } from './deregister.operation';
import { get } from './get.operation';
import { getAgentStatus } from './getAgentStatus.operation';
import { getAll } from './getAll.operation';
import { update } from './update.operation';

export const operations: Record<string, EcsOperation> = {
	deregister,
	get,
	getAgentStatus,
	getAll,
	update,
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['managedInstance'] } },
	options: [
		{
			name: 'Deregister',
			value: 'deregister',
			description:
				'Deregister a managed instance so it no longer receives Cloud Assistant commands or files (the server keeps running; registering it again takes a new activation code)',
			action: 'Deregister a managed instance',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get a managed instance by ID',
			action: 'Get a managed instance',
		},
		{
			name: 'Get Agent Status',
			value: 'getAgentStatus',
			description:
				'Get whether the Cloud Assistant agent of a managed instance is running, its version and its last heartbeat',
			action: 'Get the agent status of a managed instance',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description:
				'List managed instances, filtered by name, IP, connection state, OS, tags and more',
			action: 'Get many managed instances',
		},
		{
			name: 'Rename',
			value: 'update',
			description: 'Change the name of a managed instance',
			action: 'Rename a managed instance',
		},
	],
	// The default is stored by no saved workflow (n8n omits defaults), so it can never change.
	default: 'deregister',
};

/** The fields of every managed-instance operation, each shown only for its operation. */
export const fields: INodeProperties[] = [
	...deregister.description,
	...get.description,
	...getAgentStatus.description,
	...getAll.description,
	...update.description,
];
