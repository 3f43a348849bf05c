import type { EcsOperation } from '../../helpers/interfaces';
import { activationItem, toActivation } from '../../helpers/response';
import { validateActivationId } from '../../helpers/validation';
import { activationIdProperty } from '../common.descriptions';
import { findActivation } from './lookup';

/** DeleteActivation: only for a code that no server has been registered with. */
export const deleteActivation: EcsOperation<{ activationId: string }> = {
	description: [
		activationIdProperty(
			{ resource: ['activation'], operation: ['delete'] },
			'The activation code to delete. Alibaba Cloud only deletes a code that has never been used to register a server; disable a used code instead.',
		),
	],

	readInput(context, itemIndex) {
		return {
			activationId: validateActivationId(context.getNodeParameter('activationId', itemIndex)),
		};
	},

	async execute(api, { activationId }) {
		return await api.call(
			'DeleteActivation',
			{ ActivationId: activationId },
			{
				subject: `Activation ${activationId}`,
				parse: (body) =>
					activationItem(
						{ ...toActivation(body.Activation), RequestId: body.RequestId },
						api.regionId,
					),
				// Retry On Fail after a lost answer: a code that is gone was deleted by that request.
				reconcile: async () => {
					const { activation, requestId } = await findActivation(api, activationId);
					return activation
						? undefined
						: { ActivationId: activationId, AlreadyDeleted: true, RequestId: requestId };
				},
			},
		);
	},
};
