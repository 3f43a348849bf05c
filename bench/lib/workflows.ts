/** Fixture workflows (test/fixtures/workflows) adapted for the benchmarks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from './engine';
import { PACKAGE_ROOT } from './paths';

export const CREDENTIAL_ID = 'cred-1';

export function fixture(name: string): WorkflowJson {
	return JSON.parse(
		readFileSync(join(PACKAGE_ROOT, 'test/fixtures/workflows', `${name}.json`), 'utf8'),
	) as WorkflowJson;
}

/**
 * deregister.json (regionId and instanceId from $json.region / $json.instanceId),
 * optionally with another node type and an Options collection.
 */
export function deregisterWorkflow(
	options: { type?: string; nodeOptions?: IDataObject } = {},
): WorkflowJson {
	const workflow = fixture('deregister');
	const node = workflow.nodes.find((n) => n.name === 'Deregister');
	if (!node) throw new Error('deregister.json has no node named Deregister');
	if (options.type) node.type = options.type;
	if (options.nodeOptions) node.parameters.options = options.nodeOptions as INodeParameters;
	return workflow;
}

export function deregisterInput(regionId: string, ids: readonly string[]): IDataObject[] {
	return ids.map((instanceId) => ({ region: regionId, instanceId }));
}
