/**
 * RunCommand. Limits from RunCommandRequest.d.ts (@alicloud/ecs20140526 7.11.6) [run]; error
 * codes from the InvokeCommand/RunCommand API reference error tables [invoke].
 */
import { ApiError } from '../errors';
import { optional, optionalBool, optionalInt, required } from '../params';
import { ECS_VERSION, requireRegion, type ActionContext, type ActionSpec } from './context';
import { assistantOf, checkLength, takeDailyQuota, targetsOf } from './invocations';

const COMMAND_TYPES = ['RunShellScript', 'RunPowerShellScript', 'RunBatScript'];
/** [run] InstanceId: "Array length: 1 to 100". */
export const MAX_RUN_TARGETS = 100;
/**
 * [run] "The command content cannot exceed 24 KB after Base64 encoding", with the custom
 * parameters counted in. KB taken as 1,000 bytes, the stricter reading (unverified).
 */
export const MAX_CONTENT_BASE64 = 24_000;
/** [run] Parameters: "The number of custom parameters ranges from 0 to 10" (CommandContent says 20: stricter). */
const MAX_PARAMETERS = 10;
/** [run] Timeout default 60 s; [invoke] "The timeout period cannot be less than 10 seconds"; maximum unverified. */
const MIN_TIMEOUT = 10;
const MAX_TIMEOUT = 86_400;
/** [run] parameter names: "a-zA-Z0-9-_ combinations", each up to 64 bytes. */
const PARAMETER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function readParameters(ctx: ActionContext, enabled: boolean): Record<string, string> {
	const raw = optional(ctx.params, 'Parameters');
	if (raw === undefined) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new ApiError(
			400,
			'InvalidParameter.Parameters',
			'The specified parameter Parameters is not valid.',
		);
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new ApiError(
			400,
			'InvalidParameter.Parameters',
			'The specified parameter Parameters is not valid.',
		);
	}
	const entries = Object.entries(parsed as Record<string, unknown>);
	if (entries.length > 0 && !enabled) {
		throw new ApiError(
			400,
			'Parameter.Disabled',
			'Parameters cannot be passed in when the command customization function is disabled.',
		);
	}
	if (entries.length > MAX_PARAMETERS) {
		throw new ApiError(
			403,
			'ParameterCount.ExceedLimit',
			'The maximum number of parameters is exceeded.',
		);
	}
	const values: Record<string, string> = {};
	for (const [name, value] of entries) {
		if (name.length > 64) {
			throw new ApiError(
				403,
				'ParameterKey.ExceedLimit',
				'The maximum length of a parameter name is exceeded.',
			);
		}
		if (!PARAMETER_NAME.test(name)) {
			throw new ApiError(
				400,
				'InvalidParameter.Parameters',
				'The specified parameter Parameters is not valid.',
			);
		}
		if (typeof value !== 'string') {
			throw new ApiError(
				403,
				'ParameterType.NotSupported',
				'The type of parameter value is not supported.',
			);
		}
		// [run] "Parameter names are case-insensitive."
		const key = name.toLowerCase();
		if (key in values) {
			throw new ApiError(403, 'ParameterKey.Duplicate', 'Parameter names cannot be duplicated.');
		}
		values[key] = value;
	}
	return values;
}

/** Every `{{name}}` of the content that is not a built-in needs a value ([invoke] Parameter.MissingValue). */
function checkParameterValues(script: string, values: Record<string, string>): void {
	for (const m of script.matchAll(/\{\{\s*([\w:-]+)\s*\}\}/g)) {
		const name = m[1].toLowerCase();
		if (!name.startsWith('acs::') && !(name in values)) {
			throw new ApiError(
				400,
				'Parameter.MissingValue',
				'The parameter value of this command is required.',
			);
		}
	}
}

function readCommand(ctx: ActionContext) {
	const p = ctx.params;
	const type = required(p, 'Type');
	if (!COMMAND_TYPES.includes(type)) {
		throw new ApiError(
			403,
			'InvalidCmdType.NotFound',
			'The specified command type does not exist.',
		);
	}
	const content = required(p, 'CommandContent');
	// [run] ContentEncoding: case-insensitive; "If an invalid value is specified, it is treated as PlainText".
	const base64 = (optional(p, 'ContentEncoding') ?? '').toLowerCase() === 'base64';
	const script = base64 ? Buffer.from(content, 'base64').toString('utf8') : content;
	const contentBase64 = base64 ? content : Buffer.from(content).toString('base64');
	const enableParameter = optionalBool(p, 'EnableParameter') ?? false;
	const values = readParameters(ctx, enableParameter);
	const parametersBase64 = Buffer.from(optional(p, 'Parameters') ?? '').toString('base64');
	if (contentBase64.length + parametersBase64.length > MAX_CONTENT_BASE64) {
		throw new ApiError(
			403,
			'CmdContent.ExceedLimit',
			'The maximum length of a command is exceeded.',
		);
	}
	if (enableParameter) checkParameterValues(script, values);
	return {
		type,
		script,
		contentBase64,
		enableParameter,
		values,
		parameters: optional(p, 'Parameters'),
		name: checkLength(
			p,
			'Name',
			128,
			403,
			'CmdName.ExceedLimit',
			'The length of the command name exceeds the upper limit.',
		),
		description: checkLength(
			p,
			'Description',
			512,
			403,
			'CmdDesc.ExceedLimit',
			'The length of the command description exceeds the upper limit.',
		),
		username: checkLength(
			p,
			'Username',
			255,
			403,
			'Username.ExceedLimit',
			'The length of the username exceeds the upper limit.',
		),
		workingDir: checkLength(
			p,
			'WorkingDir',
			200,
			400,
			'InvalidParameter.WorkingDir',
			'The specified parameter WorkingDir is not valid.',
		),
	};
}

export const runCommand: ActionSpec = {
	action: 'RunCommand',
	version: ECS_VERSION,
	idempotent: true, // [run] ClientToken
	forbiddable: true, // [invoke] 403 Operation.Forbidden
	handle(ctx) {
		const regionId = requireRegion(ctx);
		const command = readCommand(ctx);
		const repeatMode = optional(ctx.params, 'RepeatMode') ?? 'Once';
		if (repeatMode !== 'Once') {
			// The fake runs commands once only; scheduled runs are not modelled.
			throw new ApiError(
				404,
				'InvalidRepeatMode.NotFound',
				'The specified repeat mode does not exist.',
			);
		}
		const timeout = optionalInt(ctx.params, 'Timeout', MIN_TIMEOUT, MAX_TIMEOUT) ?? 60;
		const instances = targetsOf(ctx, regionId, MAX_RUN_TARGETS);
		takeDailyQuota(ctx, regionId);
		const invocation = assistantOf(ctx).startCommand(regionId, instances, command, timeout);
		return { CommandId: invocation.commandId, InvokeId: invocation.invokeId };
	},
};
