import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CallOptions, EcsAction, EcsParams } from '../transport/client';
import type { TargetFailure } from './targetFailure';

/** The ECS API as one item sees it: every call goes to that item's region. */
export interface RegionApi {
	readonly regionId: string;
	call<T>(action: EcsAction, params: EcsParams, options: CallOptions<T>): Promise<T>;
	/** The same item's API in another region (same credential and settings), for lookups and listings across regions. */
	inRegion(regionId: string): RegionApi;
}

/** One input item after readInput: its index, its region and its checked input. */
export interface PreparedInput<TInput = unknown> {
	itemIndex: number;
	regionId: string;
	input: TInput;
}

/** What prepareRun may use: the API of any prepared item, and the run's Concurrent Requests. */
export interface RunTools {
	api(item: PreparedInput): RegionApi;
	concurrency: number;
}

/**
 * One operation of the node: what the user sees, how one item's input is read
 * and checked, and what is done for it. The router owns the loop over items,
 * error handling, continue-on-fail, concurrency and paired items, so
 * operations do not.
 */
export interface EcsOperation<TInput = unknown, TRun = unknown> {
	/** The operation's own fields (shown with displayOptions for its resource and operation). */
	description: INodeProperties[];
	/**
	 * Reads and validates one item's parameters; no network. Throws InputError
	 * (from helpers/validation) naming the field; the router names the item.
	 * `options` is the Options collection, read once per node run (item 0).
	 */
	readInput(context: IExecuteFunctions, itemIndex: number, options: IDataObject): TInput;
	/**
	 * Optional, once per node run, after every item's input was read and checked and before
	 * execute runs for any item: a check of the whole run (throw RunRefusedError to refuse it;
	 * nothing is sent), or reads in bulk (batched across items) whose result execute receives as
	 * `run`. It must not fail for one item's sake: a per-item failure belongs in `run`.
	 */
	prepareRun?(items: ReadonlyArray<PreparedInput<TInput>>, tools: RunTools): Promise<TRun>;
	/**
	 * Optional: whether, with these Options, the operation does not use the item's Region (a
	 * listing over every region); an empty Region then needs no default region in the credential.
	 */
	ignoresRegion?(options: IDataObject): boolean;
	/**
	 * Does the work for one item; returns its output item(s) as JSON. A TargetFailure among
	 * them is a part that failed (one instance of several): an error item of this input item.
	 */
	execute(
		api: RegionApi,
		input: TInput,
		run: TRun,
	): Promise<IDataObject | Array<IDataObject | TargetFailure>>;
}
