/**
 * What the trigger remembers between polls, and the compact form it is stored in (the workflow's
 * static data, which n8n saves as JSON in the workflow's database row).
 *
 * Per region it keeps the managed instances it saw, each with its connection (connected, not
 * known, or disconnected since its last sign of life), and the activation codes it saw, each
 * with whether it was used up; plus when the poll was (the ECS endpoint's clock) and a digest of
 * what was watched (credential, regions, filters), so that a state is never compared with a
 * fleet seen through another scope.
 *
 * Stored form, one string per region: instances as `id` (connected), `id?` (not known) or
 * `id:<seconds in base 36>` (disconnected since then); activation codes as `id` or `id!` (used
 * up); entries separated by one space. 10,000 instances with IDs of 17 characters take about
 * 200 KB, 20 bytes each (test/unit/trigger-state.test.ts, docs/BENCHMARKS.md).
 */

/** Bumped when the stored form changes; a state of another version is a new baseline. */
export const STATE_VERSION = 1;

/**
 * An instance's connection as a poll saw it: CONNECTED, UNKNOWN (the agent status was not read
 * or did not report it), or its last sign of life in epoch seconds (> 0) while disconnected.
 */
export type Connection = number;
export const CONNECTED = 0;
export const UNKNOWN = -1;

/** By region ID, then by resource ID. */
export type RegionMaps<T> = Map<string, Map<string, T>>;

export interface FleetState {
	/** Digest of the credential, regions and filters the fleet was read with (see scopeDigest). */
	scope: string;
	/** When the poll read the fleet: the ECS endpoint's clock, epoch ms. */
	polledAt: number;
	/** Instances by region and ID; absent while no instance event is watched. */
	instances?: RegionMaps<Connection>;
	/** Activation codes by region and ID: whether used up; absent while no code event is watched. */
	activations?: RegionMaps<boolean>;
}

/** The JSON form kept in the workflow's static data. */
export interface StoredState {
	v: typeof STATE_VERSION;
	scope: string;
	t: number;
	i?: Record<string, string>;
	a?: Record<string, string>;
}

const ID = /^[0-9A-Za-z][0-9A-Za-z_.-]*$/;

function encodeConnection(id: string, connection: Connection): string {
	if (connection === CONNECTED) return id;
	if (connection === UNKNOWN) return `${id}?`;
	return `${id}:${connection.toString(36)}`;
}

function decodeConnection(entry: string): [string, Connection] | undefined {
	if (entry.endsWith('?')) return [entry.slice(0, -1), UNKNOWN];
	const colon = entry.indexOf(':');
	if (colon < 0) return [entry, CONNECTED];
	const seconds = parseInt(entry.slice(colon + 1), 36);
	if (!Number.isSafeInteger(seconds) || seconds <= 0) return undefined;
	return [entry.slice(0, colon), seconds];
}

function encodeUsedUp(id: string, usedUp: boolean): string {
	return usedUp ? `${id}!` : id;
}

function decodeUsedUp(entry: string): [string, boolean] {
	return entry.endsWith('!') ? [entry.slice(0, -1), true] : [entry, false];
}

function encodeMaps<T>(
	maps: RegionMaps<T>,
	encode: (id: string, value: T) => string,
): Record<string, string> {
	const stored: Record<string, string> = {};
	for (const [regionId, entries] of maps) {
		const parts: string[] = [];
		for (const [id, value] of entries) parts.push(encode(id, value));
		stored[regionId] = parts.join(' ');
	}
	return stored;
}

function decodeMaps<T>(
	stored: unknown,
	decode: (entry: string) => [string, T] | undefined,
): RegionMaps<T> | undefined {
	if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return undefined;
	const maps: RegionMaps<T> = new Map();
	for (const [regionId, text] of Object.entries(stored as Record<string, unknown>)) {
		if (typeof text !== 'string') return undefined;
		const entries = new Map<string, T>();
		if (text !== '') {
			for (const entry of text.split(' ')) {
				const decoded = decode(entry);
				if (!decoded || !ID.test(decoded[0])) return undefined;
				entries.set(decoded[0], decoded[1]);
			}
		}
		maps.set(regionId, entries);
	}
	return maps;
}

/** The state in its stored form (plain JSON). */
export function encodeState(state: FleetState): StoredState {
	const stored: StoredState = { v: STATE_VERSION, scope: state.scope, t: state.polledAt };
	if (state.instances) stored.i = encodeMaps(state.instances, encodeConnection);
	if (state.activations) stored.a = encodeMaps(state.activations, encodeUsedUp);
	return stored;
}

/**
 * The state from its stored form, or undefined when there is none or it cannot be read (another
 * version, or damaged): the next poll is then a baseline.
 */
export function decodeState(stored: unknown): FleetState | undefined {
	if (stored === null || typeof stored !== 'object') return undefined;
	const { v, scope, t, i, a } = stored as Partial<StoredState>;
	if (v !== STATE_VERSION || typeof scope !== 'string' || typeof t !== 'number') return undefined;
	if (!Number.isFinite(t)) return undefined;
	const state: FleetState = { scope, polledAt: t };
	if (i !== undefined) {
		const instances = decodeMaps(i, decodeConnection);
		if (!instances) return undefined;
		state.instances = instances;
	}
	if (a !== undefined) {
		const activations = decodeMaps(a, decodeUsedUp);
		if (!activations) return undefined;
		state.activations = activations;
	}
	return state;
}
