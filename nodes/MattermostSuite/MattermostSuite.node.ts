import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as message from './actions/message';
import { router } from './actions/router';
import { searchChannels, searchTeams, searchUsers } from './methods/listSearch';

export class MattermostSuite implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mattermost Suite',
		name: 'mattermostSuite',
		icon: { light: 'file:mattermostSuite.svg', dark: 'file:mattermostSuite.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Post, read and manage Mattermost messages, channels, users, teams and files',
		defaults: { name: 'Mattermost Suite' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mattermostSuiteApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Message', value: 'message' }],
				default: 'message',
			},
			...message.description,
		],
	};

	methods = {
		listSearch: { searchChannels, searchTeams, searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
