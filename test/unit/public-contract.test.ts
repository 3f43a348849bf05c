/**
 * Names that saved workflows and credentials store. Changing one breaks users'
 * workflows, so a change must be deliberate (and come with a new node version).
 */
import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';

import { EngineHarness, TRIGGER_NODE_TYPE } from '../engine/harness';

let node: INodeType;
let credential: ICredentialType;

beforeAll(async () => {
	// Loaded from dist/ by n8n-core's PackageDirectoryLoader, as n8n loads the package.
	const harness = await EngineHarness.create();
	node = harness.nodeType();
	credential = harness.credentialType();
});

function property(name: string, resource?: string, operation?: string): INodeProperties {
	const found = node.description.properties.filter(
		(p) =>
			p.name === name &&
			(resource === undefined || p.displayOptions?.show?.resource?.includes(resource) !== false) &&
			(operation === undefined || p.displayOptions?.show?.operation?.includes(operation) !== false),
	);
	expect(found).toHaveLength(1);
	return found[0];
}

function values(p: INodeProperties): unknown[] {
	return (p.options ?? []).map((option) => ('value' in option ? option.value : undefined));
}

describe('node "alibabaEcs"', () => {
	it('keeps its type name, display name and version', () => {
		expect(node.description.name).toBe('alibabaEcs');
		expect(node.description.displayName).toBe('Alibaba Cloud ECS');
		// 1.1 moved Get Many's Tags into Filters; version 1 nodes keep theirs (see below).
		expect(node.description.version).toEqual([1, 1.1]);
		expect(node.description.defaultVersion).toBe(1.1);
		expect(node.description.usableAsTool).toBe(true);
	});

	it('uses the alibabaCloudAccessKeyApi credential, tested by a node method that exists', () => {
		expect(node.description.credentials).toEqual([
			{
				name: 'alibabaCloudAccessKeyApi',
				required: true,
				testedBy: 'alibabaCloudAccessKeyApiTest',
			},
		]);
		expect(typeof node.methods?.credentialTest?.alibabaCloudAccessKeyApiTest).toBe('function');
	});

	it('keeps resource, operation and parameter names', () => {
		expect(values(property('resource'))).toEqual(expect.arrayContaining(['managedInstance']));
		expect(values(property('operation', 'managedInstance'))).toEqual(
			expect.arrayContaining(['deregister']),
		);
		// Was a string field in the first release; an options field keeps the stored string value.
		expect(property('regionId').type).toBe('options');
		expect(property('regionId').default).toBe('');
		const instanceId = property('instanceId', 'managedInstance', 'deregister');
		expect(instanceId.type).toBe('resourceLocator');
		expect(instanceId.modes?.map((mode) => mode.name)).toEqual(expect.arrayContaining(['id']));
	});
});

describe('resource "command"', () => {
	it('keeps its operation and parameter names', () => {
		expect(values(property('resource'))).toEqual(expect.arrayContaining(['command']));
		expect(values(property('operation', 'command'))).toEqual(
			expect.arrayContaining(['run', 'getResults', 'stop', 'sendFile']),
		);
		const names = (operation: string) =>
			node.description.properties
				.filter(
					(p) =>
						p.displayOptions?.show?.resource?.includes('command') &&
						p.displayOptions.show.operation?.includes(operation),
				)
				.map((p) => p.name);
		expect(names('run')).toEqual(
			expect.arrayContaining([
				'commandType',
				'commandContent',
				'targetBy',
				'instanceIds',
				'resourceTags',
				'waitForCompletion',
				'maxWait',
				'failOnNonZeroExitCode',
				'additionalFields',
			]),
		);
		expect(values(property('commandType', 'command', 'run'))).toEqual(
			expect.arrayContaining(['RunShellScript', 'RunPowerShellScript', 'RunBatScript']),
		);
		expect(names('getResults')).toEqual(
			expect.arrayContaining(['invokeId', 'instanceIds', 'waitForCompletion']),
		);
		expect(names('stop')).toEqual(expect.arrayContaining(['invokeId', 'instanceIds']));
		expect(names('sendFile')).toEqual(
			expect.arrayContaining([
				'instanceIds',
				'contentSource',
				'content',
				'binaryPropertyName',
				'fileName',
				'targetDir',
				'waitForCompletion',
				'failOnFailedTarget',
				'additionalFields',
			]),
		);
	});

	it('describes every parameter, so that an AI agent knows what to fill in', () => {
		const fields = node.description.properties.filter((p) =>
			p.displayOptions?.show?.resource?.includes('command'),
		);
		for (const field of fields) {
			if (field.name === 'operation') continue;
			expect([field.name, (field.description ?? '').length > 20]).toEqual([field.name, true]);
		}
	});
});

describe('node version 1.1: Get Many filters', () => {
	const filters = (resource: string) =>
		node.description.properties.find(
			(p) => p.name === 'filters' && p.displayOptions?.show?.resource?.includes(resource) === true,
		);
	const option = (resource: string, name: string) =>
		(filters(resource)?.options as INodeProperties[] | undefined)?.find((o) => o.name === name);

	it.each(['managedInstance', 'activation'])(
		'%s: Tags is a filter; the top-level Tags field stays, for version 1 workflows only',
		(resource) => {
			expect(option(resource, 'tags')?.type).toBe('fixedCollection');
			const topLevel = node.description.properties.find(
				(p) =>
					p.name === 'tags' &&
					p.displayOptions?.show?.resource?.includes(resource) === true &&
					p.displayOptions?.show?.operation?.includes('getAll') === true,
			);
			expect(topLevel?.displayOptions?.show?.['@version']).toEqual([1]);
		},
	);

	it('an added Connected filter defaults to Disconnected; "Any" stays a value for stored workflows', () => {
		const connected = option('managedInstance', 'connected');
		expect(connected?.default).toBe('false');
		expect(values(connected as INodeProperties)).toEqual(['any', 'true', 'false']);
	});

	it('keeps the names of the safety and status options', () => {
		const options = property('options').options as INodeProperties[];
		expect(options.map((o) => o.name)).toEqual(
			expect.arrayContaining([
				'allRegions',
				'dryRun',
				'includeAgentStatus',
				'maxDeregistrationsPerRun',
				'onlyIfOfflineForAtLeast',
				'succeedIfAlreadyDeregistered',
			]),
		);
		expect(option('managedInstance', 'offlineForAtLeast')?.type).toBe('number');
	});
});

describe('the AI tool variant (alibabaEcsTool)', () => {
	it('describes every field (a user writing $fromAI() hints for a model reads them), collections excepted', () => {
		const undescribed: string[] = [];
		const walk = (properties: INodeProperties[], path: string) => {
			for (const p of properties) {
				if (p.name === 'resource' || p.name === 'operation' || p.type === 'notice') continue;
				if (p.type !== 'collection' && (p.description ?? '').length < 15)
					undescribed.push(`${path}${p.name}`);
				if (p.type === 'collection') walk(p.options as INodeProperties[], `${path}${p.name}.`);
				if (p.type === 'fixedCollection') {
					for (const group of p.options as Array<{ name: string; values: INodeProperties[] }>)
						walk(group.values, `${path}${p.name}.${group.name}.`);
				}
			}
		};
		walk(node.description.properties, '');
		expect(undescribed).toEqual([]);
	});

	it('gives every operation an action, which n8n makes the tool description ("<action> in Alibaba Cloud ECS")', () => {
		for (const p of node.description.properties.filter((q) => q.name === 'operation')) {
			for (const option of p.options as Array<{ value: string; action?: string }>)
				expect([option.value, option.action]).toEqual([
					option.value,
					expect.stringMatching(/^[A-Z]\w+ .{8,}/),
				]);
		}
	});

	it('has Next Token on each Get Many, shown only as a tool and filled by the model by default', () => {
		for (const resource of ['managedInstance', 'activation']) {
			const nextToken = property('nextToken', resource, 'getAll');
			expect(nextToken.type).toBe('string');
			expect(nextToken.displayOptions?.show?.['@tool']).toEqual([true]);
			expect(nextToken.default).toMatch(
				/^=\{\{ \/\*n8n-auto-generated-fromAI-override\*\/ \$fromAI\('nextToken', `[^`]+`, 'string', ''\) \}\}$/,
			);
		}
	});
});

describe('credential "alibabaCloudAccessKeyApi"', () => {
	it('does not collide with the credential n8n ships (alibabaCloudApi)', () => {
		expect(credential.name).toBe('alibabaCloudAccessKeyApi');
		expect(credential.displayName).toBe('Alibaba Cloud AccessKey API');
	});

	it('keeps its field names, with secrets as password fields', () => {
		const fields = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(Object.keys(fields)).toEqual(
			expect.arrayContaining(['accessKeyId', 'accessKeySecret', 'securityToken', 'endpoint']),
		);
		expect(fields.accessKeySecret.typeOptions?.password).toBe(true);
		expect(fields.securityToken.typeOptions?.password).toBe(true);
		expect(fields.accessKeyId.typeOptions?.password).toBeFalsy();
	});
});

describe('node "alibabaEcsTrigger"', () => {
	let trigger: INodeType;

	beforeAll(async () => {
		trigger = (await EngineHarness.create()).nodeType(TRIGGER_NODE_TYPE);
	});

	const named = (name: string) => {
		const found = trigger.description.properties.filter((p) => p.name === name);
		expect(found).toHaveLength(1);
		return found[0];
	};

	it('keeps its type name, display name and version; a polling trigger, not an AI tool', () => {
		expect(trigger.description).toMatchObject({
			name: 'alibabaEcsTrigger',
			displayName: 'Alibaba Cloud ECS Trigger',
			version: 1,
			group: ['trigger'],
			polling: true,
			inputs: [],
		});
		expect(trigger.description.usableAsTool).toBeUndefined();
		expect(typeof trigger.poll).toBe('function');
		expect(trigger.description.credentials).toEqual(node.description.credentials);
	});

	it('keeps its parameter names and event values; n8n adds Poll Times', () => {
		expect(trigger.description.properties.map((p) => p.name)).toEqual([
			'pollTimes',
			'baselineNotice',
			'events',
			'offlineForAtLeast',
			'expiringWithin',
			'allRegions',
			'regionIds',
			'filters',
			'options',
		]);
		expect([...values(named('events'))].sort()).toEqual(
			[
				'instanceRegistered',
				'instanceDisconnected',
				'instanceReconnected',
				'instanceOffline',
				'instanceDeregistered',
				'activationUsedUp',
				'activationExpiring',
				'activationExpired',
			].sort(),
		);
		const optionNames = (name: string) =>
			(named(name).options as INodeProperties[]).map((o) => o.name).sort();
		expect(optionNames('filters')).toEqual(['instanceName', 'osType', 'resourceGroupId', 'tags']);
		expect(optionNames('options')).toEqual(['maxAttempts', 'timeout']);
		expect(named('offlineForAtLeast').default).toBe(24);
	});
});
