import type { IDataObject } from 'n8n-workflow';

import type { RegionApi } from '../../helpers/interfaces';
import { asList, toActivation } from '../../helpers/response';

/**
 * One activation code as DescribeActivations (ActivationId filter) lists it now, with that
 * request's ID; `activation` is undefined when the region has no such code (deleted, or never
 * there). Used to settle a Disable or Delete whose answer was lost (transport/writeJournal.ts).
 */
export async function findActivation(
	api: RegionApi,
	activationId: string,
): Promise<{ activation?: IDataObject; requestId?: string }> {
	return await api.call(
		'DescribeActivations',
		{ ActivationId: activationId, MaxResults: 50 },
		{
			subject: `Activation ${activationId}`,
			parse: (body) => ({
				activation: asList(body.ActivationList, 'ActivationList')
					.map((raw) => toActivation(raw, 'ActivationList'))
					.find((candidate) => candidate.ActivationId === activationId),
				requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined,
			}),
		},
	);
}
