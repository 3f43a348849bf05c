/**
 * A small, realistic account for `npm run dev` / `npm run demo`: activation codes in several
 * states and instances that differ where a user would filter (connected, OS, tags, last use,
 * last heartbeat). Its dates agree with each other as they would in a real account: a server
 * registers with an activation code while the code is valid (CreationTime + TimeToLiveInHours,
 * the CreateActivation API reference), runs its commands after it registered, and a disconnected
 * server's last heartbeat (heartbeat.ts) comes after its registration and its last command.
 *
 * For the main job (test/e2e/workflows/stale-cleanup.json: offline for 30 days by heartbeat, in
 * every region, re-checked right before each deregistration) it holds each case once or more:
 * servers offline for months in two regions, connected servers that ran no command for weeks,
 * a server disconnected 12 days ago after 75 days without a command (offline too briefly: only
 * the last *command* is old), and a server offline for 35 days whose agent comes back during
 * the cleanup (`DemoAccount.reconnectAfterListing`).
 */
import type { RecordedRequest } from './exchange';
import { isoSeconds } from './generate';
import type { FakeEcsState, ManagedInstance } from './model';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** OsVersion as DescribeManagedInstances reports a Linux server (its API reference sample's form). */
const UBUNTU = 'Linux_#38~18.04.1-Ubuntu SMP Wed Jan 6 18:26:30 UTC 2021_x86_64';

/** The demo account's instances by the part they play in the 30-day cleanup (InstanceIds). */
export interface DemoAccount {
	/** Disconnected, last heartbeat more than 30 days ago (cn-hangzhou and cn-beijing). */
	offlineOver30Days: string[];
	/** Disconnected, last heartbeat 35 days ago; comes back with `reconnectAfterListing`. */
	comesBack: string;
	/** Disconnected, last heartbeat 12 days ago; its last command ran 75 days ago. */
	offline12Days: string;
	/** Connected agents (some ran no command for weeks or never). */
	connected: string[];
	/**
	 * A FakeEcsOptions.onRequest hook: right after the fake answered the first
	 * DescribeCloudAssistantStatus that asked about `comesBack` (a listing's), its agent
	 * reconnects, once. A Deregister that re-checks the instance (Only If Offline For At Least)
	 * then finds it connected. Deterministic: the hook runs when that answer has been sent, before
	 * the fake handles any later request, and a client reads the status again only after it
	 * received the listing. Returns the instance when this request made it reconnect.
	 */
	reconnectAfterListing: (request: RecordedRequest) => ManagedInstance | undefined;
}

/** Whether a request's InstanceId.N parameters (RPC lists) name `instanceId`. */
function asksAbout(request: RecordedRequest, instanceId: string): boolean {
	return Object.entries(request.params).some(
		([key, value]) => key.startsWith('InstanceId.') && value === instanceId,
	);
}

export function seedDemo(state: FakeEcsState, now: number = Date.now()): DemoAccount {
	const ago = (days: number, plusHours = 0) => isoSeconds(now - days * DAY + plusHours * HOUR);
	const connected: string[] = [];
	const offlineOver30Days: string[] = [];
	let offline12Days = '';

	const web = state.addActivation({
		InstanceName: 'web-fleet',
		Description: 'On-premises web servers, Frankfurt office',
		InstanceCount: 20,
		TimeToLiveInHours: 4,
		IpAddressRange: '203.0.113.0/24',
		CreationTime: ago(120),
		Tags: { env: 'prod', team: 'web' },
	});
	// Registered within the code's 4 hours. -003 went offline 45 days ago; -004 12 days ago, after
	// 75 days without a command (a rule by last command would wrongly call it stale).
	for (const [lastCommandDays, lastHeartbeatDays, invocations, hoursAfterCode] of [
		[0.02, undefined, 412, 1],
		[0.5, undefined, 97, 1],
		[45.2, 45, 3, 2],
		[75, 12, 58, 3],
	] as const) {
		const instance = state.addInstance({
			ActivationId: web.ActivationId,
			OsType: 'linux',
			OsVersion: UBUNTU,
			Connected: lastHeartbeatDays === undefined,
			RegistrationTime: ago(120, hoursAfterCode),
			LastInvokedTime: ago(lastCommandDays),
			LastHeartbeatTime: lastHeartbeatDays === undefined ? undefined : ago(lastHeartbeatDays),
			InvocationCount: invocations,
			Tags: { env: 'prod', team: 'web' },
		});
		if (lastHeartbeatDays === undefined) connected.push(instance.InstanceId);
		else if (lastHeartbeatDays > 30) offlineOver30Days.push(instance.InstanceId);
		else offline12Days = instance.InstanceId;
	}

	const legacy = state.addActivation({
		InstanceName: 'legacy-dc',
		Description: 'Old datacenter, being retired',
		InstanceCount: 5,
		CreationTime: ago(900),
	});
	offlineOver30Days.push(
		state.addInstance({
			ActivationId: legacy.ActivationId,
			OsType: 'windows',
			Connected: false,
			InstanceName: 'legacy-sql-01',
			Hostname: 'LEGACY-SQL-01',
			OsVersion: 'Microsoft Windows Server 2012 R2 Standard 64-bit (6.3.9600)',
			AgentVersion: '2.1.0.128',
			RegistrationTime: ago(900, 2),
			LastInvokedTime: ago(640),
			LastHeartbeatTime: ago(610),
			InvocationCount: 12,
			Tags: { env: 'legacy' },
		}).InstanceId,
	);
	legacy.Disabled = true;

	state.addActivation({
		InstanceName: 'staging',
		Description: 'Not used yet',
		InstanceCount: 3,
		TimeToLiveInHours: 2,
		CreationTime: ago(0.1),
	});

	connected.push(
		state.addInstance({
			OsType: 'FreeBSD',
			OsVersion: 'FreeBSD_13.2-RELEASE_amd64',
			InstanceName: 'edge-router-1',
			Hostname: 'edge-router-1',
			Connected: true,
			RegistrationTime: ago(400),
			LastInvokedTime: ago(3),
			InvocationCount: 58,
			Tags: { env: 'staging' },
		}).InstanceId,
		state.addInstance({
			OsType: 'windows',
			OsVersion: 'Microsoft Windows Server 2022 Standard 64-bit (10.0.20348)',
			InstanceName: 'build-win-02',
			Hostname: 'BUILD-WIN-02',
			Connected: true,
			RegistrationTime: ago(20),
			InvocationCount: 0,
			Tags: [],
		}).InstanceId,
	);
	// Switched off for a hardware repair 35 days ago; switched back on during the cleanup.
	const comesBack = state.addInstance({
		OsType: 'linux',
		OsVersion: UBUNTU,
		InstanceName: 'lab-nuc-03',
		Hostname: 'lab-nuc-03',
		Connected: false,
		RegistrationTime: ago(210),
		LastInvokedTime: ago(36),
		LastHeartbeatTime: ago(35),
		InvocationCount: 240,
		Tags: { env: 'dev', team: 'platform' },
	}).InstanceId;
	connected.push(
		state.addInstance({
			RegionId: 'cn-beijing',
			OsType: 'linux',
			InstanceName: 'bj-db-01',
			Hostname: 'bj-db-01',
			OsVersion: UBUNTU,
			Connected: true,
			RegistrationTime: ago(300),
			LastInvokedTime: ago(1),
			InvocationCount: 1530,
			Tags: { env: 'prod', team: 'data' },
		}).InstanceId,
	);
	offlineOver30Days.push(
		state.addInstance({
			RegionId: 'cn-beijing',
			OsType: 'linux',
			InstanceName: 'bj-batch-07',
			Hostname: 'bj-batch-07',
			OsVersion: UBUNTU,
			Connected: false,
			RegistrationTime: ago(500),
			LastInvokedTime: ago(200),
			LastHeartbeatTime: ago(190),
			InvocationCount: 7,
			Tags: { env: 'dev' },
		}).InstanceId,
	);

	let reconnected = false;
	return {
		offlineOver30Days,
		comesBack,
		offline12Days,
		connected,
		reconnectAfterListing: (request) => {
			if (reconnected || request.action !== 'DescribeCloudAssistantStatus') return undefined;
			if (request.status !== 200 || !asksAbout(request, comesBack)) return undefined;
			reconnected = true;
			return state.getInstance(comesBack) ? state.reconnectInstance(comesBack) : undefined;
		},
	};
}
