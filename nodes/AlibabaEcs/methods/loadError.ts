import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InputError } from '../helpers/validation';
import { EcsError, errorSummary } from '../transport/errors';

/** Explains a failed dropdown or list load in the editor. */
export function loadError(context: ILoadOptionsFunctions, error: unknown): Error {
	if (error instanceof InputError || error instanceof EcsError) {
		const message = error instanceof EcsError ? errorSummary(error) : error.message;
		const failure = new NodeOperationError(context.getNode(), message);
		failure.message = message;
		return failure;
	}
	return error instanceof Error ? error : new NodeOperationError(context.getNode(), String(error));
}
