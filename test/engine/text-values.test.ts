/**
 * Values that arrive as text: a boolean or number parameter set by an expression can reach
 * the node as "true" or "12". Every boolean and number parameter and option of every
 * operation, found by walking the node's own description (so a new one is covered without
 * touching this file), must
 * - take the text form of a non-default value exactly as the typed value: the same requests,
 * - refuse text that is neither, with an error naming the item and the field, before any
 *   request, rather than silently using the default.
 */
import type {
	IDataObject,
	INodeParameters,
	INodeProperties,
	INodePropertyCollection,
	INodeTypeDescription,
	NodeParameterValue,
} from 'n8n-workflow';

import { AlibabaEcs } from '../../nodes/AlibabaEcs/AlibabaEcs.node';
import { SAMPLE_INSTANCE, type RecordedRequest } from '../fake-ecs';
import { nodeWorkflow } from './fixtures';
import { useEngine } from './setup';

const t = useEngine({ seed: 11 });
const hz = 'cn-hangzhou';
const ACTIVATION_ID = '4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD';

/**
 * Per operation: parameters that make it succeed, and the account it needs. A new operation
 * needs an entry here; the test below says which.
 */
const baselines: Record<string, { parameters: INodeParameters; seed?: () => void }> = {
	'managedInstance.deregister': {
		parameters: {
			instanceId: { __rl: true, mode: 'id', value: SAMPLE_INSTANCE.InstanceId },
		},
	},
	'managedInstance.get': {
		parameters: {
			instanceId: { __rl: true, mode: 'id', value: SAMPLE_INSTANCE.InstanceId },
		},
	},
	'managedInstance.getAll': {
		// 60 more instances: "all" (two pages) differs from a limit of 2; fixed IDs, fixed pages;
		// every other one disconnected, with heartbeats from 700 to 759 hours ago (the offline
		// filter's default of 720 and 719 select different ones)
		parameters: { limit: 2 },
		seed: () => {
			const now = Date.now();
			for (let i = 0; i < 60; i++) {
				t.fake.state.addInstance({
					InstanceId: `mi-text${String(i).padStart(8, '0')}`,
					RegionId: hz,
					Connected: i % 2 === 1,
					RegistrationTime: new Date(now - 2000 * 3_600_000).toISOString().slice(0, 19) + 'Z',
					LastHeartbeatTime: new Date(now - (700 + i) * 3_600_000).toISOString().slice(0, 19) + 'Z',
				});
			}
		},
	},
	'managedInstance.getAgentStatus': {
		parameters: {
			instanceId: { __rl: true, mode: 'id', value: SAMPLE_INSTANCE.InstanceId },
		},
	},
	'managedInstance.update': {
		parameters: {
			instanceId: { __rl: true, mode: 'id', value: SAMPLE_INSTANCE.InstanceId },
			instanceName: 'renamed-01',
		},
	},
	'activation.create': { parameters: {} },
	'activation.getAll': {
		parameters: { limit: 2 },
		seed: () => {
			for (let i = 0; i < 60; i++) {
				const id = `4ECEEE12-56F1-4FBC-9AB1-${String(i).padStart(12, '0')}`;
				t.fake.state.addActivation({ RegionId: hz, ActivationId: id });
			}
		},
	},
	'activation.disable': {
		parameters: { activationId: ACTIVATION_ID },
		seed: () => t.fake.state.addActivation({ RegionId: hz, ActivationId: ACTIVATION_ID }),
	},
	'activation.delete': {
		parameters: { activationId: ACTIVATION_ID },
		seed: () => t.fake.state.addActivation({ RegionId: hz, ActivationId: ACTIVATION_ID }),
	},
	// Commands end at once on the fake's agents, so a wait ends at the first check (1 s).
	'command.run': {
		parameters: { commandContent: 'echo hi', instanceIds: SAMPLE_INSTANCE.InstanceId },
	},
	'command.sendFile': {
		parameters: {
			instanceIds: SAMPLE_INSTANCE.InstanceId,
			contentSource: 'text',
			content: 'hello',
			fileName: 'a.txt',
			targetDir: '/tmp',
		},
	},
	'command.getResults': {
		// A run that has ended: Get Results looks at once, so waiting costs no time.
		get parameters() {
			return { invokeId: seededRun, waitForCompletion: true };
		},
		seed: () => {
			seededRun = startRun('echo hi');
			t.fake.assistant.advance(5_000);
		},
	},
	'command.stop': {
		get parameters() {
			return { invokeId: seededRun };
		},
		seed: () => {
			seededRun = startRun('sleep 600');
		},
	},
};

/** The InvokeId of the run a command baseline seeded (the same in every run: seeded IDs). */
let seededRun = '';

function startRun(script: string): string {
	const instance = t.fake.state.getInstance(SAMPLE_INSTANCE.InstanceId, hz)!;
	return t.fake.assistant.startCommand(
		hz,
		[instance],
		{
			type: 'RunShellScript',
			script,
			contentBase64: Buffer.from(script).toString('base64'),
			enableParameter: false,
			values: {},
		},
		3_600,
	).invokeId;
}

interface TypedParameter {
	/** e.g. ["returnAll"] or ["options", "timeout"] */
	path: string[];
	displayName: string;
	type: 'boolean' | 'number';
	default: NodeParameterValue;
	min?: number;
	max?: number;
	/** "resource.operation" where it is shown */
	operations: string[];
}

/**
 * The node's description, read when the tests are collected so that every parameter becomes
 * its own test (from the source; the runs use the built package, compiled from it).
 */
const nodeDescription: INodeTypeDescription = new AlibabaEcs().description;
const description = () => nodeDescription;

/** Every "resource.operation" of the node, from its Resource and Operation pickers. */
function allOperations(): string[] {
	const { properties } = description();
	const resources = properties.find((p) => p.name === 'resource')!.options as Array<{
		value: string;
	}>;
	return resources.flatMap(({ value: resource }) => {
		const picker = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
		)!;
		return (picker.options as Array<{ value: string }>).map((o) => `${resource}.${o.value}`);
	});
}

/** Where a property is shown, by its displayOptions (resource, operation, /operation). */
function shownFor(property: INodeProperties, within: string[]): string[] {
	const show = property.displayOptions?.show ?? {};
	const resources = (show.resource ?? show['/resource']) as string[] | undefined;
	const operations = (show.operation ?? show['/operation']) as string[] | undefined;
	return within.filter((key) => {
		const [resource, operation] = key.split('.');
		return (
			(!resources || resources.includes(resource)) &&
			(!operations || operations.includes(operation))
		);
	});
}

function typedParameters(): TypedParameter[] {
	const found: TypedParameter[] = [];
	const visit = (property: INodeProperties, parents: string[], within: string[]) => {
		const operations = shownFor(property, within);
		if (property.type === 'boolean' || property.type === 'number') {
			found.push({
				path: [...parents, property.name],
				displayName: property.displayName,
				type: property.type,
				default: property.default as NodeParameterValue,
				min: property.typeOptions?.minValue,
				max: property.typeOptions?.maxValue,
				operations,
			});
		} else if (property.type === 'collection') {
			for (const option of (property.options ?? []) as INodeProperties[]) {
				visit(option, [...parents, property.name], operations);
			}
		} else if (property.type === 'fixedCollection') {
			for (const group of (property.options ?? []) as INodePropertyCollection[]) {
				for (const value of group.values) {
					if (value.type === 'boolean' || value.type === 'number') {
						throw new Error(
							`${property.name}.${group.name}.${value.name}: a boolean or number inside a fixedCollection; extend this test to cover it`,
						);
					}
				}
			}
		}
	};
	for (const property of description().properties) visit(property, [], allOperations());
	return found.filter((p) => p.operations.length > 0);
}

/**
 * A valid value other than the default, so that reading the default instead shows: one below it
 * (an upper limit may be the API's to decide, as Time to Live's is), else one above.
 */
function otherValue(p: TypedParameter): boolean | number {
	if (p.type === 'boolean') return !p.default;
	const below = (p.default as number) - 1;
	return p.min !== undefined && below < p.min ? (p.default as number) + 1 : below;
}

function withValue(base: INodeParameters, path: string[], value: unknown): INodeParameters {
	const [head, ...rest] = path;
	if (rest.length === 0) return { ...base, [head]: value as NodeParameterValue };
	return { ...base, [head]: withValue((base[head] as INodeParameters) ?? {}, rest, value) };
}

/**
 * What the endpoint was asked, without what differs between any two runs (ClientToken), in a
 * fixed order: a listing over every region asks several regions at once, so its requests
 * arrive in any order.
 */
function asked(requests: RecordedRequest[]): Array<[string, IDataObject]> {
	return requests
		.map((r): [string, IDataObject] => {
			const params: IDataObject = { ...r.params };
			delete params.ClientToken;
			return [r.action, params];
		})
		.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

async function runWith(operationKey: string, path: string[], value: unknown) {
	t.fake.reset();
	const [resource, operation] = operationKey.split('.');
	const baseline = baselines[operationKey];
	baseline.seed?.();
	const parameters = withValue(
		{ resource, operation, regionId: hz, ...baseline.parameters },
		path,
		value,
	);
	const result = await t.harness.run(nodeWorkflow(parameters), [{}]);
	return { result, requests: asked(t.fake.requests) };
}

const cases = () =>
	typedParameters().flatMap((p) =>
		p.operations.map((op) => [`${p.path.join('.')} (${op})`, p, op] as const),
	);

it('covers the parameters the issue names, and every operation has a baseline', () => {
	const names = typedParameters().map((p) => p.path.join('.'));
	expect(names).toEqual(
		expect.arrayContaining([
			'returnAll',
			'limit',
			'instanceCount',
			'timeToLiveInHours',
			'options.concurrency',
			'options.maxAttempts',
			'options.timeout',
			'options.succeedIfAlreadyDeregistered',
		]),
	);
	expect(allOperations().filter((op) => !baselines[op])).toEqual([]);
});

describe.each(cases())('%s', (_name, parameter, operation) => {
	const value = otherValue(parameter);
	const field = parameter.displayName;

	it(`takes "${String(value)}" as text like the ${parameter.type} ${String(value)}`, async () => {
		const typed = await runWith(operation, parameter.path, value);
		expect(typed.result.error).toBeUndefined();
		for (const text of [`={{ "${String(value)}" }}`, `={{ " ${String(value).toUpperCase()} " }}`]) {
			const fromText = await runWith(operation, parameter.path, text);
			expect(fromText.result.error).toBeUndefined();
			expect(fromText.requests).toEqual(typed.requests);
		}
	});

	it('refuses other text with an error naming the item and the field, before any request', async () => {
		const { result, requests } = await runWith(operation, parameter.path, '={{ "maybe" }}');
		expect(result.error?.message).toMatch(/^Item 0: /);
		expect(result.error?.message).toContain(field);
		expect(result.error?.message).toContain('"maybe"');
		expect(requests).toEqual([]);
	});
});
