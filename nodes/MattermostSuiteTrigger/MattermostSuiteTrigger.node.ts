import type {
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchChannels, searchTeams } from '../MattermostSuite/methods/listSearch';
import { eventsProperties } from './descriptions/events';
import { interactiveActionProperties } from './descriptions/interactiveAction';
import { outgoingWebhookProperties } from './descriptions/outgoingWebhook';
import { slashCommandProperties } from './descriptions/slashCommand';
import { EVENTS, startEvents } from './events/trigger';
import { duringActivation, type Activation } from './helpers/activationError';
import { WEBHOOK_PATH_EXPRESSION } from '../MattermostSuite/helpers/actionEndpoints';
import { receiveInteractiveAction } from './webhooks/interactiveAction';
import {
	createOutgoingWebhook,
	deleteOutgoingWebhook,
	outgoingWebhookExists,
	receiveOutgoingWebhook,
} from './webhooks/outgoingWebhook';
import { createSlashCommand, deleteSlashCommand, receiveSlashCommand, slashCommandExists } from './webhooks/slashCommand';

type Source = 'events' | 'interactiveAction' | 'outgoingWebhook' | 'slashCommand';

/** What activating a source that manages a Mattermost integration does, and the permission that takes. */
function managed(source: 'outgoingWebhook' | 'slashCommand', step: 'check' | 'create'): Activation {
	return source === 'outgoingWebhook'
		? { activity: `${step} the outgoing webhook in Mattermost`, permission: 'manage_outgoing_webhooks' }
		: { activity: `${step} the slash command in Mattermost`, permission: 'manage_slash_commands' };
}

const WEBHOOK_SOURCES = ['interactiveAction', 'outgoingWebhook', 'slashCommand'];

/** What the canvas shows under the node's name for each source. */
const SOURCE_SUBTITLES: Record<Source, string> = {
	events: 'WebSocket events',
	interactiveAction: 'Button and menu clicks',
	outgoingWebhook: 'Outgoing webhook',
	slashCommand: 'Slash command',
};

const SUBTITLE = `={{ (${JSON.stringify(SOURCE_SUBTITLES)})[$parameter["source"]] }}`;

function sourceOf(ctx: IHookFunctions | IWebhookFunctions | ITriggerFunctions): Source {
	return ctx.getNodeParameter('source', 'events') as Source;
}

/**
 * Hands the items a webhook produced on to the next node. A node with a `trigger` method is run
 * through it whenever an execution starts at the node in manual mode, also when a test webhook
 * started the execution; the webhook sources therefore carry `resource`/`operation` values that
 * select this custom operation instead, and it returns the webhook's items unchanged.
 */
async function passWebhookItemsOn(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [this.getInputData()];
}

export class MattermostSuiteTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mattermost Suite Trigger',
		name: 'mattermostSuiteTrigger',
		icon: {
			light: 'file:../MattermostSuite/mattermostSuite.svg',
			dark: 'file:../MattermostSuite/mattermostSuite.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: SUBTITLE,
		description:
			'Starts workflows from Mattermost: live WebSocket events, managed outgoing webhooks, slash commands and message buttons',
		defaults: { name: 'Mattermost Suite Trigger' },
		// The webhook sources carry hidden resource/operation values (see passWebhookItemsOn); without
		// this, the editor names the node after them ("PassOn webhook") when the source changes.
		skipNameGeneration: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'mattermostSuiteApi',
				required: true,
				displayOptions: {
					show: { authentication: ['accessToken'] },
					hide: { source: ['interactiveAction'], createCommand: [false] },
				},
			},
			{
				name: 'mattermostSuiteOAuth2Api',
				required: true,
				displayOptions: {
					show: { authentication: ['oAuth2'] },
					hide: { source: ['interactiveAction'], createCommand: [false] },
				},
			},
		],
		webhooks: [
			{
				name: 'default',
				// No webhook for Events (it listens on the WebSocket). Slash commands may use GET: a list
				// registers both methods, and the editor shows the URL without a method badge instead
				// of a clipped "POST,G".
				httpMethod:
					'={{ $parameter["source"] === "events" ? "" : $parameter["source"] === "slashCommand" ? ["POST", "GET"] : "POST" }}',
				responseMode: 'onReceived',
				// Interactive Action with a Secret: a path Message > Post can derive (see actionEndpoints.ts).
				path: WEBHOOK_PATH_EXPRESSION,
				isFullPath: true,
				ndvHideUrl: '={{ $parameter["source"] === "events" }}',
				ndvHideMethod: '={{ $parameter["source"] === "events" }}',
			},
		],
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Events (WebSocket)',
						value: 'events',
						description:
							'Live events: messages, edits, deletions, reactions, channel and membership changes, in every channel the account sees',
					},
					{
						name: 'Interactive Action',
						value: 'interactiveAction',
						description: 'Clicks on message buttons and choices in message menus',
					},
					{
						name: 'Outgoing Webhook',
						value: 'outgoingWebhook',
						description: 'Posts in public channels starting with a trigger word; the node manages the webhook',
					},
					{
						name: 'Slash Command',
						value: 'slashCommand',
						description: 'A custom slash command such as /deploy',
					},
				],
				default: 'events',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Access Token', value: 'accessToken' },
					{ name: 'OAuth2', value: 'oAuth2' },
				],
				default: 'accessToken',
				displayOptions: { hide: { source: ['interactiveAction'] } },
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'hidden',
				default: 'webhook',
				displayOptions: { show: { source: WEBHOOK_SOURCES } },
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'hidden',
				default: 'passOn',
				displayOptions: { show: { source: WEBHOOK_SOURCES } },
			},
			...eventsProperties,
			...outgoingWebhookProperties,
			...slashCommandProperties,
			...interactiveActionProperties,
		],
	};

	methods = {
		listSearch: { searchChannels, searchTeams },
	};

	customOperations = {
		webhook: { passOn: passWebhookItemsOn },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const source = sourceOf(this);
				if (source === 'outgoingWebhook' || source === 'slashCommand') {
					const exists = source === 'outgoingWebhook' ? outgoingWebhookExists : slashCommandExists;
					return await duringActivation(this, managed(source, 'check'), async () => await exists.call(this));
				}
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const source = sourceOf(this);
				if (source === 'outgoingWebhook' || source === 'slashCommand') {
					const create = source === 'outgoingWebhook' ? createOutgoingWebhook : createSlashCommand;
					return await duringActivation(this, managed(source, 'create'), async () => await create.call(this));
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const source = sourceOf(this);
				if (source === 'outgoingWebhook') return await deleteOutgoingWebhook.call(this);
				if (source === 'slashCommand') return await deleteSlashCommand.call(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const source = sourceOf(this);
		if (source === 'outgoingWebhook') return await receiveOutgoingWebhook.call(this);
		if (source === 'slashCommand') return await receiveSlashCommand.call(this);
		if (source === 'interactiveAction') return await receiveInteractiveAction.call(this);
		// Events has no webhook; a stray call starts nothing.
		return { webhookResponse: { message: 'This trigger listens on the WebSocket' } };
	}

	/**
	 * Events listens here. n8n also activates the webhook sources through this method (any node
	 * type with `trigger` counts as an in-memory trigger, and n8n 2.x re-publishes a workflow
	 * whose in-memory trigger did not register every 10 s): they register an empty trigger, as
	 * their work happens in the webhook.
	 */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (sourceOf(this) !== 'events') return {};
		return await duringActivation(this, EVENTS, async () => await startEvents.call(this));
	}
}
