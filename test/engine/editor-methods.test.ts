/**
 * What the editor calls while a user fills the node: the Region dropdown
 * (loadOptions) and the Instance "From List" search (listSearch), through
 * n8n-core's real LoadOptionsContext and the stored, encrypted credential.
 */
import type { INode, INodeParameters } from 'n8n-workflow';

import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import { MANAGED_INSTANCE_REGION_IDS } from '../../nodes/AlibabaEcs/transport/regions';
import { FIXTURE_CREDENTIAL_ID } from './fixtures';
import { NODE_TYPE } from './harness';
import { useEngine } from './setup';

const t = useEngine({ seed: 3 });

function node(parameters: INodeParameters): INode {
	return {
		id: 'editor-node',
		name: 'ECS',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: {
			alibabaCloudAccessKeyApi: { id: FIXTURE_CREDENTIAL_ID, name: 'Alibaba Cloud (test)' },
		},
	};
}

function methods() {
	return t.harness.nodeType().methods!;
}

/** The fixture credential, with a Default Region ID. */
function useDefaultRegion(defaultRegionId: string) {
	t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint: t.fake.url,
		defaultRegionId,
	});
}

describe('Region dropdown', () => {
	const regions = async (parameters: INodeParameters = {}) =>
		await methods().loadOptions!.getRegions.call(t.harness.loadOptionsContext(node(parameters)));

	it("offers the credential's default region as a valid empty choice, then the 16 managed-instance regions by name, without a request", async () => {
		useDefaultRegion('cn-beijing');
		const options = await regions({ resource: 'managedInstance', operation: 'getAll' });
		expect(options[0]).toEqual({
			name: "Credential's Default Region: China (Beijing) (cn-beijing)",
			value: '',
			description: expect.stringMatching(/Default Region ID of the credential/),
		});
		const listed = options.slice(1);
		expect(listed.map((o) => o.value).sort()).toEqual([...MANAGED_INSTANCE_REGION_IDS].sort());
		expect(listed.map((o) => o.value)).not.toContain('eu-central-1');
		expect(listed.every((o) => new RegExp(`\\(${String(o.value)}\\)$`).test(o.name))).toBe(true);
		expect(listed.map((o) => o.name)).toEqual(
			[...listed.map((o) => o.name)].sort((a, b) => a.localeCompare(b)),
		);
		expect(listed).toContainEqual({ name: 'China (Hangzhou) (cn-hangzhou)', value: 'cn-hangzhou' });
		expect(t.fake.requests).toEqual([]);
	});

	it('still lists the regions when the credential has no default region or cannot be read', async () => {
		expect((await regions())[0].name).toBe("Credential's Default Region: none set");
		t.harness.storeCredential(FIXTURE_CREDENTIAL_ID, {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: 'wrong',
			endpoint: 'http://ecs.example.com',
		});
		const options = await regions();
		expect(options).toHaveLength(17);
		expect(options[0]).toMatchObject({ value: '', name: "Credential's Default Region: none set" });
		expect(t.fake.requests).toEqual([]);
	});
});

describe('Instance "From List" search', () => {
	beforeEach(() => {
		t.fake.state.addInstance({
			InstanceId: 'mi-web00000001',
			RegionId: 'cn-beijing',
			InstanceName: 'web-01',
			Connected: true,
		});
		t.fake.state.addInstance({
			InstanceId: 'mi-db000000001',
			RegionId: 'cn-beijing',
			InstanceName: 'db-01',
			Connected: false,
		});
	});

	it('lists the instances of the selected region with name, ID and connection state', async () => {
		const context = t.harness.loadOptionsContext(
			node({ regionId: 'cn-beijing' }),
			'parameters.instanceId',
		);
		const result = await methods().listSearch!.searchManagedInstances.call(context);
		expect(result.results).toEqual(
			expect.arrayContaining([
				{ name: 'web-01 (mi-web00000001) · connected', value: 'mi-web00000001' },
				{ name: 'db-01 (mi-db000000001) · disconnected', value: 'mi-db000000001' },
			]),
		);
		expect(result.results).toHaveLength(2);
		expect(t.fake.requests[0].params).toMatchObject({ RegionId: 'cn-beijing', MaxResults: '50' });
	});

	it('filters by what the user types', async () => {
		const context = t.harness.loadOptionsContext(
			node({ regionId: 'cn-beijing' }),
			'parameters.instanceId',
		);
		const result = await methods().listSearch!.searchManagedInstances.call(context, 'WEB');
		expect(result.results.map((r) => r.value)).toEqual(['mi-web00000001']);
	});

	it('pages with the API NextToken', async () => {
		t.fake.state.addInstances(70, { RegionId: 'us-east-1' });
		const context = t.harness.loadOptionsContext(
			node({ regionId: 'us-east-1' }),
			'parameters.instanceId',
		);
		const first = await methods().listSearch!.searchManagedInstances.call(context);
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await methods().listSearch!.searchManagedInstances.call(
			context,
			undefined,
			first.paginationToken as string,
		);
		expect(second.results).toHaveLength(20);
		expect(second.paginationToken).toBeUndefined();
		const all = [...first.results, ...second.results].map((r) => r.value);
		expect(new Set(all).size).toBe(70);
	});

	it('asks for a region when none is selected and the credential has no default', async () => {
		const context = t.harness.loadOptionsContext(node({}), 'parameters.instanceId');
		await expect(methods().listSearch!.searchManagedInstances.call(context)).rejects.toThrow(
			/^Select a Region ID first/,
		);
		expect(t.fake.requests).toEqual([]);
	});

	it("uses the credential's default region when the node has none", async () => {
		useDefaultRegion('cn-beijing');
		const context = t.harness.loadOptionsContext(node({}), 'parameters.instanceId');
		const result = await methods().listSearch!.searchManagedInstances.call(context);
		expect(result.results).toHaveLength(2);
	});
});
