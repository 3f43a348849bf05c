/**
 * The fake's in-memory account: managed instances and activation codes, per region, plus the
 * wire forms the API returns for them. Field names are the API's own.
 */
import { OrderedStore } from './ordered-store';
import { generateActivation, generateInstance, isoSeconds } from './generate';
import { latestBeat, settleHeartbeat } from './heartbeat';

export interface Tag {
	TagKey: string;
	TagValue: string;
}

export interface ManagedInstance {
	RegionId: string;
	InstanceId: string;
	InstanceName: string;
	Hostname: string;
	Connected: boolean;
	AgentVersion: string;
	InternetIp: string;
	IntranetIp: string;
	/** A Long; the API sends it as a number. */
	InvocationCount: number;
	LastInvokedTime?: string;
	MachineId: string;
	OsType: string;
	OsVersion: string;
	RegistrationTime: string;
	ActivationId?: string;
	ResourceGroupId?: string;
	Tags: Tag[];
	/**
	 * The agent's last heartbeat (API time format) while disconnected; null: it never sent one.
	 * Connected instances keep beating and ignore it (heartbeat.ts).
	 */
	LastHeartbeatTime?: string | null;
}

export interface Activation {
	RegionId: string;
	ActivationId: string;
	/** The secret shown once by CreateActivation; never listed. */
	ActivationCode: string;
	CreationTime: string;
	DeregisteredCount: number;
	/** How many times the code has been used to register an instance (never decreases). */
	RegisteredCount: number;
	Disabled: boolean;
	InstanceCount: number;
	IpAddressRange: string;
	TimeToLiveInHours: number;
	ResourceGroupId?: string;
	Tags: Tag[];
	Description?: string;
	InstanceName?: string;
}

export type TagsInput = Tag[] | Record<string, string>;
export type ManagedInstanceInput = Partial<Omit<ManagedInstance, 'InvocationCount' | 'Tags'>> & {
	InvocationCount?: number | string;
	Tags?: TagsInput;
};
export type ActivationInput = Partial<Omit<Activation, 'Tags'>> & { Tags?: TagsInput };

export const DEFAULT_REGION = 'cn-hangzhou';
export { DEFAULT_RESOURCE_GROUP_ID } from './generate';

/**
 * ALIBABA.md's DeregisterManagedInstance sample, field for field and in wire form
 * (InvocationCount "2"), except the InstanceId is unmasked. It lives in cn-hangzhou.
 */
export const SAMPLE_INSTANCE = Object.freeze({
	MachineId: 'e03231b37ab14e53b5795ad625fc****',
	AgentVersion: '2.2.0.102',
	InstanceId: 'mi-hz01axdfas0001',
	InvocationCount: '2',
	OsVersion: 'Linux_#38~18.04.1-Ubuntu SMP Wed Jan 6 18:26:30 UTC 2021_x86_64',
	Hostname: 'test-Hostname',
	ActivationId: '4ECEEE12-56F1-4FBC-9AB1-890F7494****',
	RegistrationTime: '2021-01-20T08:57:56Z',
	IntranetIp: '10.0. **. **',
	InstanceName: 'test-InstanceName-001',
	InternetIp: '47.8. **. **',
	OsType: 'linux',
	LastInvokedTime: '2021-01-20T09:00:40Z',
});
export const SAMPLE_REGION = DEFAULT_REGION;

function toTags(input: TagsInput | undefined): Tag[] {
	if (!input) return [];
	if (Array.isArray(input))
		return input.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue ?? '' }));
	return Object.entries(input).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

interface RegionData {
	instances: OrderedStore<ManagedInstance>;
	activations: OrderedStore<Activation>;
}
type ItemOf<K extends keyof RegionData> = RegionData[K] extends OrderedStore<infer T> ? T : never;

export interface FakeEcsStateOptions {
	now?: () => number;
	random?: () => number;
}

export class FakeEcsState {
	/**
	 * How DescribeCloudAssistantStatus answers an InstanceId.N it does not know (deregistered, or
	 * never existed): left out of the answer (default), or the whole call refused with 404
	 * InvalidInstance.NotFound. Unverified: Alibaba documents neither, so clients must cope with both.
	 */
	statusOfUnknownIds: 'omit' | 'notFound' = 'omit';

	private readonly regions = new Map<string, RegionData>();
	private readonly forbidden = new Set<string>();
	private readonly now: () => number;
	private readonly random: () => number;

	constructor(options: FakeEcsStateOptions = {}) {
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
	}

	/** The stores for one region (created on first use); action handlers page through these. */
	region(regionId: string): RegionData {
		let data = this.regions.get(regionId);
		if (!data) {
			data = { instances: new OrderedStore(), activations: new OrderedStore() };
			this.regions.set(regionId, data);
		}
		return data;
	}

	clear(): void {
		this.regions.clear();
		this.forbidden.clear();
		this.statusOfUnknownIds = 'omit';
	}

	/** From now on, managed-instance actions in this region answer 403 Operation.Forbidden. */
	forbidOperations(regionId: string): void {
		this.forbidden.add(regionId);
	}

	isForbidden(regionId: string): boolean {
		return this.forbidden.has(regionId);
	}

	// ------------------------------------------------------------ managed instances

	/** Adds one instance; unspecified fields get realistic generated values. */
	addInstance(input: ManagedInstanceInput = {}): ManagedInstance {
		const instance = this.buildInstance(input);
		this.region(instance.RegionId).instances.set(instance.InstanceId, instance);
		this.countRegistration(instance);
		return instance;
	}

	/** Adds `count` generated instances sharing the fields of `template` (fast: one sort). */
	addInstances(count: number, template: ManagedInstanceInput = {}): ManagedInstance[] {
		const shared = this.normalize({ ...template, InstanceId: undefined });
		const store = this.region(shared.RegionId).instances;
		const created = new Map<string, ManagedInstance>();
		while (created.size < count) {
			const instance = Object.assign(
				generateInstance(shared.RegionId, this.random, this.now()),
				shared,
			);
			if (shared.Tags) instance.Tags = shared.Tags.slice();
			settleHeartbeat(instance, template, this.now());
			if (!store.get(instance.InstanceId)) created.set(instance.InstanceId, instance);
		}
		store.setMany(created);
		const list = [...created.values()];
		list.forEach((i) => this.countRegistration(i));
		return list;
	}

	/** Adds SAMPLE_INSTANCE (Connected, no tags, no resource group: nothing the sample lacks). */
	addSampleInstance(): ManagedInstance {
		const instance = this.buildInstance({
			...SAMPLE_INSTANCE,
			RegionId: SAMPLE_REGION,
			Connected: true,
			Tags: [],
		});
		delete instance.ResourceGroupId;
		this.region(SAMPLE_REGION).instances.set(instance.InstanceId, instance);
		return instance;
	}

	getInstance(instanceId: string, regionId?: string): ManagedInstance | undefined {
		return this.find('instances', instanceId, regionId);
	}

	/**
	 * The agent stops beating (the server went offline): Connected becomes false and the instance
	 * keeps its last beat, the latest one before now (or `lastBeatAt`, epoch ms, if given).
	 */
	disconnectInstance(instanceId: string, regionId?: string, lastBeatAt?: number): ManagedInstance {
		const instance = this.requireInstance(instanceId, regionId);
		const beat = lastBeatAt ?? latestBeat(instance.InstanceId, this.now());
		instance.Connected = false;
		instance.LastHeartbeatTime = isoSeconds(beat);
		return instance;
	}

	/** The agent is back: Connected becomes true and it beats again from now on. */
	reconnectInstance(instanceId: string, regionId?: string): ManagedInstance {
		const instance = this.requireInstance(instanceId, regionId);
		instance.Connected = true;
		instance.LastHeartbeatTime = undefined;
		return instance;
	}

	private requireInstance(instanceId: string, regionId?: string): ManagedInstance {
		const instance = this.getInstance(instanceId, regionId);
		if (!instance) throw new Error(`no managed instance ${instanceId} in the fake`);
		return instance;
	}

	listInstances(regionId?: string): ManagedInstance[] {
		return this.list('instances', regionId);
	}

	/** Removes the instance, counting the deregistration on its activation code. */
	deregisterInstance(instanceId: string, regionId: string): ManagedInstance | undefined {
		const data = this.regions.get(regionId);
		const removed = data?.instances.delete(instanceId);
		if (removed?.ActivationId) {
			const activation = data?.activations.get(removed.ActivationId);
			if (activation) activation.DeregisteredCount++;
		}
		return removed;
	}

	// ------------------------------------------------------------ activation codes

	addActivation(input: ActivationInput = {}): Activation {
		const regionId = input.RegionId ?? DEFAULT_REGION;
		const generated = generateActivation(regionId, this.random, this.now());
		const activation: Activation = {
			...generated,
			...stripUndefined(input),
			RegionId: regionId,
			Tags: toTags(input.Tags),
		};
		this.region(regionId).activations.set(activation.ActivationId, activation);
		return activation;
	}

	getActivation(activationId: string, regionId?: string): Activation | undefined {
		return this.find('activations', activationId, regionId);
	}

	listActivations(regionId?: string): Activation[] {
		return this.list('activations', regionId);
	}

	removeActivation(activationId: string, regionId: string): Activation | undefined {
		return this.regions.get(regionId)?.activations.delete(activationId);
	}

	// ------------------------------------------------------------ internals

	/** In one region, or (without regionId) in the first region that has it. */
	private find<K extends keyof RegionData>(
		kind: K,
		id: string,
		regionId?: string,
	): ItemOf<K> | undefined {
		const regions = regionId ? [this.regions.get(regionId)] : [...this.regions.values()];
		for (const data of regions) {
			const found = data?.[kind].get(id);
			if (found) return found as ItemOf<K>;
		}
		return undefined;
	}

	private list<K extends keyof RegionData>(kind: K, regionId?: string): Array<ItemOf<K>> {
		const regions = regionId ? [this.regions.get(regionId)] : [...this.regions.values()];
		return regions.flatMap((data) => (data ? (data[kind].values() as Array<ItemOf<K>>) : []));
	}

	private buildInstance(input: ManagedInstanceInput): ManagedInstance {
		const fields = this.normalize(input);
		const instance: ManagedInstance = Object.assign(
			generateInstance(fields.RegionId, this.random, this.now()),
			fields,
		);
		if (instance.InvocationCount === 0 && input.LastInvokedTime === undefined)
			instance.LastInvokedTime = undefined;
		settleHeartbeat(instance, input, this.now());
		const activation = instance.ActivationId
			? this.regions.get(instance.RegionId)?.activations.get(instance.ActivationId)
			: undefined;
		if (activation && input.InstanceName === undefined && activation.InstanceName) {
			// "<InstanceName>-001": as many digits as the code's InstanceCount has.
			const digits = String(activation.InstanceCount).length;
			instance.InstanceName = `${activation.InstanceName}-${String(activation.RegisteredCount + 1).padStart(digits, '0')}`;
		}
		return instance;
	}

	/** Input fields as model fields: no undefined values, InvocationCount a number, Tags a list. */
	private normalize(input: ManagedInstanceInput): Partial<ManagedInstance> & { RegionId: string } {
		const { InvocationCount, Tags, ...rest } = stripUndefined(input);
		return {
			...rest,
			RegionId: input.RegionId ?? DEFAULT_REGION,
			...(InvocationCount === undefined ? {} : { InvocationCount: Number(InvocationCount) }),
			...(Tags === undefined ? {} : { Tags: toTags(Tags) }),
		};
	}

	private countRegistration(instance: ManagedInstance): void {
		if (!instance.ActivationId) return;
		const activation = this.regions.get(instance.RegionId)?.activations.get(instance.ActivationId);
		if (activation) activation.RegisteredCount++;
	}
}

function stripUndefined<T extends object>(o: T): T {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------- wire forms (SDK model field sets)

/** DescribeManagedInstances `Instances[]` item. */
export function describeInstanceWire(i: ManagedInstance): Record<string, unknown> {
	return {
		...deregisterInstanceWire(i),
		Connected: i.Connected,
		Tags: i.Tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })),
	};
}

/** DeregisterManagedInstance `Instance` (no Connected, no Tags). */
export function deregisterInstanceWire(i: ManagedInstance): Record<string, unknown> {
	return {
		ActivationId: i.ActivationId,
		AgentVersion: i.AgentVersion,
		Hostname: i.Hostname,
		InstanceId: i.InstanceId,
		InstanceName: i.InstanceName,
		InternetIp: i.InternetIp,
		IntranetIp: i.IntranetIp,
		// A Long, sent as a number as in the current API reference sample ("InvocationCount": 2);
		// the older sample's "2" is what the node must also accept (test/unit/response.test.ts).
		InvocationCount: i.InvocationCount,
		LastInvokedTime: i.LastInvokedTime,
		MachineId: i.MachineId,
		OsType: i.OsType,
		OsVersion: i.OsVersion,
		RegistrationTime: i.RegistrationTime,
		ResourceGroupId: i.ResourceGroupId,
	};
}

/** DeleteActivation `Activation` (the narrowest set). */
export function deletedActivationWire(a: Activation): Record<string, unknown> {
	return {
		ActivationId: a.ActivationId,
		CreationTime: a.CreationTime,
		DeregisteredCount: a.DeregisteredCount,
		Description: a.Description,
		InstanceCount: a.InstanceCount,
		InstanceName: a.InstanceName,
		IpAddressRange: a.IpAddressRange,
		RegisteredCount: a.RegisteredCount,
		TimeToLiveInHours: a.TimeToLiveInHours,
	};
}

/** DisableActivation `Activation`. */
export function disabledActivationWire(a: Activation): Record<string, unknown> {
	return { ...deletedActivationWire(a), Disabled: a.Disabled };
}

/** DescribeActivations `ActivationList[]` item. */
export function describeActivationWire(a: Activation): Record<string, unknown> {
	return {
		...disabledActivationWire(a),
		ResourceGroupId: a.ResourceGroupId,
		Tags: a.Tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })),
	};
}
