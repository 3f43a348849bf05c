/** API errors in the shape the real gateway answers with, and the few codes used everywhere. */
import { randomUUID } from 'node:crypto';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		/** Extra body fields, e.g. AccessDeniedDetail. */
		readonly extra: Record<string, unknown> = {},
	) {
		super(message);
	}
}

/** Upper-case UUID, like `4ECEEE12-56F1-4FBC-9AB1-890F74942176`. */
export const newRequestId = (): string => randomUUID().toUpperCase();

export function errorBody(
	err: ApiError,
	requestId: string,
	hostId: string,
): Record<string, unknown> {
	return {
		RequestId: requestId,
		HostId: hostId,
		Code: err.code,
		Message: err.message,
		Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=Ecs&requestId=${requestId}`,
		...err.extra,
	};
}

export const missingParameter = (name: string): ApiError =>
	new ApiError(
		400,
		'MissingParameter',
		`The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
	);

/** 400 `InvalidParam.<Name>`, the family ECS documents for PageNumber/PageSize. */
export const invalidParam = (name: string, detail: string): ApiError =>
	new ApiError(
		400,
		`InvalidParam.${name}`,
		`The specified parameter "${name}" is not valid. ${detail}`,
	);
