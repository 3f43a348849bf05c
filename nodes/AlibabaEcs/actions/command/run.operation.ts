import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { InputError, integerInRange, validateTags, type TagPair } from '../../helpers/validation';
import type { EcsParams } from '../../transport/client';
import {
	additionalFieldsProperty,
	instanceIdsProperty,
	resourceTagsProperty,
	waitProperties,
} from './descriptions';
import { optionalLimitedText, readInstanceIds, readWait, type WaitInput } from './input';
import { reportStarted } from './results';
import { startOnKnownInstances } from './send';

const show = { resource: ['command'], operation: ['run'] };

/** RunCommandRequest.d.ts: InstanceId "Array length: 1 to 100" (a quota; older pages say 50). */
export const MAX_RUN_TARGETS = 100;
/**
 * RunCommandRequest.d.ts: "The command content cannot exceed 24 KB after Base64 encoding",
 * custom parameters included. 1 KB is counted as 1,000 bytes, the stricter reading.
 */
export const MAX_COMMAND_BASE64 = 24_000;
/** RunCommandRequest.d.ts Parameters: "ranges from 0 to 10" (CommandContent's remark says 20). */
const MAX_PARAMETERS = 10;
/** The InvokeCommand reference: ResourceTag "Valid values of N: 1 to 10" (the SDK says 20). */
const MAX_RESOURCE_TAGS = 10;
const PARAMETER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PLACEHOLDER = /\{\{\s*([\w:-]+)\s*\}\}/g;

const description: INodeProperties[] = [
	{
		displayName: 'Command Type',
		name: 'commandType',
		type: 'options',
		default: 'RunShellScript',
		description:
			'The language of the command: a shell script for Linux, PowerShell or Bat for Windows',
		displayOptions: { show },
		options: [
			{ name: 'Bat (Windows)', value: 'RunBatScript' },
			{ name: 'PowerShell (Windows)', value: 'RunPowerShellScript' },
			{ name: 'Shell (Linux)', value: 'RunShellScript' },
		],
	},
	{
		displayName: 'Command Content',
		name: 'commandContent',
		type: 'string',
		typeOptions: { rows: 8 },
		required: true,
		default: '',
		placeholder: 'systemctl stop my-app && tar czf /var/backups/logs.tgz /var/log/my-app',
		description:
			"The script to run on every target instance, as plain text (the node Base64-encodes it): up to 24 KB after encoding, about 18,000 characters. It runs as root (Linux) or System (Windows) unless User Name is set. With Parameters, {{name}} in the script is replaced by that parameter's value; {{ACS::InstanceId}}, {{ACS::InstanceName}}, {{ACS::RegionId}} and {{ACS::InvokeId}} are filled in by Cloud Assistant.",
		displayOptions: { show },
	},
	{
		displayName: 'Target Instances By',
		name: 'targetBy',
		type: 'options',
		default: 'instanceIds',
		description: 'How to choose the instances the command runs on',
		displayOptions: { show },
		options: [
			{ name: 'Instance IDs', value: 'instanceIds', description: 'A list of managed instance IDs' },
			{
				name: 'Tags',
				value: 'resourceTags',
				description: 'Every managed instance with these tags',
			},
		],
	},
	instanceIdsProperty(
		{ ...show, targetBy: ['instanceIds'] },
		{
			required: true,
			max: MAX_RUN_TARGETS,
			description: 'The managed instances to run the command on.',
		},
	),
	resourceTagsProperty({ ...show, targetBy: ['resourceTags'] }),
	...waitProperties(show, {
		waitByDefault: true,
		what: 'the command',
		failName: 'failOnNonZeroExitCode',
		failDisplayName: 'Fail on Non-Zero Exit Code',
		failDescription:
			"Whether an instance where the command did not succeed becomes an error: it exited with a code other than 0, failed, timed out, was stopped, could not be delivered (agent offline), or was still running when Max Wait ended. The error names the instance, the exit code and the first line of its output; with On Error set to continue, it is an error item of its own and the other instances' items are output as usual.",
	}),
	additionalFieldsProperty(show, 'run', [
		{
			displayName: 'Command Name',
			name: 'commandName',
			type: 'string',
			default: '',
			description: 'A name for the run, shown in the ECS console (up to 128 characters)',
		},
		{
			displayName: 'Command Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 10, maxValue: 86_400 },
			default: 60,
			description:
				'How long the command may run on an instance before Cloud Assistant kills it (status Timeout), in seconds',
		},
		{
			displayName: 'Parameters',
			name: 'parameters',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Parameter',
			default: {},
			description:
				'Values for {{name}} placeholders in the command (up to 10). Every {{name}} in the command then needs a value here.',
			options: [
				{
					displayName: 'Parameter',
					name: 'parameter',
					values: [
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							description: 'Letters, digits, - and _ (up to 64)',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description: 'The text put in place of {{name}} in the command on every instance',
						},
					],
				},
			],
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: '',
			description:
				'Run the command as this existing user of the instance instead of root (Linux) or System (Windows); up to 255 characters',
		},
		{
			displayName: 'Working Directory',
			name: 'workingDir',
			type: 'string',
			default: '',
			placeholder: '/root',
			description: 'Where the command runs; default /root on Linux (up to 200 characters)',
		},
	]),
];

interface RunInput {
	params: EcsParams;
	/** Undefined for tag targets. */
	instanceIds?: string[];
	wait?: WaitInput;
}

const COMMAND_TYPES = new Set(['RunShellScript', 'RunPowerShellScript', 'RunBatScript']);

function readParameters(value: unknown): Record<string, string> {
	const list = ((value ?? {}) as { parameter?: unknown }).parameter ?? [];
	if (!Array.isArray(list))
		throw new InputError('Parameters', 'Parameters must be a list of names and values');
	if (list.length > MAX_PARAMETERS) {
		throw new InputError(
			'Parameters',
			`Parameters can hold at most ${MAX_PARAMETERS}, but has ${list.length}`,
		);
	}
	const parameters: Record<string, string> = {};
	const seen = new Set<string>();
	list.forEach((entry: { name?: unknown; value?: unknown }, index) => {
		const name = typeof entry?.name === 'string' ? entry.name.trim() : '';
		if (!PARAMETER_NAME.test(name)) {
			throw new InputError(
				'Parameters',
				`Parameter ${index + 1}: the name must be 1 to 64 letters, digits, - or _`,
			);
		}
		// RunCommandRequest.d.ts: "Parameter names are case-insensitive."
		if (seen.has(name.toLowerCase())) {
			throw new InputError(
				'Parameters',
				`Parameter ${index + 1}: the name "${name}" is used twice`,
			);
		}
		seen.add(name.toLowerCase());
		const raw = entry?.value;
		parameters[name] =
			raw === undefined || raw === null ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
	});
	return parameters;
}

/** Every {{name}} of the content (built-ins aside) needs a value, or the API refuses the run. */
function checkPlaceholders(content: string, parameters: Record<string, string>): void {
	const known = new Set(Object.keys(parameters).map((name) => name.toLowerCase()));
	for (const match of content.matchAll(PLACEHOLDER)) {
		const name = match[1];
		if (!name.toLowerCase().startsWith('acs::') && !known.has(name.toLowerCase())) {
			throw new InputError(
				'Parameters',
				`Command Content uses {{${name}}}, but Parameters has no value for it`,
				'Add the parameter, or leave Parameters empty to send the content exactly as written.',
			);
		}
	}
}

function readTags(value: unknown): TagPair[] {
	const tags = validateTags(value, 'Tags');
	if (tags.length === 0)
		throw new InputError('Tags', 'Tags is empty', 'Add at least one tag to choose the instances.');
	if (tags.length > MAX_RESOURCE_TAGS) {
		throw new InputError(
			'Tags',
			`Tags can hold at most ${MAX_RESOURCE_TAGS} tags, but has ${tags.length}`,
		);
	}
	tags.forEach((tag, index) => {
		if (tag.Key.length > 64)
			throw new InputError('Tags', `Tags ${index + 1} key is longer than 64 characters`);
	});
	return tags;
}

/**
 * RunCommand: runs a script on managed instances. Waiting (the default), it outputs one item per
 * instance with its state, exit code and output; otherwise one item with the Invoke ID.
 */
export const run: EcsOperation<RunInput> = {
	description,

	readInput(context, itemIndex) {
		const type = context.getNodeParameter('commandType', itemIndex) as string;
		if (!COMMAND_TYPES.has(type)) {
			throw new InputError(
				'Command Type',
				'Command Type must be RunShellScript, RunPowerShellScript or RunBatScript',
			);
		}
		const content = context.getNodeParameter('commandContent', itemIndex);
		if (typeof content !== 'string' || content.trim() === '') {
			throw new InputError(
				'Command Content',
				'Command Content is empty',
				'Enter the script to run.',
			);
		}
		const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const parameters = readParameters(fields.parameters);
		const builtIns = /\{\{\s*ACS::/i.test(content);
		const enableParameter = Object.keys(parameters).length > 0 || builtIns;
		if (enableParameter) checkPlaceholders(content, parameters);
		const contentBase64 = Buffer.from(content, 'utf8').toString('base64');
		const parametersJson = enableParameter ? JSON.stringify(parameters) : undefined;
		const size = contentBase64.length + Buffer.from(parametersJson ?? '').toString('base64').length;
		if (size > MAX_COMMAND_BASE64) {
			throw new InputError(
				'Command Content',
				`Command Content is ${size.toLocaleString('en-US')} bytes after Base64 encoding (parameters included); Cloud Assistant accepts at most ${MAX_COMMAND_BASE64.toLocaleString('en-US')}`,
				'Shorten the script, or put it on the instances with Send File (up to 24,000 bytes per file) and run the file.',
			);
		}
		const params: EcsParams = {
			Type: type,
			CommandContent: contentBase64,
			ContentEncoding: 'Base64',
			Timeout: integerInRange(fields.timeout ?? 60, 'Command Timeout (Seconds)', {
				min: 10,
				max: 86_400,
			}),
			WorkingDir: optionalLimitedText(fields.workingDir, 'Working Directory', 200),
			Username: optionalLimitedText(fields.username, 'User Name', 255),
			Name: optionalLimitedText(fields.commandName, 'Command Name', 128),
			Description: optionalLimitedText(fields.description, 'Description', 512),
		};
		if (enableParameter) {
			params.EnableParameter = true;
			if (Object.keys(parameters).length > 0) params.Parameters = parametersJson;
		}
		const byTags =
			context.getNodeParameter('targetBy', itemIndex, 'instanceIds') === 'resourceTags';
		let instanceIds: string[] | undefined;
		if (byTags) {
			params.ResourceTag = readTags(context.getNodeParameter('resourceTags', itemIndex, {})).map(
				(tag) => ({ ...tag }),
			);
		} else {
			instanceIds = readInstanceIds(context.getNodeParameter('instanceIds', itemIndex), {
				max: MAX_RUN_TARGETS,
				required: true,
			});
		}
		return {
			params,
			instanceIds,
			wait: readWait(context, itemIndex, 'failOnNonZeroExitCode', 'Fail on Non-Zero Exit Code'),
		};
	},

	async execute(api, { params, instanceIds, wait }) {
		const started = await startOnKnownInstances(
			api,
			'RunCommand',
			params,
			instanceIds,
			'RunCommand',
		);
		return await reportStarted(api, started, {
			instanceIds,
			wait,
			summary: { CommandId: started.commandId ?? null },
			notSentItem: () => ({
				ExitCode: null,
				Output: '',
				Dropped: 0,
				StartTime: null,
				FinishedTime: null,
				StopTime: null,
				CommandId: started.commandId ?? null,
			}),
		});
	},
};
