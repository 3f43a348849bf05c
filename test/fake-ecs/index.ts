/** The fake ECS endpoint's public surface (see README.md). */
export {
	FakeEcs,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	TEST_ACCOUNT_ID,
	TEST_ROLE_ARN,
	type FakeEcsOptions,
	type RecordedRequest,
} from './server';
export {
	FakeEcsState,
	SAMPLE_INSTANCE,
	SAMPLE_REGION,
	DEFAULT_REGION,
	DEFAULT_RESOURCE_GROUP_ID,
	type Activation,
	type ActivationInput,
	type ManagedInstance,
	type ManagedInstanceInput,
	type Tag,
} from './model';
export type { Fault, FaultKind } from './faults';
export type { RoleConfig, StsSession } from './sts';
export { seededRandom } from './generate';
export { DEFAULT_REGION_IDS } from './regions';
export {
	CloudAssistant,
	DELIVERY_TIMEOUT_MS,
	OUTPUT_LIMIT_BYTES,
	type CloudAssistantOptions,
	type Invocation,
	type TargetView,
} from './cloud-assistant';
export { interpretScript } from './agent-script';
