/**
 * Executions that wait (`putExecutionToWait`) and resume, the way n8n 2.41.1's cli does it:
 *
 * - `WaitingExecution.start` runs `Items Source → node under test → Receiver` through
 *   `WorkflowExecute.processRunExecutionData`. When the node puts the execution to wait, the run
 *   data is stored as JSON (as the database stores it) and nothing else is kept: every later step
 *   rebuilds the Workflow from the stored data, as a restarted n8n would.
 * - A real HTTP server on 127.0.0.1 stands in for `/webhook-waiting/:executionId/:nodeId`
 *   (`WaitingWebhooks.executeWebhook`): for a node whose `operation` is sendAndWait it checks the
 *   `signature` query parameter with n8n-core's `validateUrlSignature` and the instance's HMAC
 *   secret (401 when wrong), answers 409 while the execution runs and n8n's "no action required"
 *   page once it finished, then runs the node's `webhook()` in a real `WebhookContext` holding
 *   the stored run data. Workflow data it returns resumes the execution like
 *   `getWebhookExecutionData` + `prepareExecutionData`: the waiting node disabled, its input
 *   replaced by the data, all outputs forwarded.
 * - `expire()` is the WaitTracker when the wait limit runs out: the stored execution run again
 *   unchanged (n8n-core then disables the waiting node and passes its input on).
 */
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, InstanceSettings, WebhookContext, WorkflowExecute, validateUrlSignature } from 'n8n-core';
import { NodeConnectionTypes, SEND_AND_WAIT_OPERATION, UnexpectedError, Workflow, createRunExecutionData, deepCopy, jsonParse } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';

import { buildAdditionalData, ensureBinaryData, type HarnessAdditionalData } from './additional-data';
import { TestCredentialsHelper } from './credentials-helper';
import { HarnessListener, expressRequest, type ListenerRequest } from './listener';
import { TestNodeTypes, latestVersion } from './node-types';
import { nodeCredentials, workflowBase } from './workflow';

const SOURCE_TYPE = 'test.itemsSource';
const RECEIVER_TYPE = 'test.receiver';
export const RECEIVER_NODE_NAME = 'Receiver';

export interface WaitingExecutionOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[];
	items?: INodeExecutionData[];
	nodeName?: string;
	/** false: answer webhook calls but never resume, as if n8n had not yet marked the execution running. */
	resume?: boolean;
}

export type ExecutionStatus = 'waiting' | 'running' | 'finished' | 'error';

/** One call to the waiting webhook and what came of it. */
export interface WaitingCall {
	method: string;
	url: string;
	body: unknown;
	status: number;
	responseText: string;
	result?: IWebhookResponseData;
	error?: Error;
	resumed: boolean;
}

function sourceType(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Items Source',
			name: SOURCE_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the items a test gives it',
			defaults: { name: 'Items Source' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute() {
			return [deepCopy(items)];
		},
	};
}

const receiverType: INodeType = {
	description: {
		displayName: 'Receiver',
		name: RECEIVER_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Passes on what it receives, so a test sees what the next node gets',
		defaults: { name: RECEIVER_NODE_NAME },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};

let executionCounter = 0;

export class WaitingExecution {
	readonly calls: WaitingCall[] = [];

	readonly executionId = `harness-waiting-${++executionCounter}`;

	status: ExecutionStatus = 'running';

	/** The runs so far: the first one (which put the execution to wait), then each resumption. */
	readonly runs: IRun[] = [];

	/** The execution data as the database holds it (JSON), while it waits. */
	private stored = '';

	private readonly node: INode;

	private readonly nodeTypes: TestNodeTypes;

	private readonly credentialsHelper: TestCredentialsHelper;

	private listener: HarnessListener | undefined;

	private constructor(private readonly options: WaitingExecutionOptions) {
		const { description } = options.nodeType;
		this.credentialsHelper = new TestCredentialsHelper(options.credentials ?? {}, options.credentialTypes ?? []);
		const credentials = nodeCredentials(options.credentials);
		this.node = {
			id: 'b1e0c3d4-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
			name: options.nodeName ?? description.defaults?.name ?? description.displayName,
			type: description.name,
			typeVersion: latestVersion(options.nodeType),
			position: [200, 0],
			parameters: deepCopy(options.parameters),
			...(credentials ? { credentials } : {}),
		};
		this.nodeTypes = new TestNodeTypes([sourceType(options.items ?? [{ json: {} }]), receiverType, options.nodeType]);
	}

	/** Runs the workflow until the node under test puts it to wait (or it ends). */
	static async start(options: WaitingExecutionOptions): Promise<WaitingExecution> {
		await ensureBinaryData();
		const execution = new WaitingExecution(options);
		execution.listener = await HarnessListener.start((request) => execution.handle(request), {
			textType: 'text/html; charset=utf-8',
		});
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: execution.workflow().getNode('Items Source')!, data: { main: [[{ json: {} }]] }, source: null }],
			},
		});
		await execution.run(runExecutionData);
		return execution;
	}

	get nodeName(): string {
		return this.node.name;
	}

	/** The URL prefix the node's resume URLs start with. */
	get waitingBaseUrl(): string {
		return `${this.listener?.baseUrl ?? ''}/webhook-waiting`;
	}

	/** When the wait ends by itself, as stored. */
	get waitTill(): Date | undefined {
		const waitTill = this.storedData()?.waitTill;
		return waitTill ? new Date(waitTill as unknown as string) : undefined;
	}

	/** What the node under test output in the last run. */
	get nodeOutput(): INodeExecutionData[][] | undefined {
		const runs = this.runs.at(-1)?.data.resultData.runData[this.node.name];
		return runs?.at(-1)?.data?.main as INodeExecutionData[][] | undefined;
	}

	/** What the next node received in the last run (undefined until the execution went on). */
	get received(): INodeExecutionData[] | undefined {
		const runs = this.runs.at(-1)?.data.resultData.runData[RECEIVER_NODE_NAME];
		return (runs?.at(-1)?.data?.main as INodeExecutionData[][] | undefined)?.[0];
	}

	get lastError() {
		return this.runs.at(-1)?.data.resultData.error;
	}

	/** Resolves once no resumption is running. */
	async settled(timeoutMs = 10_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (this.status === 'running') {
			if (Date.now() > deadline) throw new UnexpectedError('The execution is still running');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/** The wait limit runs out: n8n's WaitTracker runs the stored execution again. */
	async expire(): Promise<void> {
		if (this.status !== 'waiting') throw new UnexpectedError(`The execution is ${this.status}, not waiting`);
		await this.run(this.storedData()!);
	}

	async stop(): Promise<void> {
		await this.listener?.stop();
		this.listener = undefined;
	}

	/** A new Workflow from the saved definition, as each cli entry point builds one. */
	private workflow(): Workflow {
		return new Workflow({
			id: 'harness-waiting-workflow',
			name: 'Harness waiting workflow',
			nodes: [
				{ id: 'harness-items-source', name: 'Items Source', type: SOURCE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
				deepCopy(this.node),
				{ id: 'harness-receiver', name: RECEIVER_NODE_NAME, type: RECEIVER_TYPE, typeVersion: 1, position: [400, 0], parameters: {} },
			],
			connections: {
				'Items Source': { main: [[{ node: this.node.name, type: NodeConnectionTypes.Main, index: 0 }]] },
				[this.node.name]: { main: [[{ node: RECEIVER_NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
			},
			active: false,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1' },
		});
	}

	private storedData(): IRunExecutionData | undefined {
		return this.stored ? (jsonParse(this.stored) as IRunExecutionData) : undefined;
	}

	private additionalData(workflow: Workflow, extra: Record<string, unknown> = {}): HarnessAdditionalData {
		const hooks = new ExecutionLifecycleHooks('webhook', this.executionId, workflowBase(workflow));
		return buildAdditionalData(this.credentialsHelper, hooks, {
			executionId: this.executionId,
			webhookWaitingBaseUrl: this.waitingBaseUrl,
			...extra,
		});
	}

	private async run(runExecutionData: IRunExecutionData): Promise<void> {
		this.status = 'running';
		const workflow = this.workflow();
		const additionalData = this.additionalData(workflow);
		let finished: IRun | undefined;
		additionalData.hooks!.addHandler('workflowExecuteAfter', async (run) => {
			finished = run;
		});
		const returned = await new WorkflowExecute(additionalData, 'webhook', runExecutionData).processRunExecutionData(workflow);
		const run = finished ?? returned;
		this.runs.push(run);
		if (run.data.resultData.error) this.status = 'error';
		else if (run.data.waitTill) this.status = 'waiting';
		else this.status = 'finished';
		this.stored = this.status === 'waiting' ? JSON.stringify(run.data) : '';
	}

	private async handle(request: ListenerRequest): Promise<void> {
		const { req, rawBody, contentType, method } = request;
		const body = rawBody.length && contentType === 'application/json' ? jsonParse(rawBody.toString('utf8')) : {};
		const call: WaitingCall = { method, url: req.url ?? '', body, status: 0, responseText: '', resumed: false };
		try {
			await this.answer(request, body, call);
		} finally {
			call.status = request.res.statusCode;
			call.responseText = request.responseText();
			this.calls.push(call);
		}
	}

	private async answer(request: ListenerRequest, body: unknown, call: WaitingCall): Promise<void> {
		const { url, method, res, send } = request;
		const [, prefix, executionId, suffix] = url.pathname.split('/');
		if (prefix !== 'webhook-waiting' || executionId !== this.executionId) {
			return send(404, { message: `The execution "${executionId}" does not exist.` });
		}
		const workflow = this.workflow();
		const node = workflow.getNode(this.node.name)!;
		const isSendAndWait = suffix === node.id && node.parameters.operation === SEND_AND_WAIT_OPERATION;
		if (isSendAndWait) {
			const signature = url.searchParams.get('signature') ?? '';
			const secret = Container.get(InstanceSettings).hmacSignatureSecret;
			if (!signature || !validateUrlSignature(signature, url, secret)) return send(401, 'form-invalid-token');
		}
		if (this.status === 'running') return send(409, { message: `The execution "${executionId}" is running already.` });
		if (this.status === 'error') return send(409, { message: `The execution "${executionId}" has finished with error.` });
		if (this.status === 'finished') {
			if (isSendAndWait) return send(200, 'send-and-wait-no-action-required');
			return send(409, { message: `The execution "${executionId} has finished already.` });
		}
		const description = this.options.nodeType.description.webhooks?.find(
			(webhook) => webhook.httpMethod === method && webhook.restartWebhook === true,
		);
		if (!description || suffix !== node.id) {
			return send(404, { message: `The workflow for execution "${executionId}" does not contain a waiting webhook with a matching path/method.` });
		}
		const runExecutionData = this.storedData()!;
		const express = expressRequest(request, body);
		// Express's response methods, which node code reaches through getResponseObject().
		const response = Object.assign(res, {
			status(code: number) {
				res.statusCode = code;
				return response;
			},
			json(data: unknown) {
				send(res.statusCode || 200, data);
				return response;
			},
		});
		const additionalData = this.additionalData(workflow, { httpRequest: express, httpResponse: response });
		const webhookData: IWebhookData = {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: node.id,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], runExecutionData);
		let result: IWebhookResponseData;
		try {
			result = await this.options.nodeType.webhook!.call(context);
			call.result = result;
		} catch (error) {
			call.error = error as Error;
			if (!res.headersSent) send(500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		if (!result.noWebhookResponse && !res.headersSent) {
			// responseData '' of the webhook description: the node's webhookResponse is the answer.
			send(200, result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Workflow was started' });
		}
		if (!result.workflowData || this.options.resume === false) return;
		call.resumed = true;
		runExecutionData.waitTill = undefined;
		const resuming = runExecutionData.executionData!.nodeExecutionStack[0];
		resuming.node.disabled = true;
		resuming.data.main = result.workflowData;
		resuming.metadata = { ...resuming.metadata, forwardAllOutputs: true } as IDataObject;
		await this.run(runExecutionData);
	}
}
