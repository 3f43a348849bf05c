/**
 * The Cloud Assistant agent's heartbeat, per managed instance, on the fake's clock.
 *
 * Sources (Alibaba's SDK model remarks for DescribeCloudAssistantStatus, e.g. the C# SDK's
 * `ecs-20140526/core/Models/DescribeCloudAssistantStatusResponseBody.cs`; the TypeScript SDK
 * 7.11.x ships the same fields without remarks):
 * - `LastHeartbeatTime`: "The last heartbeat time of Cloud Assistant. The value is updated every
 *   minute on average. The interval can be 55, 60, or 65 seconds." Modelled as one beat a minute,
 *   at a per-instance phase, so a connected instance's last beat is 0 to 60 s old.
 * - `CloudAssistantStatus`: "true: Heartbeats are detected in the last 2 minutes. false: No
 *   heartbeats are detected in the last 2 minutes." A string, not a boolean.
 * - `CloudAssistantVersion`: "empty if Cloud Assistant Agent is not installed or is not running".
 * - `SupportSessionManager`: agent at least 2.2.3.189 (Linux) or 2.1.3.189 (Windows).
 * - `OSType`: Windows, Linux or FreeBSD (capitalised, unlike DescribeManagedInstances' `OsType`).
 *
 * Connected instances keep beating: their last beat is computed from the clock at every read.
 * Disconnected instances keep the last beat they sent (`ManagedInstance.LastHeartbeatTime`), or
 * none (`null`) if the agent never sent one. Connected in DescribeManagedInstances and
 * CloudAssistantStatus here always agree (unverified: Alibaba documents no lag between them).
 */
import { isoSeconds } from './generate';
import type { ManagedInstance, ManagedInstanceInput } from './model';

export const HEARTBEAT_INTERVAL_MS = 60_000;
/** An agent whose last beat is older than this counts as not running (CloudAssistantStatus). */
export const RUNNING_WINDOW_MS = 120_000;
/**
 * A disconnected instance created without a LastHeartbeatTime went offline this long after its
 * last sign of life (its last command, or its registration): its agent beat for a little while.
 */
export const OFFLINE_AFTER_LAST_USE_MS = 5 * 60_000;

/** A fixed offset within the minute per instance, so beats of a fleet are spread out. */
function phaseOf(instanceId: string): number {
	let hash = 0;
	for (let i = 0; i < instanceId.length; i++) hash = (hash * 31 + instanceId.charCodeAt(i)) >>> 0;
	return (hash % 60) * 1000;
}

/** The time (epoch ms) of the latest beat a connected agent sent at or before `now`. */
export function latestBeat(instanceId: string, now: number): number {
	const phase = phaseOf(instanceId);
	return (
		now -
		((((now - phase) % HEARTBEAT_INTERVAL_MS) + HEARTBEAT_INTERVAL_MS) % HEARTBEAT_INTERVAL_MS)
	);
}

/** LastHeartbeatTime as the API returns it now, or undefined when the agent never beat. */
export function lastHeartbeatTime(instance: ManagedInstance, now: number): string | undefined {
	if (instance.Connected) return isoSeconds(latestBeat(instance.InstanceId, now));
	return instance.LastHeartbeatTime ?? undefined;
}

/**
 * The last beat a disconnected instance created without one has: shortly after its last command
 * or its registration, whichever is later, never in the future. Connected instances get none
 * stored (they beat at every read).
 */
export function settleHeartbeat(
	instance: ManagedInstance,
	input: ManagedInstanceInput,
	now: number,
): void {
	if (input.LastHeartbeatTime !== undefined) {
		instance.LastHeartbeatTime = input.LastHeartbeatTime;
		return;
	}
	if (instance.Connected) {
		instance.LastHeartbeatTime = undefined;
		return;
	}
	const lastUse = Math.max(
		Date.parse(instance.RegistrationTime) || 0,
		instance.LastInvokedTime ? Date.parse(instance.LastInvokedTime) || 0 : 0,
	);
	instance.LastHeartbeatTime = isoSeconds(Math.min(now, lastUse + OFFLINE_AFTER_LAST_USE_MS));
}

const OS_TYPE: Record<string, string> = { linux: 'Linux', windows: 'Windows', freebsd: 'FreeBSD' };

/** DescribeCloudAssistantStatus' OSType for a managed instance's OsType. */
export function statusOsType(osType: string): string {
	return OS_TYPE[osType.toLowerCase()] ?? osType;
}

function versionAtLeast(version: string, minimum: string): boolean {
	const a = version.split('.').map(Number);
	const b = minimum.split('.').map(Number);
	for (let i = 0; i < b.length; i++) {
		if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
	}
	return true;
}

/** DescribeCloudAssistantStatus `InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus[]` item. */
export function cloudAssistantStatusWire(
	instance: ManagedInstance,
	now: number,
): Record<string, unknown> {
	const beat = lastHeartbeatTime(instance, now);
	const running = beat !== undefined && beat !== '' && now - Date.parse(beat) <= RUNNING_WINDOW_MS;
	const osType = statusOsType(instance.OsType);
	const minimum = osType === 'Windows' ? '2.1.3.189' : '2.2.3.189';
	return {
		// The Command resource's fake agent may count running tasks; this model runs none.
		ActiveTaskCount: 0,
		CloudAssistantStatus: String(running),
		CloudAssistantVersion: running ? instance.AgentVersion : '',
		InstanceId: instance.InstanceId,
		InvocationCount: instance.InvocationCount,
		LastHeartbeatTime: beat,
		LastInvokedTime: instance.LastInvokedTime,
		OSType: osType,
		SupportSessionManager: versionAtLeast(instance.AgentVersion, minimum),
	};
}
