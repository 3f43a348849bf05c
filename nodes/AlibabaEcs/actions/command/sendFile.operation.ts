import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EcsOperation } from '../../helpers/interfaces';
import { InputError, booleanValue, integerInRange } from '../../helpers/validation';
import type { EcsParams } from '../../transport/client';
import { additionalFieldsProperty, instanceIdsProperty, waitProperties } from './descriptions';
import { optionalLimitedText, readInstanceIds, readWait, type WaitInput } from './input';
import { reportStarted } from './results';
import { startOnKnownInstances } from './send';

const show = { resource: ['command'], operation: ['sendFile'] };

/** SendFileRequest.d.ts: InstanceId "up to 50 instance IDs". */
const MAX_FILE_TARGETS = 50;
/**
 * SendFileRequest.d.ts: "After Base64 encoding, the content cannot exceed 32 KB", counted as
 * 32,000 bytes (the stricter reading): files of up to 24,000 bytes.
 */
export const MAX_FILE_BASE64 = 32_000;
export const MAX_FILE_BYTES = (MAX_FILE_BASE64 / 4) * 3;

const description: INodeProperties[] = [
	instanceIdsProperty(show, {
		required: true,
		max: MAX_FILE_TARGETS,
		description: 'The managed instances to send the file to.',
	}),
	{
		displayName: 'File Content From',
		name: 'contentSource',
		type: 'options',
		default: 'text',
		description: 'Where the file content comes from',
		displayOptions: { show },
		options: [
			{
				name: 'Binary Data',
				value: 'binary',
				description:
					'A binary property of the input item (e.g. from Read/Write Files from Disk or HTTP Request)',
			},
			{ name: 'Text', value: 'text', description: 'The text typed or mapped below' },
		],
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		description: `The file's content as text (UTF-8), up to ${MAX_FILE_BYTES.toLocaleString('en-US')} bytes`,
		displayOptions: { show: { ...show, contentSource: ['text'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description: `The name of the input item's binary field that holds the file, up to ${MAX_FILE_BYTES.toLocaleString('en-US')} bytes`,
		displayOptions: { show: { ...show, contentSource: ['binary'] } },
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'app.conf',
		description:
			"The file's name on the instances (up to 255 characters). With binary data, empty means the binary file's own name.",
		displayOptions: { show },
	},
	{
		displayName: 'Target Directory',
		name: 'targetDir',
		type: 'string',
		required: true,
		default: '',
		placeholder: '/etc/my-app',
		description:
			'The directory on the instances to write the file to; it is created when missing (up to 255 characters)',
		displayOptions: { show },
	},
	...waitProperties(show, {
		waitByDefault: true,
		what: 'the file',
		failName: 'failOnFailedTarget',
		failDisplayName: 'Fail on Failed Instance',
		failDescription:
			'Whether an instance that did not get the file (it exists and Overwrite is off, the agent is offline, the directory or owner is invalid, or it was still pending when Max Wait ended) becomes an error naming the instance and the reason',
	}),
	additionalFieldsProperty(show, 'file send', [
		{
			displayName: 'File Group',
			name: 'fileGroup',
			type: 'string',
			default: '',
			placeholder: 'root',
			description: "The file's group on Linux instances; default root (up to 64 characters)",
		},
		{
			displayName: 'File Mode',
			name: 'fileMode',
			type: 'string',
			default: '',
			placeholder: '0644',
			description: "The file's permissions on Linux instances, as for chmod; default 0644",
		},
		{
			displayName: 'File Owner',
			name: 'fileOwner',
			type: 'string',
			default: '',
			placeholder: 'root',
			description: "The file's owner on Linux instances; default root (up to 64 characters)",
		},
		{
			displayName: 'Overwrite',
			name: 'overwrite',
			type: 'boolean',
			default: false,
			description:
				'Whether to replace a file of the same name in the target directory; otherwise that instance fails with FileAlreadyExists',
		},
		{
			displayName: 'Send Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 10, maxValue: 86_400 },
			default: 60,
			description: 'How long Cloud Assistant tries to deliver the file, in seconds',
		},
	]),
];

interface SendFileInput {
	params: EcsParams;
	instanceIds: string[];
	/** The content, read when the item is sent (binary data may live on disk or in S3). */
	load: () => Promise<Buffer>;
	wait?: WaitInput;
}

function tooLarge(bytes: number): InputError {
	return new InputError(
		'File Content',
		`The file is ${bytes.toLocaleString('en-US')} bytes; Send File takes at most ${MAX_FILE_BYTES.toLocaleString('en-US')} (${MAX_FILE_BASE64.toLocaleString('en-US')} after Base64 encoding)`,
		'Cloud Assistant limits files to 32 KB after Base64 encoding. Compress the file, split it, or let the instances download it (Run with curl or wget).',
	);
}

/**
 * SendFile: writes a file from text or binary data to managed instances. Waiting (the default),
 * it outputs one item per instance; otherwise one item with the Invoke ID.
 */
export const sendFile: EcsOperation<SendFileInput> = {
	description,

	readInput(context, itemIndex) {
		const instanceIds = readInstanceIds(context.getNodeParameter('instanceIds', itemIndex), {
			max: MAX_FILE_TARGETS,
			required: true,
		});
		const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		let fileName = context.getNodeParameter('fileName', itemIndex, '') as string;
		let load: () => Promise<Buffer>;
		if (context.getNodeParameter('contentSource', itemIndex, 'text') === 'binary') {
			const property = context.getNodeParameter('binaryPropertyName', itemIndex) as string;
			// assertBinaryData names the item and the field when it is missing.
			const binary = context.helpers.assertBinaryData(itemIndex, property);
			const known = binary.id ? binary.bytes : Buffer.byteLength(binary.data, 'base64');
			if (known !== undefined && known > MAX_FILE_BYTES) throw tooLarge(known);
			fileName = fileName || binary.fileName || '';
			load = async () => await context.helpers.getBinaryDataBuffer(itemIndex, property);
		} else {
			const text = context.getNodeParameter('content', itemIndex, '');
			if (typeof text !== 'string') throw new InputError('Content', 'Content must be text');
			const bytes = Buffer.from(text, 'utf8');
			if (bytes.length > MAX_FILE_BYTES) throw tooLarge(bytes.length);
			load = async () => bytes;
		}
		const name = optionalLimitedText(fileName, 'File Name', 255);
		if (!name) {
			throw new InputError(
				'File Name',
				'File Name is empty',
				'Enter the name the file gets on the instances.',
			);
		}
		if (/[/\\]/.test(name)) {
			throw new InputError(
				'File Name',
				'File Name must not contain / or \\',
				'Put the directory in Target Directory.',
			);
		}
		const targetDir = optionalLimitedText(
			context.getNodeParameter('targetDir', itemIndex),
			'Target Directory',
			255,
		);
		if (!targetDir) {
			throw new InputError(
				'Target Directory',
				'Target Directory is empty',
				'Enter a directory such as /tmp.',
			);
		}
		const fileMode = optionalLimitedText(fields.fileMode, 'File Mode', 4);
		if (fileMode !== undefined && !/^[0-7]{3,4}$/.test(fileMode)) {
			throw new InputError(
				'File Mode',
				`File Mode "${fileMode}" is not a chmod mode`,
				'Use three or four octal digits, e.g. 0644 or 0600.',
			);
		}
		return {
			instanceIds,
			load,
			params: {
				Name: name,
				TargetDir: targetDir,
				ContentType: 'Base64',
				FileMode: fileMode,
				FileOwner: optionalLimitedText(fields.fileOwner, 'File Owner', 64),
				FileGroup: optionalLimitedText(fields.fileGroup, 'File Group', 64),
				Overwrite:
					fields.overwrite === undefined ? undefined : booleanValue(fields.overwrite, 'Overwrite'),
				Timeout: integerInRange(fields.timeout ?? 60, 'Send Timeout (Seconds)', {
					min: 10,
					max: 86_400,
				}),
				Description: optionalLimitedText(fields.description, 'Description', 512),
			},
			wait: readWait(context, itemIndex, 'failOnFailedTarget', 'Fail on Failed Instance'),
		};
	},

	async execute(api, { params, instanceIds, load, wait }) {
		const content = await load();
		if (content.length > MAX_FILE_BYTES) throw tooLarge(content.length);
		const started = await startOnKnownInstances(
			api,
			'SendFile',
			{ ...params, Content: content.toString('base64') },
			instanceIds,
			`File ${String(params.Name)}`,
		);
		return await reportStarted(api, started, {
			instanceIds,
			wait,
			notSentItem: () => ({
				Name: params.Name,
				TargetDir: params.TargetDir,
				StartTime: null,
				FinishTime: null,
			}),
		});
	},
};
