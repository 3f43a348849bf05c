import type { EcsOperation } from '../helpers/interfaces';
import * as activation from './activation/Activation.resource';
import * as command from './command/Command.resource';
import * as managedInstance from './managedInstance/ManagedInstance.resource';

/** Every operation, by resource and operation value (the names saved workflows store). */
export const operationsByResource: Record<string, Record<string, EcsOperation>> = {
	activation: activation.operations,
	command: command.operations,
	managedInstance: managedInstance.operations,
};
