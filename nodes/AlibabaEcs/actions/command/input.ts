import type { IExecuteFunctions } from 'n8n-workflow';

import {
	InputError,
	booleanValue,
	integerInRange,
	validateInstanceIdList,
} from '../../helpers/validation';
import { MAX_WAIT_SECONDS } from './descriptions';

/** How an operation waits, or undefined when it does not. */
export interface WaitInput {
	maxWaitMs: number;
	/** Whether an instance that did not succeed becomes an error item. */
	failOnFailure: boolean;
	signal?: AbortSignal;
}

/** Managed instance IDs, without repeats, checked one by one (at most `max`). */
export function readInstanceIds(
	value: unknown,
	options: { max: number; required: boolean },
	field = 'Instance IDs',
): string[] {
	const ids = [...new Set(validateInstanceIdList(value, field, Number.MAX_SAFE_INTEGER))];
	if (ids.length > options.max) {
		throw new InputError(
			field,
			`${field} can hold at most ${options.max} instances in one request, but has ${ids.length}`,
			'Split the instances over several items (one request each), e.g. with the Loop Over Items node.',
		);
	}
	if (options.required && ids.length === 0) {
		throw new InputError(
			field,
			`${field} is empty`,
			'Enter managed instance IDs such as mi-hz01axdfas0001.',
		);
	}
	return ids;
}

/** Wait for Completion, Max Wait and the failure option of one item. */
export function readWait(
	context: IExecuteFunctions,
	itemIndex: number,
	failName: string,
	failField: string,
): WaitInput | undefined {
	const wait = booleanValue(
		context.getNodeParameter('waitForCompletion', itemIndex),
		'Wait for Completion',
	);
	if (!wait) return undefined;
	const maxWait = integerInRange(
		context.getNodeParameter('maxWait', itemIndex),
		'Max Wait (Seconds)',
		{
			min: 1,
			max: MAX_WAIT_SECONDS,
		},
	);
	return {
		maxWaitMs: maxWait * 1000,
		failOnFailure: booleanValue(context.getNodeParameter(failName, itemIndex, false), failField),
		signal: context.getExecutionCancelSignal(),
	};
}

/** Optional text up to `max` characters; undefined when empty. Never echoes the value. */
export function optionalLimitedText(
	value: unknown,
	field: string,
	max: number,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') {
		throw new InputError(field, `${field} must be text`);
	}
	if (value.length > max) {
		throw new InputError(
			field,
			`${field} can be at most ${max} characters long, but has ${value.length}`,
		);
	}
	return value;
}
