/**
 * FakeEcs: an HTTP(S) stand-in for the ECS 2014-05-26 RPC API (managed instances, activation
 * codes, regions) and STS AssumeRole, on 127.0.0.1 with an ephemeral port. Every request is
 * authenticated with the fake's own signature code, recorded, and answered like the real API.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { routeAction, type ActionContext, type ActionSpec } from './actions';
import { Authenticator } from './auth';
import { CloudAssistant, type CloudAssistantOptions } from './cloud-assistant';
import { ApiError } from './errors';
import { Exchange, type RecordedRequest } from './exchange';
import { answerFault, FaultQueue, withWrongTypes, type Fault } from './faults';
import { seededRandom } from './generate';
import { IdempotencyStore, readClientToken } from './idempotency';
import { FakeEcsState } from './model';
import type { Params } from './params';
import { DEFAULT_REGION_IDS, MANAGED_INSTANCE_REGION_IDS } from './regions';
import { parseParams } from './signature';
import { StsSessions, type RoleConfig } from './sts';

export type { RecordedRequest };

export const TEST_ACCESS_KEY_ID = 'LTAI5tFakeEcsTestKey0001';
export const TEST_ACCESS_KEY_SECRET = 'Fk3cT9sEcr8tW2xQ7mL4nV6bZ1yH5p';
export const TEST_ACCOUNT_ID = '1234567890123456';
/** A role AssumeRole accepts by default (no ExternalId required). */
export const TEST_ROLE_ARN = `acs:ram::${TEST_ACCOUNT_ID}:role/fake-ecs-test-role`;

export interface FakeEcsOptions {
	/** AccessKey ID → secret accepted; default {TEST_ACCESS_KEY_ID: TEST_ACCESS_KEY_SECRET}. */
	accessKeys?: Record<string, string>;
	/** Regions that exist (DescribeRegions; any other RegionId is InvalidRegionId.NotFound); default: 25 real ones. */
	regions?: string[];
	/**
	 * Regions where the managed-instance APIs answer (the others that exist refuse them with
	 * RegionId.ApiNotSupported); default: the 16 of the SDK's models (regions.ts).
	 */
	managedInstanceRegions?: string[];
	/**
	 * CreateActivation's TimeToLiveInHours limit (400 ActivationTTL.ExceedLimit above it). Default 4,
	 * the stricter of the sources (SDK model: "Valid values: 1 to 4"; older pages: 24; the current
	 * reference names no maximum).
	 */
	maxActivationHours?: number;
	/** Added to every request before it is handled (benchmarks). */
	latencyMs?: number;
	/** Also listen with HTTPS (test certificate, see caCertPath) on another port. */
	https?: boolean;
	/** Add SAMPLE_INSTANCE (default true). */
	seedSample?: boolean;
	/** RAM role ARNs AssumeRole accepts; default {TEST_ROLE_ARN: {}}. */
	roles?: Record<string, RoleConfig>;
	/** Fixed ports (default: ephemeral). */
	port?: number;
	httpsPort?: number;
	/** The server's clock in epoch ms (timestamps, STS expiry, ClientToken TTL); default Date.now. */
	now?: () => number;
	/** Seed for generated data (IDs, IPs, names…), for repeatable runs; default Math.random. */
	seed?: number;
	/** Called once per request when it is answered (or dropped). */
	onRequest?: (request: RecordedRequest) => void;
	/** Keep only the latest N recorded requests (default: all). */
	maxRecordedRequests?: number;
	/** The Cloud Assistant agents: clock speed, daily quota, read delay (see cloud-assistant.ts). */
	cloudAssistant?: CloudAssistantOptions;
}

const TLS_DIR = path.join(__dirname, 'tls');
const MAX_HEADER_BYTES = 256 * 1024;

export class FakeEcs {
	static readonly caCertPath = path.join(TLS_DIR, 'ca.pem');

	readonly requests: RecordedRequest[] = [];
	readonly state: FakeEcsState;
	/** Temporary credentials issued by AssumeRole. */
	readonly sts = new StsSessions();
	readonly accessKeys: Readonly<Record<string, string>>;
	readonly regions: readonly string[];
	readonly managedInstanceRegions: readonly string[];
	/** Command runs and file sends on the managed instances, on the agents' own clock. */
	readonly assistant: CloudAssistant;

	private readonly options: FakeEcsOptions;
	private readonly now: () => number;
	/** Added to the server's clock: see skewClock. */
	private clockSkewMs = 0;
	private readonly faults = new FaultQueue();
	private readonly idempotency = new IdempotencyStore();
	private readonly auth: Authenticator;
	private readonly roles: Record<string, RoleConfig>;
	private readonly servers: http.Server[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private addresses: { http?: AddressInfo; https?: AddressInfo } = {};

	static async start(options: FakeEcsOptions = {}): Promise<FakeEcs> {
		const fake = new FakeEcs(options);
		await fake.listen();
		return fake;
	}

	private constructor(options: FakeEcsOptions) {
		this.options = options;
		const clock = options.now ?? Date.now;
		this.now = () => clock() + this.clockSkewMs;
		this.accessKeys = {
			...(options.accessKeys ?? { [TEST_ACCESS_KEY_ID]: TEST_ACCESS_KEY_SECRET }),
		};
		this.regions = [...(options.regions ?? DEFAULT_REGION_IDS)];
		this.managedInstanceRegions = [
			...(options.managedInstanceRegions ?? MANAGED_INSTANCE_REGION_IDS),
		];
		this.roles = { ...(options.roles ?? { [TEST_ROLE_ARN]: {} }) };
		this.state = new FakeEcsState({
			now: this.now,
			random: options.seed === undefined ? undefined : seededRandom(options.seed),
		});
		this.auth = new Authenticator(this.accessKeys, this.sts, this.now);
		this.assistant = new CloudAssistant(this.state, TEST_ACCOUNT_ID, {
			seed: options.seed,
			...options.cloudAssistant,
		});
		this.seed();
	}

	/** `http://127.0.0.1:PORT` */
	get url(): string {
		return `http://${this.host}`;
	}
	/** `127.0.0.1:PORT`: what the SDK's `endpoint` takes. */
	get host(): string {
		return `127.0.0.1:${this.addresses.http?.port}`;
	}
	get httpsUrl(): string | undefined {
		return this.httpsHost && `https://${this.httpsHost}`;
	}
	get httpsHost(): string | undefined {
		return this.addresses.https && `127.0.0.1:${this.addresses.https.port}`;
	}

	inject(fault: Fault): void {
		this.faults.inject(fault);
	}

	/**
	 * Clock-skew mode: the server's clock runs `ms` ahead of the client's (negative: behind), as
	 * when the n8n host's clock is wrong. Beyond 15 minutes every signed request is refused with
	 * 400 InvalidTimeStamp.Expired (auth.ts). reset() sets it back to 0.
	 */
	skewClock(ms: number): void {
		this.clockSkewMs = ms;
	}

	/** Clears recorded requests, faults, ClientTokens, nonces, STS sessions and state, then re-seeds. */
	reset(): void {
		this.requests.length = 0;
		this.clockSkewMs = 0;
		this.sts.clear();
		this.faults.clear();
		this.idempotency.clear();
		this.auth.reset();
		this.state.clear();
		this.assistant.reset();
		this.seed();
	}

	async close(): Promise<void> {
		this.timers.forEach(clearTimeout);
		this.timers.clear();
		await Promise.all(
			this.servers.map(
				(s) =>
					new Promise<void>((resolve) => {
						s.close(() => resolve());
						s.closeAllConnections();
					}),
			),
		);
	}

	private seed(): void {
		if (this.options.seedSample !== false) this.state.addSampleInstance();
	}

	private async listen(): Promise<void> {
		const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
			// Every answer says the server's time (RFC 9110 Date), from the fake's clock.
			res.sendDate = false;
			res.setHeader('date', new Date(this.now()).toUTCString());
			const ex = new Exchange(req, res, (record) => this.options.onRequest?.(record));
			this.handle(ex).catch((err: unknown) => {
				if (res.headersSent || res.destroyed) {
					res.destroy();
					ex.finish();
				} else {
					// ApiErrors are answers; anything else is a bug in the fake, shown as a 500.
					const bug = new ApiError(500, 'InternalError', `Fake ECS bug: ${(err as Error).stack}`);
					ex.sendError(err instanceof ApiError ? err : bug);
				}
			});
		};
		// RPC parameters travel in the query, as the SDK sends them: a RunCommand's content (up to
		// 24 KB Base64) or a SendFile's (32 KB) makes a request line far above Node's 16 KiB default.
		const plain = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler);
		this.addresses.http = await this.bind(plain, this.options.port);
		if (this.options.https) {
			const tls = https.createServer(
				{
					maxHeaderSize: MAX_HEADER_BYTES,
					key: readFileSync(path.join(TLS_DIR, 'server-key.pem')),
					cert: readFileSync(path.join(TLS_DIR, 'server.pem')),
				},
				handler,
			);
			this.addresses.https = await this.bind(tls, this.options.httpsPort);
		}
	}

	private bind(server: http.Server, port = 0): Promise<AddressInfo> {
		// Longer than clients keep idle sockets, so a reused keep-alive socket is never closed under them.
		server.keepAliveTimeout = 65_000;
		this.servers.push(server);
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve(server.address() as AddressInfo));
		});
	}

	// ------------------------------------------------------------ one request

	private async handle(ex: Exchange): Promise<void> {
		const { record } = ex;
		this.record(record);
		const body = await ex.readBody();
		if (this.options.latencyMs) await this.sleep(this.options.latencyMs);

		const query = parseParams(ex.rawQuery);
		const isForm = /^application\/x-www-form-urlencoded/i.test(
			ex.req.headers['content-type'] ?? '',
		);
		const form = isForm ? parseParams(body.toString('utf8')) : [];
		const params: Params = Object.fromEntries([...query, ...form]);
		record.params = params;
		const auth = this.auth.authenticate({
			method: record.method,
			path: ex.rawPath,
			query,
			form,
			params,
			headers: ex.req.headers,
			body,
		});
		record.action = auth.action;
		record.signatureScheme = auth.scheme;
		record.signatureValid = auth.signatureValid;
		record.accessKeyId = auth.accessKeyId;
		record.securityToken = auth.securityToken;
		if (auth.error) return ex.sendError(auth.error);

		const fault = this.faults.take(auth.action);
		if (fault) record.fault = fault.kind;
		if (fault && answerFault(ex, fault, this.timers)) return;
		if (fault?.kind === 'slow') await this.sleep(fault.ms);

		let result: Record<string, unknown>;
		try {
			result = this.perform(routeAction(ex.rawPath, auth.version, auth.action), params, record);
		} catch (err) {
			if (fault?.kind === 'dropAfterAction') return ex.drop();
			throw err;
		}
		if (fault?.kind === 'dropAfterAction') return ex.drop();
		const answer = { RequestId: record.requestId, ...result };
		ex.send(200, fault?.kind === 'wrongTypes' ? withWrongTypes(answer) : answer);
	}

	/** Runs the handler, or replays a remembered ClientToken result. */
	private perform(
		spec: ActionSpec,
		params: Params,
		record: RecordedRequest,
	): Record<string, unknown> {
		const token = spec.idempotent ? readClientToken(params) : undefined;
		const now = this.now();
		const replay =
			token === undefined ? undefined : this.idempotency.replay(spec.action, token, params, now);
		if (replay) {
			record.replayed = true;
			return replay;
		}
		const ctx: ActionContext = {
			params,
			state: this.state,
			regions: this.regions,
			managedInstanceRegions: this.managedInstanceRegions,
			maxActivationHours: this.options.maxActivationHours ?? 4,
			forbiddable: spec.forbiddable === true,
			roles: this.roles,
			sts: this.sts,
			assistant: this.assistant,
			now: this.now,
			random: Math.random,
		};
		const result = spec.handle(ctx);
		if (token !== undefined) this.idempotency.remember(spec.action, token, params, result, now);
		return result;
	}

	private record(record: RecordedRequest): void {
		this.requests.push(record);
		const max = this.options.maxRecordedRequests;
		if (max !== undefined && this.requests.length > max)
			this.requests.splice(0, this.requests.length - max);
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}
}
