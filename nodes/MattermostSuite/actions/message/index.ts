import type { INodeProperties } from 'n8n-workflow';

import * as post from './post.operation';

export const operations = { post };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Post',
				value: 'post',
				description: 'Post a message to a channel, or reply in a thread',
				action: 'Post a message',
			},
		],
		default: 'post',
	},
	...post.description,
];
