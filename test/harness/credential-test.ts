/**
 * The editor's credential "Test" button, in process.
 *
 * Mirrors n8n 2.41.1's cli `services/credentials-tester.service.ts` (CredentialsTester:
 * getCredentialTestFunction, prepareCredentialsForTest, testCredentials, runRequestTest), read
 * from the compiled n8n@2.41.1 package and the public n8n repository:
 * - the credential type's own declarative `test` wins; otherwise the nodes that use the
 *   credential are searched for `testedBy` (a `methods.credentialTest` function name, or a
 *   request description), and OAuth2 credentials only check for an access token;
 * - the data first gets the credential type's defaults (applyDefaultsAndOverwrites);
 * - a function test is called on `new CredentialTestContext(additionalData)`;
 * - a request test runs a temporary 'Temp-Node' whose single property routes `test.request`,
 *   through `new RoutingNode(new ExecuteContext(..., 'internal', ...), nodeTypeCopy,
 *   credentialsDecrypted).runNode()`, with `getDecrypted` answering the data under test;
 * - errors map, in order: `responseCode` rules → rule message; other non-2xx →
 *   statusMessage or "Received HTTP status code: N"; `error.cause.code` (ECONNREFUSED …);
 *   else `error.message`. On success, `responseSuccessBody` rules can still fail the test.
 * Not mirrored: redaction of `$secrets` values in messages (no external secrets in tests) and
 * the "auth probe" verdict used by n8n's AI credential setup.
 */
import { Container } from '@n8n/di';
import { CredentialTestContext, ErrorReporter, ExecuteContext, RoutingNode } from 'n8n-core';
import { NodeHelpers, Workflow, createEmptyRunExecutionData } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	ICredentialTestRequestData,
	ICredentialType,
	ICredentialsDecrypted,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	ITaskDataConnections,
	IVersionedNodeType,
} from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { TestCredentialsHelper, credentialIdFor } from './credentials-helper';

/** n8n's cli RESPONSE_ERROR_MESSAGES for the OAuth2 stand-in test. */
const OAUTH2_CREDENTIAL_TEST_SUCCEEDED = 'Connection Successful!';
const OAUTH2_CREDENTIAL_TEST_FAILED = 'This OAuth2 credential was not connected to an account.';

/**
 * Stand-in for n8n-nodes-base.noOp, the node type n8n uses when the credential's own `test` runs
 * (its description is copied and given the test request as its only property).
 */
const noOpNodeType: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: 'n8n-nodes-base.noOp',
		icon: 'fa:arrow-right',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing', color: '#b0b0b0' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};

export interface TestCredentialOptions {
	credentialType: ICredentialType;
	data: ICredentialDataDecryptedObject;
	/** Every credential type involved (the tested one is added if missing). */
	allCredentialTypes?: ICredentialType[];
	/** Nodes that use the credential: searched for `testedBy` when the type has no `test`. */
	nodeTypes?: Array<INodeType | IVersionedNodeType>;
	/** Credential name as saved in n8n; default 'Test credential'. */
	name?: string;
	/**
	 * Credential id; default the harness id of a saved credential. The editor sends '' for a
	 * credential that was never saved; n8n then cannot persist a preAuthentication result and
	 * fails such tests with "… has no ID", so pass '' to reproduce that.
	 */
	id?: string;
}

function allVersions(nodeType: INodeType | IVersionedNodeType): INodeType[] {
	return 'nodeVersions' in nodeType ? Object.values(nodeType.nodeVersions) : [nodeType];
}

function hasAccessToken(credentialsDecrypted: ICredentialsDecrypted): boolean {
	const oauthTokenData = credentialsDecrypted?.data?.oauthTokenData;
	if (typeof oauthTokenData !== 'object' || oauthTokenData === null || Array.isArray(oauthTokenData)) {
		return false;
	}
	return 'access_token' in oauthTokenData;
}

/** Same search order as CredentialsTester.getCredentialTestFunction. */
function getCredentialTestFunction(
	credentialType: ICredentialType,
	credentialsHelper: TestCredentialsHelper,
	nodeTypes: Array<INodeType | IVersionedNodeType>,
): ICredentialTestFunction | ICredentialTestRequestData | undefined {
	if (credentialType.test) return { testRequest: credentialType.test };

	const name = credentialType.name;
	for (const node of nodeTypes) {
		for (const nodeType of allVersions(node)) {
			for (const { name: credName, testedBy } of nodeType.description.credentials ?? []) {
				if (
					credName === name &&
					(credentialsHelper.getParentTypes(credName).includes('oAuth2Api') || credName === 'oAuth2Api')
				) {
					return async function oauth2CredTest(
						this: ICredentialTestFunctions,
						cred: ICredentialsDecrypted,
					): Promise<INodeCredentialTestResult> {
						return hasAccessToken(cred)
							? { status: 'OK', message: OAUTH2_CREDENTIAL_TEST_SUCCEEDED }
							: { status: 'Error', message: OAUTH2_CREDENTIAL_TEST_FAILED };
					};
				}
				if (credName === name && !!testedBy) {
					if (typeof testedBy === 'string') {
						if ('nodeVersions' in node) {
							// Newest version first, as n8n does.
							const versions = Object.keys(node.nodeVersions).sort().reverse();
							for (const version of versions) {
								const credentialTest = node.nodeVersions[parseInt(version, 10)].methods?.credentialTest;
								if (credentialTest && testedBy in credentialTest) return credentialTest[testedBy];
							}
						}
						return (node as INodeType).methods?.credentialTest?.[testedBy];
					}
					return { nodeType, testRequest: testedBy };
				}
			}
		}
	}
	return undefined;
}

/** Runs a credential test exactly as `POST /rest/credentials/test` would; never throws. */
export async function testCredential(options: TestCredentialOptions): Promise<INodeCredentialTestResult> {
	const { credentialType } = options;
	const credentialTypes = [...(options.allCredentialTypes ?? [])];
	if (!credentialTypes.some((t) => t.name === credentialType.name)) credentialTypes.push(credentialType);

	const credentialsHelper = new TestCredentialsHelper({ [credentialType.name]: options.data }, credentialTypes);
	// As the editor sends it: the credential's id and name plus the (unsaved) data being tested.
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: options.id ?? credentialIdFor(credentialType.name),
		name: options.name ?? 'Test credential',
		type: credentialType.name,
		data: structuredClone(options.data),
	};

	const credentialTestFunction = getCredentialTestFunction(
		credentialType,
		credentialsHelper,
		options.nodeTypes ?? [],
	);
	if (credentialTestFunction === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	// prepareCredentialsForTest
	const baseAdditionalData = buildAdditionalData(credentialsHelper);
	if (credentialsDecrypted.data) {
		try {
			credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
				baseAdditionalData,
				credentialsDecrypted.data,
				credentialType.name,
				'internal',
			);
		} catch (error) {
			return { status: 'Error', message: (error as Error).message.toString() };
		}
	}

	if (typeof credentialTestFunction === 'function') {
		const context = new CredentialTestContext(baseAdditionalData);
		return await credentialTestFunction.call(context, credentialsDecrypted);
	}

	const nodeType = credentialTestFunction.nodeType ?? noOpNodeType;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: Array.isArray(nodeType.description.version)
			? nodeType.description.version.slice(-1)[0]
			: nodeType.description.version,
		position: [0, 0],
		credentials: {
			[credentialType.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};

	const nodeTypeCopy: INodeType = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialTestFunction.testRequest.request },
					default: '',
				},
			],
		},
	};
	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_type: string, version?: number) =>
			NodeHelpers.getVersionedNodeType(nodeTypeCopy, version),
	};

	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: mockNodeTypes });
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const connectionInputData: INodeExecutionData[] = [];
	const runExecutionData = createEmptyRunExecutionData();
	const additionalData = buildAdditionalData(credentialsHelper, undefined, {
		currentNodeParameters: node.parameters,
	});
	// n8n answers getDecrypted (non-raw) with the data under test, not with stored data.
	const testData = credentialsDecrypted.data ?? {};
	additionalData.credentialsHelper = new Proxy(credentialsHelper, {
		get(target, prop) {
			if (prop === 'getDecrypted') {
				return async (...args: Parameters<TestCredentialsHelper['getDecrypted']>) =>
					args[5] ? await target.getDecrypted(...args) : testData;
			}
			const value = Reflect.get(target, prop) as unknown;
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		},
	});
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		connectionInputData,
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		await workflow.expression.acquireIsolate();
		response = await routingNode.runNode();
	} catch (caught) {
		reportError(caught);
		const error = caught as Error & {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of credentialTestFunction.testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && errorResponseData.statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message.toString() };
	} finally {
		await workflow.expression.releaseIsolate();
	}

	const rules = credentialTestFunction.testRequest.rules;
	if (rules && Array.isArray(rules)) {
		for (const rule of rules) {
			if (rule.type === 'responseSuccessBody') {
				const responseData = response![0][0].json;
				if (getPath(responseData, rule.properties.key) === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
	}

	return { status: 'OK', message: 'Connection successful!' };
}

/** n8n reports every failed request test to its ErrorReporter (see additional-data.ts). */
function reportError(error: unknown): void {
	Container.get(ErrorReporter).error(error);
}

/** lodash.get for dotted paths (n8n uses lodash/get here). */
function getPath(data: unknown, key: string): unknown {
	let current: unknown = data;
	for (const part of key.replace(/\[(\d+)\]/g, '.$1').split('.')) {
		if (current === null || current === undefined || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

