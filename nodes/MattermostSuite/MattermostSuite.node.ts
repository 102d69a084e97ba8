import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as channel from './actions/channel';
import * as file from './actions/file';
import * as message from './actions/message';
import * as reaction from './actions/reaction';
import * as team from './actions/team';
import * as user from './actions/user';
import { requestOptions } from './actions/requestOptions.description';
import { router } from './actions/router';
import { searchChannels, searchPosts, searchTeams, searchUsers } from './methods/listSearch';

const operationProperties: INodeProperties[] = [
	...message.description,
	...reaction.description,
	...channel.description,
	...user.description,
	...team.description,
	...file.description,
];

/**
 * The canvas subtitle: the action words of the chosen operation ("Send a direct message"), looked
 * up in a map built from the operations' own `action` texts, keyed `resource:operation`.
 */
function subtitleFrom(properties: INodeProperties[]): string {
	const actions: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const resource of property.displayOptions?.show?.resource ?? []) {
			for (const option of property.options ?? []) {
				if ('action' in option && option.action) actions[`${String(resource)}:${String(option.value)}`] = option.action;
			}
		}
	}
	return `={{ (${JSON.stringify(actions)})[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

export class MattermostSuite implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mattermost Suite',
		name: 'mattermostSuite',
		icon: { light: 'file:mattermostSuite.svg', dark: 'file:mattermostSuite.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: subtitleFrom(operationProperties),
		description: 'Post, read and manage Mattermost messages, channels, users, teams and files',
		defaults: { name: 'Mattermost Suite' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Message > Send and Wait for Response resumes its waiting execution through these.
		webhooks: message.sendAndWaitWebhooks,
		credentials: [
			{ name: 'mattermostSuiteApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
			{ name: 'mattermostSuiteOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Access Token', value: 'accessToken' },
					{ name: 'OAuth2', value: 'oAuth2' },
				],
				default: 'accessToken',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Channel', value: 'channel' },
					{ name: 'File', value: 'file' },
					{ name: 'Message', value: 'message' },
					{ name: 'Reaction', value: 'reaction' },
					{ name: 'Team', value: 'team' },
					{ name: 'User', value: 'user' },
				],
				default: 'message',
			},
			...operationProperties,
			requestOptions,
		],
	};

	methods = {
		listSearch: { searchChannels, searchPosts, searchTeams, searchUsers },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await message.sendAndWaitWebhook.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
