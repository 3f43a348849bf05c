/**
 * The node as an AI tool in real n8n, with the two examples that show it:
 * - examples/ecs-operations-assistant.json: Chat Trigger → AI Agent (OpenAI Chat Model pointed at a
 *   local fake OpenAI-compatible model, test/e2e/lib/fake-openai.ts) → this node's tools; Deregister
 *   only through n8n's human review of tool calls (Chat approval, 2.x only).
 * - examples/mcp-server-tools.json: the tools behind n8n's MCP Server Trigger, called with the
 *   official MCP client library (@modelcontextprotocol/sdk).
 * One n8n start per line serves both. The fake model answers with scripted tool calls; the test
 * checks what reached the fake ECS endpoint (the values the model chose) and what reached the model
 * (the tool's answer). Needs `npm run build` first; N8N_E2E_LINES limits the lines.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import {
	N8nRest,
	credentialRefs,
	describeRun,
	findNode,
	loadExample,
	sleep,
	waitUntilRegistered,
	type Execution,
	type ExampleWorkflow,
} from './examples-helpers';
import {
	findLine,
	installPackageInto,
	lineSpecs,
	makeUserFolder,
	packBuiltPackage,
	removePackedPackage,
	removeUserFolder,
	request,
	selectedLineIds,
	setupOwner,
	startN8n,
	type N8nLine,
	type RunningN8n,
} from './lib';
import {
	FakeOpenAi,
	findTool,
	messageText,
	toolMessages,
	type ChatRequest,
	type ModelReply,
} from './lib/fake-openai';
import { N8nChatSession } from './lib/n8n-chat';

const ASSISTANT = 'ecs-operations-assistant.json';
const MCP = 'mcp-server-tools.json';
const HITL_TYPE = '@n8n/n8n-nodes-langchain.chatHitlTool';
const TOOL_TYPE = 'n8n-nodes-alibaba-ecs.alibabaEcsTool';
const QUESTION = 'which managed instances in cn-beijing are disconnected?';
const CHAT_USER = 'operator';
const CHAT_PASSWORD = 'chat-login-e2e-password';
const MCP_TOKEN = 'mcp-client-token-e2e-0123456789';
/** what a browser sends when a person clicks a button in the chat */
const BROWSER_UA =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
/** what Slack sends when it unfurls a link posted into a channel */
const LINK_PREVIEW_UA = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';

let fake: FakeEcs;
let model: FakeOpenAi;
let tarball: string;

beforeAll(async () => {
	tarball = packBuiltPackage();
	fake = await FakeEcs.start({ seedSample: false });
	model = await FakeOpenAi.start();
});

afterAll(async () => {
	await model?.close();
	await fake?.close();
	removePackedPackage(tarball);
});

beforeEach(() => {
	fake.reset();
	model.reset();
});

interface Fleet {
	bjDisconnected: string[];
	bjConnected: string;
	hzDisconnected: string;
}

/** Two disconnected and one connected instance in cn-beijing, one disconnected in cn-hangzhou. */
function seedFleet(): Fleet {
	const add = (RegionId: string, InstanceName: string, Connected: boolean) =>
		fake.state.addInstance({ RegionId, InstanceName, Connected }).InstanceId;
	return {
		bjDisconnected: [add('cn-beijing', 'bj-db-01', false), add('cn-beijing', 'bj-web-02', false)],
		bjConnected: add('cn-beijing', 'bj-web-03', true),
		hzDisconnected: add('cn-hangzhou', 'hz-batch-01', false),
	};
}

const sorted = (ids: string[]) => [...ids].sort();
const instanceIds = () =>
	fake.state
		.listInstances()
		.map((i) => i.InstanceId)
		.sort();
const ecsRequests = (action: string) => fake.requests.filter((r) => r.action === action);

/** Every request that reached the fake ECS endpoint carried a valid signature. */
function expectAllSigned(): void {
	expect(fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
}

/** What a Get Many tool answers: one item holding one page (helpers/toolMode.ts). */
type InstancePage = [
	{ RegionId: string | null; Instances: Array<Record<string, unknown>>; NextToken?: string },
];

/** The tool answer of the conversation's last request, parsed (n8n sends the items' JSON). */
function lastToolAnswer(): unknown {
	const last = model.requests[model.requests.length - 1];
	const answers = toolMessages(last);
	expect(answers).toHaveLength(1);
	return JSON.parse(messageText(answers[0]));
}

/**
 * A two-turn model: the first request is answered with `call` (after `check` looked at it), the
 * second (which carries the tool's answer) with a text built from it.
 */
function scriptedModel(
	call: (request: ChatRequest) => ModelReply,
	answer: (toolAnswer: string) => string = (a) => `Here is what I found: ${a}`,
): void {
	model.setScript((request) => {
		const answers = toolMessages(request);
		if (answers.length === 0) return call(request);
		return { content: answer(messageText(answers[answers.length - 1])) };
	});
}

/** key → description of every `$fromAI('key', `description`, …)` in a workflow's parameters */
function fromAiHints(wf: ExampleWorkflow): Record<string, string> {
	const hints: Record<string, string> = {};
	for (const m of JSON.stringify(wf.nodes).matchAll(/\$fromAI\('(\w+)', `([^`]*)`/g))
		hints[m[1]] = m[2].replace(/\\"/g, '"');
	return hints;
}

describe.each(selectedLineIds())('the node as an AI tool on n8n line %s', (lineId) => {
	let line: N8nLine;
	let userFolder: string;
	let n8n: RunningN8n;
	let rest: N8nRest;
	let nodeTypes: string[];
	/** node type → the typeVersions this n8n ships (GET /types/nodes.json, what the editor loads) */
	let versions: Map<string, number[]>;
	const wfs: Record<string, ExampleWorkflow> = {};
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		const found = findLine(lineId); // globalSetup installed it
		if (!found) throw new Error(`line ${lineId} is not installed`);
		line = found;
		userFolder = makeUserFolder(`e2e-ai-${lineId}-`);
		installPackageInto(userFolder, tarball, { line });
		for (const file of [ASSISTANT, MCP]) wfs[file] = loadExample(file);
		const data: Record<string, Record<string, unknown>> = {
			alibabaCloudAccessKeyApi: {
				accessKeyId: TEST_ACCESS_KEY_ID,
				accessKeySecret: TEST_ACCESS_KEY_SECRET,
				endpoint: fake.url,
			},
			// the OpenAI credential's Base URL points the OpenAI Chat Model at the fake model
			openAiApi: { apiKey: model.apiKey, url: model.url },
			httpBasicAuth: { user: CHAT_USER, password: CHAT_PASSWORD },
			httpBearerAuth: { token: MCP_TOKEN },
		};
		n8n = await startN8n({ line, userFolder });
		const { cookie } = await setupOwner(n8n.url);
		rest = new N8nRest(n8n.url, cookie, line);
		// as a user does in the editor: create the credentials, import the files, pick the credentials
		const createdIds = new Map<string, string>();
		for (const wf of Object.values(wfs)) {
			for (const [type, ref] of credentialRefs(wf)) {
				if (createdIds.has(ref.id)) continue;
				if (!data[type]) throw new Error(`${wf.name}: no test data for credential type ${type}`);
				const created = await rest.call<{ id: string }>('POST', '/credentials', {
					name: ref.name,
					type,
					data: data[type],
				});
				createdIds.set(ref.id, created.id);
			}
		}
		for (const file of [ASSISTANT, MCP]) {
			const wf = JSON.parse(JSON.stringify(wfs[file])) as ExampleWorkflow;
			for (const n of wf.nodes)
				for (const ref of Object.values(n.credentials ?? {}))
					ref.id = createdIds.get(ref.id) ?? ref.id;
			ids[file] = (await rest.call<{ id: string }>('POST', '/workflows', wf)).id;
		}
		const types = await request('GET', `${n8n.url}/types/nodes.json`, {
			headers: { cookie },
			timeoutMs: 60000,
		});
		versions = new Map();
		for (const t of types.json<Array<{ name: string; version: number | number[] }>>())
			versions.set(t.name, [...(versions.get(t.name) ?? []), ...[t.version].flat()]);
		nodeTypes = [...versions.keys()];
	}, 300_000);

	afterAll(async () => {
		const output = n8n?.output() ?? '';
		await n8n?.stop();
		if (userFolder) removeUserFolder(userFolder);
		for (const secret of [TEST_ACCESS_KEY_SECRET, model.apiKey, MCP_TOKEN, CHAT_PASSWORD])
			expect(output).not.toContain(secret);
	});

	it('offers the node as an AI tool; human review of tool calls (Chat approval) exists on 2.x only; the examples use node versions this n8n ships', () => {
		expect(nodeTypes).toContain(TOOL_TYPE);
		expect(nodeTypes.includes(HITL_TYPE)).toBe(line.n8nMajor >= 2);
		const files = nodeTypes.includes(HITL_TYPE) ? [ASSISTANT, MCP] : [MCP];
		for (const file of files) {
			for (const n of wfs[file].nodes) {
				expect({
					node: `${file} / ${n.name}`,
					ok: versions.get(n.type)?.includes(n.typeVersion),
				}).toEqual({
					node: `${file} / ${n.name}`,
					ok: true,
				});
			}
			for (const [, ref] of credentialRefs(wfs[file])) expect(ref.name).toMatch(/\(example\)$/);
			expect(wfs[file].pinData ?? {}).toEqual({});
		}
	});

	// the assistant example needs n8n 2.x's human review of tool calls (checked in the first test)
	const n8nMajor = Number(
		lineSpecs()
			.find((l) => l.id === lineId)
			?.n8n.split('.')[0],
	);
	(n8nMajor >= 2 ? describe : describe.skip)(
		'ECS operations assistant (Chat Trigger → AI Agent → the node as tools; n8n 2.x)',
		() => {
			let chatUrl: string;
			const auth = {
				authorization: `Basic ${Buffer.from(`${CHAT_USER}:${CHAT_PASSWORD}`).toString('base64')}`,
			};

			beforeAll(async () => {
				await rest.setActive(ids[ASSISTANT], true);
				const trigger = findNode(wfs[ASSISTANT], 'When chat message received');
				chatUrl = `${n8n.url}/webhook/${String(trigger.webhookId)}/chat`;
				// the probe's wrong login is refused (403) before anything runs
				await waitUntilRegistered(() =>
					request('POST', chatUrl, { body: {}, headers: { authorization: 'Basic eDp5' } }),
				);
			}, 60_000);

			/** Sends a chat message as the hosted chat does; returns the execution it started. */
			async function chat(text: string, sessionId = `session-${Date.now()}`): Promise<string> {
				const r = await request('POST', chatUrl, {
					body: { action: 'sendMessage', sessionId, chatInput: text },
					headers: auth,
				});
				expect(r.status).toBe(200);
				const executionId = r.json<{ executionId?: string }>().executionId;
				if (!executionId) throw new Error(`chat message started no execution: ${r.body}`);
				return String(executionId);
			}

			/**
			 * Waits until the execution waits at `nodeName` (the approval, or the reply the chat shows:
			 * the Chat node waits for the chat to pick its message up) and returns it.
			 */
			async function waitAt(executionId: string, nodeName: string): Promise<Execution> {
				const deadline = Date.now() + 90_000;
				let last: Execution | undefined;
				while (Date.now() < deadline) {
					last = await rest.getExecution(executionId);
					const at = last?.run.data?.resultData?.lastNodeExecuted;
					if (last?.status === 'waiting' && at === nodeName) return last;
					if (last && ['success', 'error', 'crashed', 'canceled'].includes(last.status)) break;
					await sleep(250);
				}
				throw new Error(
					`execution ${executionId} is not waiting at "${nodeName}":\n${last ? describeRun(last) : 'not found'}\nmodel script errors: ${model.scriptErrors.join('; ')}`,
				);
			}

			/** What the chat shows for the node's last run (its `sendMessage`). */
			function chatMessage(e: Execution, nodeName: string): unknown {
				const runs = e.run.data.resultData.runData[nodeName] ?? [];
				const data = runs[runs.length - 1]?.data as
					| Record<string, Array<Array<{ sendMessage?: unknown }>>>
					| undefined;
				return (data?.main ?? data?.ai_tool)?.[0]?.[0]?.sendMessage;
			}

			it('answers "which managed instances in cn-beijing are disconnected?": the node runs with the model’s values and the model gets the instances back', async () => {
				const fleet = seedFleet();
				scriptedModel(
					(request) => {
						expect(messageText(request.messages[request.messages.length - 1])).toBe(QUESTION);
						const list = findTool(request, /^List_managed_instances$/);
						return {
							toolCalls: [
								{
									name: list.function.name,
									arguments: { region: 'cn-beijing', connected: 'false' },
								},
							],
						};
					},
					(answer) => {
						const [page] = JSON.parse(answer) as InstancePage;
						return `Disconnected in cn-beijing: ${page.Instances.map((i) => i.InstanceId).join(', ')}.`;
					},
				);

				const e = await waitAt(await chat(QUESTION), 'Reply in chat');

				// the node ran with the values the model chose ($fromAI → region and the Connected filter)
				const lists = ecsRequests('DescribeManagedInstances');
				expect(lists).toHaveLength(1);
				expect(lists[0].params).toMatchObject({ RegionId: 'cn-beijing', Connected: 'false' });
				// the model received the instances in its next request, as the answer to its call
				expect(model.requests).toHaveLength(2);
				const [first, second] = model.requests;
				const call = (first.answer as { toolCalls: unknown[] }).toolCalls;
				expect(call).toHaveLength(1);
				const [toolMessage] = toolMessages(second);
				const assistant = second.messages.find((m) => m.role === 'assistant' && m.tool_calls);
				expect(toolMessage.tool_call_id).toBe(assistant?.tool_calls?.[0].id);
				// one page (all of it: no NextToken), the instances under the API's own names
				const [page] = lastToolAnswer() as InstancePage;
				expect(Object.keys(page)).toEqual(['RegionId', 'Instances']);
				expect(page.RegionId).toBe('cn-beijing');
				const answered = page.Instances;
				expect(sorted(answered.map((i) => String(i.InstanceId)))).toEqual(
					sorted(fleet.bjDisconnected),
				);
				for (const instance of answered) {
					expect(instance).toMatchObject({
						Connected: false,
						InstanceName: expect.stringMatching(/^bj-/),
					});
				}
				// and its final text is what the chat shows
				expect(chatMessage(e, 'Reply in chat')).toBe(
					`Disconnected in cn-beijing: ${answered.map((i) => i.InstanceId).join(', ')}.`,
				);
				expect(instanceIds()).toEqual(
					sorted([...fleet.bjDisconnected, fleet.bjConnected, fleet.hzDisconnected]),
				);
				expectAllSigned();
			});

			it('offers the model list, get and deregister, described by the node and the $fromAI() hints; deregister only behind the approval', async () => {
				seedFleet();
				scriptedModel(() => ({ content: 'Nothing to do.' }));
				await waitAt(await chat('hello'), 'Reply in chat');
				const [request] = model.requests;
				const tools = Object.fromEntries(request.tools.map((t) => [t.function.name, t.function]));
				expect(Object.keys(tools).sort()).toEqual([
					'Deregister_managed_instance',
					'Get_agent_status',
					'Get_managed_instance',
					'List_managed_instances',
				]);
				// the node's own tool-only field: optional, with its description for the model
				expect(tools.List_managed_instances.parameters?.properties?.nextToken).toEqual({
					type: 'string',
					default: '',
					description: expect.stringMatching(
						/^Leave empty for the first page\. Each answer holds at most 50 managed instances; when it also has NextToken/,
					),
				});
				expect(tools.List_managed_instances.parameters?.required?.sort()).toEqual([
					'connected',
					'region',
				]);
				expect(tools.Get_managed_instance.parameters?.required?.sort()).toEqual([
					'instanceId',
					'region',
				]);
				for (const tool of Object.values(tools)) {
					expect(tool.description).toMatch(/managed instance/);
				}
				// each argument carries the hint written in the example's $fromAI() call
				const hints = fromAiHints(wfs[ASSISTANT]);
				for (const key of ['region', 'connected'])
					expect(tools.List_managed_instances.parameters?.properties?.[key]?.description).toBe(
						hints[key],
					);
				expect(tools.Get_managed_instance.parameters?.properties?.instanceId?.description).toBe(
					hints.instanceId,
				);
				// the gated tool's arguments are wrapped: {toolParameters, hitlParameters}
				const gated = tools.Deregister_managed_instance.parameters;
				expect(gated?.required?.sort()).toEqual(['hitlParameters', 'toolParameters']);
				expect(gated?.properties?.toolParameters?.required?.sort()).toEqual([
					'instanceId',
					'region',
				]);
				expect(fake.requests).toEqual([]);
			});

			it('a long listing: the model gets 50 instances and a NextToken, and asks for the rest with it', async () => {
				const many = fake.state
					.addInstances(72, { RegionId: 'cn-beijing', Connected: false })
					.map((i) => i.InstanceId);
				const pages: InstancePage[0][] = [];
				model.setScript((request) => {
					const answers = toolMessages(request);
					const list = findTool(request, /^List_managed_instances$/).function.name;
					const args = { region: 'cn-beijing', connected: 'false' };
					if (answers.length === 0) return { toolCalls: [{ name: list, arguments: args }] };
					const [page] = JSON.parse(messageText(answers[answers.length - 1])) as InstancePage;
					pages.push(page);
					if (page.NextToken) {
						return {
							toolCalls: [{ name: list, arguments: { ...args, nextToken: page.NextToken } }],
						};
					}
					return { content: `${pages.flatMap((p) => p.Instances).length} are disconnected.` };
				});
				const e = await waitAt(await chat(QUESTION), 'Reply in chat');
				expect(pages.map((p) => [p.Instances.length, typeof p.NextToken])).toEqual([
					[50, 'string'],
					[22, 'undefined'],
				]);
				const listed = pages.flatMap((p) => p.Instances.map((i) => String(i.InstanceId)));
				expect(sorted(listed)).toEqual(sorted(many));
				// one request per call: the second one continues where the first answer said
				const lists = ecsRequests('DescribeManagedInstances');
				expect(lists.map((r) => [r.params.MaxResults, r.params.NextToken])).toEqual([
					['50', undefined],
					['50', pages[0].NextToken],
				]);
				expect(chatMessage(e, 'Reply in chat')).toBe('72 are disconnected.');
			});

			it('get: the instance ID the model chose reaches the resource locator; a wrong ID goes back to the model as an error, with no request', async () => {
				const fleet = seedFleet();
				const target = fleet.bjConnected;
				scriptedModel((request) => ({
					toolCalls: [
						{
							name: findTool(request, /^Get_managed_instance$/).function.name,
							arguments: { region: 'cn-beijing', instanceId: target },
						},
					],
				}));
				await waitAt(await chat(`is ${target} online?`), 'Reply in chat');
				const gets = ecsRequests('DescribeManagedInstances');
				expect(gets).toHaveLength(1);
				expect(gets[0].params).toMatchObject({ RegionId: 'cn-beijing', 'InstanceId.1': target });
				expect(lastToolAnswer()).toEqual([
					expect.objectContaining({
						InstanceId: target,
						InstanceName: 'bj-web-03',
						Connected: true,
					}),
				]);

				// an ECS instance ID: refused before any request, and the model is told why (On Error: Continue)
				fake.reset();
				model.reset();
				scriptedModel((request) => ({
					toolCalls: [
						{
							name: findTool(request, /^Get_managed_instance$/).function.name,
							arguments: { region: 'cn-beijing', instanceId: 'i-bp1abcdefghijk' },
						},
					],
				}));
				await waitAt(await chat('is i-bp1abcdefghijk online?'), 'Reply in chat');
				expect(fake.requests).toEqual([]);
				expect(lastToolAnswer()).toEqual([
					{
						error: expect.stringMatching(
							/i-bp1abcdefghijk.*ECS instance ID, not a managed instance ID/,
						),
					},
				]);
			});

			it('agent status: the model reads the Cloud Assistant agent’s heartbeat of the instance it names', async () => {
				const fleet = seedFleet();
				const [target] = fleet.bjDisconnected;
				scriptedModel((request) => ({
					toolCalls: [
						{
							name: findTool(request, /^Get_agent_status$/).function.name,
							arguments: { region: 'cn-beijing', instanceId: target },
						},
					],
				}));
				await waitAt(await chat(`when did ${target} last check in?`), 'Reply in chat');
				const reads = ecsRequests('DescribeCloudAssistantStatus');
				expect(reads).toHaveLength(1);
				expect(reads[0].params).toMatchObject({ RegionId: 'cn-beijing', 'InstanceId.1': target });
				expect(lastToolAnswer()).toEqual([
					expect.objectContaining({
						InstanceId: target,
						RegionId: 'cn-beijing',
						CloudAssistantStatus: false,
						LastHeartbeatTime: expect.any(String),
					}),
				]);
			});

			describe('deregister waits for a person in the chat', () => {
				/** Asks to deregister `target`; returns the execution waiting for approval and its buttons. */
				/** The model asks to deregister `target` in cn-beijing, then answers with the result. */
				function modelDeregisters(target: string): void {
					scriptedModel(
						(request) => ({
							toolCalls: [
								{
									name: findTool(request, /^Deregister_managed_instance$/).function.name,
									arguments: {
										toolParameters: { region: 'cn-beijing', instanceId: target },
										hitlParameters: {},
									},
								},
							],
						}),
						(answer) => `Done: ${answer}`,
					);
				}

				/** Asks to deregister `target`; returns the execution waiting for approval and its buttons. */
				async function askToDeregister(target: string) {
					modelDeregisters(target);
					const executionId = await chat(`deregister ${target} in cn-beijing`);
					const waiting = await waitAt(executionId, 'Ask in chat before deregistering');
					const message = chatMessage(waiting, 'Ask in chat before deregistering') as {
						text: string;
						buttons: Array<{ text: string; link: string }>;
					};
					return { executionId, ...buttonsOf(message) };
				}

				function buttonsOf(message: {
					text: string;
					buttons?: Array<{ text: string; link: string }>;
				}) {
					const button = (label: string) => {
						const found = message.buttons?.find((b) => b.text === label);
						if (!found) throw new Error(`no "${label}" button in ${JSON.stringify(message)}`);
						return found.link;
					};
					return { text: message.text, approve: button('Deregister'), decline: button('Keep it') };
				}

				it('nothing is deregistered before the click (a link preview does not count); Deregister then removes exactly the chosen instance', async () => {
					const fleet = seedFleet();
					const [target, other] = fleet.bjDisconnected;
					modelDeregisters(target);
					// as a person in n8n's hosted chat: the message, then what the chat shows over its socket
					const session = await N8nChatSession.send({
						n8nUrl: n8n.url,
						webhookUrl: chatUrl,
						text: `deregister ${target} in cn-beijing`,
						sessionId: `approve-${Date.now()}`,
						headers: auth,
					});
					const shown = await session.waitFor(
						(m) => typeof m === 'object' && m.type === 'with-buttons',
					);
					const asked = {
						executionId: session.executionId,
						...buttonsOf(shown as { text: string }),
					};
					// the chat shows what the execution waits with
					const waiting = await waitAt(asked.executionId, 'Ask in chat before deregistering');
					expect(shown).toEqual(chatMessage(waiting, 'Ask in chat before deregistering'));
					expect(asked.text).toContain(target);
					expect(asked.text).toContain('cn-beijing');
					expect(new URL(asked.approve).pathname).toMatch(
						new RegExp(`^/webhook-waiting/${asked.executionId}/`),
					);
					expect(new URL(asked.approve).searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
					expect(ecsRequests('DeregisterManagedInstance')).toEqual([]);
					expect(model.requests).toHaveLength(1);

					// a chat app unfurling the link is a bot: n8n answers it and does nothing
					const preview = await request('GET', asked.approve, {
						headers: { 'user-agent': LINK_PREVIEW_UA },
					});
					expect(preview.status).toBe(200);
					await sleep(1500);
					expect(ecsRequests('DeregisterManagedInstance')).toEqual([]);
					expect((await rest.getExecution(asked.executionId))?.status).toBe('waiting');

					const click = await request('GET', asked.approve, {
						headers: { 'user-agent': BROWSER_UA },
					});
					expect(click.status).toBe(200);
					const done = await waitAt(asked.executionId, 'Reply in chat');
					expect(
						ecsRequests('DeregisterManagedInstance').map((r) => [
							r.params.RegionId,
							r.params.InstanceId,
						]),
					).toEqual([['cn-beijing', target]]);
					expect(instanceIds()).toEqual(sorted([other, fleet.bjConnected, fleet.hzDisconnected]));
					expect(lastToolAnswer()).toEqual([
						expect.objectContaining({ InstanceId: target, RequestId: expect.any(String) }),
					]);
					expect(String(chatMessage(done, 'Reply in chat'))).toContain(target);
					// the chat shows the reply, n8n resumes the run past it and closes the chat's socket
					const reply = await session.waitFor(
						(m) => typeof m === 'string' && m.startsWith('Done: '),
					);
					expect(reply).toBe(chatMessage(done, 'Reply in chat'));
					await Promise.race([session.closed, sleep(30_000)]);
					expect((await rest.waitForExecution(asked.executionId)).status).toBe('success');
					session.close();

					// the other button, clicked afterwards, changes nothing
					await request('GET', asked.decline, { headers: { 'user-agent': BROWSER_UA } });
					await sleep(1000);
					expect(ecsRequests('DeregisterManagedInstance')).toHaveLength(1);
					expectAllSigned();
				});

				it('two deregistrations asked at once: n8n shows one approval, and only that instance is deregistered after its click', async () => {
					const fleet = seedFleet();
					const [first, second] = fleet.bjDisconnected;
					scriptedModel((request) => {
						const name = findTool(request, /^Deregister_managed_instance$/).function.name;
						return {
							toolCalls: [first, second].map((instanceId) => ({
								name,
								arguments: {
									toolParameters: { region: 'cn-beijing', instanceId },
									hitlParameters: {},
								},
							})),
						};
					});
					const executionId = await chat(`deregister ${first} and ${second} in cn-beijing`);
					const waiting = await waitAt(executionId, 'Ask in chat before deregistering');
					// n8n runs the approval node once per call, but only one run has a message to show
					// (2.8.4: the last, 2.41.1: the first)
					const runs = waiting.run.data.resultData.runData['Ask in chat before deregistering'];
					const shown = runs
						.map(
							(r) =>
								(r.data as { ai_tool?: Array<Array<{ sendMessage?: unknown }>> } | undefined)
									?.ai_tool,
						)
						.map(
							(out) =>
								out?.[0]?.[0]?.sendMessage as
									| { text: string; buttons: Array<{ text: string; link: string }> }
									| undefined,
						)
						.filter((m) => m !== undefined);
					expect(runs).toHaveLength(2);
					expect(shown).toHaveLength(1);
					const chosen = shown[0]!.text.includes(first) ? first : second;
					expect(shown[0]!.text).toContain(chosen);
					const approve = shown[0]!.buttons.find((b) => b.text === 'Deregister')!.link;
					await request('GET', approve, { headers: { 'user-agent': BROWSER_UA } });
					await waitAt(executionId, 'Reply in chat');
					expect(ecsRequests('DeregisterManagedInstance').map((r) => r.params.InstanceId)).toEqual([
						chosen,
					]);
					expect(instanceIds()).toContain(chosen === first ? second : first);
					// the other call is gone from the conversation: the model sees one call, one answer
					const last = model.requests[model.requests.length - 1];
					const calls = last.messages.flatMap((m) => m.tool_calls ?? []);
					expect(calls).toHaveLength(1);
					expect(toolMessages(last)).toHaveLength(1);
				});

				it('Keep it: nothing is deregistered and the model is told the call was declined', async () => {
					const fleet = seedFleet();
					const [target] = fleet.bjDisconnected;
					const asked = await askToDeregister(target);
					const click = await request('GET', asked.decline, {
						headers: { 'user-agent': BROWSER_UA },
					});
					expect(click.status).toBe(200);
					await waitAt(asked.executionId, 'Reply in chat');
					expect(ecsRequests('DeregisterManagedInstance')).toEqual([]);
					expect(instanceIds()).toEqual(
						sorted([...fleet.bjDisconnected, fleet.bjConnected, fleet.hzDisconnected]),
					);
					// n8n answers the model's call itself (the Deregister tool never ran)
					expect(lastToolAnswer()).toEqual([
						{
							output: expect.stringMatching(
								/^User rejected the tool call to Deregister managed instance \(id: call_\w+\)\. STOP/,
							),
						},
					]);
					// the approve button is spent once the run went on
					await request('GET', asked.approve, { headers: { 'user-agent': BROWSER_UA } });
					await sleep(1000);
					expect(ecsRequests('DeregisterManagedInstance')).toEqual([]);
				});
			});
		},
	);

	describe('ECS tools for MCP clients (MCP Server Trigger, @modelcontextprotocol/sdk)', () => {
		let mcpUrl: URL;

		beforeAll(async () => {
			await rest.setActive(ids[MCP], true);
			const path = String(findNode(wfs[MCP], 'MCP Server Trigger').parameters.path);
			mcpUrl = new URL(`${n8n.url}/mcp/${path}`);
			// without the token the probe is refused (403) before anything runs
			await waitUntilRegistered(() => request('POST', mcpUrl.href, { body: {} }));
		}, 60_000);

		async function connect(token?: string): Promise<Client> {
			const client = new Client({ name: 'n8n-nodes-alibaba-ecs-e2e', version: '1.0.0' });
			const transport = new StreamableHTTPClientTransport(mcpUrl, {
				requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
			});
			await client.connect(transport);
			return client;
		}

		it('lists the tools and answers "get many" with the instances the arguments select', async () => {
			const fleet = seedFleet();
			const client = await connect(MCP_TOKEN);
			try {
				const { tools } = await client.listTools();
				expect(tools.map((t) => t.name).sort()).toEqual([
					'Deregister_dry_run',
					'Get_agent_status',
					'Get_managed_instance',
					'List_managed_instances',
				]);
				const list = tools.find((t) => t.name === 'List_managed_instances');
				expect(list?.description).toMatch(/managed instances/);
				expect(Object.keys(list?.inputSchema.properties ?? {}).sort()).toEqual([
					'connected',
					'nextToken',
					'region',
				]);
				expect(list?.inputSchema.required?.sort()).toEqual(['connected', 'region']);

				const result = await client.callTool({
					name: 'List_managed_instances',
					arguments: { region: 'cn-beijing', connected: 'false' },
				});
				const content = result.content as Array<{ type: string; text: string }>;
				expect(content).toHaveLength(1);
				expect(content[0].type).toBe('text');
				const [page] = JSON.parse(content[0].text) as InstancePage;
				expect(page.NextToken).toBeUndefined();
				expect(sorted(page.Instances.map((i) => String(i.InstanceId)))).toEqual(
					sorted(fleet.bjDisconnected),
				);
				const lists = ecsRequests('DescribeManagedInstances');
				expect(lists).toHaveLength(1);
				expect(lists[0].params).toMatchObject({ RegionId: 'cn-beijing', Connected: 'false' });
				expectAllSigned();
			} finally {
				await client.close();
			}
		});

		it('pages a long listing: 50 per call and a NextToken that the next call continues from, until none is left', async () => {
			const many = fake.state
				.addInstances(120, { RegionId: 'cn-beijing', Connected: false })
				.map((i) => i.InstanceId);
			const client = await connect(MCP_TOKEN);
			try {
				const pages: InstancePage[0][] = [];
				let nextToken: string | undefined;
				do {
					const result = await client.callTool({
						name: 'List_managed_instances',
						arguments: {
							region: 'cn-beijing',
							connected: 'false',
							...(nextToken ? { nextToken } : {}),
						},
					});
					const [content] = result.content as Array<{ text: string }>;
					const [page] = JSON.parse(content.text) as InstancePage;
					pages.push(page);
					nextToken = page.NextToken;
				} while (nextToken && pages.length < 5);
				expect(pages.map((p) => p.Instances.length)).toEqual([50, 50, 20]);
				const listed = pages.flatMap((p) => p.Instances.map((i) => String(i.InstanceId)));
				expect(sorted(listed)).toEqual(sorted(many));
				// a NextToken that is not one is refused before any request, and the client is told why
				fake.reset();
				const bad = await client.callTool({
					name: 'List_managed_instances',
					arguments: { region: 'cn-beijing', connected: 'false', nextToken: 'not a token' },
				});
				const [content] = bad.content as Array<{ text: string }>;
				expect(JSON.parse(content.text)).toEqual([
					{ error: 'Item 0: Next Token "not a token" is not a NextToken' },
				]);
				expect(fake.requests).toEqual([]);
			} finally {
				await client.close();
			}
		});

		it('deregister (dry run): answers what would be deregistered and deregisters nothing', async () => {
			const fleet = seedFleet();
			const [target] = fleet.bjDisconnected;
			const client = await connect(MCP_TOKEN);
			try {
				const { tools } = await client.listTools();
				const dryRun = tools.find((t) => t.name === 'Deregister_dry_run');
				expect(dryRun?.description).toBe(
					findNode(wfs[MCP], 'Deregister dry run').parameters.toolDescription,
				);
				const result = await client.callTool({
					name: 'Deregister_dry_run',
					arguments: { region: 'cn-beijing', instanceId: target },
				});
				const [content] = result.content as Array<{ text: string }>;
				expect(JSON.parse(content.text)).toEqual([
					expect.objectContaining({ InstanceId: target, DryRun: true, Deregistered: false }),
				]);
				expect(ecsRequests('DeregisterManagedInstance')).toEqual([]);
				expect(instanceIds()).toContain(target);
			} finally {
				await client.close();
			}
		});

		it('answers a bad argument with the node’s message as a result (the tools continue on error), before any request', async () => {
			const client = await connect(MCP_TOKEN);
			try {
				const result = await client.callTool({
					name: 'Get_managed_instance',
					arguments: { region: 'cn-beijing', instanceId: 'i-bp1abcdefghijk' },
				});
				const [content] = result.content as Array<{ type: string; text: string }>;
				expect(JSON.parse(content.text)).toEqual([
					{
						error:
							'Item 0: Instance ID "i-bp1abcdefghijk" is an ECS instance ID, not a managed instance ID',
					},
				]);
				expect(result.isError).toBeFalsy();
				expect(fake.requests).toEqual([]);
			} finally {
				await client.close();
			}
		});

		it('refuses a client without the token', async () => {
			await expect(connect()).rejects.toThrow(/Authorization|401|403/);
			await expect(connect('wrong-token')).rejects.toThrow(/Authorization|401|403/);
			expect(fake.requests).toEqual([]);
		});
	});
});
