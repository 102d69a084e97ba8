/**
 * Test harness: runs this package's node code inside real n8n-core execution contexts
 * (ExecuteContext, WorkflowExecute, LoadOptionsContext, RoutingNode, CredentialTestContext) so
 * parameters, expressions, credentials, HTTP and binary data go through n8n's own machinery.
 * Written against n8n-core 2.41.1 / n8n-workflow 2.41.0; the cli-side parts (credentials helper,
 * credential tester, dynamic node parameters, additional data) mirror n8n@2.41.1's cli.
 *
 * Things to know:
 * - Expressions run on n8n-workflow's 'legacy' engine. n8n 2.41 servers default to the 'vm'
 *   engine (N8N_EXPRESSION_ENGINE), which needs isolated-vm and Node >= 24, so it cannot load
 *   here. On the legacy engine a runtime error inside `{{ }}` (e.g. reading a property of
 *   undefined) yields undefined; only syntax errors and ExpressionErrors throw.
 * - n8n-core sniffs the MIME type of a buffer passed to prepareBinaryData without a MIME type or
 *   a file name it recognises via `await import('file-type')` (an ES module). Jest only allows
 *   that with NODE_OPTIONS=--experimental-vm-modules; otherwise it fails with "A dynamic import
 *   callback was invoked without --experimental-vm-modules".
 * - n8n-core reports node failures to its ErrorReporter; the harness records them in
 *   `errorReports` instead of printing them.
 */
export { TestCredentialsHelper, credentialIdFor, type CredentialUpdateRecord } from './credentials-helper';
export { TestNodeTypes, latestVersion } from './node-types';
export {
	buildAdditionalData,
	configureBinaryData,
	ensureBinaryData,
	cleanupBinaryData,
	errorReports,
	type ErrorReport,
	type HarnessAdditionalData,
	type HarnessBinaryDataMode,
	type AdditionalDataOverrides,
	type UiMessage,
} from './additional-data';
export {
	executeNode,
	runWorkflow,
	HARNESS_WORKFLOW_ID,
	ITEMS_SOURCE_NODE_NAME,
	ITEMS_SOURCE_NODE_TYPE,
	RECEIVER_NODE_TYPE,
	receiverName,
	type NodeRunOptions,
	type ExecuteNodeOptions,
	type ExecuteNodeResult,
	type RunWorkflowOptions,
	type RunWorkflowResult,
} from './execute';
export { listSearch, loadOptions, type ListSearchOptions, type LoadOptionsCallOptions } from './load-options';
export { testCredential, type TestCredentialOptions } from './credential-test';
export { evaluateExpression } from './expression';
export * from './trigger';
export * from './waiting';
