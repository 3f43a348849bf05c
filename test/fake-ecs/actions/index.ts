/** The action table: adding an API is one handler file plus one line here. */
import { ApiError, missingParameter } from '../errors';
import { assumeRole } from './assumeRole';
import type { ActionSpec } from './context';
import { createActivation } from './createActivation';
import { deleteActivation } from './deleteActivation';
import { deregisterManagedInstance } from './deregisterManagedInstance';
import { describeCloudAssistantStatus } from './describeCloudAssistantStatus';
import { describeActivations } from './describeActivations';
import { describeManagedInstances } from './describeManagedInstances';
import { describeInvocationResults } from './describeInvocationResults';
import { describeInvocations } from './describeInvocations';
import { describeRegions } from './describeRegions';
import { describeSendFileResults } from './describeSendFileResults';
import { disableActivation } from './disableActivation';
import { modifyManagedInstance } from './modifyManagedInstance';
import { runCommand } from './runCommand';
import { sendFile } from './sendFile';
import { stopInvocation } from './stopInvocation';

export * from './context';

const ALL: ActionSpec[] = [
	deregisterManagedInstance,
	describeManagedInstances,
	modifyManagedInstance,
	createActivation,
	describeActivations,
	disableActivation,
	deleteActivation,
	describeRegions,
	describeCloudAssistantStatus,
	assumeRole,
	runCommand,
	describeInvocations,
	describeInvocationResults,
	stopInvocation,
	sendFile,
	describeSendFileResults,
];

const TABLE = new Map(ALL.map((spec) => [`${spec.version}/${spec.action}`, spec]));
const VERSIONS = new Set(ALL.map((spec) => spec.version));

/** The handler for a request, or the gateway's answer for an API it does not know. */
export function routeAction(path: string, version: string, action: string): ActionSpec {
	if (!version) throw missingParameter('Version');
	if (!action) throw missingParameter('Action');
	if (!VERSIONS.has(version)) {
		throw new ApiError(
			400,
			'InvalidVersion',
			`Specified parameter Version is not valid: ${version}.`,
		);
	}
	const spec = TABLE.get(`${version}/${action}`);
	if (!spec || path !== '/') {
		throw new ApiError(
			404,
			'InvalidAction.NotFound',
			`Specified api is not found, please check your url and method: ${action}.`,
		);
	}
	return spec;
}
