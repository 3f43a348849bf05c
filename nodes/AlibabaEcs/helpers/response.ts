import type { IDataObject } from 'n8n-workflow';

/**
 * A response that does not have the documented shape. The transport turns it
 * into an error naming the endpoint and the call; the field is named here.
 */
export class ResponseShapeError extends Error {
	constructor(
		readonly field: string,
		readonly detail: string,
	) {
		super(`field ${field} ${detail}`);
		this.name = 'ResponseShapeError';
	}

	/** The same error for the `index`-th entry of the list field it names (`Instances[7].…`). */
	atIndex(listField: string, index: number): ResponseShapeError {
		if (this.field !== listField && !this.field.startsWith(`${listField}.`)) return this;
		const rest = this.field.slice(listField.length);
		return new ResponseShapeError(`${listField}[${index}]${rest}`, this.detail);
	}
}

export function asObject(value: unknown, field: string): IDataObject {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new ResponseShapeError(field, value === undefined ? 'is missing' : 'is not an object');
	}
	return value as IDataObject;
}

function shown(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * The normalisers below change a parsed response object in place (it is ours:
 * the transport parsed it from text) and name a field's full path only when
 * they throw, so that listing 10,000 instances allocates next to nothing.
 */
function pathOf(prefix: string | undefined, field: string): string {
	return prefix === undefined ? field : `${prefix}.${field}`;
}

/**
 * Longs travel as strings ("2"); an empty string means no value. Anything else
 * that is not a whole number is an error, never a silent NaN.
 */
export function normaliseInteger(object: IDataObject, field: string, prefix?: string): void {
	const value = object[field];
	if (value === undefined || value === null) return;
	if (typeof value === 'number') {
		if (Number.isFinite(value)) return;
		throw new ResponseShapeError(
			pathOf(prefix, field),
			`has the value ${shown(value)}, not a number`,
		);
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') {
			object[field] = null;
			return;
		}
		const n = Number(text);
		if (Number.isSafeInteger(n) && /^-?\d+$/.test(text)) {
			object[field] = n;
			return;
		}
	}
	throw new ResponseShapeError(
		pathOf(prefix, field),
		`has the value ${shown(value)}, not a whole number`,
	);
}

export function normaliseBoolean(object: IDataObject, field: string, prefix?: string): void {
	const value = object[field];
	if (value === undefined || value === null || typeof value === 'boolean') return;
	if (value === 'true' || value === 'false') {
		object[field] = value === 'true';
		return;
	}
	throw new ResponseShapeError(
		pathOf(prefix, field),
		`has the value ${shown(value)}, not true or false`,
	);
}

function isPlainTag(tag: unknown): boolean {
	if (tag === null || typeof tag !== 'object') return false;
	const t = tag as IDataObject;
	return (
		typeof t.TagKey === 'string' && typeof t.TagValue === 'string' && Object.keys(t).length === 2
	);
}

/** Tags as an array of {TagKey, TagValue}, whether the API sent an array or {Tag: [...]}. */
export function normaliseTags(object: IDataObject, field = 'Tags', prefix?: string): void {
	const value = object[field];
	if (value === undefined || value === null) return;
	const list = Array.isArray(value) ? value : (value as IDataObject).Tag;
	if (list === undefined) {
		object[field] = [];
		return;
	}
	if (!Array.isArray(list))
		throw new ResponseShapeError(pathOf(prefix, field), 'is not a list of tags');
	if (list === value && list.every(isPlainTag)) return; // already in shape: the common case
	object[field] = list.map((tag, index) => {
		const t = asObject(tag, `${pathOf(prefix, field)}[${index}]`);
		return { TagKey: t.TagKey, TagValue: t.TagValue ?? '' };
	});
}

/** A managed instance as the API returns it, with numbers, booleans and tags normalised in place. */
export function toManagedInstance(value: unknown, field = 'Instance'): IDataObject {
	const instance = asObject(value, field);
	if (typeof instance.InstanceId !== 'string' || instance.InstanceId === '') {
		throw new ResponseShapeError(`${field}.InstanceId`, 'is missing');
	}
	normaliseInteger(instance, 'InvocationCount', field);
	normaliseBoolean(instance, 'Connected', field);
	normaliseTags(instance, 'Tags', field);
	return instance;
}

const ACTIVATION_COUNTS = [
	'InstanceCount',
	'RegisteredCount',
	'DeregisteredCount',
	'TimeToLiveInHours',
];

/** An activation code's record as the API returns it, normalised in place. */
export function toActivation(value: unknown, field = 'Activation'): IDataObject {
	const activation = asObject(value, field);
	if (typeof activation.ActivationId !== 'string' || activation.ActivationId === '') {
		throw new ResponseShapeError(`${field}.ActivationId`, 'is missing');
	}
	for (const name of ACTIVATION_COUNTS) normaliseInteger(activation, name, field);
	normaliseBoolean(activation, 'Disabled', field);
	normaliseTags(activation, 'Tags', field);
	return activation;
}

/** A list field of a response: an array, or absent (no items). */
export function asList(value: unknown, field: string): unknown[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw new ResponseShapeError(field, 'is not a list');
	return value;
}

/** NextToken of a page: absent or empty means the last page. */
export function nextTokenOf(body: IDataObject): string | undefined {
	const token = body.NextToken;
	if (token === undefined || token === null || token === '') return undefined;
	if (typeof token !== 'string') throw new ResponseShapeError('NextToken', 'is not text');
	return token;
}

// ---------------------------------------------------------------- output items: field order

/**
 * The order of a managed instance's fields in output items: what identifies it and whether it
 * is online first (as n8n's own nodes lead with ID, name and state), then the agent's status
 * (Include Agent Status: the fields DescribeCloudAssistantStatus adds, helpers/agentStatus.ts),
 * where the server is, what it runs, its history. Fields not named keep the API's order after
 * these; RequestId and the node's own markers come last.
 */
export const MANAGED_INSTANCE_FIELD_ORDER: readonly string[] = [
	'InstanceId',
	'InstanceName',
	'Connected',
	'RegionId',
	'LastHeartbeatTime',
	'CloudAssistantStatus',
	'CloudAssistantVersion',
	'ActiveTaskCount',
	'SupportSessionManager',
	'Hostname',
	'IntranetIp',
	'InternetIp',
	'OsType',
	'OsVersion',
	'AgentVersion',
	'LastInvokedTime',
	'InvocationCount',
	'RegistrationTime',
	'ActivationId',
	'MachineId',
	'ResourceGroupId',
	'Tags',
];

/** The order of an activation code's fields in output items (see MANAGED_INSTANCE_FIELD_ORDER). */
export const ACTIVATION_FIELD_ORDER: readonly string[] = [
	'ActivationId',
	'ActivationCode',
	'InstanceName',
	'Description',
	'RegionId',
	'Disabled',
	'InstanceCount',
	'RegisteredCount',
	'DeregisteredCount',
	'CreationTime',
	'TimeToLiveInHours',
	'IpAddressRange',
	'ResourceGroupId',
	'Tags',
];

/**
 * A function that copies an object's fields into a new object in output order: the fields named
 * in `order` first, in that order (RegionId, if named and missing, from `regionId`), then the
 * others as they were, then RequestId. Values are not copied. Made once per order (a listing of
 * 10,000 instances calls it 10,000 times: no allocation but the new object).
 */
export function fieldOrder(
	order: readonly string[],
): (object: IDataObject, regionId?: string) => IDataObject {
	const named = new Set([...order, 'RequestId']);
	return (object, regionId) => {
		const out: IDataObject = {};
		for (let i = 0; i < order.length; i++) {
			const name = order[i];
			const value = object[name];
			if (value !== undefined) out[name] = value;
			else if (name === 'RegionId' && regionId !== undefined) out.RegionId = regionId;
		}
		for (const name in object) if (!named.has(name)) out[name] = object[name];
		if (object.RequestId !== undefined) out.RequestId = object.RequestId;
		return out;
	};
}

/** A managed instance as an output item: the region it was found in, fields in output order. */
export const managedInstanceItem = fieldOrder(MANAGED_INSTANCE_FIELD_ORDER);

/** An activation code as an output item: its region, fields in output order. */
export const activationItem = fieldOrder(ACTIVATION_FIELD_ORDER);
