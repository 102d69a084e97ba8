/**
 * Webhook triggers through real n8n-core contexts, the way n8n 2.41.1's cli drives them:
 *
 * - activation: `WebhookService.getNodeWebhooks` (one IWebhookData per evaluated HTTP method; an
 *   empty method means no webhook), then `createWebhookIfNotExists` = `checkExists`, and `create`
 *   when it answers false, each in a real `HookContext`; deactivation runs `delete`;
 * - calls: a real HTTP server on 127.0.0.1 stands in for n8n's webhook endpoint. It parses the
 *   body like the cli's body parser (JSON, form-urlencoded with `querystring`, text), builds a
 *   real `WebhookContext` with the request and the raw `ServerResponse`, runs the node's
 *   `webhook()`, answers like `handleImmediateWebhookResponse` and the `onReceived` response mode
 *   (the node's own answer when `noWebhookResponse`; else the description's `responseData`, which
 *   defaults to the text 'firstEntryJson' in n8n 2.41, or `webhookResponse`, or n8n's default
 *   message), and when the node returned workflow data, runs the execution with
 *   `WorkflowExecute.processRunExecutionData` from a stack holding the trigger node and that data,
 *   as `WorkflowRunner` does for webhook executions.
 *
 * Production mode uses the `/webhook/` URLs, hook mode 'trigger' / activation 'activate' and
 * execution mode 'webhook'; test mode the `/webhook-test/` URLs, 'manual' throughout.
 */
import type http from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { ExecutionLifecycleHooks, HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	UnexpectedError,
	Workflow,
	createRunExecutionData,
	deepCopy,
	jsonParse,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookResponseData,
	WebhookSetupMethodNames,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { buildAdditionalData, ensureBinaryData, type HarnessAdditionalData } from './additional-data';
import { TestCredentialsHelper } from './credentials-helper';
import { HarnessListener, expressRequest, type ListenerRequest } from './listener';
import { TestNodeTypes, latestVersion } from './node-types';
import { nodeCredentials, workflowBase } from './workflow';

export const HARNESS_WEBHOOK_ID = '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

export interface WebhookTriggerOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[];
	/** 'production' (default): an active workflow; 'test': the editor listening for a test call. */
	mode?: 'production' | 'test';
	nodeName?: string;
	workflowId?: string;
	workflowName?: string;
	/** The node's static data to start from (e.g. left by an earlier activation). */
	staticData?: IDataObject;
	/** Run the execution a call starts (default true). */
	runWorkflow?: boolean;
}

/** One call the webhook server received, and what came of it. */
export interface WebhookCall {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	/** What the node's `webhook()` returned (undefined when it threw). */
	result?: IWebhookResponseData;
	error?: Error;
	status: number;
	responseContentType: string;
	responseText: string;
	/** Whether n8n would start an execution (the node returned workflow data). */
	started: boolean;
	/** The finished execution, when one started. */
	run?: IRun;
	/** The trigger node's output in that execution. */
	output?: INodeExecutionData[][];
}

/** The cli's `parseBody` (middlewares/body-parser.ts) for the encodings Mattermost uses. */
function parseBody(rawBody: Buffer, contentType: string): unknown {
	if (!rawBody.length) return {};
	const text = rawBody.toString('utf8');
	if (contentType === 'application/json') return jsonParse(text);
	if (contentType === 'application/x-www-form-urlencoded') return { ...parseQueryString(text, undefined, undefined, { maxKeys: 1000 }) };
	if (contentType === 'text/plain') return text;
	return {};
}

let executionCounter = 0;

export class WebhookTrigger {
	readonly calls: WebhookCall[] = [];

	readonly workflow: Workflow;

	readonly node: INode;

	readonly credentialsHelper: TestCredentialsHelper;

	private listener: HarnessListener | undefined;

	private hookAdditionalData: HarnessAdditionalData | undefined;

	private waiters: Array<() => void> = [];

	private constructor(private readonly options: WebhookTriggerOptions) {
		const nodeType = options.nodeType;
		const description = nodeType.description;
		this.credentialsHelper = new TestCredentialsHelper(options.credentials ?? {}, options.credentialTypes ?? []);
		const credentials = nodeCredentials(options.credentials);
		const node: INode = {
			id: `harness-${description.name}`,
			name: options.nodeName ?? description.defaults?.name ?? description.displayName,
			type: description.name,
			typeVersion: latestVersion(nodeType),
			position: [0, 0],
			webhookId: HARNESS_WEBHOOK_ID,
			parameters: deepCopy(options.parameters),
			...(credentials ? { credentials } : {}),
		};
		const staticData: IDataObject = options.staticData
			? { [`node:${node.name}`]: deepCopy(options.staticData) }
			: {};
		this.workflow = new Workflow({
			id: options.workflowId ?? 'harness-webhook-workflow',
			name: options.workflowName ?? 'Harness webhook workflow',
			nodes: [node],
			connections: {},
			active: options.mode !== 'test',
			nodeTypes: new TestNodeTypes([nodeType]),
			staticData,
			settings: { executionOrder: 'v1' },
		});
		this.node = this.workflow.getNode(node.name)!;
	}

	/** Starts the webhook server; nothing is activated yet. */
	static async start(options: WebhookTriggerOptions): Promise<WebhookTrigger> {
		await ensureBinaryData();
		const trigger = new WebhookTrigger(options);
		trigger.listener = await HarnessListener.start((request) => trigger.handle(request));
		return trigger;
	}

	private get baseUrl(): string {
		return this.listener?.baseUrl ?? '';
	}

	get isTest(): boolean {
		return this.options.mode === 'test';
	}

	private get hookMode(): WorkflowExecuteMode {
		return this.isTest ? 'manual' : 'trigger';
	}

	private get activation(): WorkflowActivateMode {
		return this.isTest ? 'manual' : 'activate';
	}

	private get executionMode(): WorkflowExecuteMode {
		return this.isTest ? 'manual' : 'webhook';
	}

	/** The node's static data (`getWorkflowStaticData('node')`). */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	private urlOverrides() {
		return {
			webhookBaseUrl: `${this.baseUrl}/webhook`,
			webhookTestBaseUrl: `${this.baseUrl}/webhook-test`,
			webhookWaitingBaseUrl: `${this.baseUrl}/webhook-waiting`,
			instanceBaseUrl: `${this.baseUrl}/`,
		};
	}

	private additionalData(executionId: string, extra: Record<string, unknown> = {}): HarnessAdditionalData {
		const hooks = new ExecutionLifecycleHooks(this.executionMode, executionId, workflowBase(this.workflow));
		return buildAdditionalData(this.credentialsHelper, hooks, {
			executionId,
			...this.urlOverrides(),
			...extra,
		});
	}

	/** `WebhookService.getNodeWebhooks`: one entry per HTTP method the description evaluates to. */
	get webhooks(): IWebhookData[] {
		this.hookAdditionalData ??= this.additionalData('harness-hooks');
		const result: IWebhookData[] = [];
		for (const description of this.options.nodeType.description.webhooks ?? []) {
			let path = this.workflow.expression.getSimpleParameterValue(this.node, description.path, 'internal', {});
			if (path === undefined) continue;
			path = String(path).replace(/^\//, '').replace(/\/$/, '');
			const isFullPath = this.workflow.expression.getSimpleParameterValue(
				this.node, description.isFullPath, 'internal', {}, undefined, false,
			) as boolean;
			const fullPath = NodeHelpers.getNodeWebhookPath(this.workflow.id, this.node, String(path), isFullPath, false);
			const methods = this.workflow.expression.getSimpleParameterValue(
				this.node, description.httpMethod, 'internal', {}, undefined, 'GET',
			);
			if (methods === undefined) continue;
			for (const method of String(methods).split(',')) {
				if (!method) continue;
				result.push({
					httpMethod: method.trim() as IHttpRequestMethods,
					node: this.node.name,
					path: fullPath,
					webhookDescription: description,
					workflowId: this.workflow.id,
					workflowExecuteAdditionalData: this.hookAdditionalData,
					isTest: this.isTest || undefined,
				});
			}
		}
		return result;
	}

	/** The URL n8n shows for the node (production or test). */
	url(name = 'default'): string {
		const webhook = this.webhooks.find((w) => w.webhookDescription.name === name);
		if (!webhook) throw new UnexpectedError(`The node has no webhook named "${name}" with these parameters`);
		return `${this.baseUrl}/${this.isTest ? 'webhook-test' : 'webhook'}/${webhook.path}`;
	}

	private async runHookMethod(method: WebhookSetupMethodNames, webhook: IWebhookData): Promise<boolean | undefined> {
		const fn = this.options.nodeType.webhookMethods?.[webhook.webhookDescription.name]?.[method];
		if (!fn) return undefined;
		const context = new HookContext(
			this.workflow,
			this.node,
			webhook.workflowExecuteAdditionalData,
			this.hookMode,
			this.activation,
			webhook,
		);
		return await fn.call(context);
	}

	/** `checkExists` of every webhook. */
	async checkExists(): Promise<Array<boolean | undefined>> {
		const results: Array<boolean | undefined> = [];
		for (const webhook of this.webhooks) results.push(await this.runHookMethod('checkExists', webhook));
		return results;
	}

	/** `createWebhookIfNotExists` for every webhook, as activation (or "listen for test event") does. */
	async activate(): Promise<void> {
		for (const webhook of this.webhooks) {
			const exists = await this.runHookMethod('checkExists', webhook);
			if (!exists) await this.runHookMethod('create', webhook);
		}
	}

	/** `delete` of every webhook, as deactivation does. */
	async deactivate(): Promise<void> {
		for (const webhook of this.webhooks) await this.runHookMethod('delete', webhook);
	}

	/** Resolves once `count` calls have been answered. */
	async waitForCalls(count: number, timeoutMs = 10_000): Promise<WebhookCall[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.calls.length < count) {
			if (Date.now() > deadline) {
				throw new UnexpectedError(`Expected ${count} webhook calls, got ${this.calls.length}`);
			}
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, 50);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return this.calls.slice(0, count);
	}

	async stop(): Promise<void> {
		await this.listener?.stop();
		this.listener = undefined;
	}

	private async handle(incoming: ListenerRequest): Promise<void> {
		const { req, res, url, method, rawBody, contentType, send } = incoming;
		const prefix = this.isTest ? '/webhook-test/' : '/webhook/';
		const webhookPath = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : undefined;
		const webhook = this.webhooks.find((w) => w.path === webhookPath && w.httpMethod === method);
		if (!webhook) {
			res.writeHead(404, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ code: 404, message: `The requested webhook "${method} ${url.pathname}" is not registered.` }));
			return;
		}
		const body = parseBody(rawBody, contentType);
		const request = expressRequest(incoming, body);
		const executionId = `harness-webhook-${++executionCounter}`;
		const additionalData = this.additionalData(executionId, { httpRequest: request, httpResponse: res });
		const call: WebhookCall = {
			method,
			path: url.pathname,
			headers: req.headers,
			body,
			status: 0,
			responseContentType: '',
			responseText: '',
			started: false,
		};
		const context = new WebhookContext(this.workflow, this.node, additionalData, this.executionMode, webhook, [], null);
		let result: IWebhookResponseData | undefined;
		try {
			result = await this.options.nodeType.webhook!.call(context);
			call.result = result;
		} catch (error) {
			call.error = error as Error;
			// The cli answers a failing webhook() with 500 and starts nothing.
			if (!res.headersSent) send(500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		if (result) {
			if (result.workflowData === undefined) {
				if (!result.noWebhookResponse && !res.headersSent) {
					send(200, result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' });
				}
			} else {
				call.started = true;
				if (!result.noWebhookResponse && !res.headersSent) send(200, this.onReceivedBody(webhook, result));
			}
		}
		call.status = res.statusCode;
		call.responseContentType = String(res.getHeader('content-type') ?? '');
		call.responseText = incoming.responseText();
		if (result?.workflowData && this.options.runWorkflow !== false) {
			const run = await this.execute(result.workflowData, executionId);
			call.run = run;
			call.output = run.data.resultData.runData[this.node.name]?.[0]?.data?.main as INodeExecutionData[][] | undefined;
		}
		this.calls.push(call);
		for (const wake of this.waiters.splice(0)) wake();
	}

	/**
	 * The "onReceived" answer (webhook-on-received-response-extractor.ts): `responseData` of the
	 * webhook description, which defaults to 'firstEntryJson' and then is itself the answer; only a
	 * falsy `responseData` lets the node's `webhookResponse` through.
	 */
	private onReceivedBody(webhook: IWebhookData, result: IWebhookResponseData): unknown {
		const responseData = this.workflow.expression.getComplexParameterValue(
			this.node,
			webhook.webhookDescription.responseData,
			this.executionMode,
			{},
			undefined,
			'firstEntryJson',
		);
		if (responseData === 'noData') return '';
		if (responseData) return responseData;
		if (result.webhookResponse !== undefined) return result.webhookResponse;
		return { message: 'Workflow was started' };
	}

	/** The execution a webhook starts: the trigger node on the stack with the items it returned. */
	private async execute(workflowData: INodeExecutionData[][], executionId: string): Promise<IRun> {
		const additionalData = this.additionalData(executionId);
		let finished: IRun | undefined;
		additionalData.hooks!.addHandler('workflowExecuteAfter', async (run) => {
			finished = run;
		});
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: this.node, data: { main: workflowData }, source: null }],
			},
		});
		const returned = await new WorkflowExecute(additionalData, this.executionMode, runExecutionData).processRunExecutionData(
			this.workflow,
		);
		return finished ?? returned;
	}
}
