import { ResponseShapeError } from './response';

/** An ISO 8601 time that names its zone: `Z` or an offset such as `+08:00`. */
const HAS_ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?/;

/**
 * A time field of an ECS answer (`2021-03-15T08:00:00Z`, the API's format) as epoch ms, or
 * undefined when the field is absent or empty. The API writes UTC; a value without a zone is
 * read as UTC too, never as the n8n host's local time (the mistake that shifts heartbeats by the
 * host's offset, e.g. 8 hours on a host in China). A non-empty value that is not such a time is
 * a ResponseShapeError naming `field`.
 */
export function parseApiTime(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' || !ISO_LIKE.test(value.trim())) {
		throw new ResponseShapeError(field, `is not a time such as 2021-03-15T08:00:00Z`);
	}
	const text = value.trim().replace(' ', 'T');
	const ms = Date.parse(HAS_ZONE.test(text) ? text : `${text}Z`);
	if (!Number.isFinite(ms)) {
		throw new ResponseShapeError(field, `is not a time such as 2021-03-15T08:00:00Z`);
	}
	return ms;
}

/** Epoch ms as the API writes times: `2021-03-15T08:00:00Z` (UTC, whole seconds). */
export function apiTime(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
