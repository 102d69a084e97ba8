import { LoadOptionsContext } from 'n8n-core';
import { UnexpectedError, Workflow, deepCopy } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ILoadOptionsFunctions,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	IVersionedNodeType,
} from 'n8n-workflow';

import {
	buildAdditionalData,
	type AdditionalDataOverrides,
	type HarnessAdditionalData,
} from './additional-data';
import { TestCredentialsHelper, credentialIdFor } from './credentials-helper';
import { TestNodeTypes, latestVersion } from './node-types';

export interface LoadOptionsCallOptions {
	nodeType: INodeType | IVersionedNodeType;
	/** Name of the method under `methods.listSearch` / `methods.loadOptions`. */
	methodName: string;
	/** The node's current parameters, as the editor sends them (`currentNodeParameters`). */
	parameters?: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[];
	typeVersion?: number;
	nodeTypeName?: string;
	/** The parameter path the editor asks for, e.g. 'parameters.channelId'. */
	path?: string;
	credentialsHelper?: TestCredentialsHelper;
	additionalData?: AdditionalDataOverrides;
}

export interface ListSearchOptions extends LoadOptionsCallOptions {
	filter?: string;
	paginationToken?: string;
}

/**
 * Builds what n8n 2.41.1's DynamicNodeParametersService (cli) builds for the editor's
 * dynamic-parameter requests: a one-node workflow with a 'Temp-Node' carrying the current
 * parameters and credentials, `additionalData.currentNodeParameters`, and a real
 * LoadOptionsContext (mode 'internal').
 */
function buildLoadOptionsContext(options: LoadOptionsCallOptions): {
	context: LoadOptionsContext;
	workflow: Workflow;
	nodeType: INodeType;
	additionalData: HarnessAdditionalData;
} {
	const name = options.nodeTypeName ?? options.nodeType.description.name;
	const nodeTypes = new TestNodeTypes().add(options.nodeType, name);
	const node: INode = {
		parameters: deepCopy(options.parameters ?? {}),
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: name,
		typeVersion: options.typeVersion ?? latestVersion(options.nodeType),
		position: [0, 0],
	};
	if (options.credentials && Object.keys(options.credentials).length > 0) {
		node.credentials = {};
		for (const type of Object.keys(options.credentials)) {
			node.credentials[type] = { id: credentialIdFor(type), name: `${type} account` };
		}
	}
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const tempNode = workflow.nodes['Temp-Node'];

	const credentialsHelper =
		options.credentialsHelper ??
		new TestCredentialsHelper(options.credentials ?? {}, options.credentialTypes ?? []);
	const additionalData = buildAdditionalData(credentialsHelper, undefined, {
		// The editor holds (and sends) the node's full parameter set, defaults included; the
		// Workflow constructor has just filled those in on the temp node.
		currentNodeParameters: deepCopy(tempNode.parameters),
		// What the cli's DynamicNodeParametersController sets (minus the browser-bound credentials).
		executionContext: { version: 1, establishedAt: Date.now(), source: 'internal' },
		...options.additionalData,
	});
	const context = new LoadOptionsContext(
		workflow,
		tempNode,
		additionalData,
		options.path ?? `parameters.${options.methodName}`,
	);
	return {
		context,
		workflow,
		nodeType: nodeTypes.getByNameAndVersion(name, tempNode.typeVersion),
		additionalData,
	};
}

function getMethod<T>(nodeType: INodeType, kind: 'listSearch' | 'loadOptions', methodName: string): T {
	const method = nodeType.methods?.[kind]?.[methodName];
	if (typeof method !== 'function') {
		// Same error n8n's DynamicNodeParametersService.getMethod throws.
		throw new UnexpectedError('Node type does not have method defined', {
			tags: { nodeType: nodeType.description.name },
			extra: { methodName },
		});
	}
	return method as T;
}

/**
 * Runs `methods.listSearch[methodName].call(loadOptionsContext, filter, paginationToken)` inside
 * the workflow's expression isolate; like n8n 2.41.1, a numeric paginationToken comes back as a
 * string.
 */
export async function listSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const { context, nodeType, workflow } = buildLoadOptionsContext(options);
	const method = getMethod<
		(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>
	>(nodeType, 'listSearch', options.methodName);
	return await workflow.expression.withIsolate(async () => {
		const result = await method.call(context, options.filter, options.paginationToken);
		const token: unknown = result?.paginationToken;
		return typeof token === 'number' ? { ...result, paginationToken: String(token) } : result;
	});
}

/** Runs `methods.loadOptions[methodName].call(loadOptionsContext)`. */
export async function loadOptions(options: LoadOptionsCallOptions): Promise<INodePropertyOptions[]> {
	const { context, nodeType, workflow } = buildLoadOptionsContext(options);
	const method = getMethod<(this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>>(
		nodeType,
		'loadOptions',
		options.methodName,
	);
	return await workflow.expression.withIsolate(async () => await method.call(context));
}
