/**
 * Library for the end-to-end tests against real n8n installs (scripts/n8n/install.sh).
 *
 *   const line = ensureLine('n8n2-node20');
 *   const userFolder = makeUserFolder();
 *   installPackageInto(userFolder, tarball);
 *   const { exitCode, run } = await runWorkflow({ line, userFolder, credentials, workflow });
 *   const n8n = await startN8n({ line, userFolder }); const { cookie } = await setupOwner(n8n.url); await n8n.stop();
 */
export * from './lines';
export * from './env';
export * from './community-package';
export * from './cli';
export * from './server';
export * from './alibaba-ecs';
export * from './browser';
export * from './process-guard';
export * from './queue-services';
export * from './queue-mode';
export * from './queue-workload';
