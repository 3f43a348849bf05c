/**
 * SendFile. Limits and error codes from the SendFile API reference (its error table) and
 * SendFileRequest.d.ts (@alicloud/ecs20140526 7.11.6): up to 50 instances, Content "cannot exceed
 * 32 KB in size" after Base64 encoding (KB taken as 1,000 bytes, the stricter reading:
 * unverified), Name up to 255 characters, Timeout below 10 s raised to 10 s.
 */
import { ApiError } from '../errors';
import { optional, optionalBool, optionalInt, required } from '../params';
import { ECS_VERSION, requireRegion, type ActionSpec } from './context';
import { assistantOf, checkLength, instancesFromIds } from './invocations';

export const MAX_FILE_TARGETS = 50;
export const MAX_FILE_BASE64 = 32_000;

export const sendFile: ActionSpec = {
	action: 'SendFile',
	version: ECS_VERSION,
	idempotent: true, // ClientToken
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const p = ctx.params;
		const contentType = optional(p, 'ContentType') ?? 'PlainText';
		if (contentType !== 'PlainText' && contentType !== 'Base64') {
			throw new ApiError(403, 'FileContentType.Invalid', 'The ContentType of file is invalid.');
		}
		const content = required(p, 'Content');
		if (contentType === 'Base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) {
			throw new ApiError(403, 'FileContent.DecodeError', 'The Content can not be base64 decoded.');
		}
		const bytes = contentType === 'Base64' ? Buffer.from(content, 'base64') : Buffer.from(content);
		if (bytes.toString('base64').length > MAX_FILE_BASE64) {
			throw new ApiError(403, 'FileSize.ExceedLimit', 'The length of file content exceeds limit.');
		}
		const name = required(p, 'Name');
		checkLength(
			p,
			'Name',
			255,
			403,
			'FileName.ExceedLimit',
			'The length of file name exceeds limit.',
		);
		const targetDir = required(p, 'TargetDir');
		if (targetDir.length > 255 || !targetDir.startsWith('/')) {
			// Absolute Linux paths only: Windows directories are not modelled.
			throw new ApiError(403, 'FileTargetDir.Invalid', 'The target directory of file is invalid.');
		}
		const mode = optional(p, 'FileMode') ?? '0644';
		if (!/^[0-7]{3,4}$/.test(mode)) {
			throw new ApiError(403, 'FileMode.Invalid', 'The mode of file is invalid.');
		}
		const description = checkLength(
			p,
			'Description',
			512,
			403,
			'FileDesc.ExceedLimit',
			'The length of file description exceeds limit.',
		);
		const owner =
			checkLength(
				p,
				'FileOwner',
				64,
				403,
				'FileOwner.ExceedLimit',
				'The length of file owner exceeds limit.',
			) ?? 'root';
		const group =
			checkLength(
				p,
				'FileGroup',
				64,
				403,
				'FileGroup.ExceedLimit',
				'The length of file group exceeds limit.',
			) ?? 'root';
		const timeout = Math.max(10, optionalInt(p, 'Timeout', 1, 86_400) ?? 60);
		const instances = instancesFromIds(ctx, regionId, MAX_FILE_TARGETS);
		if (instances.length === 0) {
			throw new ApiError(
				400,
				'MissingParam.InstanceId',
				'The parameter instanceId is missing or empty.',
			);
		}
		const invocation = assistantOf(ctx).startFile(
			regionId,
			instances,
			{
				name,
				targetDir,
				content: bytes,
				contentType,
				owner,
				group,
				mode,
				overwrite: optionalBool(p, 'Overwrite') ?? false,
				description,
			},
			timeout,
		);
		return { InvokeId: invocation.invokeId };
	},
};
