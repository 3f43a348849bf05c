import { disabledActivationWire } from '../model';
import { ECS_VERSION, findActivation, requireRegion, type ActionSpec } from './context';

/** There is no EnableActivation: a disabled code stays disabled; disabling again is harmless. */
export const disableActivation: ActionSpec = {
	action: 'DisableActivation',
	version: ECS_VERSION,
	forbiddable: true,
	handle(ctx) {
		const activation = findActivation(ctx, requireRegion(ctx));
		activation.Disabled = true;
		return { Activation: disabledActivationWire(activation) };
	},
};
