/**
 * n8n's Retry On Fail runs the whole node again, with every input item. Within one execution
 * every write (Deregister, Rename, Create, Disable, Delete) acts at most once per item and
 * reports its first real result, whatever its expressions evaluate to on the next try
 * ({{ $now }} below), with On Error: Continue (n8n retries when the first item failed) and
 * without it (n8n retries when the node throws). Mechanism: transport/writeJournal.ts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Fault } from '../fake-ecs';
import { nodeWorkflow } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 7 });
const hz = 'cn-hangzhou';

/** Changes on every evaluation: a second try sees other parameters than the first. */
const NOW = "$now.toMillis() + '-' + Math.floor(Math.random() * 1e6)";

interface WriteCase {
	operation: string;
	action: string;
	parameters: INodeParameters;
	/** Creates what the two input items act on; returns their inputs. */
	setup(): IDataObject[];
	/** What an item's output looks like once its write succeeded. */
	done(input: IDataObject): IDataObject;
	/** The account shows the write done exactly once for this input. */
	expectAppliedOnce(input: IDataObject, output: IDataObject): void;
}

const instanceLocator = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
let serial = 0;
const newInstanceId = () => `mi-retry${String(++serial).padStart(8, '0')}`;

const writes: WriteCase[] = [
	{
		operation: 'Deregister',
		action: 'DeregisterManagedInstance',
		parameters: {
			resource: 'managedInstance',
			operation: 'deregister',
			instanceId: instanceLocator,
		},
		setup: () =>
			[newInstanceId(), newInstanceId()].map((id) => {
				t.fake.state.addInstance({ InstanceId: id, RegionId: hz });
				return { id };
			}),
		done: (input) => ({ InstanceId: input.id }),
		expectAppliedOnce: (input) => {
			expect(t.fake.state.getInstance(input.id as string, hz)).toBeUndefined();
			expect(acted('DeregisterManagedInstance', { InstanceId: input.id })).toHaveLength(1);
		},
	},
	{
		operation: 'Rename',
		action: 'ModifyManagedInstance',
		parameters: {
			resource: 'managedInstance',
			operation: 'update',
			instanceId: instanceLocator,
			instanceName: `={{ 'web-' + ${NOW} }}`,
		},
		setup: () =>
			[newInstanceId(), newInstanceId()].map((id) => {
				t.fake.state.addInstance({ InstanceId: id, RegionId: hz });
				return { id };
			}),
		done: (input) => ({ InstanceId: input.id, InstanceName: expect.stringMatching(/^web-/) }),
		expectAppliedOnce: (input, output) => {
			// every request for the item asked for the one name the output reports
			const names = acted('ModifyManagedInstance', { InstanceId: input.id }).map(
				(r) => r.params.InstanceName,
			);
			expect(new Set(names)).toEqual(new Set([output.InstanceName]));
			expect(t.fake.state.getInstance(input.id as string, hz)?.InstanceName).toBe(
				output.InstanceName,
			);
		},
	},
	{
		operation: 'Create',
		action: 'CreateActivation',
		parameters: {
			resource: 'activation',
			operation: 'create',
			additionalFields: { description: `={{ 'made at ' + ${NOW} }}` },
			tags: { tag: [{ key: 'item', value: '={{ $json.tag }}' }] },
		},
		setup: () => [{ tag: 'first' }, { tag: 'second' }],
		done: () => ({ ActivationId: expect.any(String), ActivationCode: expect.any(String) }),
		expectAppliedOnce: (input, output) => {
			const codes = t.fake.state
				.listActivations(hz)
				.filter((a) => a.Tags?.some((tag) => tag.TagValue === input.tag));
			expect(codes.map((a) => a.ActivationId)).toEqual([output.ActivationId]);
			expect(codes[0].ActivationCode).toBe(output.ActivationCode);
		},
	},
	{
		operation: 'Disable',
		action: 'DisableActivation',
		parameters: { resource: 'activation', operation: 'disable', activationId: '={{ $json.id }}' },
		setup: () =>
			[1, 2].map(() => ({ id: t.fake.state.addActivation({ RegionId: hz }).ActivationId })),
		done: (input) => ({ ActivationId: input.id, Disabled: true }),
		expectAppliedOnce: (input) => {
			expect(t.fake.state.getActivation(input.id as string, hz)?.Disabled).toBe(true);
			expect(acted('DisableActivation', { ActivationId: input.id })).toHaveLength(1);
		},
	},
	{
		operation: 'Delete',
		action: 'DeleteActivation',
		parameters: { resource: 'activation', operation: 'delete', activationId: '={{ $json.id }}' },
		setup: () =>
			[1, 2].map(() => ({ id: t.fake.state.addActivation({ RegionId: hz }).ActivationId })),
		done: (input) => ({ ActivationId: input.id }),
		expectAppliedOnce: (input) => {
			expect(t.fake.state.getActivation(input.id as string, hz)).toBeUndefined();
			expect(acted('DeleteActivation', { ActivationId: input.id })).toHaveLength(1);
		},
	},
];

/** Requests for `action` with these parameters that the fake carried out (not replays, not faults that pre-empt it). */
function acted(action: string, params: IDataObject) {
	return t.fake.requests.filter(
		(r) =>
			r.action === action &&
			!r.replayed &&
			(r.status === 200 || r.fault === 'dropAfterAction') &&
			Object.entries(params).every(([name, value]) => r.params[name] === value),
	);
}

/** The node with Retry On Fail (2 tries, no wait), one attempt per try, one item at a time. */
function retrying(write: WriteCase, onError?: 'continueRegularOutput') {
	return nodeWorkflow(
		{ ...write.parameters, regionId: hz, options: { maxAttempts: 1, concurrency: 1 } },
		{ retryOnFail: true, maxTries: 2, waitBetweenTries: 1, ...(onError ? { onError } : {}) },
	);
}

function inject(fault: Fault): void {
	t.fake.inject(fault);
}

describe.each(writes)('$operation with Retry On Fail and On Error: Continue', (write) => {
	it('after a lost answer: acts once, and the next try reports the first result', async () => {
		const [input] = write.setup();
		inject({ kind: 'dropAfterAction', action: write.action });
		const result = await t.harness.run(retrying(write, 'continueRegularOutput'), [input]);

		const [output] = result.json('ECS');
		expect(output).toMatchObject(write.done(input));
		expect(output.error).toBeUndefined();
		write.expectAppliedOnce(input, output);
		// n8n did run the node twice: the lost request, then the next try's
		expect(t.fake.requests[0]).toMatchObject({ action: write.action, fault: 'dropAfterAction' });
		expect(t.fake.requests.length).toBeGreaterThan(1);
	});

	it('an item that succeeded in the first try is not sent again when another item made n8n retry', async () => {
		const [failing, succeeding] = write.setup();
		// refused before acting, once: item 0 fails in the first try, item 1 succeeds
		inject({ kind: 'error', status: 400, code: 'Throttling.User', action: write.action });
		const result = await t.harness.run(retrying(write, 'continueRegularOutput'), [
			failing,
			succeeding,
		]);

		const outputs = result.json('ECS');
		expect(outputs).toEqual([
			expect.objectContaining(write.done(failing)),
			expect.objectContaining(write.done(succeeding)),
		]);
		expect(outputs.filter((o) => o.error !== undefined)).toEqual([]);
		const requests = t.fake.requests.filter((r) => r.action === write.action);
		// throttled (item 0), done (item 1), then the next try: item 0 only
		expect(requests.map((r) => r.code ?? r.status)).toEqual(['Throttling.User', 200, 200]);
		// item 1 reports its first result: the RequestId of the request that did it
		expect(outputs[1].RequestId).toBe(requests[1].requestId);
		write.expectAppliedOnce(failing, outputs[0]);
		write.expectAppliedOnce(succeeding, outputs[1]);
	});
});

it('without On Error: Continue (the node throws and n8n runs it again): one activation code', async () => {
	const create = writes.find((w) => w.operation === 'Create')!;
	const [input] = create.setup();
	inject({ kind: 'dropAfterAction', action: 'CreateActivation' });
	const result = await t.harness.run(retrying(create), [input]);

	expect(result.error).toBeUndefined();
	const [output] = result.json('ECS');
	create.expectAppliedOnce(input, output);
	expect(t.fake.requests.map((r) => [r.action, r.fault ?? 'ok', r.replayed ?? false])).toEqual([
		['CreateActivation', 'dropAfterAction', false],
		['CreateActivation', 'ok', true],
	]);
});

it('a Delete whose code was never deleted (the lost request did not act) is sent again', async () => {
	const del = writes.find((w) => w.operation === 'Delete')!;
	const [input] = del.setup();
	inject({ kind: 'hang', ms: 5_000, action: 'DeleteActivation' });
	const result = await t.harness.run(
		nodeWorkflow(
			{ ...del.parameters, regionId: hz, options: { maxAttempts: 1, timeout: 300 } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 1, onError: 'continueRegularOutput' },
		),
		[input],
	);
	expect(result.json('ECS')).toEqual([expect.objectContaining({ ActivationId: input.id })]);
	expect(result.json('ECS')[0].AlreadyDeleted).toBeUndefined();
	expect(t.fake.requests.map((r) => [r.action, r.fault ?? r.status])).toEqual([
		['DeleteActivation', 'hang'],
		['DescribeActivations', 200],
		['DeleteActivation', 200],
	]);
});
