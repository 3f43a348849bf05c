/** Readers for RPC-style parameters (`Name`, `Name.N`, `Tag.N.Key`), throwing the API's errors. */
import { ApiError, invalidParam, missingParameter } from './errors';
import type { Tag } from './model';

export type Params = Record<string, string>;

/** Empty strings count as absent, as the SDK would have left them out. */
export function optional(params: Params, name: string): string | undefined {
	const value = params[name];
	return value === undefined || value === '' ? undefined : value;
}

export function required(params: Params, name: string): string {
	const value = optional(params, name);
	if (value === undefined) throw missingParameter(name);
	return value;
}

/** An integer from min to max, or 400 with `code` (default `InvalidParam.<name>`). */
export function optionalInt(
	params: Params,
	name: string,
	min: number,
	max: number,
	code?: string,
): number | undefined {
	const raw = optional(params, name);
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (!/^-?\d+$/.test(raw) || value < min || value > max) {
		throw code
			? new ApiError(400, code, `The specified parameter ${name} is not valid.`)
			: invalidParam(name, `It must be an integer from ${min} to ${max}.`);
	}
	return value;
}

export function optionalBool(params: Params, name: string): boolean | undefined {
	const raw = optional(params, name);
	if (raw === undefined) return undefined;
	if (raw !== 'true' && raw !== 'false') throw invalidParam(name, 'It must be true or false.');
	return raw === 'true';
}

/** `Name.1 … Name.max` in N order; an N above max is an error. */
export function repeatList(params: Params, name: string, max: number): string[] {
	const found: Array<[number, string]> = [];
	const pattern = new RegExp(`^${name.replace('.', '\\.')}\\.(\\d+)$`);
	for (const [key, value] of Object.entries(params)) {
		const m = pattern.exec(key);
		if (!m) continue;
		const n = Number(m[1]);
		if (n < 1 || n > max) throw invalidParam(name, `N in ${name}.N must be from 1 to ${max}.`);
		if (value !== '') found.push([n, value]);
	}
	return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export interface TagFilter {
	key: string;
	/** Undefined: any value. */
	value?: string;
}

/**
 * `Tag.N.Key` / `Tag.N.Value`, N from 1 to 20, checked with the codes of the Error codes tables
 * of DescribeManagedInstances and CreateActivation (API reference): 400 NumberExceed.Tags ("The
 * Tags parameter number is exceed."), MissingParameter.TagKey ("You must specify Tag.N.Key."),
 * Duplicate.TagKey, InvalidTagKey.Malformed, InvalidTagValue.Malformed ("The specified
 * Tag.n.Key/Value is not valid."); the limits: the same pages' Tag.N.Key/Value parameters.
 */
export function tagParams(params: Params): TagFilter[] {
	const byN = new Map<number, Partial<TagFilter>>();
	for (const [key, value] of Object.entries(params)) {
		const m = /^Tag\.(\d+)\.(Key|Value)$/.exec(key);
		if (!m) continue;
		const n = Number(m[1]);
		if (n < 1 || n > 20)
			throw new ApiError(400, 'NumberExceed.Tags', 'The Tags parameter number is exceed.');
		const entry = byN.get(n) ?? {};
		if (m[2] === 'Key') entry.key = value;
		else entry.value = value;
		byN.set(n, entry);
	}
	const tags = [...byN.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
	const seen = new Set<string>();
	return tags.map((tag) => {
		const checked = validateTag(tag);
		if (seen.has(checked.key))
			throw new ApiError(400, 'Duplicate.TagKey', 'The Tag.N.Key contain duplicate key.');
		seen.add(checked.key);
		return checked;
	});
}

function validateTag({ key, value }: Partial<TagFilter>): TagFilter {
	if (!key) throw new ApiError(400, 'MissingParameter.TagKey', 'You must specify Tag.N.Key.');
	if (key.length > 64 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) {
		throw new ApiError(400, 'InvalidTagKey.Malformed', 'The specified Tag.n.Key is not valid.');
	}
	if (value !== undefined && (value.length > 128 || /https?:\/\//i.test(value))) {
		throw new ApiError(400, 'InvalidTagValue.Malformed', 'The specified Tag.n.Value is not valid.');
	}
	return { key, value };
}

/** Every filter must match one of the resource's tags (a filter without a value matches the key). */
export function matchesTags(tags: Tag[], filters: TagFilter[]): boolean {
	return filters.every((f) =>
		tags.some((t) => t.TagKey === f.key && (f.value === undefined || t.TagValue === f.value)),
	);
}

/** Names: a letter first, then letters, digits, `.`, `_`, `-`, `:`. */
export const isWellFormedName = (name: string): boolean => /^\p{L}[\p{L}\p{N}._:-]*$/u.test(name);
