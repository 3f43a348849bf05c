import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { asList, asObject } from '../helpers/response';
import { FALLBACK_REGION, connect } from '../transport';
import { loadError } from './loadError';

/** The account's regions from DescribeRegions, shown as "LocalName (RegionId)". */
export async function getRegions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const { credentials, transport } = await connect(this);
		const regions = await transport.call(
			credentials.defaultRegionId ?? FALLBACK_REGION,
			'DescribeRegions',
			// n8n's editor speaks English; the API's default names are Chinese.
			{ AcceptLanguage: 'en-US' },
			{
				parse: (body) =>
					asList(asObject(body.Regions, 'Regions').Region, 'Regions.Region').map((raw, index) => {
						const region = asObject(raw, `Regions.Region[${index}]`);
						const id = String(region.RegionId);
						const local =
							typeof region.LocalName === 'string' && region.LocalName !== ''
								? region.LocalName
								: id;
						return { name: `${local} (${id})`, value: id };
					}),
			},
		);
		return regions.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw loadError(this, error);
	}
}
