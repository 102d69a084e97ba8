import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import {
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	createRunExecutionData,
	deepCopy,
	isNodeClassInstance,
} from 'n8n-workflow';
import type {
	IDataObject,
	CloseFunction,
	ExecutionBaseError,
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IExecuteData,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	ITaskDataConnections,
	IVersionedNodeType,
	IWorkflowSettings,
	NodeExecutionHint,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	buildAdditionalData,
	ensureBinaryData,
	type AdditionalDataOverrides,
	type HarnessAdditionalData,
} from './additional-data';
import { TestCredentialsHelper } from './credentials-helper';
import { TestNodeTypes, latestVersion } from './node-types';
import { nodeCredentials, workflowBase } from './workflow';

export const HARNESS_WORKFLOW_ID = 'harness-workflow';

export interface NodeRunOptions {
	nodeType: INodeType | IVersionedNodeType;
	/** Raw node parameters as saved in a workflow; n8n fills in the defaults. */
	parameters: INodeParameters;
	/** Credential data by credential type name; each gets attached to the node. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The credential type classes the data above belongs to (and their `extends` parents). */
	credentialTypes?: ICredentialType[];
	/** Input items; default `[{ json: {} }]`. */
	items?: INodeExecutionData[];
	/** Sets `node.onError = 'continueRegularOutput'` (the editor's "On Error: Continue"). */
	continueOnFail?: boolean;
	/** The node's "On Error" setting; overrides `continueOnFail`. */
	onError?: INode['onError'];
	/** Default: the newest version the node type declares. */
	typeVersion?: number;
	/** Default: the node's `defaults.name`, else its display name. */
	nodeName?: string;
	/** Node type name the workflow refers to; default `description.name`. */
	nodeTypeName?: string;
	/** Default 'manual' (an editor run), in which `sendMessageToUI` reaches `uiMessages`. */
	mode?: WorkflowExecuteMode;
	/** Pass one to inspect credential updates or share credentials across calls. */
	credentialsHelper?: TestCredentialsHelper;
	workflowSettings?: IWorkflowSettings;
	/** The workflow's static data as loaded from the database (e.g. left by an activation). */
	staticData?: IDataObject;
	additionalData?: AdditionalDataOverrides;
	abortSignal?: AbortSignal;
	/** More nodes of the workflow, not run (e.g. a trigger whose parameters the node reads). */
	otherNodes?: Array<{ nodeType: INodeType | IVersionedNodeType; node: INode }>;
}

export type ExecuteNodeOptions = NodeRunOptions;

export interface ExecuteNodeResult {
	output: INodeExecutionData[][];
	hints: NodeExecutionHint[];
	node: INode;
	workflow: Workflow;
	additionalData: HarnessAdditionalData;
	credentialsHelper: TestCredentialsHelper;
}

function buildNode(options: NodeRunOptions, position: [number, number]): INode {
	const typeVersion = options.typeVersion ?? latestVersion(options.nodeType);
	const { description } = NodeHelpers.getVersionedNodeType(options.nodeType, typeVersion);
	const node: INode = {
		id: `harness-${description.name}`,
		name: options.nodeName ?? description.defaults?.name ?? description.displayName,
		type: options.nodeTypeName ?? description.name,
		typeVersion,
		position,
		// Raw parameters: the Workflow constructor applies the defaults with
		// NodeHelpers.getNodeParameters(properties, parameters, true, false, node, description),
		// exactly as for a workflow loaded from the database.
		parameters: deepCopy(options.parameters),
	};
	const credentials = nodeCredentials(options.credentials);
	if (credentials) node.credentials = credentials;
	if (options.continueOnFail) node.onError = 'continueRegularOutput';
	if (options.onError) node.onError = options.onError;
	return node;
}

function helperFor(options: NodeRunOptions): TestCredentialsHelper {
	return (
		options.credentialsHelper ??
		new TestCredentialsHelper(options.credentials ?? {}, options.credentialTypes ?? [])
	);
}

/** Same selection as WorkflowExecute.getCustomOperation (n8n 2.41). */
function getCustomOperation(node: INode, type: INodeType) {
	if (!type.customOperations) return undefined;
	const { resource, operation } = node.forceCustomOperation ?? node.parameters;
	if (typeof resource !== 'string' || typeof operation !== 'string') return undefined;
	return type.customOperations[resource]?.[operation];
}

/**
 * Runs one node the way WorkflowExecute.executeNode does (n8n-core 2.41): a real ExecuteContext,
 * then the node's custom operation / `execute` (class-style nodes get the context as argument),
 * then its close functions. Declarative nodes (no `execute`) go through RoutingNode as in
 * WorkflowExecute.runNode. Throws whatever the node throws.
 */
export async function executeNode(options: ExecuteNodeOptions): Promise<ExecuteNodeResult> {
	await ensureBinaryData();
	const mode = options.mode ?? 'manual';
	const credentialsHelper = helperFor(options);
	const nodeTypes = new TestNodeTypes([options.nodeType]);
	if (options.nodeTypeName) nodeTypes.add(options.nodeType, options.nodeTypeName);
	for (const other of options.otherNodes ?? []) nodeTypes.add(other.nodeType);

	const nodeUnderTest = buildNode(options, [0, 0]);
	const workflow = new Workflow({
		id: HARNESS_WORKFLOW_ID,
		name: 'Harness workflow',
		nodes: [nodeUnderTest, ...(options.otherNodes ?? []).map((other) => deepCopy(other.node))],
		connections: {},
		active: false,
		nodeTypes,
		staticData: options.staticData ? deepCopy(options.staticData) : undefined,
		settings: { executionOrder: 'v1', ...options.workflowSettings },
	});
	const node = workflow.getNode(nodeUnderTest.name)!;
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);

	const items = deepCopy(options.items ?? [{ json: {} }]);
	const inputData: ITaskDataConnections = { main: [items] };
	const executeData: IExecuteData = { node, data: inputData, source: null };
	const runExecutionData = createRunExecutionData();
	const hooks = new ExecutionLifecycleHooks(
		mode,
		options.additionalData?.executionId ?? 'harness-execution-1',
		workflowBase(workflow),
	);
	const additionalData = buildAdditionalData(credentialsHelper, hooks, options.additionalData);

	const closeFunctions: CloseFunction[] = [];
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		items,
		inputData,
		executeData,
		closeFunctions,
		options.abortSignal,
	);

	let data: INodeExecutionData[][] | null | undefined;
	let succeeded = false;
	// WorkflowExecute holds the workflow's expression isolate for the whole run (a no-op with the
	// legacy engine the harness runs on; see index.ts).
	const acquired = await workflow.expression.acquireIsolate();
	try {
		const customOperation = getCustomOperation(node, nodeType);
		if (customOperation) {
			data = (await customOperation.call(context)) as INodeExecutionData[][] | null;
		} else if (nodeType.execute) {
			data = (
				isNodeClassInstance(nodeType)
					? await nodeType.execute(context)
					: await nodeType.execute.call(context as IExecuteFunctions)
			) as INodeExecutionData[][] | null;
		} else if (!nodeType.poll && !nodeType.trigger && !nodeType.webhook) {
			data = await new RoutingNode(context, nodeType).runNode();
		} else {
			throw new UnexpectedError('executeNode runs action nodes only (no execute, poll or trigger here)');
		}
		succeeded = true;
	} finally {
		if (acquired) await workflow.expression.releaseIsolate();
		if (closeFunctions.length > 0) {
			const results = await Promise.allSettled(closeFunctions.map(async (fn) => await fn()));
			const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
			// n8n surfaces a close error only when the node itself succeeded.
			if (succeeded && failed) throw failed.reason;
		}
	}

	return {
		output: data ?? [],
		hints: context.hints,
		node,
		workflow,
		additionalData,
		credentialsHelper,
	};
}

// --------------------------------------------------------------------------- runWorkflow

export const ITEMS_SOURCE_NODE_TYPE = 'test.itemsSource';
export const ITEMS_SOURCE_NODE_NAME = 'Items Source';

/**
 * A test-only start node that emits the given items (like a Manual Trigger followed by pinned
 * data). It has no inputs, so WorkflowExecute starts from it.
 */
function itemsSourceNodeType(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Items Source',
			name: ITEMS_SOURCE_NODE_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the items a test gives it',
			defaults: { name: ITEMS_SOURCE_NODE_NAME },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute() {
			return [deepCopy(items)];
		},
	};
}

export interface RunWorkflowOptions extends NodeRunOptions {
	/**
	 * Wires a pass-through node (`Receiver 0`, `Receiver 1`, …) to each of this many main outputs
	 * of the node under test; `received` holds what each got.
	 */
	receivers?: number;
}

export const RECEIVER_NODE_TYPE = 'test.receiver';
export const receiverName = (outputIndex: number) => `Receiver ${outputIndex}`;

/** A test-only node that passes its input on, as a downstream node of the node under test. */
const receiverNodeType: INodeType = {
	description: {
		displayName: 'Receiver',
		name: RECEIVER_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Passes on what it receives',
		defaults: { name: 'Receiver' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	},
};

export interface RunWorkflowResult {
	/** `run.data.resultData.runData`: every node's task data. */
	runData: IRunData;
	/** Main outputs of the node under test's first run (undefined if it failed). */
	output: INodeExecutionData[][] | undefined;
	/** The execution error n8n recorded (`resultData.error`), if the workflow failed. */
	error: ExecutionBaseError | undefined;
	/** With `receivers`: the items each receiver got ([] when it did not run). */
	received: INodeExecutionData[][];
	/** The full IRun handed to the workflowExecuteAfter hook. */
	run: IRun;
	nodeName: string;
	additionalData: HarnessAdditionalData;
	credentialsHelper: TestCredentialsHelper;
}

/**
 * Runs `Items Source → node under test` through n8n-core's own runner:
 * `new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow)`,
 * reading the result from a `workflowExecuteAfter` lifecycle hook, as the cli does.
 * Here n8n itself resolves parameters per item, assigns pairedItem, applies onError
 * (continueOnFail), and records the execution error.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	await ensureBinaryData();
	const mode = options.mode ?? 'manual';
	const credentialsHelper = helperFor(options);
	const items = options.items ?? [{ json: {} }];
	const sourceType = itemsSourceNodeType(items);
	const nodeTypes = new TestNodeTypes([sourceType, receiverNodeType, options.nodeType]);
	if (options.nodeTypeName) nodeTypes.add(options.nodeType, options.nodeTypeName);

	const nodeUnderTest = buildNode(options, [200, 0]);
	if (nodeUnderTest.name === ITEMS_SOURCE_NODE_NAME) {
		throw new UnexpectedError(`The node under test cannot be named "${ITEMS_SOURCE_NODE_NAME}"`);
	}
	const sourceNode: INode = {
		id: 'harness-items-source',
		name: ITEMS_SOURCE_NODE_NAME,
		type: ITEMS_SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};

	const receivers: INode[] = Array.from({ length: options.receivers ?? 0 }, (_, outputIndex) => ({
		id: `harness-receiver-${outputIndex}`,
		name: receiverName(outputIndex),
		type: RECEIVER_NODE_TYPE,
		typeVersion: 1,
		position: [400, outputIndex * 200],
		parameters: {},
	}));
	const connections: IConnections = {
		[ITEMS_SOURCE_NODE_NAME]: {
			main: [[{ node: nodeUnderTest.name, type: NodeConnectionTypes.Main, index: 0 }]],
		},
	};
	if (receivers.length > 0) {
		connections[nodeUnderTest.name] = {
			main: receivers.map((receiver) => [{ node: receiver.name, type: NodeConnectionTypes.Main, index: 0 }]),
		};
	}

	const workflow = new Workflow({
		id: HARNESS_WORKFLOW_ID,
		name: 'Harness workflow',
		nodes: [sourceNode, nodeUnderTest, ...receivers],
		connections,
		active: false,
		nodeTypes,
		staticData: options.staticData ? deepCopy(options.staticData) : undefined,
		settings: { executionOrder: 'v1', ...options.workflowSettings },
	});

	const executionId = options.additionalData?.executionId ?? 'harness-execution-1';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowBase(workflow));
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', async (fullRunData) => {
		finished = fullRunData;
	});
	const additionalData = buildAdditionalData(credentialsHelper, hooks, options.additionalData);

	// What WorkflowExecute.run() builds for a manual run from the start node.
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: workflow.getNode(ITEMS_SOURCE_NODE_NAME)!,
					data: { main: [[{ json: {} }]] },
					source: null,
				},
			],
		},
	});

	const returned = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
		workflow,
	);
	const run = finished ?? returned;
	const runData = run.data.resultData.runData;
	const firstRun = runData[nodeUnderTest.name]?.[0];

	return {
		runData,
		output: firstRun?.data?.main as INodeExecutionData[][] | undefined,
		received: receivers.map(
			(receiver) => (runData[receiver.name]?.[0]?.data?.main?.[0] ?? []) as INodeExecutionData[],
		),
		error: run.data.resultData.error,
		run,
		nodeName: nodeUnderTest.name,
		additionalData,
		credentialsHelper,
	};
}

