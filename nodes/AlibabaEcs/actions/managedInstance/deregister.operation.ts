import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { addAgentStatus, describeAgentStatus } from '../../helpers/agentStatus';
import type { EcsOperation, RegionApi } from '../../helpers/interfaces';
import { judgeOffline, readHours } from '../../helpers/offline';
import { RunRefusedError } from '../../helpers/refusals';
import { alreadyDeregistered, searchOtherRegions } from '../../helpers/regionSearch';
import { asList, managedInstanceItem, toManagedInstance } from '../../helpers/response';
import { booleanValue, integerInRange, validateManagedInstanceId } from '../../helpers/validation';
import { NotFoundError } from '../../transport/errors';
import { instanceIdLocator } from '../common.descriptions';

const description: INodeProperties[] = [
	instanceIdLocator({ resource: ['managedInstance'], operation: ['deregister'] }),
];

interface DeregisterInput {
	instanceId: string;
	succeedIfAlreadyDeregistered: boolean;
	/** Only If Offline For At Least (hours): re-read right before acting. */
	onlyIfOfflineForHours?: number;
	dryRun: boolean;
	/** Max Deregistrations Per Run. */
	maxPerRun?: number;
}

/** The instance as it is right now (undefined: not found), with its agent status if asked. */
interface Recheck {
	instance?: IDataObject;
	requestId?: string;
	/** The endpoint's clock when it answered (epoch ms), else the n8n host's. */
	now: number;
}

async function readNow(api: RegionApi, instanceId: string, withStatus: boolean): Promise<Recheck> {
	const [found, statuses] = await Promise.all([
		api.call(
			'DescribeManagedInstances',
			{ InstanceId: [instanceId] },
			{
				subject: `Managed instance ${instanceId}`,
				parse: (body, response) => ({
					instance: asList(body.Instances, 'Instances')
						.map((raw, index) => toManagedInstance(raw, `Instances[${index}]`))
						.find((candidate) => candidate.InstanceId === instanceId),
					requestId: body.RequestId as string | undefined,
					serverTime: response.serverTime,
				}),
			},
		),
		withStatus ? describeAgentStatus(api, [instanceId]) : undefined,
	]);
	if (found.instance && statuses) {
		addAgentStatus(found.instance, statuses.byId.get(instanceId));
	}
	return {
		instance: found.instance,
		requestId: found.requestId,
		now: statuses?.serverTime ?? found.serverTime ?? Date.now(),
	};
}

/** The item of an instance that is not deregistered because it is not offline (long enough). */
function skippedItem(instance: IDataObject, regionId: string, reason: string): IDataObject {
	return managedInstanceItem(
		{
			InstanceId: instance.InstanceId,
			InstanceName: instance.InstanceName,
			Connected: instance.Connected,
			LastHeartbeatTime: instance.LastHeartbeatTime ?? null,
			Deregistered: false,
			Skipped: true,
			Reason: reason,
		},
		regionId,
	);
}

/**
 * DeregisterManagedInstance: the server stops being a managed instance and can no
 * longer receive Cloud Assistant commands or files. Outputs the instance as the API
 * returned it (the instance as it was, without Connected and Tags, which that answer
 * lacks) with RegionId and Deregistered: true; an instance already gone is
 * `AlreadyDeregistered` only with that option on (helpers/regionSearch.ts). With Only If
 * Offline For At Least or Dry Run, the instance is read again just before and that reading
 * fills in the fields the answer lacks.
 */
export const deregister: EcsOperation<DeregisterInput, undefined> = {
	description,

	readInput(context, itemIndex, options) {
		const value = context.getNodeParameter('instanceId', itemIndex, undefined, {
			extractValue: true,
		});
		return {
			instanceId: validateManagedInstanceId(value),
			succeedIfAlreadyDeregistered: booleanValue(
				options.succeedIfAlreadyDeregistered ?? false,
				'Succeed If Already Deregistered',
			),
			onlyIfOfflineForHours:
				options.onlyIfOfflineForAtLeast === undefined
					? undefined
					: readHours(options.onlyIfOfflineForAtLeast, 'Only If Offline For At Least (Hours)'),
			dryRun: booleanValue(options.dryRun ?? false, 'Dry Run'),
			maxPerRun:
				options.maxDeregistrationsPerRun === undefined
					? undefined
					: integerInRange(options.maxDeregistrationsPerRun, 'Max Deregistrations Per Run', {
							min: 1,
							max: 1_000_000,
						}),
		};
	},

	async prepareRun(items) {
		const { maxPerRun, dryRun } = items[0].input;
		if (maxPerRun !== undefined && items.length > maxPerRun) {
			throw new RunRefusedError(
				`Refusing to deregister ${items.length} managed instances in one run: Max Deregistrations Per Run is ${maxPerRun}. Nothing was deregistered${dryRun ? ' (Dry Run: a real run would be refused the same way)' : ''}.`,
				'The cap guards against a filter gone wrong. Check what reaches this node (the listing and its filters), or raise Max Deregistrations Per Run if that many are expected.',
			);
		}
		return undefined;
	},

	async execute(api, input) {
		const { instanceId, succeedIfAlreadyDeregistered } = input;
		let current: IDataObject | undefined;
		if (input.onlyIfOfflineForHours !== undefined || input.dryRun) {
			const recheck = await readNow(api, instanceId, input.onlyIfOfflineForHours !== undefined);
			current = recheck.instance;
			if (current && input.onlyIfOfflineForHours !== undefined) {
				const verdict = judgeOffline(current, input.onlyIfOfflineForHours, recheck.now);
				if (!verdict.offline) return skippedItem(current, api.regionId, verdict.reason);
			}
			if (input.dryRun) {
				if (current) {
					return managedInstanceItem(
						{ ...current, Deregistered: false, DryRun: true },
						api.regionId,
					);
				}
				if (succeedIfAlreadyDeregistered) {
					// As a real run would: gone only if no other managed-instance region has it.
					const search = await searchOtherRegions(api, instanceId);
					if (!search.foundInRegionId && search.failed.length === 0) {
						return {
							InstanceId: instanceId,
							RegionId: api.regionId,
							AlreadyDeregistered: true,
							DryRun: true,
							SearchedRegionIds: search.searchedRegionIds,
							RequestId: recheck.requestId,
						};
					}
				}
				throw new NotFoundError(`Managed instance ${instanceId}`, api.regionId, recheck.requestId);
			}
			// Not found now: the deregistration below gets the API's own NotFound answer.
		}
		try {
			return await api.call(
				'DeregisterManagedInstance',
				{ InstanceId: instanceId },
				{
					subject: `Managed instance ${instanceId}`,
					parse: (body) =>
						managedInstanceItem(
							{
								...current,
								...toManagedInstance(body.Instance),
								Deregistered: true,
								RequestId: body.RequestId,
							},
							api.regionId,
						),
				},
			);
		} catch (error) {
			// Success only for the instance's own not-found, once no other region has it;
			// every other failure is thrown on.
			return await alreadyDeregistered(api, instanceId, error, succeedIfAlreadyDeregistered);
		}
	},
};
