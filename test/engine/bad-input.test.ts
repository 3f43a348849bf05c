/**
 * A corpus of bad input for every operation: each case is refused with a clear
 * error naming the item and the field, and no request reaches the endpoint.
 * Values arrive through expressions, as they do from upstream nodes.
 */
import type { IDataObject } from 'n8n-workflow';

import { workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine();

type Case = [field: string, value: unknown];

/** Region IDs become host names: nothing that could change a host gets through. */
const badRegions: Case[] = [
	['Region ID', '   '],
	['Region ID', 'cn-hangzhou.evil.example'],
	['Region ID', 'cn-hangzhou/..'],
	['Region ID', 'cn-hangzhou:8080'],
	['Region ID', 'user@cn-hangzhou'],
	['Region ID', 'cn-hangzhou?Action=DeleteInstance'],
	['Region ID', 'cn-hangzhou#x'],
	['Region ID', 'cn-hangzhou%2e'],
	['Region ID', 'cn_hangzhou'],
	['Region ID', 'cn hangzhou'],
	['Region ID', '中国-杭州'],
	['Region ID', 'ｃｎ-hangzhou'],
	['Region ID', 'cn-hangzhou\u0000'],
	['Region ID', 'a'.repeat(41)],
	['Region ID', 42],
	['Region ID', ['cn-hangzhou']],
	['Region ID', { id: 'cn-hangzhou' }],
	['Region ID', true],
];

const badInstanceIds: Case[] = [
	['Instance ID', ''],
	['Instance ID', '   '],
	['Instance ID', 'i-bp1h6ntgnhykgtyd1rmw'],
	['Instance ID', 'mi-1&Action=DeleteInstance'],
	['Instance ID', 'mi-'],
	['Instance ID', 'MI-ABC123'],
	['Instance ID', 'mi-abc/../x'],
	['Instance ID', 'mi-abc def'],
	['Instance ID', `mi-${'a'.repeat(61)}`],
	['Instance ID', 'mi-hz01axdfas****'],
	['Instance ID', 'mi-ąbc'],
	['Instance ID', '🙂'],
	['Instance ID', 'mi-abc,mi-def'],
	['Instance ID', 'mi-abc\n1'],
	['Instance ID', 12345],
	['Instance ID', ['mi-abc']],
	['Instance ID', { id: 'mi-abc' }],
	['Instance ID', false],
];

const badActivationIds: Case[] = [
	['Activation ID', ''],
	['Activation ID', 'mi-hz01axdfas0001'],
	['Activation ID', 'abc'],
	['Activation ID', 'x'.repeat(65)],
	['Activation ID', '4ECEEE12&Action=DeleteActivation'],
	['Activation ID', '<script>alert(1)</script>'],
	['Activation ID', '4ECEEE12 56F1 4FBC'],
	['Activation ID', '-4ECEEE12-56F1-4FBC'],
	['Activation ID', '4ECEEE12-56F1/../x'],
	['Activation ID', 'ÄCEEE12-56F1-4FBC-9AB1'],
	['Activation ID', 7],
	['Activation ID', ['4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD']],
	['Activation ID', {}],
];

const input = (field: string, value: unknown): IDataObject => {
	const key = {
		'Region ID': 'region',
		'Instance ID': 'instanceId',
		'Activation ID': 'activationId',
		'New Instance Name': 'name',
		'Instance Count': 'instanceCount',
		'Time to Live (Hours)': 'ttl',
		'Instance Name': 'instanceName',
		Description: 'description',
		'IP Address Range': 'ipAddressRange',
		Limit: 'limit',
		'Instance IDs': 'instanceIds',
		'Resource Group ID': 'resourceGroupId',
		'Instance IP': 'instanceIp',
	}[field];
	if (!key) throw new Error(`no input key for ${field}`);
	return {
		region: 'cn-hangzhou',
		instanceId: 'mi-hz01axdfas0001',
		activationId: '4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD',
		name: 'ok-name',
		[key]: value as IDataObject[string],
	};
};

const corpus: Record<string, Case[]> = {
	deregister: [...badRegions, ...badInstanceIds],
	'instance-get': [...badRegions, ...badInstanceIds],
	'instance-rename': [
		...badRegions,
		...badInstanceIds,
		['New Instance Name', 'x'],
		['New Instance Name', 'y'.repeat(129)],
		['New Instance Name', '  '],
		['New Instance Name', 12],
		['New Instance Name', { name: 'web' }],
		// ModifyManagedInstance: starts with a letter; letters, digits, . _ - : only; no http://
		['New Instance Name', '1web'],
		['New Instance Name', '-web'],
		['New Instance Name', 'web server'],
		['New Instance Name', 'web/01'],
		['New Instance Name', 'http://web'],
	],
	'instance-get-many': [
		...badRegions,
		['Limit', 0],
		['Limit', -5],
		['Limit', 2.5],
		['Limit', 'ten'],
		['Limit', [10]],
		['Instance IDs', 'MI-ABC'],
		['Instance IDs', 'mi-ok1, i-bp1notmanaged'],
		['Instance IDs', Array.from({ length: 51 }, (_, i) => `mi-${i}`).join(',')],
		['Instance IDs', 'mi-1&x=y'],
		['Resource Group ID', 'group-1'],
		['Resource Group ID', 'rg-UPPER'],
		['Instance IP', 'x'.repeat(65)],
		['Instance Name', 'n'.repeat(129)],
	],
	'activation-create': [
		...badRegions,
		['Instance Count', 0],
		['Instance Count', 1001],
		['Instance Count', 1.5],
		['Instance Count', 'many'],
		['Time to Live (Hours)', 0],
		['Time to Live (Hours)', -1],
		['Instance Name', '1web'],
		['Instance Name', 'w'],
		['Instance Name', 'w'.repeat(51)],
		['Instance Name', 'https://web'],
		['Instance Name', 'web server'],
		['Description', 'd'.repeat(101)],
		['IP Address Range', '300.1.1.1'],
		['IP Address Range', '10.0.0.0/33'],
		['IP Address Range', '10.0.0.0/8/8'],
		['IP Address Range', 'example.com'],
		['IP Address Range', '2001:db8::/129'],
	],
	'activation-disable': [...badRegions, ...badActivationIds],
	'activation-delete': [...badRegions, ...badActivationIds],
};

for (const [fixture, cases] of Object.entries(corpus)) {
	describe(fixture, () => {
		it(`has at least 30 cases`, () => expect(cases.length).toBeGreaterThanOrEqual(30));

		it.each(cases)(
			'refuses %s = %j, naming the item and the field, before any request',
			async (field, value) => {
				const result = await t.harness.run(workflowFixture(fixture), [input(field, value)]);
				const message = result.error?.message ?? result.items('ECS')[0]?.json.error;
				expect(message).toMatch(new RegExp(`^Item 0: ${field.replace(/[()]/g, '\\$&')}[ "]`));
				expect(t.fake.requests).toEqual([]);
			},
		);
	});
}

describe('documented limits of tags (Tag.N.Key up to 64 characters, no aliyun/acs: prefix, no URL)', () => {
	const tagged = (tagKey: string, tagValue: string) =>
		t.harness.run(workflowFixture('instance-get-many-tagged'), [
			{ region: 'cn-hangzhou', tagKey, tagValue },
		]);

	it.each([
		['k'.repeat(65), 'v', /^Item 0: Tags 1 key must be 1 to 64 characters long, but has 65$/],
		['aliyun-team', 'v', /^Item 0: Tags 1 key "aliyun-team" is not allowed/],
		['ACS:team', 'v', /^Item 0: Tags 1 key "ACS:team" is not allowed/],
		['see-https://x', 'v', /^Item 0: Tags 1 key "see-https:\/\/x" is not allowed/],
		['team', 'http://wiki', /^Item 0: Tags 1 value "http:\/\/wiki" is not allowed/],
		['team', 'v'.repeat(129), /^Item 0: Tags 1 value must be 0 to 128 characters long/],
	])('refuses key %j value %j before any request', async (key, value, message) => {
		const result = await tagged(key, value);
		expect(result.error?.message).toMatch(message);
		expect(t.fake.requests).toEqual([]);
	});

	it('sends a 64-character key, and a filter with an empty value by key only (the value is not sent)', async () => {
		t.fake.state.addInstance({ InstanceId: 'mi-tagged000001', Tags: { team: 'a' } });
		t.fake.state.addInstance({ InstanceId: 'mi-tagged000002', Tags: { team: 'b' } });
		const byKey = await tagged('team', '');
		expect(
			byKey
				.json('ECS')
				.map((i) => i.InstanceId)
				.sort(),
		).toEqual(['mi-tagged000001', 'mi-tagged000002']);
		expect(t.fake.requests[0].params).toMatchObject({ 'Tag.1.Key': 'team' });
		expect(t.fake.requests[0].params).not.toHaveProperty('Tag.1.Value');
		const long = await tagged('k'.repeat(64), 'v');
		expect(long.error).toBeUndefined();
		expect(t.fake.requests[1].params['Tag.1.Key']).toHaveLength(64);
	});
});

describe('limits where sources disagree: Alibaba Cloud decides, and its refusal is explained', () => {
	it('Time to Live 24 hours is sent; the API refuses it (ActivationTTL.ExceedLimit) and the node says what to do', async () => {
		const result = await t.harness.run(workflowFixture('activation-create'), [
			{ region: 'cn-hangzhou', ttl: 24 },
		]);
		expect(t.fake.requests[0].params.TimeToLiveInHours).toBe('24');
		expect(result.error?.message).toMatch(
			/^Time to Live is over the limit Alibaba Cloud allows: The specified parameter TimeToLiveInHours exceeds the limit of 4\. \(ActivationTTL\.ExceedLimit, request [0-9A-F-]{36}\)$/,
		);
		expect(result.error?.description).toMatch(/4 always works/);
	});
});
