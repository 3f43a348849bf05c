/**
 * Where a listing's extra allocation comes from: the raw SDK paging loop with
 * the package's own pieces added one at a time (its per-instance mapping, the
 * n8n item wrapper, its transport and paging without the engine), beside the
 * node in the engine. Allocation is deterministic enough to compare on a busy
 * machine. Uses the package's internal compiled modules; if their paths or
 * exports change, the table is skipped.
 */
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../../test/fake-ecs';
import { allocatedBytes } from './alloc';
import { PACKAGE_ROOT } from './paths';
import { callAction, rawClient } from './raw-sdk';
import { fmt, median, table } from './stats';

type Mapper = (raw: unknown, field?: string) => IDataObject;

interface PackageInternals {
	toManagedInstance: Mapper;
	EcsTransport: new (credentials: object) => {
		call: (region: string, action: string, params: object, options: object) => Promise<unknown>;
	};
	listAll: (
		api: object,
		action: string,
		params: object,
		limit: undefined,
		listField: string,
		toItem: Mapper,
	) => Promise<IDataObject[]>;
}

function internals(): PackageInternals | undefined {
	const dir = join(PACKAGE_ROOT, 'dist/nodes/AlibabaEcs');
	try {
		/* eslint-disable @typescript-eslint/no-require-imports */
		return {
			...(require(join(dir, 'helpers/response.js')) as object),
			...(require(join(dir, 'transport/client.js')) as object),
			...(require(join(dir, 'helpers/paging.js')) as object),
		} as PackageInternals;
		/* eslint-enable @typescript-eslint/no-require-imports */
	} catch {
		return undefined;
	}
}

export async function listingBreakdown(
	fakeUrl: string,
	region: string,
	instances: number,
	node: () => Promise<unknown>,
): Promise<string> {
	const p = internals();
	if (!p?.toManagedInstance || !p.EcsTransport || !p.listAll) {
		return '(skipped: the package internals it uses were not found)';
	}
	const host = new URL(fakeUrl).host;
	const client = rawClient(host, region);
	const transport = new p.EcsTransport({
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		endpoint: { host, protocol: 'HTTP' },
	});
	const api = {
		regionId: region,
		call: (action: string, params: object, options: object) =>
			transport.call(region, action, params, options),
	};
	let kept: unknown;
	const rawLoop =
		(map?: Mapper, wrap = false) =>
		async () => {
			const all: unknown[] = [];
			let nextToken: string | undefined;
			do {
				const body = await callAction(client, 'DescribeManagedInstances', {
					RegionId: region,
					MaxResults: 50,
					NextToken: nextToken,
				});
				for (const raw of body.Instances as unknown[]) {
					const json = map ? map(raw, 'Instance') : raw;
					all.push(wrap ? { json, pairedItem: { item: 0 } } : json);
				}
				nextToken = (body.NextToken as string) || undefined;
			} while (nextToken);
			kept = all;
		};
	const steps: [string, () => Promise<void>][] = [
		['raw SDK paging loop (callApi)', rawLoop()],
		['+ the package’s toManagedInstance per instance', rawLoop(p.toManagedInstance)],
		['+ n8n item wrapper {json, pairedItem}', rawLoop(p.toManagedInstance, true)],
		[
			'the package’s EcsTransport + listAll, no engine',
			async () => {
				kept = await p.listAll(
					api,
					'DescribeManagedInstances',
					{},
					undefined,
					'Instances',
					p.toManagedInstance,
				);
			},
		],
		[
			'node in the engine',
			async () => {
				kept = await node();
			},
		],
	];
	const bytes = new Map<string, number[]>(steps.map(([name]) => [name, []]));
	for (let round = 0; round < 4; round++) {
		for (const [name, work] of steps) {
			kept = undefined;
			const allocated = await allocatedBytes(work);
			if (round > 0) bytes.get(name)!.push(allocated);
		}
	}
	void kept;
	const base = median(bytes.get(steps[0][0])!);
	return table(
		['listing', 'allocated B/instance', 'over the raw loop'],
		steps.map(([name]) => {
			const b = median(bytes.get(name)!);
			return [name, fmt(b / instances, 0), fmt((b - base) / instances, 0)];
		}),
	);
}
