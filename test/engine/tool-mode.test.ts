/**
 * Get Many as an AI tool: one page per call (at most 50, fewer with a smaller Limit) with a
 * NextToken that the next call continues from, in one region and over all regions, with the
 * offline filter; Next Token refused when it cannot be one. The tool variant is what n8n's
 * convertNodeToAiTool makes of the node (its type name + "Tool"; n8n gives it an ai_tool output,
 * here a main one so the engine hands the items to the test). test/e2e/ai-tools.test.ts runs the
 * real variant in n8n.
 */
import { join } from 'node:path';

import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { MAX_CALLS_PER_ANSWER } from '../../nodes/AlibabaEcs/helpers/toolMode';
import { MANAGED_INSTANCE_REGION_IDS } from '../../nodes/AlibabaEcs/transport/regions';
import { nodeWorkflow } from './fixtures';
import { NODE_TYPE, PACKAGE_ROOT } from './harness';
import { useEngine } from './setup';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled node, as n8n loads it
const { AlibabaEcs } = require(join(PACKAGE_ROOT, 'dist/nodes/AlibabaEcs/AlibabaEcs.node.js')) as {
	AlibabaEcs: new () => INodeType;
};

/** The node's tool variant, as n8n registers it (convertNodeToAiTool), with a main output. */
function toolVariant(): INodeType {
	const node = new AlibabaEcs();
	return {
		description: {
			...node.description,
			name: `${node.description.name}Tool`,
			displayName: `${node.description.displayName} Tool`,
		},
		methods: node.methods,
		execute: node.execute,
	};
}

const TOOL_TYPE = `${NODE_TYPE}Tool`;
const t = useEngine(
	{ seed: 5, seedSample: false },
	{ extraNodeTypes: { [TOOL_TYPE]: toolVariant() } },
);

interface Answer {
	RegionId: string | null;
	Instances?: IDataObject[];
	ActivationList?: IDataObject[];
	NextToken?: string;
}

/** One tool call of Get Many: the node's one output item. */
async function call(parameters: INodeParameters, nextToken = ''): Promise<Answer> {
	const workflow = nodeWorkflow({ operation: 'getAll', nextToken, ...parameters });
	workflow.nodes[1].type = TOOL_TYPE;
	workflow.nodes[1].typeVersion = 1.1;
	const result = await t.harness.run(workflow, [{}]);
	if (result.error) throw new Error(result.error.message);
	const items = result.json('ECS');
	expect(items).toHaveLength(1);
	return items[0] as unknown as Answer;
}

/** Every answer of a listing, following NextToken (at most `max` calls). */
async function walk(parameters: INodeParameters, max = 20): Promise<Answer[]> {
	const answers: Answer[] = [];
	let nextToken = '';
	do {
		const answer = await call(parameters, nextToken);
		answers.push(answer);
		nextToken = answer.NextToken ?? '';
	} while (nextToken && answers.length < max);
	return answers;
}

const ids = (entries: IDataObject[] | undefined) =>
	(entries ?? []).map((entry) => String(entry.InstanceId ?? entry.ActivationId));
const listCalls = () =>
	t.fake.requests.filter((request) => request.action === 'DescribeManagedInstances');

describe('Get Many as an AI tool', () => {
	it('answers 50 instances and the API’s NextToken, then the rest, one request per call', async () => {
		const all = t.fake.state.addInstances(120, { RegionId: 'cn-hangzhou' });
		const answers = await walk({ regionId: 'cn-hangzhou', returnAll: true });
		expect(answers.map((a) => [a.RegionId, a.Instances?.length, typeof a.NextToken])).toEqual([
			['cn-hangzhou', 50, 'string'],
			['cn-hangzhou', 50, 'string'],
			['cn-hangzhou', 20, 'undefined'],
		]);
		expect(answers.flatMap((a) => ids(a.Instances)).sort()).toEqual(
			all.map((i) => i.InstanceId).sort(),
		);
		expect(listCalls().map((r) => [r.params.MaxResults, r.params.NextToken])).toEqual([
			['50', undefined],
			['50', answers[0].NextToken],
			['50', answers[1].NextToken],
		]);
		// the entries are the items a workflow gets: the API's names, RegionId
		expect(answers[0].Instances?.[0]).toMatchObject({
			InstanceId: expect.stringMatching(/^mi-/),
			RegionId: 'cn-hangzhou',
		});
	});

	it('a smaller Limit makes smaller pages; a Limit over 50 stays 50', async () => {
		t.fake.state.addInstances(30, { RegionId: 'cn-hangzhou' });
		const small = await walk({ regionId: 'cn-hangzhou', limit: 12 });
		expect(small.map((a) => a.Instances?.length)).toEqual([12, 12, 6]);
		t.fake.reset();
		t.fake.state.addInstances(60, { RegionId: 'cn-hangzhou' });
		const big = await call({ regionId: 'cn-hangzhou', limit: 500 });
		expect(big.Instances).toHaveLength(50);
	});

	it('over all regions: fills each answer with the regions in order; NextToken says where to go on', async () => {
		const qd = t.fake.state.addInstances(30, { RegionId: 'cn-qingdao' });
		const bj = t.fake.state.addInstances(45, { RegionId: 'cn-beijing' });
		const va = t.fake.state.addInstances(10, { RegionId: 'us-east-1' });
		const answers = await walk({ regionId: '', returnAll: true, options: { allRegions: true } });
		expect(answers.map((a) => [a.RegionId, a.Instances?.length])).toEqual([
			[null, 50],
			[null, 35],
		]);
		expect(answers[0].NextToken).toMatch(/^cn-beijing\|\S+$/);
		expect(answers[1].NextToken).toBeUndefined();
		expect(answers.flatMap((a) => ids(a.Instances)).sort()).toEqual(
			[...qd, ...bj, ...va].map((i) => i.InstanceId).sort(),
		);
		// every region once at least, and no answer asked for more than its room
		const regions = new Set(listCalls().map((r) => r.params.RegionId));
		expect([...regions].sort()).toEqual([...MANAGED_INSTANCE_REGION_IDS].sort());
		expect(listCalls().every((r) => Number(r.params.MaxResults) <= 50)).toBe(true);
	});

	it('over all regions, an answer stops after a bounded number of calls and goes on from there', async () => {
		// disconnected 10 minutes ago: the offline filter (1 hour) keeps none of them, so every
		// page of cn-qingdao is read and dropped
		t.fake.state.addInstances(MAX_CALLS_PER_ANSWER * 2 * 3, {
			RegionId: 'cn-qingdao',
			Connected: false,
			LastHeartbeatTime: new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
			RegistrationTime: '2025-01-01T00:00:00Z',
		});
		const answer = await call({
			regionId: '',
			limit: 3,
			filters: { offlineForAtLeast: 1 },
			options: { allRegions: true },
		});
		expect(answer.Instances).toEqual([]);
		expect(answer.NextToken).toMatch(/^cn-qingdao\|\S+$/);
		expect(listCalls()).toHaveLength(MAX_CALLS_PER_ANSWER);
	});

	it('activation codes, one page at a time', async () => {
		for (let i = 0; i < 7; i++) t.fake.state.addActivation({ RegionId: 'cn-hangzhou' });
		const answers = await walk({ resource: 'activation', regionId: 'cn-hangzhou', limit: 5 });
		expect(answers.map((a) => [a.RegionId, a.ActivationList?.length])).toEqual([
			['cn-hangzhou', 5],
			['cn-hangzhou', 2],
		]);
		expect(new Set(answers.flatMap((a) => ids(a.ActivationList))).size).toBe(7);
	});

	it('refuses a Next Token that cannot be one, before any request', async () => {
		await expect(call({ regionId: 'cn-hangzhou' }, 'not a token')).rejects.toThrow(
			'Item 0: Next Token "not a token" is not a NextToken',
		);
		await expect(
			call({ regionId: '', options: { allRegions: true } }, 'xx-nowhere-1|abc'),
		).rejects.toThrow('Item 0: Next Token "xx-nowhere-1|abc" is not a NextToken');
		expect(listCalls()).toEqual([]);
	});
});
