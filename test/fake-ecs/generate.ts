/** Realistic generated values for instances and activation codes; deterministic given a seeded `random`. */
import type { Activation, ManagedInstance } from './model';
import { regionCode } from './regions';

/** The account's default resource group (generated instances and activations join it). */
export const DEFAULT_RESOURCE_GROUP_ID = 'rg-acfmfakeecs0001';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Module-level copies of globals: under jest's vm context every global lookup is slow.
const floor = Math.floor;
const imul = Math.imul;
const fromCharCode = String.fromCharCode;
const NativeDate = Date;

/** `2021-01-20T08:57:56Z`: ISO 8601 without milliseconds, as the API writes times. */
export const isoSeconds = (ms: number): string =>
	`${new NativeDate(ms).toISOString().slice(0, 19)}Z`;

/** mulberry32: a tiny seeded PRNG, so `--seed N` gives the same data every run. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const int = (random: () => number, min: number, max: number): number =>
	min + floor(random() * (max - min + 1));
const pick = <T>(random: () => number, items: readonly T[]): T =>
	items[floor(random() * items.length)];

function chars(random: () => number, alphabet: string, length: number): string {
	const codes = new Array<number>(length);
	for (let i = 0; i < length; i++)
		codes[i] = alphabet.charCodeAt(floor(random() * alphabet.length));
	return fromCharCode(...codes);
}

/** `length` hex digits, 8 per random draw (cheaper than one draw per character). */
function hex(random: () => number, length: number): string {
	let out = '';
	while (out.length < length)
		out += floor(random() * 0x100000000)
			.toString(16)
			.padStart(8, '0');
	return out.slice(0, length);
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function randomUuid(random: () => number): string {
	const h = hex(random, 32).toUpperCase();
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89AB'[int(random, 0, 3)]}${h.slice(17, 20)}-${h.slice(20)}`;
}

const OS = [
	{
		type: 'linux',
		weight: 0.7,
		agent: ['2.2.3.541', '2.2.0.102', '2.4.3.773'],
		versions: [
			'Linux_#38~18.04.1-Ubuntu SMP Wed Jan 6 18:26:30 UTC 2021_x86_64',
			'Linux_#1 SMP PREEMPT_DYNAMIC Debian 6.1.85-1 (2024-04-11)_x86_64',
			'Linux_#1 SMP Thu Mar 7 15:34:02 CST 2024_x86_64',
			'Linux_#100-Ubuntu SMP Fri May 17 15:21:29 UTC 2024_aarch64',
		],
	},
	{
		type: 'windows',
		weight: 0.25,
		agent: ['2.1.3.541', '2.1.4.857'],
		versions: [
			'Microsoft Windows Server 2019 Datacenter 64-bit (10.0.17763)',
			'Microsoft Windows Server 2022 Standard 64-bit (10.0.20348)',
		],
	},
	{ type: 'FreeBSD', weight: 0.05, agent: ['2.3.1.212'], versions: ['FreeBSD_13.2-RELEASE_amd64'] },
] as const;

const HOST_ROLES = ['web', 'db', 'cache', 'build', 'edge', 'batch', 'mq', 'api'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const TEAMS = ['payments', 'search', 'platform', 'data'] as const;
// Shared, frozen tag objects: 10,000 generated instances need not hold 20,000 copies.
const tag = (TagKey: string, TagValue: string) => Object.freeze({ TagKey, TagValue });
const ENV_TAGS = Object.fromEntries(ENVS.map((e) => [e, tag('env', e)]));
const TEAM_TAGS = TEAMS.map((t) => tag('team', t));

export function generateInstance(
	regionId: string,
	random: () => number,
	now: number,
): ManagedInstance {
	const r = random();
	const os = r < OS[0].weight ? OS[0] : r < OS[0].weight + OS[1].weight ? OS[1] : OS[2];
	const env = pick(random, ENVS);
	const host = `${pick(random, HOST_ROLES)}-${env}-${String(int(random, 1, 99)).padStart(2, '0')}`;
	const registered = now - int(random, 1, 700) * DAY - int(random, 0, 23) * HOUR;
	const invocations = random() < 0.15 ? 0 : int(random, 1, 5000);
	// Some instances were last used long ago, some minutes ago.
	const lastInvoked =
		random() < 0.3 ? registered + int(random, 1, 30) * DAY : now - int(random, 1, 72 * 60) * 60_000;
	return {
		RegionId: regionId,
		InstanceId: `mi-${regionCode(regionId)}01${chars(random, LOWER_ALNUM, 10)}`,
		InstanceName: host,
		Hostname: host,
		Connected: random() < 0.8,
		AgentVersion: pick(random, os.agent),
		InternetIp: `47.${int(random, 90, 120)}.${int(random, 0, 255)}.${int(random, 1, 254)}`,
		IntranetIp:
			random() < 0.5
				? `10.${int(random, 0, 255)}.${int(random, 0, 255)}.${int(random, 1, 254)}`
				: `192.168.${int(random, 0, 255)}.${int(random, 1, 254)}`,
		InvocationCount: invocations,
		LastInvokedTime: invocations ? isoSeconds(lastInvoked < now ? lastInvoked : now) : undefined,
		MachineId: hex(random, 32),
		OsType: os.type,
		OsVersion: pick(random, os.versions),
		RegistrationTime: isoSeconds(registered),
		ActivationId: randomUuid(random),
		ResourceGroupId: DEFAULT_RESOURCE_GROUP_ID,
		Tags:
			random() < 0.3
				? []
				: random() < 0.5
					? [ENV_TAGS[env]]
					: [ENV_TAGS[env], pick(random, TEAM_TAGS)],
	};
}

export function generateActivation(
	regionId: string,
	random: () => number,
	now: number,
): Activation {
	return {
		RegionId: regionId,
		ActivationId: randomUuid(random),
		ActivationCode: `a-${regionCode(regionId)}0${chars(random, CODE_ALPHABET, 28)}`,
		CreationTime: isoSeconds(now),
		DeregisteredCount: 0,
		RegisteredCount: 0,
		Disabled: false,
		InstanceCount: 10,
		IpAddressRange: '0.0.0.0/0',
		TimeToLiveInHours: 4,
		ResourceGroupId: DEFAULT_RESOURCE_GROUP_ID,
		Tags: [],
	};
}
