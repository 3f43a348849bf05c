/**
 * Runs workflow JSON through n8n's real engine in-process: n8n-core's
 * WorkflowExecute and n8n-workflow's Workflow, with this package loaded from
 * its compiled files by n8n-core's own PackageDirectoryLoader (what n8n does for
 * an installed community package). Credentials are stored encrypted with
 * n8n-core's Credentials class and decrypted per request, with defaults
 * applied as n8n does. Nothing in the execution path is mocked.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

import { Container } from '@n8n/di';
import {
	ActiveWorkflows,
	Credentials,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	PackageDirectoryLoader,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeData,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
	type ICredentialsExpressionResolveValues,
	type Logger,
} from 'n8n-workflow';

export const PACKAGE_ROOT = resolve(__dirname, '../..');
export const PACKAGE_NAME = 'n8n-nodes-alibaba-ecs';
export const NODE_TYPE = `${PACKAGE_NAME}.alibabaEcs`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.alibabaEcsTrigger`;
export const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';
/** The pass-through start node that receives a test's input items. */
export const START_NODE_TYPE = 'test.start';
/** Node types of a variant copy of the package (HarnessOptions.variantRoot). */
export const VARIANT_PREFIX = 'variant';

const startNode: INodeType = {
	description: {
		displayName: 'Test Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Emits the input items a test gives it',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};

class PackageNodeTypes implements INodeTypes {
	constructor(private readonly nodes: INodeTypeData) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const found = this.nodes[nodeType];
		if (!found) throw new Error(`Unknown node type ${nodeType}`);
		return found.type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}
}

/** Credentials stored encrypted, decrypted per request like n8n's CredentialsHelper. */
class EncryptedCredentialsHelper extends ICredentialsHelper {
	private readonly stored = new Map<string, ICredentialsEncrypted>();

	constructor(readonly types: Record<string, ICredentialType>) {
		super();
	}

	store(id: string, name: string, type: string, data: ICredentialDataDecryptedObject): void {
		const credentials = new Credentials({ id, name }, type);
		credentials.setData(data);
		this.stored.set(id, { ...credentials.getDataToSave(), id, name, type });
	}

	/** The values of every password field of every credential ever stored. */
	readonly secrets = new Set<string>();

	remember(type: string, data: ICredentialDataDecryptedObject): void {
		for (const property of this.getCredentialsProperties(type)) {
			const value = data[property.name];
			if (property.typeOptions?.password && typeof value === 'string' && value.length >= 6) {
				this.secrets.add(value);
			}
		}
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(): Promise<never> {
		throw new Error('This package signs its own requests; authenticate() must not be called');
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		const entry = nodeCredentials.id ? this.stored.get(nodeCredentials.id) : undefined;
		if (!entry || entry.type !== type) {
			throw new Error(`Credential "${nodeCredentials.name}" of type ${type} does not exist`);
		}
		return new Credentials({ id: entry.id ?? null, name: entry.name }, type, entry.data);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		_raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			credentials.getData() as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (!expressionResolveValues) return withDefaults;
		const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
			expressionResolveValues;
		return workflow.expression.getParameterValue(
			withDefaults as INodeParameters,
			runExecutionData,
			runIndex,
			itemIndex,
			node.name,
			connectionInputData,
			mode,
			{},
			executeData,
			false,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown credential type ${type}`);
		return found.properties;
	}
}

/**
 * Collects every log line n8n and the node write, to check that no secret leaks
 * (or, with `capture` false, drops them, as a benchmark wants).
 */
export class CapturingLogger implements Logger {
	readonly lines: string[] = [];

	constructor(private readonly capture = true) {}

	private record(level: string, message: string, meta?: object) {
		if (this.capture) this.lines.push(`${level} ${message} ${meta ? safeStringify(meta) : ''}`);
	}

	error = (message: string, meta?: object) => this.record('error', message, meta);
	warn = (message: string, meta?: object) => this.record('warn', message, meta);
	info = (message: string, meta?: object) => this.record('info', message, meta);
	debug = (message: string, meta?: object) => this.record('debug', message, meta);
	scoped = () => this;
}

function safeStringify(value: unknown, redact: string[] = []): string {
	const seen = new WeakSet();
	return JSON.stringify(value, (key, v: unknown) => {
		if (redact.includes(key)) return '[redacted]';
		if (v !== null && typeof v === 'object') {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
		}
		if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack };
		return v;
	});
}

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IWorkflowBase['connections'];
	settings?: IWorkflowBase['settings'];
	pinData?: IWorkflowBase['pinData'];
}

export interface RunResult {
	run: IRun;
	/** Items of one node's output (main output 0 unless given), from its first run. */
	items(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** JSON of those items. */
	json(nodeName: string, outputIndex?: number): IDataObject[];
	/** The error that stopped the run, if any. */
	error: IRun['data']['resultData']['error'];
	/**
	 * Everything this run produced (run data, errors, logs) as one string, to
	 * search for leaks; output fields named in `redact` (a secret that belongs
	 * in the output, like a new ActivationCode) are left out.
	 */
	everything(redact?: string[]): string;
}

export interface RunOptions {
	/** Binary data of the input items, by index (n8n's in-memory form: Base64 `data`). */
	binary?: Array<INodeExecutionData['binary']>;
	/** Cancels the execution after this many ms, as n8n's Stop button or a workflow timeout does. */
	cancelAfterMs?: number;
}

export interface HarnessOptions {
	/** More node types, by full name (a benchmark's minimal node). */
	extraNodeTypes?: Record<string, INodeType>;
	/**
	 * Another built copy of the package (its own package.json and dist/, e.g. with a proposed
	 * change), whose node types are registered as `${VARIANT_PREFIX}.<name>`.
	 */
	variantRoot?: string;
	/** Keep log lines and run results for the leak checks (default); a benchmark keeps neither. */
	record?: boolean;
}

/**
 * A workflow with a polling trigger, activated in-process the way n8n activates it: n8n-core's
 * ActiveWorkflows runs each poll (its createPollExecuteFn: the poll, then `__emit` with the items
 * or `__emitError` with the error), and static data is saved when n8n's ActiveWorkflowManager
 * saves it (after activation, and on every emit, when it changed). The Poll Times schedule
 * itself is not run: a test calls poll() for each tick.
 */
export interface ActivePoller {
	/** n8n's poll context for this activation (the same object for every poll, as in n8n). */
	readonly context: PollContext;
	/** The poll n8n runs when it activates the workflow; its error fails the activation. */
	activate(): Promise<void>;
	/** One scheduled poll; an error is reported (errors), never thrown. */
	poll(): Promise<void>;
	/** The items of each execution the trigger started, in order. */
	readonly emitted: INodeExecutionData[][];
	/** The errors n8n recorded as failed executions, in order. */
	readonly errors: Error[];
	/** The static data n8n has saved to its database so far (what a restart starts from). */
	saved(): IDataObject;
	/** The activation's static data in memory now. */
	staticData(): IDataObject;
}

export interface ActivationOptions {
	/** The static data stored with the workflow (default: none). */
	staticData?: IDataObject;
	/** n8n's activation mode (default 'activate': a user turned the workflow on). */
	activation?: WorkflowActivateMode;
	workflowId?: string;
}

export class EngineHarness {
	readonly logger: CapturingLogger;

	private readonly runs: RunResult[] = [];

	private readonly pollOutputs: string[] = [];

	private constructor(
		private readonly nodeTypes: PackageNodeTypes,
		readonly credentialsHelper: EncryptedCredentialsHelper,
		private readonly record: boolean,
	) {
		this.logger = new CapturingLogger(record);
	}

	/** Loads the compiled package from dist/ with n8n-core's PackageDirectoryLoader. */
	static async create(options: HarnessOptions = {}): Promise<EngineHarness> {
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		const nodes: INodeTypeData = {};
		for (const [name, data] of Object.entries(loader.nodeTypes))
			nodes[`${PACKAGE_NAME}.${name}`] = data;
		if (options.variantRoot) {
			const variant = new PackageDirectoryLoader(options.variantRoot);
			await variant.loadAll();
			for (const [name, data] of Object.entries(variant.nodeTypes))
				nodes[`${VARIANT_PREFIX}.${name}`] = data;
		}
		nodes[START_NODE_TYPE] = { type: startNode, sourcePath: __filename };
		for (const [name, type] of Object.entries(options.extraNodeTypes ?? {}))
			nodes[name] = { type, sourcePath: name };
		const credentialTypes: Record<string, ICredentialType> = {};
		for (const [name, data] of Object.entries(loader.credentialTypes))
			credentialTypes[name] = data.type;
		const harness = new EngineHarness(
			new PackageNodeTypes(nodes),
			new EncryptedCredentialsHelper(credentialTypes),
			options.record ?? true,
		);
		LoggerProxy.init(harness.logger);
		return harness;
	}

	nodeType(type = NODE_TYPE): INodeType {
		return this.nodeTypes.getByNameAndVersion(type);
	}

	credentialType(name = CREDENTIAL_TYPE): ICredentialType {
		const found = this.credentialsHelper.types[name];
		if (!found) throw new Error(`Unknown credential type ${name}`);
		return found;
	}

	storeCredential(
		id: string,
		data: ICredentialDataDecryptedObject,
		name = 'Alibaba Cloud (test)',
	): void {
		this.credentialsHelper.store(id, name, CREDENTIAL_TYPE, data);
		this.credentialsHelper.remember(CREDENTIAL_TYPE, data);
	}

	/** A plain additionalData (no mock proxy: a missing field fails loudly). */
	private additionalData(
		executionId: string,
		hooks?: ExecutionLifecycleHooks,
		currentNodeParameters?: INodeParameters,
	): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentialsHelper,
			hooks,
			executionId,
			currentNodeParameters,
			currentNodeExecutionIndex: 0,
			variables: {},
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678/',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			externalSecretsProxy: new ExternalSecretsProxy(),
			executeWorkflow: async () => {
				throw new Error('Sub-workflows are not available in the test harness');
			},
			startRunnerTask: async () => {
				throw new Error('Task runners are not available in the test harness');
			},
			getRunExecutionData: async () => undefined,
			logAiEvent: () => {},
		} as IWorkflowExecuteAdditionalData;
	}

	/**
	 * The context n8n's editor uses to fill a dropdown or a resource locator list
	 * (n8n-core's LoadOptionsContext), for one node with these parameters.
	 */
	loadOptionsContext(node: INode, path = 'parameters.regionId'): LoadOptionsContext {
		const workflow = new Workflow({
			id: 'test-workflow',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		const additionalData = this.additionalData(randomUUID(), undefined, node.parameters);
		return new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, path);
	}

	/**
	 * Runs a workflow from its start node (type test.start, or the first node),
	 * which emits `input` as its items.
	 */
	async run(
		workflowJson: WorkflowJson,
		input: IDataObject[] = [{}],
		options: RunOptions = {},
	): Promise<RunResult> {
		// Workflow mutates node parameters in place: never let it touch a fixture.
		const data = structuredClone(workflowJson);
		const executionId = randomUUID();
		const mode: WorkflowExecuteMode = 'manual';
		const workflow = new Workflow({
			id: 'test-workflow',
			name: data.name ?? 'test',
			nodes: data.nodes,
			connections: data.connections,
			active: false,
			nodeTypes: this.nodeTypes,
			settings: data.settings ?? { executionOrder: 'v1' },
		});
		const start = data.nodes.find((node) => node.type === START_NODE_TYPE) ?? data.nodes[0];
		const workflowData: IWorkflowBase = {
			id: 'test-workflow',
			name: workflow.name ?? 'test',
			active: false,
			isArchived: false,
			nodes: data.nodes,
			connections: data.connections,
			settings: workflow.settings,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		} as IWorkflowBase;

		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		const finished = new Promise<IRun>((resolveRun) => {
			hooks.addHandler('workflowExecuteAfter', (fullRun) => resolveRun(fullRun));
		});
		const additionalData = this.additionalData(executionId, hooks);

		// Log lines from here on belong to this run (everything() searches them).
		const logStart = this.logger.lines.length;
		const execution = new WorkflowExecute(additionalData, mode);
		const running = execution.run({
			workflow,
			startNode: start,
			pinData: data.pinData,
			triggerToStartFrom: {
				name: start.name,
				data: {
					startTime: Date.now(),
					executionTime: 0,
					executionIndex: 0,
					source: [],
					data: {
						main: [
							input.map((json, index) => {
								const binary = options.binary?.[index];
								return binary ? { json, binary } : { json };
							}),
						],
					},
				},
			},
		});
		const cancel =
			options.cancelAfterMs === undefined
				? undefined
				: setTimeout(() => running.cancel(), options.cancelAfterMs);
		const run = await finished;
		clearTimeout(cancel);
		const logger = this.logger;
		const result: RunResult = {
			run,
			error: run.data.resultData.error,
			items(nodeName, outputIndex = 0) {
				const taskData = run.data.resultData.runData[nodeName]?.[0];
				return taskData?.data?.main?.[outputIndex] ?? [];
			},
			json(nodeName, outputIndex = 0) {
				return result.items(nodeName, outputIndex).map((item) => item.json);
			},
			everything(redact = []) {
				const error = run.data.resultData.error;
				return [
					safeStringify(run.data, redact),
					error
						? safeStringify({
								message: error.message,
								description: error.description,
								stack: error.stack,
							})
						: '',
					...logger.lines.slice(logStart),
				].join('\n');
			},
		};
		if (this.record) this.runs.push(result);
		return result;
	}

	/** Activates a workflow whose first polling node is polled (ActivePoller). */
	activate(workflowJson: WorkflowJson, options: ActivationOptions = {}): ActivePoller {
		const data = structuredClone(workflowJson);
		const workflow = new Workflow({
			id: options.workflowId ?? 'test-workflow',
			name: data.name ?? 'test',
			nodes: data.nodes,
			connections: data.connections,
			active: true,
			nodeTypes: this.nodeTypes,
			staticData: structuredClone(options.staticData ?? {}),
			settings: data.settings ?? { executionOrder: 'v1' },
		});
		const node = workflow.getPollNodes()[0];
		if (!node) throw new Error('The workflow has no polling node');
		let saved = structuredClone(options.staticData ?? {});
		const emitted: INodeExecutionData[][] = [];
		const errors: Error[] = [];
		const outputs = this.pollOutputs;
		// WorkflowStaticDataService.saveStaticData: only when changed; the JSON n8n writes.
		const save = () => {
			if (workflow.staticData.__dataChanged === true) {
				saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
				workflow.staticData.__dataChanged = false;
			}
		};
		const context = new PollContext(
			workflow,
			node,
			this.additionalData(randomUUID()),
			'trigger',
			options.activation ?? 'activate',
			(items) => {
				save();
				emitted.push(items[0] ?? []);
				outputs.push(safeStringify(items));
			},
			(error) => {
				errors.push(error);
				outputs.push(safeStringify({ message: error.message, error }));
			},
		);
		const activeWorkflows = Container.get(ActiveWorkflows) as unknown as {
			createPollExecuteFn(
				workflow: Workflow,
				node: INode,
				context: PollContext,
			): (testingTrigger?: boolean) => Promise<void>;
		};
		const pollFn = activeWorkflows.createPollExecuteFn(workflow, node, context);
		const logger = this.logger;
		// Log lines written during a poll belong to it (the leak checks search them).
		const execute = async (testing: boolean) => {
			const logStart = logger.lines.length;
			try {
				await pollFn(testing);
			} catch (error) {
				outputs.push(safeStringify({ message: (error as Error).message, error }));
				throw error;
			} finally {
				outputs.push(...logger.lines.slice(logStart));
			}
		};
		return {
			context,
			emitted,
			errors,
			activate: async () => {
				await execute(true);
				save(); // ActiveWorkflowManager.add saves static data once the workflow is active
			},
			poll: async () => await execute(false),
			saved: () => structuredClone(saved),
			staticData: () => JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
		};
	}

	/** What polls emitted and reported since the last call, as text (for the leak checks). */
	takePollOutputs(): string[] {
		return this.pollOutputs.splice(0);
	}

	/** Every run since the last call. */
	takeRuns(): RunResult[] {
		return this.runs.splice(0);
	}
}
