import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import {
	DEFAULT_CALL_SETTINGS,
	type CallSettings,
	type EcsParams,
} from '../AlibabaEcs/transport/client';
import type { AccessKeyCredentials } from '../AlibabaEcs/transport/credentials';
import { MANAGED_INSTANCE_REGION_IDS } from '../AlibabaEcs/transport/regions';
import { readHours } from '../AlibabaEcs/helpers/offline';
import {
	InputError,
	booleanValue,
	describeValue,
	integerInRange,
	readInstanceFilters,
	validateRegionId,
	validateTags,
} from '../AlibabaEcs/helpers/validation';
import { TRIGGER_EVENTS, type TriggerEvent, type Watch } from './events';

/** The trigger's parameters, read and checked before any request. */
export interface TriggerSettings {
	events: ReadonlySet<TriggerEvent>;
	offlineHours: number;
	expiringHours: number;
	allRegions: boolean;
	/** Chosen regions; "" stands for the credential's Default Region ID. */
	regionIds: string[];
	/** DescribeManagedInstances filters, under the API's names. */
	params: EcsParams;
	mutableFilters: boolean;
	call: CallSettings;
}

/** The regions field as the editor labels it (errors name it so). */
const REGIONS_FIELD = 'Region Names or IDs';

/** How the poll context reads a parameter (IPollFunctions.getNodeParameter). */
export type ReadParameter = (name: string, fallback: unknown) => unknown;

function readEvents(value: unknown): Set<TriggerEvent> {
	const list = typeof value === 'string' ? value.split(',').map((e) => e.trim()) : value;
	if (!Array.isArray(list) || list.length === 0) {
		throw new InputError(
			'Events',
			`Events must name at least one event, but got ${describeValue(value)}`,
			'Choose the changes to start the workflow for, e.g. Instance Offline.',
		);
	}
	const events = new Set<TriggerEvent>();
	for (const event of list) {
		if (!(TRIGGER_EVENTS as readonly unknown[]).includes(event)) {
			throw new InputError(
				'Events',
				`Events holds ${describeValue(event)}, which is not an event of this trigger`,
				`The events are ${TRIGGER_EVENTS.join(', ')}.`,
			);
		}
		events.add(event as TriggerEvent);
	}
	return events;
}

function readRegionIds(value: unknown): string[] {
	const list =
		typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
	const regions: string[] = [];
	for (const entry of list) {
		if (entry === undefined || entry === null) continue;
		const text = typeof entry === 'string' ? entry.trim() : entry;
		const region = text === '' ? '' : validateRegionId(text, REGIONS_FIELD);
		if (!regions.includes(region)) regions.push(region);
	}
	return regions;
}

function readFilters(filters: IDataObject): { params: EcsParams; mutable: boolean } {
	const params: EcsParams = readInstanceFilters(filters);
	const tags = validateTags(filters.tags, 'Tags', 'omit');
	if (tags.length > 0) params.Tag = tags.map((tag) => ({ ...tag }));
	const mutable =
		params.InstanceName !== undefined ||
		params.ResourceGroupId !== undefined ||
		params.Tag !== undefined;
	return { params, mutable };
}

/** Reads and checks every parameter; throws InputError naming the field. */
export function readSettings(read: ReadParameter): TriggerSettings {
	const events = readEvents(read('events', []));
	const options = (read('options', {}) ?? {}) as IDataObject;
	const allRegions = booleanValue(read('allRegions', false), 'All Regions');
	const { params, mutable } = readFilters((read('filters', {}) ?? {}) as IDataObject);
	return {
		events,
		offlineHours: events.has('instanceOffline')
			? readHours(read('offlineForAtLeast', 24), 'Offline For At Least (Hours)')
			: 0,
		expiringHours: events.has('activationExpiring')
			? readHours(read('expiringWithin', 1), 'Expiring Within (Hours)')
			: 0,
		allRegions,
		regionIds: allRegions ? [] : readRegionIds(read('regionIds', [])),
		params,
		mutableFilters: mutable,
		call: {
			maxAttempts: integerInRange(
				options.maxAttempts ?? DEFAULT_CALL_SETTINGS.maxAttempts,
				'Max Attempts',
				{ min: 1, max: 10 },
			),
			timeoutMs: integerInRange(
				options.timeout ?? DEFAULT_CALL_SETTINGS.timeoutMs,
				'Timeout (Ms)',
				{
					min: 100,
					max: 120_000,
				},
			),
		},
	};
}

/** The regions a poll reads: all 16, or the chosen ones with "" as the credential's default. */
export function resolveRegions(
	settings: TriggerSettings,
	credentials: AccessKeyCredentials,
): string[] {
	if (settings.allRegions) return [...MANAGED_INSTANCE_REGION_IDS];
	const chosen = settings.regionIds.length === 0 ? [''] : settings.regionIds;
	const regions: string[] = [];
	for (const region of chosen) {
		const resolved = region === '' ? credentials.defaultRegionId : region;
		if (resolved === undefined) {
			throw new InputError(
				REGIONS_FIELD,
				`${REGIONS_FIELD} is empty and the credential has no Default Region ID, so there is no region to watch`,
				'Choose regions, turn on All Regions, or set a Default Region ID in the credential.',
			);
		}
		if (!regions.includes(resolved)) regions.push(resolved);
	}
	return regions;
}

/**
 * A digest of what the fleet is read through: the account (AccessKey ID, endpoint, role, never
 * the secret), the regions and the filters. A state read through another scope is not compared
 * with the fleet (another account's instances would all look deregistered).
 */
export function scopeDigest(
	credentials: AccessKeyCredentials,
	regions: readonly string[],
	params: EcsParams,
): string {
	const scope = JSON.stringify([
		credentials.accessKeyId,
		credentials.endpoint?.host ?? null,
		credentials.role?.roleArn ?? null,
		[...regions].sort(),
		params,
	]);
	return createHash('sha256').update(scope).digest('hex').slice(0, 16);
}

/** The watch of a poll (events.ts) from its settings, credential and regions. */
export function watchOf(
	settings: TriggerSettings,
	credentials: AccessKeyCredentials,
	regions: readonly string[],
): Watch {
	return {
		events: settings.events,
		regions,
		scope: scopeDigest(credentials, regions, settings.params),
		offlineHours: settings.offlineHours,
		expiringHours: settings.expiringHours,
		mutableFilters: settings.mutableFilters,
	};
}
