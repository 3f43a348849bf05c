import type { INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { asList, toManagedInstance } from '../../helpers/response';
import { validateManagedInstanceId } from '../../helpers/validation';
import { NotFoundError } from '../../transport/errors';
import { instanceIdLocator } from '../common.descriptions';

const show = { resource: ['managedInstance'], operation: ['get'] };

const description: INodeProperties[] = [instanceIdLocator(show)];

/** One managed instance by ID (DescribeManagedInstances with InstanceId.1); absent is an error. */
export const get: EcsOperation<{ instanceId: string }> = {
	description,

	readInput(context, itemIndex) {
		const value = context.getNodeParameter('instanceId', itemIndex, undefined, {
			extractValue: true,
		});
		return { instanceId: validateManagedInstanceId(value) };
	},

	async execute(api, { instanceId }) {
		const subject = `Managed instance ${instanceId}`;
		const { instance, requestId } = await api.call(
			'DescribeManagedInstances',
			{ InstanceId: [instanceId] },
			{
				subject,
				parse: (body) => {
					const found = asList(body.Instances, 'Instances')
						.map((raw, index) => toManagedInstance(raw, `Instances[${index}]`))
						.find((candidate) => candidate.InstanceId === instanceId);
					return { instance: found, requestId: body.RequestId as string | undefined };
				},
			},
		);
		if (!instance) throw new NotFoundError(subject, api.regionId, requestId);
		return instance;
	},
};
