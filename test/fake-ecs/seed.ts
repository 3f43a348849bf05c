/**
 * A small, realistic account for `npm run dev` / `npm run demo`: activation codes in several
 * states and instances that differ where a user would filter (connected, OS, tags, last use).
 * Its dates agree with each other as they would in a real account: a server registers with an
 * activation code while the code is valid (CreationTime + TimeToLiveInHours, the CreateActivation
 * API reference), and runs its commands after it registered.
 */
import { isoSeconds } from './generate';
import type { FakeEcsState } from './model';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export function seedDemo(state: FakeEcsState, now: number = Date.now()): void {
	const ago = (days: number, plusHours = 0) => isoSeconds(now - days * DAY + plusHours * HOUR);

	const web = state.addActivation({
		InstanceName: 'web-fleet',
		Description: 'On-premises web servers, Frankfurt office',
		InstanceCount: 20,
		TimeToLiveInHours: 4,
		IpAddressRange: '203.0.113.0/24',
		CreationTime: ago(120),
		Tags: { env: 'prod', team: 'web' },
	});
	// registered within the code's 4 hours; one went offline 45 days ago, one 12 days ago
	for (const [connected, lastUsedDays, invocations, hoursAfterCode] of [
		[true, 0.02, 412, 1],
		[true, 0.5, 97, 1],
		[false, 45, 3, 2],
		[false, 12, 58, 3],
	] as const) {
		state.addInstance({
			ActivationId: web.ActivationId,
			OsType: 'linux',
			Connected: connected,
			RegistrationTime: ago(120, hoursAfterCode),
			LastInvokedTime: ago(lastUsedDays),
			InvocationCount: invocations,
			Tags: { env: 'prod', team: 'web' },
		});
	}

	const legacy = state.addActivation({
		InstanceName: 'legacy-dc',
		Description: 'Old datacenter, being retired',
		InstanceCount: 5,
		CreationTime: ago(900),
	});
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
		InvocationCount: 12,
		Tags: { env: 'legacy' },
	});
	legacy.Disabled = true;

	state.addActivation({
		InstanceName: 'staging',
		Description: 'Not used yet',
		InstanceCount: 3,
		TimeToLiveInHours: 2,
		CreationTime: ago(0.1),
	});

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
	});
	state.addInstance({
		OsType: 'windows',
		OsVersion: 'Microsoft Windows Server 2022 Standard 64-bit (10.0.20348)',
		InstanceName: 'build-win-02',
		Hostname: 'BUILD-WIN-02',
		Connected: true,
		RegistrationTime: ago(20),
		InvocationCount: 0,
		Tags: [],
	});
	state.addInstance({
		RegionId: 'cn-beijing',
		OsType: 'linux',
		InstanceName: 'bj-db-01',
		Hostname: 'bj-db-01',
		Connected: true,
		RegistrationTime: ago(300),
		LastInvokedTime: ago(1),
		InvocationCount: 1530,
		Tags: { env: 'prod', team: 'data' },
	});
	state.addInstance({
		RegionId: 'cn-beijing',
		OsType: 'linux',
		InstanceName: 'bj-batch-07',
		Hostname: 'bj-batch-07',
		Connected: false,
		RegistrationTime: ago(500),
		LastInvokedTime: ago(200),
		InvocationCount: 7,
		Tags: { env: 'dev' },
	});
}
