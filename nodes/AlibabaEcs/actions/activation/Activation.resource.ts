import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { create } from './create.operation';
import { deleteActivation } from './delete.operation';
import { disable } from './disable.operation';
import { getAll } from './getAll.operation';

export const operations: Record<string, EcsOperation> = {
	create,
	delete: deleteActivation,
	disable,
	getAll,
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['activation'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description: 'Create an activation code that registers servers as managed instances',
			action: 'Create an activation code',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete an activation code that was never used; this cannot be undone',
			action: 'Delete an activation code',
		},
		{
			name: 'Disable',
			value: 'disable',
			description: 'Disable an activation code for good, so it registers no more servers',
			action: 'Disable an activation code',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List activation codes and how many servers each registered',
			action: 'Get many activation codes',
		},
	],
	default: 'create',
};

export const fields: INodeProperties[] = [
	...create.description,
	...deleteActivation.description,
	...disable.description,
	...getAll.description,
];
