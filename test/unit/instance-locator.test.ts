/**
 * What n8n's editor marks on the Instance field (By ID), computed by n8n-workflow's own
 * NodeHelpers.getNodeParametersIssues over the node as n8n loads it (from dist/): the same
 * function the editor runs for the red field message and the "workflow has issues" check.
 */
import { NodeHelpers, type INode, type INodeType } from 'n8n-workflow';

import { EngineHarness } from '../engine/harness';

let nodeType: INodeType;

beforeAll(async () => {
	nodeType = (await EngineHarness.create()).nodeType();
});

function instanceIssues(value: string): string[] {
	const node: INode = {
		id: 'node-1',
		name: 'Alibaba Cloud ECS',
		type: 'n8n-nodes-alibaba-ecs.alibabaEcs',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'managedInstance',
			operation: 'deregister',
			regionId: 'cn-hangzhou',
			instanceId: { __rl: true, mode: 'id', value },
		},
	};
	const issues = NodeHelpers.getNodeParametersIssues(
		nodeType.description.properties,
		node,
		nodeType.description,
	);
	return issues?.parameters?.instanceId ?? [];
}

describe('the Instance field, By ID, in the editor', () => {
	it('explains that a typed ECS instance ID (i-…) is the wrong kind of ID, once', () => {
		const issues = instanceIssues('i-bp1h6ntgnhykgtyd1rmw');
		expect(issues).toEqual([
			'An ECS instance ID (i-…), not a managed instance ID. This operation works on servers registered with Cloud Assistant outside Alibaba Cloud, whose IDs start with "mi-" (ECS console: Cloud Assistant > Managed Instances).',
		]);
		expect(instanceIssues('  i-bp1h6ntgnhykgtyd1rmw ')).toEqual(issues);
	});

	it('says what a managed instance ID looks like for any other wrong value', () => {
		for (const value of ['server-01', 'mi-UPPER', 'ami-12345', 'i-']) {
			expect(instanceIssues(value)).toEqual([
				'Not a managed instance ID: it starts with "mi-" followed by lower-case letters and digits',
			]);
		}
	});

	it('accepts a managed instance ID, with spaces around it, and any expression', () => {
		expect(instanceIssues('mi-hz01axdfas0001')).toEqual([]);
		expect(instanceIssues(' mi-hz01axdfas0001 ')).toEqual([]);
		expect(instanceIssues('={{ $json.instanceId }}')).toEqual([]);
	});
});
