import { isIP } from 'node:net';

/**
 * Pure checks of user input. Each returns the normalised value or throws an
 * InputError whose message names the field; the router adds the item number.
 * Nothing here touches the network: bad input is refused before any request.
 */

export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** Describes a value for an error message without echoing large or odd payloads. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return `a list (${value.length} entries)`;
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') {
		const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
		return JSON.stringify(shown);
	}
	return `${typeof value} ${String(value)}`;
}

function requireString(field: string, value: unknown, example: string): string {
	if (typeof value !== 'string') {
		throw new InputError(
			field,
			`${field} must be text such as "${example}", but got ${describeValue(value)}`,
			'If the value comes from an expression, make it return one text value, e.g. a single field of the item rather than a list or an object.',
		);
	}
	const trimmed = value.trim();
	if (trimmed === '') {
		throw new InputError(field, `${field} is empty`, `Enter a value such as "${example}".`);
	}
	return trimmed;
}

/**
 * Region IDs become part of the endpoint host name (ecs.<region>.aliyuncs.com),
 * so only the shape of a region name is accepted: lower-case words of letters
 * and digits joined by single hyphens, starting with a two-letter area.
 * Anything that could add a dot, slash, port or credentials to a host is refused.
 */
const REGION_ID = /^[a-z]{2}(?:-[a-z0-9]+){1,5}$/;
const REGION_ID_MAX_LENGTH = 40;

export function validateRegionId(value: unknown, field = 'Region ID'): string {
	const region = requireString(field, value, 'cn-hangzhou').toLowerCase();
	if (region.length > REGION_ID_MAX_LENGTH || !REGION_ID.test(region)) {
		throw new InputError(
			field,
			`${field} ${describeValue(value)} is not a region ID`,
			'Use an Alibaba Cloud region ID such as cn-hangzhou, ap-southeast-1 or eu-central-1 (letters, digits and hyphens only).',
		);
	}
	return region;
}

/** Managed instance IDs: "mi-" followed by lower-case letters and digits. */
const MANAGED_INSTANCE_ID = /^mi-[0-9a-z]{1,60}$/;
const ECS_INSTANCE_ID = /^i-[0-9a-z]+$/;

/** What to do when an ECS instance ID (i-…) is given: at run time and in the editor's By ID field. */
export const ECS_INSTANCE_ID_HINT =
	'This operation works on servers registered with Cloud Assistant outside Alibaba Cloud, whose IDs start with "mi-" (ECS console: Cloud Assistant > Managed Instances).';

export function validateManagedInstanceId(value: unknown, field = 'Instance ID'): string {
	const id = requireString(field, value, 'mi-hz01axdfas0001');
	if (MANAGED_INSTANCE_ID.test(id)) return id;
	if (ECS_INSTANCE_ID.test(id)) {
		throw new InputError(
			field,
			`${field} "${id}" is an ECS instance ID, not a managed instance ID`,
			ECS_INSTANCE_ID_HINT,
		);
	}
	throw new InputError(
		field,
		`${field} ${describeValue(value)} is not a managed instance ID`,
		'Managed instance IDs start with "mi-" followed by lower-case letters and digits, e.g. mi-hz01axdfas0001.',
	);
}

/** Optional text: undefined when empty, otherwise trimmed and within the length limits. */
export function optionalText(
	value: unknown,
	field: string,
	limits: { min: number; max: number; example: string },
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	const text = requireString(field, value, limits.example);
	if (text.length < limits.min || text.length > limits.max) {
		throw new InputError(
			field,
			`${field} must be ${limits.min} to ${limits.max} characters long, but has ${text.length}`,
		);
	}
	return text;
}

export function requiredText(
	value: unknown,
	field: string,
	limits: { min: number; max: number; example: string },
): string {
	const text = optionalText(value, field, limits);
	if (text === undefined) {
		throw new InputError(field, `${field} is empty`, `Enter a value such as "${limits.example}".`);
	}
	return text;
}

/** A whole number within limits; accepts numeric text from expressions. */
export function integerInRange(
	value: unknown,
	field: string,
	limits: { min: number; max: number },
): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < limits.min || n > limits.max) {
		throw new InputError(
			field,
			`${field} must be a whole number from ${limits.min} to ${limits.max}, but got ${describeValue(value)}`,
		);
	}
	return n;
}

/**
 * A yes/no parameter or option. An expression can hand it over as text, so besides a
 * boolean it accepts "true" and "false" (any case, spaces around ignored); anything else is
 * refused rather than read as the default.
 */
export function booleanValue(value: unknown, field: string): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	throw new InputError(
		field,
		`${field} must be true or false, but got ${describeValue(value)}`,
		'If the value comes from an expression, make it return true or false (or the text "true" or "false").',
	);
}

/** Activation IDs are UUID-like, e.g. 4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD. */
const ACTIVATION_ID = /^[0-9A-Za-z][0-9A-Za-z-]{7,63}$/;

export function validateActivationId(value: unknown, field = 'Activation ID'): string {
	const id = requireString(field, value, '4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD');
	if (MANAGED_INSTANCE_ID.test(id)) {
		throw new InputError(
			field,
			`${field} "${id}" is a managed instance ID, not an activation ID`,
			'Activation IDs look like 4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD (Get Many activations lists them).',
		);
	}
	if (!ACTIVATION_ID.test(id)) {
		throw new InputError(
			field,
			`${field} ${describeValue(value)} is not an activation ID`,
			'Activation IDs look like 4ECEEE12-56F1-4FBC-9AB1-890F7494ABCD (letters, digits and hyphens).',
		);
	}
	return id;
}

const RESOURCE_GROUP_ID = /^rg-[0-9a-z]{1,60}$/;

export function optionalResourceGroupId(
	value: unknown,
	field = 'Resource Group ID',
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	const id = requireString(field, value, 'rg-acfmzw2jz2z0000');
	if (!RESOURCE_GROUP_ID.test(id)) {
		throw new InputError(
			field,
			`${field} ${describeValue(value)} is not a resource group ID`,
			'Resource group IDs start with "rg-", e.g. rg-acfmzw2jz2z0000.',
		);
	}
	return id;
}

const OS_TYPES = new Set(['windows', 'linux', 'FreeBSD']);

/**
 * The filters Get Many and the trigger share (common.descriptions.ts
 * sharedInstanceFilterOptions) as DescribeManagedInstances parameters: InstanceName (1 to 128
 * characters), ResourceGroupId (rg-…) and OsType (windows, linux or FreeBSD; "any" sends none).
 * Only the fields given are set. Throws InputError naming the field.
 */
export function readInstanceFilters(filters: {
	instanceName?: unknown;
	resourceGroupId?: unknown;
	osType?: unknown;
}): { InstanceName?: string; ResourceGroupId?: string; OsType?: string } {
	const params: { InstanceName?: string; ResourceGroupId?: string; OsType?: string } = {};
	const name = optionalText(filters.instanceName, 'Instance Name', {
		min: 1,
		max: 128,
		example: 'web-01',
	});
	if (name !== undefined) params.InstanceName = name;
	const group = optionalResourceGroupId(filters.resourceGroupId);
	if (group !== undefined) params.ResourceGroupId = group;
	if (filters.osType !== undefined && filters.osType !== 'any') {
		if (!OS_TYPES.has(String(filters.osType))) {
			throw new InputError(
				'OS Type',
				`OS Type must be windows, linux or FreeBSD, but got ${describeValue(filters.osType)}`,
			);
		}
		params.OsType = String(filters.osType);
	}
	return params;
}

export interface TagPair {
	Key: string;
	/** Undefined: not sent (a filter by key only). */
	Value?: string;
}

/**
 * Tag limits, the same for every action of the family that takes Tag.N (API reference and SDK
 * model remarks of CreateActivation, DescribeManagedInstances and DescribeActivations,
 * `Tag.N.Key` / `Tag.N.Value`): N from 1 to 20; a key is 1 to 64 characters, cannot start with
 * "aliyun" or "acs:" and cannot contain "http://" or "https://"; a value is up to 128
 * characters, may be empty, and cannot contain "http://" or "https://".
 */
export const TAG_LIMITS = { maxTags: 20, keyMaxLength: 64, valueMaxLength: 128 } as const;
const RESERVED_TAG_KEY = /^(aliyun|acs:)/i;
const URL_IN_TEXT = /https?:\/\//i;

/**
 * Tags from a fixedCollection ({tag: [{key, value}]}), checked as the API requires (TAG_LIMITS).
 * `emptyValue`: "send" keeps an empty value as "" (a tag whose value is empty, for Create);
 * "omit" leaves it out, so that a filter matches the key with any value (Get Many).
 */
export function validateTags(
	value: unknown,
	field = 'Tags',
	emptyValue: 'send' | 'omit' = 'send',
): TagPair[] {
	if (value === undefined || value === null || value === '') return [];
	// A fixedCollection is {tag: [...]}, or {} when no tag was added.
	const list =
		typeof value === 'object' && !Array.isArray(value)
			? ((value as { tag?: unknown }).tag ?? [])
			: value;
	if (!Array.isArray(list)) {
		throw new InputError(
			field,
			`${field} must be a list of key and value pairs, but got ${describeValue(value)}`,
		);
	}
	if (list.length > TAG_LIMITS.maxTags) {
		throw new InputError(
			field,
			`${field} can hold at most ${TAG_LIMITS.maxTags} tags, but has ${list.length}`,
		);
	}
	return list.map((entry: unknown, index) => {
		const pair = (entry ?? {}) as { key?: unknown; value?: unknown };
		const name = `${field} ${index + 1}`;
		const key = requiredText(pair.key, `${name} key`, {
			min: 1,
			max: TAG_LIMITS.keyMaxLength,
			example: 'env',
		});
		if (RESERVED_TAG_KEY.test(key) || URL_IN_TEXT.test(key)) {
			throw new InputError(
				field,
				`${name} key "${key}" is not allowed: keys cannot start with "aliyun" or "acs:" or contain http:// or https://`,
			);
		}
		const tagValue = optionalText(pair.value, `${name} value`, {
			min: 0,
			max: TAG_LIMITS.valueMaxLength,
			example: 'prod',
		});
		if (tagValue !== undefined && URL_IN_TEXT.test(tagValue)) {
			throw new InputError(
				field,
				`${name} value "${tagValue.slice(0, 40)}" is not allowed: values cannot contain http:// or https://`,
			);
		}
		if (tagValue === undefined && emptyValue === 'omit') return { Key: key };
		return { Key: key, Value: tagValue ?? '' };
	});
}

/**
 * Names of managed instances and activation name prefixes (API reference and SDK model
 * remarks: ModifyManagedInstance InstanceName "2 to 128 characters … must start with a letter
 * and cannot start with a special character or a digit … can contain letters, digits, periods
 * (.), underscores (_), hyphens (-), and colons (:) and cannot start with http:// or https://";
 * CreateActivation InstanceName, the same rules with 2 to 50 characters). "Letter" includes
 * Chinese characters, as ECS names elsewhere say.
 */
export const NAME_LIMITS = {
	managedInstance: { min: 2, max: 128 },
	activationPrefix: { min: 2, max: 50 },
} as const;
const WELL_FORMED_NAME = /^\p{L}[\p{L}\p{N}._:-]*$/u;

export function validateName(
	value: unknown,
	field: string,
	limits: { min: number; max: number },
	required: true,
): string;
export function validateName(
	value: unknown,
	field: string,
	limits: { min: number; max: number },
	required: false,
): string | undefined;
export function validateName(
	value: unknown,
	field: string,
	limits: { min: number; max: number },
	required: boolean,
): string | undefined {
	const options = { ...limits, example: 'web-server-01' };
	const name = required ? requiredText(value, field, options) : optionalText(value, field, options);
	if (name === undefined) return undefined;
	if (URL_IN_TEXT.test(name)) {
		throw new InputError(
			field,
			`${field} "${name.slice(0, 40)}" cannot start with http:// or https://`,
		);
	}
	if (!/^\p{L}/u.test(name)) {
		throw new InputError(
			field,
			`${field} "${name.slice(0, 40)}" must start with a letter`,
			'Names start with a letter (or a Chinese character), not a digit or a special character.',
		);
	}
	if (!WELL_FORMED_NAME.test(name)) {
		throw new InputError(
			field,
			`${field} "${name.slice(0, 40)}" may only contain letters, digits, periods (.), underscores (_), hyphens (-) and colons (:)`,
		);
	}
	return name;
}

/** Comma-separated managed instance IDs (up to `max`), each validated. */
export function validateInstanceIdList(value: unknown, field: string, max: number): string[] {
	if (value === undefined || value === null || value === '') return [];
	const parts = Array.isArray(value) ? value : String(value).split(',');
	const ids = parts
		.map((part) => (typeof part === 'string' ? part.trim() : part))
		.filter((part) => part !== '');
	if (ids.length > max) {
		throw new InputError(field, `${field} can hold at most ${max} IDs, but has ${ids.length}`);
	}
	return ids.map((id) => validateManagedInstanceId(id, field));
}

/** One IPv4 or IPv6 address or CIDR block, as CreateActivation's IpAddressRange accepts. */
export function optionalIpAddressRange(
	value: unknown,
	field = 'IP Address Range',
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	const range = requireString(field, value, '192.168.0.0/16');
	const [address, prefix, ...rest] = range.split('/');
	const version = isIP(address);
	const prefixOk =
		prefix === undefined ||
		(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
	if (version === 0 || !prefixOk || rest.length > 0) {
		throw new InputError(
			field,
			`${field} ${describeValue(value)} is not an IP address or CIDR block`,
			'Use one IPv4 or IPv6 address or CIDR block, e.g. 192.168.1.10, 10.0.0.0/8 or 2001:db8::/32.',
		);
	}
	return range;
}
