import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as getMany from './getMany.operation';
import * as remove from './remove.operation';

export const operations = { add, getMany, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['reaction'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'React to a post with an emoji',
				action: 'Add a reaction',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the reactions to a post',
				action: 'Get many reactions',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Remove an emoji reaction from a post',
				action: 'Remove a reaction',
			},
		],
		default: 'add',
	},
	...add.description,
	...remove.description,
	...getMany.description,
];
