/** Shared by bench/first-call.ts and bench/first-call-worker.ts. */
export interface ExecutionRecord {
	label: string;
	credentialId: string;
	ms: number;
	sdkModulesBefore: number;
	sdkModulesAfter: number;
	/** Each loadSdk() call of the execution, ms. */
	loadSdkMs: number[];
	/** SDK clients created in the execution: region and ms. */
	clientsCreated: { regionId: string; ms: number }[];
	/** AccessKey IDs the fake saw. */
	accessKeys: string[];
	/** EcsTransport objects and SDK clients that served the execution (identity only). */
	transports: object[];
	clients: object[];
}

export interface FirstCallReport {
	sdkModulesAfterPackageLoad: number;
	firstMs: number;
	secondMs: number;
	firstOtherCredentialMs: number;
	steadyMs: number[];
	firstLoadSdkMs: number;
	/** CPU time of the first loadSdk() call (the process does nothing else meanwhile). */
	firstLoadSdkCpuMs: number;
	laterLoadSdkMaxMs: number;
	sdkLoadedByFirst: boolean;
	sdkModulesAfterFirst: number;
	sdkModulesGrewLater: boolean;
	firstClientMs: number;
	otherCredentialClientMs: number;
	checks: Record<string, boolean>;
}
