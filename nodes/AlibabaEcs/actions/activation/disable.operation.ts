import type { EcsOperation } from '../../helpers/interfaces';
import { activationItem, toActivation } from '../../helpers/response';
import { validateActivationId } from '../../helpers/validation';
import { activationIdProperty } from '../common.descriptions';
import { findActivation } from './lookup';

/**
 * DisableActivation: the code can no longer register servers. There is no
 * enable API, so this cannot be undone; registered instances stay registered.
 */
export const disable: EcsOperation<{ activationId: string }> = {
	description: [
		activationIdProperty(
			{ resource: ['activation'], operation: ['disable'] },
			'The activation code to disable. This cannot be undone (there is no enable operation); servers already registered with it stay registered.',
		),
	],

	readInput(context, itemIndex) {
		return {
			activationId: validateActivationId(context.getNodeParameter('activationId', itemIndex)),
		};
	},

	async execute(api, { activationId }) {
		return await api.call(
			'DisableActivation',
			{ ActivationId: activationId },
			{
				subject: `Activation ${activationId}`,
				parse: (body) =>
					activationItem(
						{ ...toActivation(body.Activation), RequestId: body.RequestId },
						api.regionId,
					),
				// Retry On Fail after a lost answer: a disabled code is what that request left.
				reconcile: async () => {
					const { activation, requestId } = await findActivation(api, activationId);
					return activation?.Disabled === true
						? { ...activation, RequestId: requestId }
						: undefined;
				},
			},
		);
	},
};
