import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CallOptions, EcsAction, EcsParams } from '../transport/client';
import type { TargetFailure } from './targetFailure';

/** The ECS API as one item sees it: every call goes to that item's region. */
export interface RegionApi {
	readonly regionId: string;
	call<T>(action: EcsAction, params: EcsParams, options: CallOptions<T>): Promise<T>;
	/** The same item's API in another region (same credential and settings), for lookups across regions. */
	inRegion(regionId: string): RegionApi;
}

/**
 * One operation of the node: what the user sees, how one item's input is read
 * and checked, and what is done for it. The router owns the loop over items,
 * error handling, continue-on-fail, concurrency and paired items, so
 * operations do not.
 */
export interface EcsOperation<TInput = unknown> {
	/** The operation's own fields (shown with displayOptions for its resource and operation). */
	description: INodeProperties[];
	/**
	 * Reads and validates one item's parameters; no network. Throws InputError
	 * (from helpers/validation) naming the field; the router names the item.
	 * `options` is the Options collection, read once per node run (item 0).
	 */
	readInput(context: IExecuteFunctions, itemIndex: number, options: IDataObject): TInput;
	/**
	 * Does the work for one item; returns its output item(s) as JSON. A TargetFailure among
	 * them is a part that failed (one instance of several): an error item of this input item.
	 */
	execute(api: RegionApi, input: TInput): Promise<IDataObject | Array<IDataObject | TargetFailure>>;
}
