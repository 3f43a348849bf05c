import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { tagsProperty } from '../common.descriptions';

type Show = NonNullable<IDisplayOptions['show']>;

/** Default and largest Max Wait, in seconds. */
export const DEFAULT_MAX_WAIT_SECONDS = 600;
export const MAX_WAIT_SECONDS = 86_400;

/** Instance IDs as a comma-separated list (or a list from an expression). */
export function instanceIdsProperty(
	show: Show,
	options: { required: boolean; max: number; description: string },
): INodeProperties {
	return {
		displayName: 'Instance IDs',
		name: 'instanceIds',
		type: 'string',
		required: options.required,
		default: '',
		placeholder: 'mi-hz01axdfas0001, mi-hz01axdfas0002',
		description: `${options.description} Comma-separated managed instance IDs (mi-…), up to ${options.max}, or a list from an expression`,
		displayOptions: { show },
	};
}

export function invokeIdProperty(show: Show, description: string): INodeProperties {
	return {
		displayName: 'Invoke ID',
		name: 'invokeId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 't-hz0jdfwd9f0001',
		description,
		displayOptions: { show },
	};
}

/**
 * Wait for Completion, Max Wait and the option that turns failed instances into errors. The
 * polling schedule is in helpers/waiting.ts.
 */
export function waitProperties(
	show: Show,
	options: {
		waitByDefault: boolean;
		what: string;
		failName: string;
		failDisplayName: string;
		failDescription: string;
	},
): INodeProperties[] {
	const whenWaiting = { show: { ...show, waitForCompletion: [true] } };
	const waitForCompletion: INodeProperties = {
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: `Whether to wait until ${options.what} has finished on every instance (or Max Wait has passed) and output one item per instance. Otherwise one item with the Invoke ID is output at once; read the results later with Get Results.`,
		displayOptions: { show },
	};
	return [
		{ ...waitForCompletion, default: options.waitByDefault },
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_WAIT_SECONDS },
			default: DEFAULT_MAX_WAIT_SECONDS,
			description:
				'How long to wait at most, in seconds. Results are checked after 1, 2, 4, 6, 10, 14, 22, 30, 45 and 60 seconds, then every 30 seconds, with one request per check however many instances there are (10 minutes: at most 28 checks). Instances still busy at the end are output with their current status (e.g. Running).',
			displayOptions: whenWaiting,
		},
		{
			displayName: options.failDisplayName,
			name: options.failName,
			type: 'boolean',
			default: false,
			description: options.failDescription,
			displayOptions: whenWaiting,
		},
	];
}

/** Tags that select the target instances (RunCommand ResourceTag.N). */
export function resourceTagsProperty(show: Show): INodeProperties {
	return tagsProperty(
		show,
		'Run on every managed instance of the region that has all of these tags (up to 10 tags, and at most 100 matching instances)',
		false,
		'resourceTags',
	);
}

/** The Additional Fields collection of an operation, with its Description (up to 512 characters). */
export function additionalFieldsProperty(
	show: Show,
	what: string,
	options: INodeProperties[],
): INodeProperties {
	const description: INodeProperties = {
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: `A description of the ${what} (up to 512 characters)`,
	};
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: `Optional settings of the ${what}; leave empty for Alibaba Cloud's defaults`,
		displayOptions: { show },
		options: [...options, description].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
