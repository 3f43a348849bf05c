// Lint with n8n's own node rules (eslint-plugin-n8n-nodes-base) and the rules
// n8n applies to community packages (@n8n/eslint-plugin-community-nodes).
// Two community rules are switched off on purpose, because this package's
// design breaks them (see README, "Lint"):
//  - no-runtime-dependencies: the package ships the official Alibaba Cloud SDK.
//  - no-http-request-with-manual-auth: the SDK signs every request itself.
// The package cannot run on n8n Cloud (it has runtime dependencies), so the
// community config without the Cloud-only import and global restrictions applies.
// Where n8n's older node rules and the newer community rules disagree, the
// community rules win (they are what n8n checks community packages with):
//  - n8n-nodes-base/node-class-description-{in,out}puts-wrong want 'main';
//    the community rule node-connection-type-literal wants NodeConnectionTypes.Main.
//  - n8n-nodes-base/cred-class-field-documentation-url-miscased wants an n8n
//    docs slug; a community credential links to the vendor's page instead.
// Internal modules (transport/, helpers/) throw their own plain error classes,
// which hold no node; the router turns every one of them into a NodeApiError or
// NodeOperationError naming the item, and the tests prove it.
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'],
	},
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		...communityNodes.configs.recommendedWithoutN8nCloudSupport,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		rules: {
			...communityNodes.configs.recommendedWithoutN8nCloudSupport.rules,
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			'@n8n/community-nodes/no-http-request-with-manual-auth': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['nodes/**/transport/**/*.ts', 'nodes/**/helpers/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		languageOptions: { parser: (await import('jsonc-eslint-parser')).default },
		rules: { ...n8nNodesBase.configs.community.rules },
	},
);
