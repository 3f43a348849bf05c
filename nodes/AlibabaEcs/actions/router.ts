import { createHash, randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { forEachConcurrently } from '../helpers/concurrency';
import type { EcsOperation, PreparedInput, RegionApi, RunTools } from '../helpers/interfaces';
import { ExplainedError } from '../helpers/refusals';
import { ResponseShapeError } from '../helpers/response';
import { TargetFailure } from '../helpers/targetFailure';
import { InputError, integerInRange, validateRegionId } from '../helpers/validation';
import { FALLBACK_REGION, connect } from '../transport';
import {
	type CallSettings,
	DEFAULT_CALL_SETTINGS,
	ECS_ACTIONS,
	type EcsAction,
	type EcsParams,
	type EcsTransport,
} from '../transport/client';
import type { AccessKeyCredentials } from '../transport/credentials';
import { EcsError, NotFoundError, notFoundNodeError, toNodeApiError } from '../transport/errors';
import { type ItemWrites, type WriteJournal, journalFor } from '../transport/writeJournal';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './common.descriptions';
import { operationsByResource } from './operations';

/** Writes that accept a ClientToken, so a retried request cannot act twice. */
const CLIENT_TOKEN_ACTIONS = new Set<EcsAction>([
	'DeregisterManagedInstance',
	'CreateActivation',
	'RunCommand',
	'SendFile',
]);

type PreparedItem = PreparedInput;

interface RunSettings {
	concurrency: number;
	call: CallSettings;
	/** The Options collection as the user set it, for operation-specific options. */
	options: IDataObject;
}

type ItemError = NodeOperationError | NodeApiError;

function findOperation(context: IExecuteFunctions): EcsOperation {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const found = operationsByResource[resource]?.[operation];
	if (!found) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	return found;
}

/**
 * n8n replaces a message that merely contains a system error name (ENOENT, EEXIST…)
 * with a generic text; a user's value can contain such letters, so keep ours.
 */
function operationError(
	context: IExecuteFunctions,
	message: string,
	itemIndex?: number,
	description?: string,
): NodeOperationError {
	const error = new NodeOperationError(context.getNode(), message, { itemIndex, description });
	error.message = message;
	return error;
}

async function connectOrExplain(
	context: IExecuteFunctions,
): Promise<{ credentials: AccessKeyCredentials; transport: EcsTransport }> {
	try {
		return await connect(context);
	} catch (error) {
		if (error instanceof InputError) {
			throw operationError(
				context,
				error.message,
				undefined,
				error.hint ?? 'Open the credential and correct the field.',
			);
		}
		throw new NodeOperationError(context.getNode(), error as Error);
	}
}

/** Every failure of one item becomes an n8n error that names the item. */
function toItemError(context: IExecuteFunctions, error: unknown, itemIndex: number): ItemError {
	if (error instanceof InputError) {
		return operationError(context, `Item ${itemIndex}: ${error.message}`, itemIndex, error.hint);
	}
	if (error instanceof EcsError) return toNodeApiError(context.getNode(), error, itemIndex);
	if (error instanceof NotFoundError) return notFoundNodeError(context.getNode(), error, itemIndex);
	if (error instanceof ExplainedError) {
		return operationError(context, error.message, itemIndex, error.hint);
	}
	if (error instanceof ResponseShapeError) {
		return operationError(
			context,
			`Item ${itemIndex}: the ECS API returned an unexpected response: ${error.message}`,
			itemIndex,
		);
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

/**
 * The item a failed input produces under continue-on-fail, in n8n's shape: the
 * message as `json.error` (the engine routes such items to the error output when
 * the node has one) and the full error, with description, on the item.
 */
function errorItem(error: ItemError, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

/**
 * Output items of one input item, each saying the region it is about: operations set RegionId
 * where it belongs among their fields; any output without it gets the item's region.
 */
function toOutputItems(
	context: IExecuteFunctions,
	result: IDataObject | Array<IDataObject | TargetFailure>,
	item: PreparedItem,
	continueOnFail: boolean,
): INodeExecutionData[] {
	const withRegion = (json: IDataObject): IDataObject => {
		if (json.RegionId !== undefined) return json;
		if (json.RequestId === undefined) {
			json.RegionId = item.regionId;
			return json;
		}
		const { RequestId, ...fields } = json; // RequestId stays last
		return { ...fields, RegionId: item.regionId, RequestId };
	};
	if (!Array.isArray(result))
		return [{ json: withRegion(result), pairedItem: { item: item.itemIndex } }];
	// One listing can yield thousands of items of the same input item: they share one pairedItem.
	const pairedItem = { item: item.itemIndex };
	return result.map((json) => {
		if (!(json instanceof TargetFailure)) return { json: withRegion(json), pairedItem };
		const error = operationError(context, json.message, item.itemIndex, json.description);
		Object.assign(error.context, json.context);
		if (!continueOnFail) throw error;
		return errorItem(error, item.itemIndex);
	});
}

/**
 * Node-wide settings from the Options collection, read once from the first item
 * (reading a collection per item costs about as much as a request on loopback).
 */
function readSettings(context: IExecuteFunctions): RunSettings {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	try {
		return {
			options,
			concurrency: integerInRange(
				options.concurrency ?? DEFAULT_CONCURRENCY,
				'Concurrent Requests',
				{
					min: 1,
					max: MAX_CONCURRENCY,
				},
			),
			call: {
				timeoutMs: integerInRange(
					options.timeout ?? DEFAULT_CALL_SETTINGS.timeoutMs,
					'Timeout (Ms)',
					{
						min: 100,
						max: 120_000,
					},
				),
				maxAttempts: integerInRange(
					options.maxAttempts ?? DEFAULT_CALL_SETTINGS.maxAttempts,
					'Max Attempts',
					{ min: 1, max: 10 },
				),
			},
		};
	} catch (error) {
		if (error instanceof InputError) {
			throw operationError(
				context,
				`Item 0: Options → ${error.message}`,
				0,
				error.hint ?? 'The Options are read once per run, from the first item.',
			);
		}
		throw new NodeOperationError(context.getNode(), error as Error);
	}
}

/**
 * Seeds the idempotency tokens of one node run: stable across n8n's "Retry On
 * Fail" re-runs of this node within an execution; distinct between n8n
 * instances, workflows, executions, nodes, runs (loops) and items.
 */
function tokenSeed(context: IExecuteFunctions): string {
	const safely = (read: () => string | undefined): string | undefined => {
		try {
			return read();
		} catch {
			return undefined;
		}
	};
	const executionId = safely(() => context.getExecutionId());
	// Every n8n numbers its executions from 1 and imported workflows keep their node
	// IDs: the instance ID keeps two n8n installs on one account from sharing tokens.
	const instanceId = safely(() => context.getInstanceId()) ?? '';
	const workflowId = safely(() => String(context.getWorkflow().id ?? '')) ?? '';
	const runIndex = (context as unknown as { runIndex?: number }).runIndex ?? 0;
	return [instanceId, workflowId, executionId || randomUUID(), context.getNode().id, runIndex].join(
		'|',
	);
}

function clientToken(
	seed: string,
	itemIndex: number,
	action: EcsAction,
	params: EcsParams,
): string {
	return createHash('sha256')
		.update(JSON.stringify([seed, itemIndex, action, params]))
		.digest('hex')
		.slice(0, 48);
}

/**
 * The API one item's operation sees: its region, the run's settings, a ClientToken on
 * writes that take one, and with Retry On Fail each write at most once per node run
 * (`writes`, see writeJournal.ts).
 */
function regionApi(
	transport: EcsTransport,
	item: PreparedItem,
	seed: string,
	settings: CallSettings,
	writes?: ItemWrites,
): RegionApi {
	return {
		regionId: item.regionId,
		call: async (action, params, options) => {
			const withToken = CLIENT_TOKEN_ACTIONS.has(action)
				? { ...params, ClientToken: clientToken(seed, item.itemIndex, action, params) }
				: params;
			const send = async (request: EcsParams) =>
				await transport.call(item.regionId, action, request, { settings, ...options });
			if (!writes || ECS_ACTIONS[action] === 'read') return await send(withToken);
			return await writes.perform(action, withToken, send, options.reconcile);
		},
		inRegion: (regionId) => regionApi(transport, { ...item, regionId }, seed, settings, writes),
	};
}

/**
 * The write journal of this node run when the node has Retry On Fail (n8n then runs it again
 * in this process with the same execute data); none otherwise, or where n8n offers no
 * execute data.
 */
function writeJournal(context: IExecuteFunctions): WriteJournal | undefined {
	if (context.getNode().retryOnFail !== true) return undefined;
	try {
		const runKey: unknown = context.getExecuteData();
		return typeof runKey === 'object' && runKey !== null ? journalFor(runKey) : undefined;
	} catch {
		return undefined;
	}
}

function readRegion(context: IExecuteFunctions, itemIndex: number, fallback?: string): string {
	const value = context.getNodeParameter('regionId', itemIndex, '');
	if ((value === '' || value === undefined || value === null) && fallback) return fallback;
	return validateRegionId(value);
}

/**
 * Runs the selected operation for every input item: one output entry per input
 * item (several for list operations), in input order, each paired to its input.
 * Every item's input is read and validated before any request is sent; then up
 * to "Concurrent Requests" items are in flight at once.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = findOperation(this);
	const continueOnFail = this.continueOnFail();
	const settings = readSettings(this);
	const { credentials, transport } = await connectOrExplain(this);
	const outputs: INodeExecutionData[][] = new Array(items.length);

	const prepared: PreparedItem[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const regionId = readRegion(
				this,
				itemIndex,
				credentials.defaultRegionId ??
					(operation.ignoresRegion?.(settings.options) ? FALLBACK_REGION : undefined),
			);
			const input = operation.readInput(this, itemIndex, settings.options);
			prepared.push({ itemIndex, regionId, input });
		} catch (error) {
			const itemError = toItemError(this, error, itemIndex);
			if (!continueOnFail) throw itemError;
			outputs[itemIndex] = [errorItem(itemError, itemIndex)];
		}
	}

	const seed = tokenSeed(this);
	const journal = writeJournal(this);
	const tools: RunTools = {
		// prepareRun reads only: no write journal
		api: (item) => regionApi(transport, item, seed, settings.call),
		concurrency: settings.concurrency,
	};
	let run: unknown;
	if (operation.prepareRun && prepared.length > 0) {
		try {
			run = await operation.prepareRun(prepared, tools);
		} catch (error) {
			// The whole run is refused: every item fails with it (under continue-on-fail as
			// error items, so nothing downstream mistakes an input item for a result).
			if (!continueOnFail) throw toItemError(this, error, prepared[0].itemIndex);
			for (const item of prepared) {
				outputs[item.itemIndex] = [
					errorItem(toItemError(this, error, item.itemIndex), item.itemIndex),
				];
			}
			return [outputs.flat()];
		}
	}

	let firstFailure: ItemError | undefined;
	await forEachConcurrently(
		prepared,
		settings.concurrency,
		async (item) => {
			try {
				const api = regionApi(
					transport,
					item,
					seed,
					settings.call,
					journal?.forItem(item.itemIndex),
				);
				outputs[item.itemIndex] = toOutputItems(
					this,
					await operation.execute(api, item.input, run),
					item,
					continueOnFail,
				);
			} catch (error) {
				const itemError = toItemError(this, error, item.itemIndex);
				if (continueOnFail) outputs[item.itemIndex] = [errorItem(itemError, item.itemIndex)];
				else firstFailure ??= itemError;
			}
		},
		() => firstFailure !== undefined,
	);
	if (firstFailure) throw firstFailure;

	return [outputs.flat()];
}
