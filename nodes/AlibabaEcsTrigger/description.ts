import type { INodeProperties } from 'n8n-workflow';

import {
	optionsProperty,
	sharedInstanceFilterOptions,
	tagsFilterOption,
} from '../AlibabaEcs/actions/common.descriptions';
import { MAX_OFFLINE_HOURS } from '../AlibabaEcs/helpers/offline';

/** The request settings of the main node's Options that apply to a poll (the same fields). */
const REQUEST_OPTIONS = ['maxAttempts', 'timeout'];

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'The first poll after the trigger is activated records the fleet and starts no workflow; every later poll starts one with an item per change it sees. Polling reads every instance in scope (about one request per 50 instances and region, twice with the connection events).',
		name: 'baselineNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		description: 'What to start the workflow for: each change seen gives one item',
		options: [
			{
				name: 'Activation Code Expired',
				value: 'activationExpired',
				description:
					'Its time to live ran out (CreationTime + TimeToLiveInHours) while it could still register servers',
			},
			{
				name: 'Activation Code Expiring',
				value: 'activationExpiring',
				description:
					'It came within Expiring Within (Hours) of its expiry, not disabled and not used up',
			},
			{
				name: 'Activation Code Used Up',
				value: 'activationUsedUp',
				description: 'RegisteredCount reached InstanceCount: it registers no more servers',
			},
			{
				name: 'Instance Deregistered',
				value: 'instanceDeregistered',
				description: 'A managed instance seen before is gone',
			},
			{
				name: 'Instance Disconnected',
				value: 'instanceDisconnected',
				description: 'Its Cloud Assistant agent stopped sending heartbeats',
			},
			{
				name: 'Instance Offline',
				value: 'instanceOffline',
				description:
					'Disconnected, and its last heartbeat is at least Offline For At Least (Hours) old: once per offline episode, by the rule of Get Many',
			},
			{
				name: 'Instance Reconnected',
				value: 'instanceReconnected',
				description: 'Its agent sends heartbeats again',
			},
			{
				name: 'Instance Registered',
				value: 'instanceRegistered',
				description: 'A new managed instance (mi-…) appeared',
			},
		],
	},
	{
		displayName: 'Offline For At Least (Hours)',
		name: 'offlineForAtLeast',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_OFFLINE_HOURS },
		default: 24,
		displayOptions: { show: { events: ['instanceOffline'] } },
		description:
			"Instance Offline: the instance's agent is disconnected and its last heartbeat (or registration, if it never sent one) is at least this many hours old, by the ECS endpoint's clock; exactly this long counts. For days use an expression, e.g. {{ 30 * 24 }}.",
	},
	{
		displayName: 'Expiring Within (Hours)',
		name: 'expiringWithin',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_OFFLINE_HOURS },
		default: 1,
		displayOptions: { show: { events: ['activationExpiring'] } },
		description:
			'Activation Code Expiring: this many hours before its expiry (codes live 1 to 4 hours); a code created with less time left is reported when first seen',
	},
	{
		displayName: 'All Regions',
		name: 'allRegions',
		type: 'boolean',
		default: false,
		description:
			'Whether to watch every region where managed instances exist (16 regions) instead of Regions. If any region cannot be read, the poll fails and nothing is reported until one succeeds.',
	},
	{
		displayName: 'Region Names or IDs',
		name: 'regionIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getRegions' },
		default: [],
		displayOptions: { show: { allRegions: [false] } },
		description:
			'The regions to watch; none chosen means the credential\'s Default Region ID. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'Which managed instances to watch (activation codes are not filtered). An instance that stops matching is not reported as deregistered.',
		options: [
			sharedInstanceFilterOptions.instanceName,
			sharedInstanceFilterOptions.osType,
			sharedInstanceFilterOptions.resourceGroupId,
			tagsFilterOption('Only instances that have all of these tags (up to 20)'),
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: (optionsProperty.options as INodeProperties[]).filter((option) =>
			REQUEST_OPTIONS.includes(option.name),
		),
	},
];
