import type { IDataObject } from 'n8n-workflow';

import { apiTime, parseApiTime } from './time';
import { InputError, describeValue } from './validation';

/**
 * What "offline for at least N hours" means, in one place (README: "What offline means"):
 *
 * an instance is offline for at least N hours when
 * 1. it is disconnected: `Connected` (DescribeManagedInstances) is false and its agent status
 *    (DescribeCloudAssistantStatus) does not say it is running, and
 * 2. its agent's last sign of life is at least N hours before now, where the last sign of life
 *    is the later of `LastHeartbeatTime` and `RegistrationTime`. So an instance whose agent never
 *    sent a heartbeat counts from its registration, and a heartbeat time before the registration
 *    (an empty or zero date such as 0001-01-01) cannot make a newly registered server look old.
 *
 * "Now" is the ECS endpoint's clock when it answered the status call (its HTTP Date header): the
 * clock that wrote LastHeartbeatTime. Only when the answer has no Date header is it the n8n
 * host's clock. An instance the status answer leaves out is not offline: nothing says for how
 * long. Exactly N hours counts as offline.
 */

export const HOUR_MS = 3_600_000;
/** Ten years: more is a unit mistake (minutes or seconds typed as hours). */
export const MAX_OFFLINE_HOURS = 87_600;

export interface OfflineVerdict {
	offline: boolean;
	/** Why not, in a sentence (for a Skipped item's Reason), or why it is. */
	reason: string;
	/** The last sign of life used (epoch ms), if there was one. */
	since?: number;
}

function ago(ms: number): string {
	const hours = ms / HOUR_MS;
	if (hours >= 48) return `${(hours / 24).toFixed(1)} days`;
	if (hours >= 1) return `${hours.toFixed(1)} hours`;
	return `${Math.max(0, Math.round(ms / 60_000))} minutes`;
}

/**
 * Whether `instance` (a managed instance with the agent status fields added, see
 * addAgentStatus) has been offline for at least `hours` at `now` (epoch ms).
 */
export function judgeOffline(instance: IDataObject, hours: number, now: number): OfflineVerdict {
	if (instance.Connected === true) {
		return { offline: false, reason: 'The Cloud Assistant agent is connected' };
	}
	if (instance.CloudAssistantStatus === true) {
		return {
			offline: false,
			reason: 'The Cloud Assistant agent sent a heartbeat in the last 2 minutes',
		};
	}
	if (instance.CloudAssistantStatus === null || instance.CloudAssistantStatus === undefined) {
		return {
			offline: false,
			reason:
				'DescribeCloudAssistantStatus did not report this instance, so how long it has been offline is unknown',
		};
	}
	const heartbeat = parseApiTime(instance.LastHeartbeatTime, 'LastHeartbeatTime');
	const registered = parseApiTime(instance.RegistrationTime, 'RegistrationTime');
	const since = Math.max(heartbeat ?? -Infinity, registered ?? -Infinity);
	if (!Number.isFinite(since)) {
		return {
			offline: false,
			reason: 'Neither a last heartbeat nor a registration time is known',
		};
	}
	const what =
		heartbeat !== undefined && heartbeat >= since
			? `last heartbeat ${apiTime(since)}`
			: `no heartbeat since its registration ${apiTime(since)}`;
	const age = now - since;
	if (age >= hours * HOUR_MS) {
		return { offline: true, since, reason: `Disconnected, ${what} (${ago(age)} ago)` };
	}
	return {
		offline: false,
		since,
		reason: `Disconnected for less than ${hours} hours: ${what} (${ago(age)} ago)`,
	};
}

/** Hours as typed or computed (`{{ 30 * 24 }}`): a number from 0 to MAX_OFFLINE_HOURS, fractions allowed. */
export function readHours(value: unknown, field: string): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_OFFLINE_HOURS) {
		throw new InputError(
			field,
			`${field} must be a number of hours from 0 to ${MAX_OFFLINE_HOURS}, but got ${describeValue(value)}`,
			'For days, use an expression such as {{ 30 * 24 }}.',
		);
	}
	return n;
}
