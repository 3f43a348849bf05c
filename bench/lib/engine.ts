/**
 * A bench-local copy of test/engine/harness.ts's execution path, so that a
 * benchmark can register extra node types (the minimal node) next to the
 * package's: n8n-core's WorkflowExecute and n8n-workflow's Workflow, the package
 * loaded from dist/ by n8n-core's PackageDirectoryLoader, credentials stored
 * encrypted with n8n-core's Credentials and decrypted per execution with
 * defaults applied. Import ./n8n-env before this module.
 */
import { randomUUID } from 'node:crypto';
import { PACKAGE_ROOT } from './paths';

import {
	Credentials,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	PackageDirectoryLoader,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
	type ICredentialsExpressionResolveValues,
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
	type Logger,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

export { PACKAGE_ROOT };
export const PACKAGE_NAME = 'n8n-nodes-alibaba-ecs';
export const NODE_TYPE = `${PACKAGE_NAME}.alibabaEcs`;
export const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';
export const START_NODE_TYPE = 'test.start';
/** Node types of a variant copy of the package (see BenchEngine.create). */
export const VARIANT_PREFIX = 'bench-variant';

const startNode: INodeType = {
	description: {
		displayName: 'Bench Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Emits the input items a benchmark gives it',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};

class MapNodeTypes implements INodeTypes {
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

/** As the test harness's: stored encrypted, decrypted (defaults applied) on every request. */
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

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(): Promise<never> {
		throw new Error('authenticate() must not be called');
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

class SilentLogger implements Logger {
	error = () => {};
	warn = () => {};
	info = () => {};
	debug = () => {};
	scoped = () => this;
}

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IWorkflowBase['connections'];
	settings?: IWorkflowBase['settings'];
}

export interface BenchRun {
	run: IRun;
	/** Main output 0 of a node's first run. */
	items(nodeName: string): INodeExecutionData[];
}

export class BenchEngine {
	private constructor(
		private readonly nodeTypes: MapNodeTypes,
		private readonly credentialsHelper: EncryptedCredentialsHelper,
	) {}

	/**
	 * The package from dist/ (as n8n loads it), the start node, and `extra` types
	 * by full name. `variantRoot`: another built copy of the package (its own
	 * package.json and dist/, e.g. with a proposed change), whose node types are
	 * registered as `${VARIANT_PREFIX}.<name>`, to compare both in one process.
	 */
	static async create(
		extra: Record<string, INodeType> = {},
		variantRoot?: string,
	): Promise<BenchEngine> {
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		const nodes: INodeTypeData = {};
		for (const [name, data] of Object.entries(loader.nodeTypes))
			nodes[`${PACKAGE_NAME}.${name}`] = data;
		if (variantRoot) {
			const variant = new PackageDirectoryLoader(variantRoot);
			await variant.loadAll();
			for (const [name, data] of Object.entries(variant.nodeTypes))
				nodes[`${VARIANT_PREFIX}.${name}`] = data;
		}
		nodes[START_NODE_TYPE] = { type: startNode, sourcePath: __filename };
		for (const [name, type] of Object.entries(extra)) nodes[name] = { type, sourcePath: name };
		const credentialTypes: Record<string, ICredentialType> = {};
		for (const [name, data] of Object.entries(loader.credentialTypes))
			credentialTypes[name] = data.type;
		LoggerProxy.init(new SilentLogger());
		return new BenchEngine(
			new MapNodeTypes(nodes),
			new EncryptedCredentialsHelper(credentialTypes),
		);
	}

	storeCredential(id: string, data: ICredentialDataDecryptedObject, name = 'Alibaba (bench)') {
		this.credentialsHelper.store(id, name, CREDENTIAL_TYPE, data);
	}

	/** Runs a workflow from its test.start node, which emits `input` as its items. */
	async run(workflowJson: WorkflowJson, input: IDataObject[]): Promise<BenchRun> {
		const data = structuredClone(workflowJson);
		const executionId = randomUUID();
		const mode: WorkflowExecuteMode = 'manual';
		const workflow = new Workflow({
			id: 'bench-workflow',
			name: data.name ?? 'bench',
			nodes: data.nodes,
			connections: data.connections,
			active: false,
			nodeTypes: this.nodeTypes,
			settings: data.settings ?? { executionOrder: 'v1' },
		});
		const start = data.nodes.find((node) => node.type === START_NODE_TYPE) ?? data.nodes[0];
		const workflowData = {
			id: 'bench-workflow',
			name: workflow.name ?? 'bench',
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
		const additionalData = {
			credentialsHelper: this.credentialsHelper,
			hooks,
			executionId,
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
				throw new Error('Sub-workflows are not available in the bench engine');
			},
			startRunnerTask: async () => {
				throw new Error('Task runners are not available in the bench engine');
			},
			getRunExecutionData: async () => undefined,
			logAiEvent: () => {},
		} as unknown as IWorkflowExecuteAdditionalData;

		void new WorkflowExecute(additionalData, mode).run({
			workflow,
			startNode: start,
			triggerToStartFrom: {
				name: start.name,
				data: {
					startTime: Date.now(),
					executionTime: 0,
					executionIndex: 0,
					source: [],
					data: { main: [input.map((json) => ({ json }))] },
				},
			},
		});
		const run = await finished;
		return {
			run,
			items: (nodeName) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
		};
	}
}

/** Throws unless the run succeeded with `expected` items out of `nodeName`, none an error. */
export function expectItems(result: BenchRun, nodeName: string, expected: number): void {
	const { run } = result;
	if (run.status !== 'success') {
		throw new Error(
			`Run ${run.status}: ${run.data.resultData.error?.message ?? 'no error message'}`,
		);
	}
	const items = result.items(nodeName);
	const failed = items.filter((item) => item.error || item.json.error !== undefined).length;
	if (items.length !== expected || failed > 0) {
		throw new Error(`${nodeName}: ${items.length} items (${failed} failed), expected ${expected}`);
	}
}
