import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../helpers/paging';
import { asList, nextTokenOf, toManagedInstance } from '../helpers/response';
import { InputError, validateRegionId } from '../helpers/validation';
import { connect } from '../transport';
import { loadError } from './loadError';

function currentRegion(context: ILoadOptionsFunctions, fallback: string | undefined): string {
	const value = context.getCurrentNodeParameter('regionId');
	if (typeof value === 'string' && value !== '' && !value.startsWith('='))
		return validateRegionId(value);
	if (fallback) return fallback;
	throw new InputError(
		'Region ID',
		'Select a Region ID first (or set a default region in the credential) to list its managed instances',
	);
}

function matches(instance: IDataObject, filter: string): boolean {
	const needle = filter.toLowerCase();
	return ['InstanceName', 'InstanceId', 'Hostname', 'InternetIp', 'IntranetIp'].some((field) =>
		String(instance[field] ?? '')
			.toLowerCase()
			.includes(needle),
	);
}

/**
 * The "From List" mode of the Instance field: one page of managed instances of
 * the selected region, "name (ID) · connected", filtered by name, ID, host name
 * or IP; more pages on demand.
 */
export async function searchManagedInstances(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	try {
		const { credentials, transport } = await connect(this);
		const regionId = currentRegion(this, credentials.defaultRegionId);
		const page = await transport.call(
			regionId,
			'DescribeManagedInstances',
			{ NextToken: paginationToken || undefined, MaxResults: MAX_PAGE_SIZE },
			{
				parse: (body) => ({
					instances: asList(body.Instances, 'Instances').map((raw, index) =>
						toManagedInstance(raw, `Instances[${index}]`),
					),
					nextToken: nextTokenOf(body),
				}),
			},
		);
		const wanted = filter?.trim()
			? page.instances.filter((i) => matches(i, filter.trim()))
			: page.instances;
		return {
			results: wanted.map((instance) => ({
				name: `${String(instance.InstanceName || instance.Hostname || instance.InstanceId)} (${String(instance.InstanceId)}) · ${instance.Connected === false ? 'disconnected' : 'connected'}`,
				value: String(instance.InstanceId),
			})),
			paginationToken: page.nextToken,
		};
	} catch (error) {
		throw loadError(this, error);
	}
}
