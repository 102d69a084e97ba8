import type { INodeProperties } from 'n8n-workflow';

import * as deletePost from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getThread from './getThread.operation';
import * as pin from './pin.operation';
import * as post from './post.operation';
import * as postEphemeral from './postEphemeral.operation';
import * as search from './search.operation';
import * as sendAndWait from './sendAndWait.operation';
import * as sendDirectMessage from './sendDirectMessage.operation';
import * as sendGroupMessage from './sendGroupMessage.operation';
import * as unpin from './unpin.operation';
import * as update from './update.operation';

export const operations = {
	delete: deletePost,
	get,
	getMany,
	getThread,
	pin,
	post,
	postEphemeral,
	search,
	sendAndWait,
	sendDirectMessage,
	sendGroupMessage,
	unpin,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a post (and the replies of a root post)',
				action: 'Delete a message',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a post by ID or permalink',
				action: 'Get a message',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the posts of a channel, newest first or oldest first',
				action: 'Get many messages',
			},
			{
				name: 'Get Thread',
				value: 'getThread',
				description: 'Get a thread: its root post and every reply, oldest first',
				action: 'Get a thread',
			},
			{
				name: 'Pin',
				value: 'pin',
				description: 'Pin a post to its channel',
				action: 'Pin a message',
			},
			{
				name: 'Post',
				value: 'post',
				description: 'Post a message to a channel, or reply in a thread',
				action: 'Post a message',
			},
			{
				name: 'Post Ephemeral',
				value: 'postEphemeral',
				description: 'Show a message to one user in a channel, without storing it',
				action: 'Post an ephemeral message',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Search the posts of a team',
				action: 'Search messages',
			},
			{
				name: 'Send and Wait for Response',
				value: 'sendAndWait',
				description: 'Post a question with buttons, wait until someone answers in Mattermost, then go on with the answer',
				action: 'Send message and wait for response',
			},
			{
				name: 'Send Direct Message',
				value: 'sendDirectMessage',
				description: 'Send a message to one user in a direct message channel',
				action: 'Send a direct message',
			},
			{
				name: 'Send Group Message',
				value: 'sendGroupMessage',
				description: 'Send a message to 2 to 7 users in a group message channel',
				action: 'Send a group message',
			},
			{
				name: 'Unpin',
				value: 'unpin',
				description: 'Unpin a post from its channel',
				action: 'Unpin a message',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the text, properties or files of a post',
				action: 'Update a message',
			},
		],
		default: 'post',
	},
	...post.description,
	...sendDirectMessage.description,
	...sendGroupMessage.description,
	...postEphemeral.description,
	...sendAndWait.description,
	...get.description,
	...getThread.description,
	...getMany.description,
	...search.description,
	...update.description,
	...deletePost.description,
	...pin.description,
	...unpin.description,
];

export { sendAndWaitWebhook, sendAndWaitWebhooks } from './sendAndWaitWebhook';
