/**
 * Trigger nodes (`trigger()`) through real n8n-core machinery:
 *
 * - `activateTrigger`: what an active workflow does, through n8n-core's own
 *   `TriggersAndPollers.runTriggerFunction` with a real `TriggerContext` (mode 'trigger',
 *   activation 'activate'). `emit` records the data (and, with `runWorkflow`, runs the execution
 *   the cli would start: the trigger node on the stack with the emitted items, through
 *   `WorkflowExecute.processRunExecutionData`); `emitError` records the error. `close()` calls
 *   the trigger's close function as deactivation does.
 * - `runTriggerManually`: what "Execute step" / "Listen for test event" does: `WorkflowExecute.run`
 *   from the trigger node in mode 'manual'; n8n-core resolves the run on the first emit and then
 *   calls the close function.
 * - `captureLogs`: records what node code logs through `this.logger` (n8n's Logger in the DI
 *   container) instead of printing it.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, TriggerContext, TriggersAndPollers, WorkflowExecute } from 'n8n-core';
import { UnexpectedError, Workflow, createRunExecutionData, deepCopy } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	ITriggerResponse,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { buildAdditionalData, ensureBinaryData } from './additional-data';
import { TestCredentialsHelper } from './credentials-helper';
import { TestNodeTypes, latestVersion } from './node-types';
import { nodeCredentials, workflowBase } from './workflow';

export interface TriggerNodeOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[];
	nodeName?: string;
	staticData?: IDataObject;
}

export interface ActivateTriggerOptions extends TriggerNodeOptions {
	/** Run the execution every emit starts (default false: emits are only recorded). */
	runWorkflow?: boolean;
}

function buildWorkflow(options: TriggerNodeOptions, active: boolean) {
	const description = options.nodeType.description;
	const credentials = nodeCredentials(options.credentials);
	const node: INode = {
		id: `harness-${description.name}`,
		name: options.nodeName ?? description.defaults?.name ?? description.displayName,
		type: description.name,
		typeVersion: latestVersion(options.nodeType),
		position: [0, 0],
		parameters: deepCopy(options.parameters),
		...(credentials ? { credentials } : {}),
	};
	const workflow = new Workflow({
		id: 'harness-trigger-workflow',
		name: 'Harness trigger workflow',
		nodes: [node],
		connections: {},
		active,
		nodeTypes: new TestNodeTypes([options.nodeType]),
		staticData: options.staticData ? { [`node:${node.name}`]: deepCopy(options.staticData) } : {},
		settings: { executionOrder: 'v1' },
	});
	const credentialsHelper = new TestCredentialsHelper(options.credentials ?? {}, options.credentialTypes ?? []);
	return { workflow, node: workflow.getNode(node.name)!, credentialsHelper };
}

let executionCounter = 0;

export class ActiveTrigger {
	/** The data of every emit, in order. */
	readonly emitted: INodeExecutionData[][][] = [];

	/** Errors the trigger reported with `emitError`. */
	readonly errors: Error[] = [];

	/** Executions started by emits (with `runWorkflow`). */
	readonly runs: IRun[] = [];

	response: ITriggerResponse | undefined;

	private closed = false;

	constructor(
		readonly workflow: Workflow,
		readonly node: INode,
	) {}

	/** Items of the first output of every emit, flattened in emit order. */
	get items(): INodeExecutionData[] {
		return this.emitted.flatMap((data) => data[0] ?? []);
	}

	/** Resolves once at least `count` items were emitted. */
	async waitForItems(count: number, timeoutMs = 10_000): Promise<INodeExecutionData[]> {
		await waitFor(() => this.items.length >= count, timeoutMs, () => `expected ${count} emitted items, got ${this.items.length}`);
		return this.items;
	}

	/** Deactivation: the trigger's close function. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.response?.closeFunction?.();
	}
}

/** Activates a trigger node as an active workflow does; throws what activation would throw. */
export async function activateTrigger(options: ActivateTriggerOptions): Promise<ActiveTrigger> {
	await ensureBinaryData();
	const { workflow, node, credentialsHelper } = buildWorkflow(options, true);
	const active = new ActiveTrigger(workflow, node);
	const mode: WorkflowExecuteMode = 'trigger';
	const additionalData = buildAdditionalData(
		credentialsHelper,
		new ExecutionLifecycleHooks(mode, 'harness-trigger', workflowBase(workflow)),
		{ executionId: 'harness-trigger' },
	);
	const runExecution = async (data: INodeExecutionData[][]) => {
		const executionId = `harness-trigger-${++executionCounter}`;
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowBase(workflow));
		const runData = buildAdditionalData(credentialsHelper, hooks, { executionId });
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
		});
		active.runs.push(await new WorkflowExecute(runData, mode, runExecutionData).processRunExecutionData(workflow));
	};
	const getTriggerFunctions = (
		wf: Workflow,
		triggerNode: INode,
		data: IWorkflowExecuteAdditionalData,
		executeMode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
	) =>
		new TriggerContext(
			wf,
			triggerNode,
			data,
			executeMode,
			activation,
			(emitted: INodeExecutionData[][]) => {
				active.emitted.push(emitted);
				if (options.runWorkflow) void runExecution(emitted);
			},
			(error: Error) => {
				active.errors.push(error);
			},
			(error) => {
				active.errors.push(error as Error);
			},
		);
	active.response = await Container.get(TriggersAndPollers).runTriggerFunction(
		workflow,
		node,
		getTriggerFunctions,
		additionalData,
		mode,
		'activate',
	);
	return active;
}

export interface ManualTriggerRun {
	/** The trigger node's output. */
	output: INodeExecutionData[][] | undefined;
	run: IRun;
	error: IRun['data']['resultData']['error'];
}

/** "Execute step" on a trigger node: resolves when the trigger emitted and n8n closed it. */
export async function runTriggerManually(options: TriggerNodeOptions): Promise<ManualTriggerRun> {
	await ensureBinaryData();
	const { workflow, node, credentialsHelper } = buildWorkflow(options, false);
	const hooks = new ExecutionLifecycleHooks('manual', 'harness-manual-trigger', workflowBase(workflow));
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', async (run) => {
		finished = run;
	});
	const additionalData = buildAdditionalData(credentialsHelper, hooks, { executionId: 'harness-manual-trigger' });
	const returned = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: node });
	const run = finished ?? returned;
	return {
		output: run.data.resultData.runData[node.name]?.[0]?.data?.main as INodeExecutionData[][] | undefined,
		run,
		error: run.data.resultData.error,
	};
}

/** Polls `condition` every 20 ms until it holds. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000, describe: () => string = () => 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new UnexpectedError(`Timed out after ${timeoutMs} ms waiting for ${describe()}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export interface LogRecord {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	metadata?: unknown;
}

let logRecords: LogRecord[] | undefined;

/**
 * From now on (for this test file), n8n's Logger records instead of printing. Returns the live
 * list; clear it with `records.splice(0)`.
 */
export function captureLogs(): LogRecord[] {
	if (logRecords) return logRecords;
	const records: LogRecord[] = [];
	// The Logger fixes disabled levels as read-only no-ops; a child object overrides all four and
	// takes its place in the container, which node contexts read on every `this.logger`.
	const recorder = Object.create(Container.get(Logger)) as Logger;
	for (const level of ['error', 'warn', 'info', 'debug'] as const) {
		Object.defineProperty(recorder, level, {
			value: (message: string, metadata?: unknown) => {
				records.push({ level, message, metadata });
			},
			writable: true,
			configurable: true,
		});
	}
	Container.set(Logger, recorder);
	logRecords = records;
	return records;
}
export * from './webhook';
