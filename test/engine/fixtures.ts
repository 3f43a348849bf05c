/** Loads fixture workflows and expected outputs from test/fixtures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from './harness';

const FIXTURES = join(__dirname, '../fixtures');

export function workflowFixture(name: string): WorkflowJson {
	return JSON.parse(
		readFileSync(join(FIXTURES, 'workflows', `${name}.json`), 'utf8'),
	) as WorkflowJson;
}

export function expectedFixture(name: string): IDataObject {
	return JSON.parse(
		readFileSync(join(FIXTURES, 'expected', `${name}.json`), 'utf8'),
	) as IDataObject;
}

/** The stored credential id every fixture workflow references. */
export const FIXTURE_CREDENTIAL_ID = 'cred-1';

/**
 * A workflow Start → "ECS" (this package's node with `parameters`, the fixture credential
 * and `settings` such as onError or retryOnFail), for tests that build their cases from data.
 */
export function nodeWorkflow(
	parameters: INodeParameters,
	settings: Partial<Pick<INode, 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>> = {},
): WorkflowJson {
	return {
		name: 'ECS',
		nodes: [
			{
				id: '0b6f5d3e-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'test.start',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '0b6f5d3e-0000-4000-8000-000000000002',
				name: 'ECS',
				type: 'n8n-nodes-alibaba-ecs.alibabaEcs',
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: {
					alibabaCloudAccessKeyApi: { id: FIXTURE_CREDENTIAL_ID, name: 'Alibaba Cloud (test)' },
				},
				...settings,
			},
		],
		connections: { Start: { main: [[{ node: 'ECS', type: 'main', index: 0 }]] } },
	};
}

/**
 * A fixture workflow with one node changed as a test needs: parameters merged in (e.g.
 * `{options: {dryRun: true}}`), and node settings such as `onError`.
 */
export function configuredFixture(
	name: string,
	nodeName: string,
	change: { parameters?: IDataObject; settings?: IDataObject },
): WorkflowJson {
	const workflow = workflowFixture(name);
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`fixture ${name} has no node ${nodeName}`);
	Object.assign(node.parameters, change.parameters ?? {});
	Object.assign(node, change.settings ?? {});
	return workflow;
}
