import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport';
import { readCredentials } from '../transport/credentials';
import { MANAGED_INSTANCE_REGIONS } from '../transport/regions';

/** The Region field's value meaning "the credential's Default Region ID" (what routing does with ""). */
const CREDENTIAL_DEFAULT_REGION = '';

/** The credential's default region, or undefined when there is none or it cannot be read. */
async function defaultRegionOf(context: ILoadOptionsFunctions): Promise<string | undefined> {
	try {
		return readCredentials(await context.getCredentials(CREDENTIAL_TYPE)).defaultRegionId;
	} catch {
		// No credential chosen yet, or one with a bad field: the list is still useful.
		return undefined;
	}
}

/**
 * The Region dropdown: an explicit "Credential's Default Region" entry (value "", so that the
 * empty default is a valid choice in the editor instead of "The value "" is not supported!"),
 * then the 16 regions where managed instances exist (transport/regions.ts), as
 * "LocalName (RegionId)", by name. No request is sent: DescribeRegions lists every ECS region, most of
 * which have no managed instances. A region outside the list can still be set by expression.
 */
export async function getRegions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const fallback = await defaultRegionOf(this);
	const named = MANAGED_INSTANCE_REGIONS.find((r) => r.RegionId === fallback);
	const current = fallback
		? `: ${named ? `${named.LocalName} (${fallback})` : fallback}`
		: ': none set';
	return [
		{
			name: `Credential's Default Region${current}`,
			value: CREDENTIAL_DEFAULT_REGION,
			description:
				'The Default Region ID of the credential; without one, every item must name a region',
		},
		...MANAGED_INSTANCE_REGIONS.map((region) => ({
			name: `${region.LocalName} (${region.RegionId})`,
			value: region.RegionId,
		})).sort((a, b) => a.name.localeCompare(b.name)),
	];
}
