import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveChannelId, resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor, userRLC } from '../common.descriptions';
import { assertMessageLength } from './postContent';

const properties: INodeProperties[] = [
	channelRLC,
	{ ...userRLC, description: 'The only user who sees the message' },
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. Only you can see this: your export is ready',
		description:
			'The text, in Markdown. Mattermost shows it to this user only, until they reload; it is not stored in the channel.',
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['postEphemeral'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const message = this.getNodeParameter('message', itemIndex, '') as string;
	assertMessageLength(this, message, itemIndex);
	if (message.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'Message is empty', {
			description: 'Write the text the user should see.',
			itemIndex,
		});
	}
	const channelId = await resolveChannelId(this, itemIndex);
	const userId = await resolveUserId(this, itemIndex);
	const post = (await mattermostApiRequest.call(this, 'POST', '/posts/ephemeral', {
		body: { user_id: userId, post: { channel_id: channelId, message } },
		itemIndex,
		subject: `channel ${channelId} or user ${userId}`,
	})) as IDataObject;
	return [{ json: post }];
}
