/**
 * The floor for any node that deregisters managed instances in n8n: reads the
 * two parameters per item, makes the same SDK call as the package's transport
 * (callApi, DeregisterManagedInstance) with the same concurrency, and outputs
 * the Instance. No validation, no idempotency token, no retries, no error
 * mapping, no response checks. Registered as `bench.minimalDeregister`; it takes
 * the same parameters (regionId, instanceId as a resource locator) and the same
 * credential as the real node, so a workflow switches by changing the type.
 */
import Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import { RuntimeOptions } from '@darabonba/typescript';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { forEachIndex } from '../lib/pool';
import { rpcParams } from '../lib/raw-sdk';

export const MINIMAL_NODE_TYPE = 'bench.minimalDeregister';

const clients = new Map<string, Ecs>();

function clientFor(credentials: IDataObject, regionId: string): Ecs {
	const endpoint = new URL(String(credentials.endpoint));
	const key = `${String(credentials.accessKeyId)}|${endpoint.host}|${regionId}`;
	let client = clients.get(key);
	if (!client) {
		client = new Ecs(
			new $OpenApiUtil.Config({
				accessKeyId: String(credentials.accessKeyId),
				accessKeySecret: String(credentials.accessKeySecret),
				endpoint: endpoint.host,
				protocol: endpoint.protocol === 'http:' ? 'HTTP' : 'HTTPS',
				regionId,
			}),
		);
		clients.set(key, client);
	}
	return client;
}

const params = rpcParams('DeregisterManagedInstance');

export class MinimalDeregister implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Minimal Deregister (bench)',
		name: 'minimalDeregister',
		group: ['transform'],
		version: 1,
		description: 'The least a deregister node can do',
		defaults: { name: 'Minimal Deregister' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'alibabaCloudAccessKeyApi', required: true }],
		properties: [
			{ displayName: 'Region ID', name: 'regionId', type: 'string', default: '' },
			{
				displayName: 'Instance',
				name: 'instanceId',
				type: 'resourceLocator',
				default: { mode: 'id', value: '' },
				modes: [{ displayName: 'By ID', name: 'id', type: 'string' }],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Concurrent Requests', name: 'concurrency', type: 'number', default: 10 },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentials = await this.getCredentials('alibabaCloudAccessKeyApi');
		const concurrency = Number(
			(this.getNodeParameter('options', 0, {}) as IDataObject).concurrency ?? 10,
		);
		const inputs = items.map((_item, i) => ({
			regionId: this.getNodeParameter('regionId', i) as string,
			instanceId: this.getNodeParameter('instanceId', i, undefined, {
				extractValue: true,
			}) as string,
		}));
		const output: INodeExecutionData[] = new Array(items.length);
		await forEachIndex(items.length, concurrency, async (i) => {
			const { regionId, instanceId } = inputs[i];
			const result = (await clientFor(credentials, regionId).callApi(
				params,
				new $OpenApiUtil.OpenApiRequest({
					query: OpenApiUtil.query({ RegionId: regionId, InstanceId: instanceId }),
				}),
				new RuntimeOptions({}),
			)) as { body: IDataObject };
			output[i] = { json: result.body.Instance as IDataObject, pairedItem: { item: i } };
		});
		return [output];
	}
}
