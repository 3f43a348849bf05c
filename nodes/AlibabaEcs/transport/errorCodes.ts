/**
 * The one table of the Alibaba Cloud error codes this package explains: code (or code family)
 * → kind, whether a repeat is safe, the node's message, what to do, and where the code comes from.
 * errors.ts words every API error with it, retry.ts decides retries with it, and docs/ERRORS.md
 * is generated from it (`npm run docs:errors`; a unit test fails when the two drift apart).
 *
 * Sources, cited per row:
 * - REF: the API reference page of each action, section "Error codes" (alibabacloud.com/help/en/ecs/
 *   developer-reference/api-ecs-2014-05-26-<action>), as of its change history (2024-12-05 for the
 *   activation APIs, 2025-11-25 for Deregister/Modify, 2025-12-19 for DescribeManagedInstances).
 * - SDK: `@alicloud/openapi-core` 1.0.x `dist/client.js` (how the official SDK sorts answers).
 * - COMMON: the gateway's common errors, as the project's research (shared ALIBABA.md) records them
 *   and as Alibaba Cloud's SDKs handle them; no single reference page lists them all, so their
 *   exact wording is "unverified" unless a row says otherwise.
 */
import { MANAGED_INSTANCE_REGION_IDS } from './regions';

/** What an error says about the request, in the node's terms. */
export type ErrorKind =
	/** The instance or activation code the item addresses does not exist: the one "already gone". */
	| 'target-not-found'
	/** Something else the request names does not exist (resource group, role…): never "already gone". */
	| 'other-not-found'
	| 'region'
	| 'action'
	| 'signature'
	| 'access-key'
	| 'clock'
	| 'security-token'
	| 'permission'
	| 'forbidden'
	| 'throttled'
	| 'quota'
	| 'conflict'
	| 'parameter'
	| 'server'
	/** An error page that is not an ECS API answer: a gateway's, a proxy's or a custom endpoint's. */
	| 'gateway'
	| 'sts';

/**
 * Whether a request that got this answer may be sent again.
 * - no: the same request gets the same answer.
 * - transient: another try can succeed, but the first may have acted: only for reads and writes
 *   that cannot act twice (ClientToken, same end state).
 * - refused: the API refused before acting (flow control at the gateway): safe for every action.
 */
export type RetryRule = 'no' | 'transient' | 'refused';

export interface ErrorCodeRow {
	/**
	 * The code, or a family with `*` wildcards: "Throttling*", "*Throttling*". Pseudo-codes
	 * match by the HTTP answer instead: "HTTP 429" (any body) and "HTTP 5xx"; "x-acs-retry-after"
	 * matches any answer that carries that header; "HTTP 4xx page" and "HTTP 5xx page" match an
	 * error answer whose body is not an ECS API answer (HTML, empty, not JSON).
	 */
	code: string;
	/** HTTP status as the sources give it (documentation only; matching is by code). */
	status?: number;
	/** Limits the row to one API action (STS's AssumeRole has its own codes). */
	action?: string;
	kind: ErrorKind;
	retry: RetryRule;
	/**
	 * The first line of the node's message. Placeholders: {action} {region} {host} {subject}
	 * (default "The {action} request") {code} {message} (Alibaba's own message, or the code)
	 * {ramAction} {status} (the HTTP status and its reason phrase, e.g. "502 Bad Gateway").
	 */
	summary: string;
	/** What to do, shown as the error's description; the same placeholders plus {regions}. */
	advice: string;
	/** Where the code and its meaning are documented, or "unverified: …". */
	source: string;
}

const REF = (actions: string) => `API reference, Error codes: ${actions}`;
const ALL_ACTIONS =
	'DeregisterManagedInstance, DescribeManagedInstances, ModifyManagedInstance, CreateActivation, DisableActivation, DeleteActivation';

const CHECK_CLOCK =
	'Alibaba Cloud accepts a signed request only within 15 minutes of its own clock, so this is the clock of the n8n host, not a parameter. Set it right and keep it right: enable NTP (timedatectl set-ntp true, chrony or ntpd); n8n in Docker uses the clock of the machine that runs Docker.';
const NOT_FOUND_ADVICE =
	'Check the Region ID ({region}): managed instances and activation codes are only visible in the region where they were created. Check the ID too; it may already have been deregistered or deleted.';
const PARAMETER_ADVICE =
	"Alibaba Cloud's message above names the parameter. The node checks every documented limit before sending, so the value came from an expression or is outside a limit the API reference does not state; compare it with the {action} reference.";
const RETRY_LATER =
	'It is safe to retry later; reads and writes that cannot act twice were already retried. Disable and Delete are not sent again, as the first request may have been carried out: check the activation code before running them again.';

/** The item's own instance or activation code is missing: the one meaning of "already gone". */
function targetNotFound(code: string, source: string): ErrorCodeRow {
	return {
		code,
		status: 404,
		kind: 'target-not-found',
		retry: 'no',
		summary: '{subject} was not found in region {region}',
		advice: NOT_FOUND_ADVICE,
		source,
	};
}

/** A RAM policy does not allow the call. */
function permission(code: string, source: string): ErrorCodeRow {
	return {
		code,
		status: 403,
		kind: 'permission',
		retry: 'no',
		summary: 'The AccessKey is not allowed to call {ramAction}',
		advice:
			'Grant the RAM user or role a policy that allows "{ramAction}" on the resources of region {region}.',
		source,
	};
}

export const ERROR_CODES: readonly ErrorCodeRow[] = [
	// ---------------------------------------------------------------- the target is gone
	targetNotFound(
		'InvalidInstance.NotFound',
		REF('DeregisterManagedInstance, ModifyManagedInstance (404)'),
	),
	targetNotFound(
		'InvalidInstanceId.NotFound',
		'unverified for managed instances: the ECS family answers it for unknown instance IDs (e.g. RunCommand); accepted as the same meaning',
	),
	targetNotFound('ActivationId.NotFound', REF('DisableActivation, DeleteActivation (404)')),
	targetNotFound(
		'InvalidActivationId.NotFound',
		'unverified: the pattern of other ECS NotFound codes; accepted as ActivationId.NotFound',
	),
	// ---------------------------------------------------------------- region, action, endpoint
	{
		code: 'RegionId.ApiNotSupported',
		status: 400,
		kind: 'region',
		retry: 'no',
		summary: '{action} is not available in region {region}',
		advice:
			'Check the Region ID: managed instances exist only in these regions: {regions}. Choose one of them; a region set by expression is sent as it is, and Alibaba Cloud decides.',
		source: REF(ALL_ACTIONS),
	},
	{
		code: 'InvalidRegionId.NotFound',
		status: 404,
		kind: 'region',
		retry: 'no',
		summary: 'Region {region} is not known to the endpoint {host}',
		advice:
			"Check the Region ID for typos. Managed instances exist in these regions: {regions}. With a custom Endpoint in the credential, check that it serves this region (empty the field to use each region's public endpoint).",
		source: REF(`${ALL_ACTIONS} (404, "The RegionId provided does not exist in our records.")`),
	},
	{
		code: 'InvalidAction.NotFound',
		status: 404,
		kind: 'action',
		retry: 'no',
		summary: 'The endpoint {host} does not offer the API action {action}',
		advice:
			"The credential's Endpoint may point at a service other than ECS, or a gateway on the way does not know this action. Empty the Endpoint field to use Alibaba Cloud's public ECS endpoint, or point it at an ECS endpoint such as ecs-vpc.{region}.aliyuncs.com.",
		source:
			'COMMON (the gateway\'s answer for an unknown action: "Specified api is not found, please check your url and method."; unverified wording)',
	},
	// ---------------------------------------------------------------- who is asking
	{
		code: 'SignatureDoesNotMatch',
		status: 400,
		kind: 'signature',
		retry: 'no',
		summary: 'Alibaba Cloud rejected the request signature',
		advice:
			'The AccessKey Secret in the credential does not belong to its AccessKey ID. Enter the secret again (it is shown only once, when the AccessKey is created).',
		source: 'COMMON ("Specified signature is not matched with our calculation.")',
	},
	{
		code: 'IncompleteSignature',
		status: 400,
		kind: 'signature',
		retry: 'no',
		summary: 'Alibaba Cloud found the request signature incomplete',
		advice:
			'A signing header did not reach Alibaba Cloud intact. If a proxy or gateway sits between n8n and Alibaba Cloud, check that it forwards the Authorization and x-acs-* headers unchanged; otherwise check the AccessKey Secret.',
		source: 'COMMON (unverified wording)',
	},
	{
		code: 'InvalidAccessKeyId.Inactive',
		status: 400,
		kind: 'access-key',
		retry: 'no',
		summary: 'The AccessKey in the credential is disabled',
		advice: 'Enable the AccessKey in the RAM console, or put an enabled one in the credential.',
		source: 'COMMON (unverified wording)',
	},
	{
		code: 'InvalidAccessKeyId*',
		status: 404,
		kind: 'access-key',
		retry: 'no',
		summary: 'Alibaba Cloud does not know the AccessKey ID in the credential',
		advice:
			'Check the AccessKey ID in the credential against the RAM console, and that the key is enabled. A temporary STS key also ends up here once it has expired.',
		source: 'COMMON (InvalidAccessKeyId.NotFound: "Specified access key is not found.")',
	},
	{
		code: 'InvalidTimeStamp.Expired',
		status: 400,
		kind: 'clock',
		retry: 'no',
		summary:
			"Alibaba Cloud refused the request as expired: the n8n host's clock is more than 15 minutes off",
		advice: CHECK_CLOCK,
		source:
			'COMMON ("Specified time stamp or date value is expired."; the 15-minute window: Alibaba Cloud\'s signature documentation)',
	},
	{
		code: 'InvalidTimeStamp.Format',
		status: 400,
		kind: 'clock',
		retry: 'no',
		summary: "Alibaba Cloud could not read the request's timestamp",
		advice: `The SDK writes the time of the n8n host in UTC; a clock or time zone set far off can make it unreadable. ${CHECK_CLOCK}`,
		source: 'COMMON (unverified wording)',
	},
	{
		code: 'SignatureNonceUsed',
		status: 400,
		kind: 'signature',
		retry: 'refused',
		summary: 'Alibaba Cloud refused a repeated request (its signature nonce was already used)',
		advice:
			'Every request carries a new random nonce and was refused before anything was done, so a new try is safe. If it persists, something between n8n and Alibaba Cloud replays requests: check proxies.',
		source: 'COMMON ("Specified signature nonce was used already."; unverified wording)',
	},
	{
		code: 'MissingSecurityToken',
		status: 400,
		kind: 'security-token',
		retry: 'no',
		summary: 'Alibaba Cloud needs an STS security token for this AccessKey',
		advice:
			'The AccessKey ID is a temporary STS key: add the Security Token that STS returned with it, or use a permanent AccessKey (or a RAM Role ARN) in the credential.',
		source: 'COMMON (unverified wording)',
	},
	{
		code: 'InvalidSecurityToken*',
		status: 400,
		kind: 'security-token',
		retry: 'no',
		summary: 'The STS security token in the credential is invalid or has expired',
		advice:
			'STS tokens are temporary: request new credentials from STS and update the AccessKey ID, Secret and Security Token together, or set a RAM Role ARN so that the node assumes the role itself.',
		source: 'COMMON (InvalidSecurityToken.Expired, .Malformed, .MismatchWithAccessKey)',
	},
	permission(
		'Forbidden.RAM',
		'COMMON; the denied action is in the answer\'s AccessDeniedDetail.AuthAction (SDK: ClientError.accessDeniedDetail); RAM actions are "ecs:" + the API action (API reference, Authorization information)',
	),
	permission('Forbidden*', 'COMMON (Forbidden.* family; unverified members)'),
	permission('NoPermission', 'COMMON (unverified wording)'),
	{
		code: 'Operation.Forbidden',
		status: 403,
		kind: 'forbidden',
		retry: 'no',
		summary: 'Alibaba Cloud does not permit {action} for this account or resource',
		advice:
			'This is not a RAM permission (that would be Forbidden.RAM): Alibaba Cloud refuses the operation itself ("The operation is not permitted."). Check in the ECS console (Cloud Assistant) that managed instances can be used by the account in region {region} (account in good standing, real-name verification done); if it persists, open a ticket with the request ID.',
		source: REF(`${ALL_ACTIONS} (403, "The operation is not permitted.")`),
	},
	{
		code: 'RealNameAuthenticationError',
		status: 403,
		kind: 'forbidden',
		retry: 'no',
		summary: 'Alibaba Cloud refuses {action}: the account has not passed real-name verification',
		advice: 'Complete real-name verification for the account in the Alibaba Cloud console.',
		source: REF('CreateActivation (403)'),
	},
	// ---------------------------------------------------------------- too many requests
	{
		code: '*Throttling*',
		status: 400,
		kind: 'throttled',
		retry: 'refused',
		summary: 'Alibaba Cloud is throttling {action} requests',
		advice:
			'Too many requests in a short time: Alibaba Cloud refused them before acting. Try again later, lower Concurrent Requests, or spread the runs out.',
		source:
			'SDK (any code containing "Throttling" is a ThrottlingError); COMMON (Throttling, Throttling.User, Throttling.Api: "Request was denied due to … flow control.")',
	},
	{
		code: 'HTTP 429',
		status: 429,
		kind: 'throttled',
		retry: 'refused',
		summary: '{host} answered 429 Too Many Requests to {action}',
		advice:
			'Alibaba Cloud, or a gateway or proxy in front of it, refused the request before acting on it because of its rate. Try again later, lower Concurrent Requests, or spread the runs out.',
		source:
			'RFC 6585 (429 Too Many Requests); the SDK does not treat it as throttling unless the code says so; unverified which Alibaba Cloud gateways answer it',
	},
	{
		code: 'x-acs-retry-after',
		kind: 'throttled',
		retry: 'refused',
		summary: 'Alibaba Cloud asked to retry {action} later',
		advice:
			'The answer carried x-acs-retry-after (milliseconds, as every Alibaba Cloud SDK reads it); the node waits that long before each retry, at most 30 seconds. Try again later, lower Concurrent Requests, or spread the runs out.',
		source:
			"SDK (getThrottlingTimeLeft reads it as an integer; its retry loop sleeps that many milliseconds); Alibaba's Java, C# and CLI clients read milliseconds too",
	},
	{
		code: 'IdempotentParameterMismatch',
		status: 400,
		kind: 'conflict',
		retry: 'no',
		summary: '{action} was already sent with the same client token but different parameters',
		advice:
			'A client token can only be reused for an identical request: the same item was sent again with different values (e.g. an expression that changed between tries). Run it again in a new execution.',
		source: 'COMMON (ECS "How to ensure idempotence"; unverified wording)',
	},
	{
		code: 'ActivationId.InUse',
		status: 403,
		kind: 'conflict',
		retry: 'no',
		summary: '{subject} cannot be deleted: servers have been registered with it',
		advice:
			'Alibaba Cloud only deletes an activation code that was never used. Disable it instead (Activation Code → Disable), so it registers no more servers.',
		source: REF('DeleteActivation (403, "The specified activation id is in use.")'),
	},
	// ---------------------------------------------------------------- CreateActivation limits
	{
		code: 'ActivationCount.ExceedLimit',
		status: 400,
		kind: 'quota',
		retry: 'no',
		summary: 'Region {region} holds as many activation codes as Alibaba Cloud allows',
		advice:
			'Up to 5,000 activation codes per region, and above 1,000 more than half of them must be used before a new one is created. Delete unused codes (Activation Code → Delete) or use another region.',
		source: REF('CreateActivation (400; the limits: its usage notes)'),
	},
	{
		code: 'ManagedInstanceCountExceedLimit',
		status: 403,
		kind: 'quota',
		retry: 'no',
		summary: 'Region {region} holds as many managed instances as Alibaba Cloud allows',
		advice:
			'Deregister managed instances you no longer need, or ask Alibaba Cloud for a higher quota (Quota Center).',
		source: REF('CreateActivation (403)'),
	},
	{
		code: 'ActivationLimitation.Invalid',
		status: 400,
		kind: 'quota',
		retry: 'no',
		summary: 'Instance Count is over the limit Alibaba Cloud allows: {message}',
		advice:
			'Use an Instance Count from 1 to 1000 (the API reference), or lower if the message names a lower limit.',
		source: REF('CreateActivation (400, InstanceCount)'),
	},
	{
		code: 'ActivationTTL.ExceedLimit',
		status: 400,
		kind: 'quota',
		retry: 'no',
		summary: 'Time to Live is over the limit Alibaba Cloud allows: {message}',
		advice:
			"Sources disagree on the maximum (the SDK model says 4 hours, older pages 24), so the node lets Alibaba Cloud decide: use at most the limit in Alibaba Cloud's message; 4 always works.",
		source: REF('CreateActivation (400, TimeToLiveInHours)'),
	},
	{
		code: 'InvalidResourceGroup.NotFound',
		status: 404,
		kind: 'other-not-found',
		retry: 'no',
		summary: 'The resource group given to {action} does not exist',
		advice: 'Check the Resource Group ID (rg-…) in the Resource Manager console.',
		source: REF('CreateActivation (404)'),
	},
	{
		code: 'InvalidStatus.ResourceGroup',
		status: 403,
		kind: 'conflict',
		retry: 'no',
		summary: 'The resource group is being created or deleted',
		advice: 'Wait until the resource group is ready, or use another one.',
		source: REF('CreateActivation (403)'),
	},
	// ---------------------------------------------------------------- parameters
	{
		code: 'InstanceName.*',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: 'Alibaba Cloud refused the instance name: {message}',
		advice:
			'Names are 2 to 128 characters (activation name prefixes 2 to 50), start with a letter, hold only letters, digits, ".", "_", "-" and ":", and do not start with http:// or https://.',
		source: REF(
			'ModifyManagedInstance, CreateActivation (InstanceName.ExceedLimit, .InvalidPattern)',
		),
	},
	{
		code: 'ActivationDesc.ExceedLimit',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: 'Alibaba Cloud refused the description: {message}',
		advice: 'Descriptions are 1 to 100 characters.',
		source: REF('CreateActivation (400)'),
	},
	{
		code: 'AddressRange.InvalidPattern',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: 'Alibaba Cloud refused the IP address range: {message}',
		advice: 'Use one IPv4 or IPv6 address or CIDR block, e.g. 10.0.0.0/8.',
		source: REF('CreateActivation (400)'),
	},
	{
		code: 'InvalidTag*',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: 'Alibaba Cloud refused a tag: {message}',
		advice:
			'Tag keys are 1 to 64 characters and do not start with "aliyun" or "acs:"; values are up to 128 characters; neither contains http:// or https://.',
		source: REF(
			'DescribeManagedInstances, CreateActivation (InvalidTagKey.Malformed, InvalidTagValue.Malformed)',
		),
	},
	{
		code: 'NumberExceed.Tags',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: 'Too many tags for {action}',
		advice: 'Use at most 20 tags.',
		source: REF('DescribeManagedInstances, CreateActivation (400)'),
	},
	{
		code: 'Duplicate.TagKey',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: 'A tag key is given twice',
		advice: 'Give each tag key once.',
		source: REF('DescribeManagedInstances, CreateActivation (400)'),
	},
	{
		code: 'InvalidParam*',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: '{action} refused a parameter: {message}',
		advice: PARAMETER_ADVICE,
		source: REF(
			'DescribeManagedInstances, DescribeActivations (InvalidParam.PageNumber, InvalidParam.PageSize, InvalidParameter.NextToken, InvalidParameter.MaxResults); the family: COMMON',
		),
	},
	{
		code: 'MissingParam*',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: '{action} is missing a parameter: {message}',
		advice: PARAMETER_ADVICE,
		source: REF('CreateActivation (MissingParameter.TagKey); the family: COMMON'),
	},
	// ---------------------------------------------------------------- Cloud Assistant (Command)
	{
		code: 'Invocation.ExceedQuota',
		status: 403,
		kind: 'quota',
		retry: 'no',
		summary: 'The daily quota of Cloud Assistant runs in region {region} is used up',
		advice:
			'Alibaba Cloud limits how many commands a region accepts per day; the count starts again the next day. Retrying now does not help: try again tomorrow, run fewer separate commands (one Run reaches up to 100 instances), or ask for a higher quota in the Quota Center (Cloud Assistant).',
		source: REF(
			'RunCommand, InvokeCommand (403, "The invocation quota in the current region has been reached for today.")',
		),
	},
	{
		code: 'CmdContent.ExceedLimit',
		status: 403,
		kind: 'parameter',
		retry: 'no',
		summary: 'The command is too long for Cloud Assistant',
		advice:
			'The command content may be at most 24 KB after Base64 encoding, its parameters included. Shorten it, or put the script on the instances with Send File and run the file.',
		source: REF('RunCommand, InvokeCommand (403, "The maximum length of a command is exceeded.")'),
	},
	{
		code: 'FileSize.ExceedLimit',
		status: 403,
		kind: 'parameter',
		retry: 'no',
		summary: 'The file is too large for Send File',
		advice:
			'Send File takes at most 32 KB after Base64 encoding (about 24,000 bytes). Compress or split the file, or let the instances download it with Run (curl, wget).',
		source: REF('SendFile (403, "The length of file content exceeds limit.")'),
	},
	{
		code: 'InstanceIds.ExceedLimit',
		status: 403,
		kind: 'quota',
		retry: 'no',
		summary: '{action} was sent to more instances than Alibaba Cloud accepts in one request',
		advice:
			'Run takes up to 100 instances by default (a quota), Send File and Stop up to 50: split the instances over several items.',
		source: REF(
			'RunCommand, InvokeCommand, SendFile (403, "The number of instance IDs exceeds the upper limit.")',
		),
	},
	{
		code: 'InvalidResourceTag.InstanceNotFound',
		status: 400,
		kind: 'other-not-found',
		retry: 'no',
		summary: 'No instance in region {region} has all of these tags',
		advice: 'Check the tag keys and values (both are case-sensitive) and the Region ID.',
		source: REF(
			'RunCommand, InvokeCommand (400, "InstanceIds are not found by the specified ResourceTag.")',
		),
	},
	{
		code: 'InvalidInvokeId.NotFound',
		status: 404,
		kind: 'other-not-found',
		retry: 'no',
		summary: '{subject} was not found in region {region}',
		advice:
			'Check the Invoke ID and the Region ID: runs are only visible in their own region, and Alibaba Cloud keeps their records for a limited time (about four weeks).',
		source:
			'unverified: the code StopInvocation answers for an unknown InvokeId is not documented; the fake answers this one, any other *NotFound reads the same way',
	},
	{
		code: 'IdempotentProcessing',
		status: 403,
		kind: 'conflict',
		retry: 'transient',
		summary: 'An identical {action} request is still being processed',
		advice:
			'The same request (same client token) was sent a moment ago and is not finished. Try again in a few seconds: with the same client token it cannot run twice.',
		source: REF(
			'RunCommand, InvokeCommand (403, "The previous idempotent request(s) is still processing.")',
		),
	},
	{
		code: 'Parameter.MissingValue',
		status: 400,
		kind: 'parameter',
		retry: 'no',
		summary: 'The command uses a placeholder ({{…}}) that has no value',
		advice: 'Give every {{…}} placeholder of the command a value under Parameters.',
		source: REF(
			'RunCommand, InvokeCommand (400, "The parameter value of this command is required.")',
		),
	},
	// ---------------------------------------------------------------- not this package's target
	{
		code: '*NotFound',
		status: 404,
		kind: 'other-not-found',
		retry: 'no',
		summary: 'Alibaba Cloud did not find something {action} names: {message}',
		advice:
			"This is not the instance or activation code itself (that would be InvalidInstance.NotFound or ActivationId.NotFound): Alibaba Cloud's message says what is missing.",
		source: 'COMMON (every ECS "…NotFound" code names what is missing)',
	},
	// ---------------------------------------------------------------- Alibaba Cloud's side
	{
		code: 'InternalError*',
		status: 500,
		kind: 'server',
		retry: 'transient',
		summary: 'Alibaba Cloud could not process {action} right now',
		advice: `This is a temporary error on Alibaba Cloud's side. ${RETRY_LATER}`,
		source: REF(
			`${ALL_ACTIONS} (500 InternalError.Dispatch, "An error occurred when you dispatched the request.")`,
		),
	},
	{
		code: 'ServiceUnavailable*',
		status: 503,
		kind: 'server',
		retry: 'transient',
		summary: 'Alibaba Cloud could not process {action} right now',
		advice: `This is a temporary error on Alibaba Cloud's side. ${RETRY_LATER}`,
		source: 'API reference of DescribeCloudAssistantStatus (500 ServiceUnavailable); COMMON',
	},
	{
		code: 'HTTP 5xx',
		status: 500,
		kind: 'server',
		retry: 'transient',
		summary: 'Alibaba Cloud could not process {action} right now (HTTP {status})',
		advice: `A 5xx answer is a failure on the server's side. ${RETRY_LATER}`,
		source: 'SDK (every 5xx is a ServerError); RFC 9110',
	},
	// ---------------------------------------------------------------- not the ECS API
	{
		code: 'HTTP 5xx page',
		status: 502,
		kind: 'gateway',
		retry: 'transient',
		summary: '{action} failed: HTTP {status} from {host}',
		advice: `The answer is a page, not an ECS API response: a 502, 503 or 504 page comes from a gateway or proxy between n8n and Alibaba Cloud (or from a custom endpoint) and is usually temporary. ${RETRY_LATER}`,
		source:
			"RFC 9110 §15.6 (502 Bad Gateway and 504 Gateway Timeout are a gateway's or proxy's answers, 503 Service Unavailable a temporary overload); the SDK drops the status of a body that is not JSON (a bare SyntaxError), so the node reads it from the HTTP answer",
	},
	{
		code: 'HTTP 4xx page',
		status: 404,
		kind: 'gateway',
		retry: 'no',
		summary: '{action} failed: HTTP {status} from {host}',
		advice:
			"The answer is a page, not an ECS API response (those carry RequestId, Code and Message), so something between n8n and Alibaba Cloud refused the request: a proxy, a gateway, or a custom endpoint that is not an ECS API. Check the credential's Endpoint field and any proxy (HTTPS_PROXY, NO_PROXY). The same request gets the same page, so it is not retried.",
		source:
			'RFC 9110 §15.5 (4xx); the ECS error body (RequestId, HostId, Code, Message, Recommend) as every action reference shows it',
	},
	// ---------------------------------------------------------------- STS, for a RAM role
	{
		code: '*',
		action: 'AssumeRole',
		kind: 'sts',
		retry: 'no',
		summary: 'Assuming the RAM role failed: {message}',
		advice:
			"Check the credential's RAM Role ARN, External ID and Session Duration, that the AccessKey's RAM user may call sts:AssumeRole, and that the role's trust policy lets that user assume it.",
		source:
			'STS AssumeRole (2015-04-01) errors as @alicloud/credentials reports them (EntityNotExist.Role, NoPermission, InvalidParameter.*)',
	},
];

/** What an answer looked like, as far as the table cares. */
export interface AnswerFacts {
	code?: string;
	statusCode?: number;
	/** The answer carried x-acs-retry-after (or Retry-After). */
	retryAfter?: boolean;
	/** The body was not an ECS API answer (an HTML page, empty, not JSON). */
	page?: boolean;
	action?: string;
}

function matches(pattern: string, code: string): boolean {
	if (!pattern.includes('*')) return pattern === code;
	const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(`^${parts.join('.*')}$`).test(code);
}

/** How specific a pattern is: exact codes first, then the longest fixed text. */
function specificity(pattern: string): number {
	return pattern.includes('*') ? pattern.replace(/\*/g, '').length : 10_000;
}

/** The rows that match by the HTTP answer rather than by a code. */
const PSEUDO_CODES = [
	'HTTP 429',
	'HTTP 5xx',
	'x-acs-retry-after',
	'HTTP 4xx page',
	'HTTP 5xx page',
];

const BY_SPECIFICITY = [...ERROR_CODES]
	.filter((row) => !PSEUDO_CODES.includes(row.code))
	.sort((a, b) => specificity(b.code) - specificity(a.code));

function pseudo(code: string): ErrorCodeRow {
	return ERROR_CODES.find((row) => row.code === code) as ErrorCodeRow;
}

/**
 * The row that explains an answer, or undefined for a code the table does not know (its own
 * code and message are then shown as they are). Throttling wins over the code: a 429, or any
 * answer with x-acs-retry-after, is throttling whatever its code; then the most specific code
 * pattern; then an error page that is not an API answer, by status; then 5xx by status.
 */
export function lookupErrorCode(facts: AnswerFacts): ErrorCodeRow | undefined {
	const code = facts.code ?? '';
	const scoped = BY_SPECIFICITY.filter(
		(row) => row.action !== undefined && row.action === facts.action,
	);
	if (scoped.length > 0) return scoped.find((row) => matches(row.code, code));
	const general = BY_SPECIFICITY.filter((row) => row.action === undefined);
	const byCode = code === '' ? undefined : general.find((row) => matches(row.code, code));
	if (byCode?.kind === 'throttled') return byCode;
	if (facts.statusCode === 429) return pseudo('HTTP 429');
	if (facts.retryAfter) return pseudo('x-acs-retry-after');
	if (byCode) return byCode;
	const status = facts.statusCode ?? 0;
	if (facts.page && status >= 400) return pseudo(status >= 500 ? 'HTTP 5xx page' : 'HTTP 4xx page');
	if (status >= 500) return pseudo('HTTP 5xx');
	return undefined;
}

/** The 16 managed-instance regions, as advice text. */
export const REGION_LIST_TEXT = MANAGED_INSTANCE_REGION_IDS.join(', ');

/** Fills a row's {placeholders}; unknown ones stay as they are. */
export function fillTemplate(template: string, values: Record<string, string | undefined>): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
