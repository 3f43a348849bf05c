import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';

import {
	ECS_INSTANCE_ID_HINT,
	InputError,
	TAG_LIMITS,
	type TagPair,
	validateTags,
} from '../helpers/validation';

type Show = NonNullable<IDisplayOptions['show']>;

/**
 * The managed-instance filters that Get Many and the trigger share (DescribeManagedInstances
 * InstanceName, OsType, ResourceGroupId), in the order n8n's lint wants; read by
 * readInstanceFilters (helpers/validation.ts).
 */
export const sharedInstanceFilterOptions: Record<
	'instanceName' | 'osType' | 'resourceGroupId',
	INodeProperties
> = {
	instanceName: {
		displayName: 'Instance Name',
		name: 'instanceName',
		type: 'string',
		default: '',
		description: 'Only instances with this name',
	},
	osType: {
		displayName: 'OS Type',
		name: 'osType',
		type: 'options',
		default: 'any',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'FreeBSD', value: 'FreeBSD' },
			{ name: 'Linux', value: 'linux' },
			{ name: 'Windows', value: 'windows' },
		],
		description: 'Only instances with this operating system type',
	},
	resourceGroupId: {
		displayName: 'Resource Group ID',
		name: 'resourceGroupId',
		type: 'string',
		default: '',
		description: 'Only instances in this resource group (rg-…)',
	},
};

/** Shown for every operation: each item's calls go to this region. */
export const regionIdProperty: INodeProperties = {
	displayName: 'Region Name or ID',
	name: 'regionId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getRegions' },
	default: '',
	description:
		'The region the managed instances or activation codes belong to, e.g. cn-hangzhou; they are only visible in their own region. The list holds the regions where managed instances exist, and "Credential\'s Default Region" uses the Default Region ID of the credential. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** The By ID field's message for an ECS instance ID (i-…); the run-time error says the same. */
const ECS_INSTANCE_ID_EXPLANATION = `An ECS instance ID (i-…), not a managed instance ID. ${ECS_INSTANCE_ID_HINT}`;

/** A managed instance: picked from a searchable list, or typed by ID (mi-…). */
export function instanceIdLocator(show: Show): INodeProperties {
	return {
		displayName: 'Instance',
		name: 'instanceId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description:
			'The managed instance: a server registered with Cloud Assistant, whose ID starts with "mi-"',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a managed instance...',
				typeOptions: {
					searchListMethod: 'searchManagedInstances',
					searchable: true,
					searchFilterRequired: false,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'mi-hz01axdfas0001',
				// n8n's editor shows the message of every rule that fails (n8n-workflow
				// validateResourceLocatorParameter, each regex anchored as ^…$): an ECS ID (i-…)
				// fails only the first rule and gets the explanation the node gives at run time
				// (helpers/validation.ts); any other wrong value fails only the second.
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '(?!\\s*i-[0-9a-z]+\\s*$)[\\s\\S]*',
							errorMessage: ECS_INSTANCE_ID_EXPLANATION,
						},
					},
					{
						type: 'regex',
						properties: {
							regex: '\\s*(?:mi-[0-9a-z]{1,60}|i-[0-9a-z]+)\\s*',
							errorMessage:
								'Not a managed instance ID: it starts with "mi-" followed by lower-case letters and digits',
						},
					},
				],
			},
		],
	};
}

export function activationIdProperty(show: Show, description: string): INodeProperties {
	return {
		displayName: 'Activation ID',
		name: 'activationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD',
		description,
		displayOptions: { show },
	};
}

/**
 * Tags (up to 20): for Create, the tags to attach; for Get Many, filters, where an empty value
 * matches the key with any value (`filter`). Limits: helpers/validation.ts TAG_LIMITS. `name`:
 * the parameter's name (Run's targets are `resourceTags`).
 */
export function tagsProperty(
	show: Show,
	description: string,
	filter = false,
	name = 'tags',
): INodeProperties {
	return { ...tagsCollection(description, filter, name), displayOptions: { show } };
}

/** Tags as an option of a Filters collection (Get Many, node version 1.1 on). */
export function tagsFilterOption(description: string): INodeProperties {
	return tagsCollection(description, true, 'tags');
}

function tagsCollection(description: string, filter: boolean, name: string): INodeProperties {
	return {
		displayName: 'Tags',
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Tag',
		default: {},
		description,
		options: [
			{
				displayName: 'Tag',
				name: 'tag',
				values: [
					{
						displayName: 'Key',
						name: 'key',
						type: 'string',
						default: '',
						description:
							'Up to 64 characters; cannot start with "aliyun" or "acs:" or contain http:// or https://',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: filter
							? 'Up to 128 characters. Leave empty to match the key with any value (the value is then not sent).'
							: 'Up to 128 characters, without http:// or https://; may be empty',
					},
				],
			},
		],
	};
}

/**
 * The tag filter of a Get Many item: Filters → Tags, plus the top-level Tags field that node
 * version 1 had (saved workflows of version 1 keep theirs there), checked together (≤ 20).
 */
export function readFilterTags(
	context: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
): TagPair[] {
	const tags = [
		...validateTags(filters.tags, 'Tags', 'omit'),
		...validateTags(context.getNodeParameter('tags', itemIndex, {}), 'Tags', 'omit'),
	];
	if (tags.length > TAG_LIMITS.maxTags) {
		throw new InputError(
			'Tags',
			`Tags can hold at most ${TAG_LIMITS.maxTags} tags, but has ${tags.length} (Filters and the Tags field together)`,
		);
	}
	return tags;
}

/** The Filters collection of a Get Many operation. */
export function filtersProperty(show: Show, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options,
	};
}

/** Return All + Limit, as in n8n's other "Get Many" operations. */
export function returnAllProperties(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 50;

/** Request settings, the same for every operation. */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'Read once per run, from the first item',
	options: [
		{
			displayName: 'All Regions',
			name: 'allRegions',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': ['getAll'] } },
			description:
				'Whether to list every region where managed instances exist (16 regions) instead of Region, with Return All / Limit over the whole list. Each item says its RegionId. If any region fails, nothing is output and the error names it.',
		},
		{
			displayName: 'Concurrent Requests',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items are sent to Alibaba Cloud at the same time. Output order and pairing stay as the input. Lower it if the account is throttled.',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': ['deregister'] } },
			description:
				'Whether to only show what would be deregistered: each instance is read (and re-checked, with Only If Offline For At Least) and output with DryRun: true, and no deregistration is sent',
		},
		{
			displayName: 'Include Agent Status',
			name: 'includeAgentStatus',
			type: 'boolean',
			default: false,
			displayOptions: {
				show: { '/resource': ['managedInstance'], '/operation': ['get', 'getAll'] },
			},
			description:
				'Whether to add the Cloud Assistant agent status to each instance: CloudAssistantStatus (a heartbeat in the last 2 minutes), CloudAssistantVersion, LastHeartbeatTime, ActiveTaskCount, SupportSessionManager. One DescribeCloudAssistantStatus call per 50 instances (RAM action ecs:DescribeCloudAssistantStatus).',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 3,
			description:
				'How many times a request is sent in all when it fails transiently (throttling, 5xx, timeouts, dropped connections). Writes are only repeated when a repeat cannot act twice.',
		},
		{
			displayName: 'Max Deregistrations Per Run',
			name: 'maxDeregistrationsPerRun',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			displayOptions: { show: { '/operation': ['deregister'] } },
			description:
				'Refuse the whole run, before anything is deregistered, when more items than this reach the node: a guard against a filter gone wrong. The error gives both numbers.',
		},
		{
			displayName: 'Only If Offline For At Least (Hours)',
			name: 'onlyIfOfflineForAtLeast',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 87_600 },
			default: 720,
			displayOptions: { show: { '/operation': ['deregister'] } },
			description:
				"Re-read each instance and its agent's last heartbeat right before deregistering it, and deregister it only if it is still disconnected and its last heartbeat (or registration, if it never sent one) is at least this many hours old. An instance that is back is not deregistered: its item says Skipped: true and the Reason. For days use an expression, e.g. {{ 30 * 24 }}.",
		},
		{
			displayName: 'Succeed If Already Deregistered',
			name: 'succeedIfAlreadyDeregistered',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': ['deregister'] } },
			description:
				'Whether an instance that no longer exists counts as done: the item then says AlreadyDeregistered instead of failing. Useful for cleanups that may run twice.',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 100, maxValue: 120_000 },
			default: 10_000,
			description:
				'How long each attempt waits for the answer once connected, in milliseconds. Connecting (TLS and a proxy tunnel included) has its own limit: this value, at most 10,000.',
		},
	],
};
