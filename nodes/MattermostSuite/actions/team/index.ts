import type { INodeProperties } from 'n8n-workflow';

import * as addMember from './addMember.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getMembers from './getMembers.operation';
import * as removeMember from './removeMember.operation';

export const operations = { addMember, get, getAll, getMembers, removeMember };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['team'] } },
		options: [
			{ name: 'Add Member', value: 'addMember', description: 'Add a user to a team', action: 'Add a member to a team' },
			{ name: 'Get', value: 'get', description: 'Get a team by ID, URL or name', action: 'Get a team' },
			{ name: 'Get Many', value: 'getAll', description: 'List teams', action: 'Get many teams' },
			{ name: 'Get Members', value: 'getMembers', description: 'List the members of a team', action: 'Get the members of a team' },
			{ name: 'Remove Member', value: 'removeMember', description: 'Remove a user from a team', action: 'Remove a member from a team' },
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
	...getMembers.description,
	...addMember.description,
	...removeMember.description,
];
