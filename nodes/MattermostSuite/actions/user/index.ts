import type { INodeProperties } from 'n8n-workflow';

import * as clearCustomStatus from './clearCustomStatus.operation';
import * as create from './create.operation';
import * as deactivate from './deactivate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getMe from './getMe.operation';
import * as getStatus from './getStatus.operation';
import * as inviteByEmail from './inviteByEmail.operation';
import * as search from './search.operation';
import * as setCustomStatus from './setCustomStatus.operation';
import * as setStatus from './setStatus.operation';

export const operations = {
	clearCustomStatus,
	create,
	deactivate,
	get,
	getAll,
	getMe,
	getStatus,
	inviteByEmail,
	search,
	setCustomStatus,
	setStatus,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Clear Custom Status',
				value: 'clearCustomStatus',
				description: 'Remove a user\'s custom status',
				action: 'Clear the custom status of a user',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a user account (admins)',
				action: 'Create a user',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Deactivate a user account (admins)',
				action: 'Deactivate a user',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a user by ID, username or email',
				action: 'Get a user',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List users, optionally of a team or channel',
				action: 'Get many users',
			},
			{
				name: 'Get Me',
				value: 'getMe',
				description: 'Get the user the credential belongs to',
				action: 'Get the user of the credential',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get whether a user is online, away, do not disturb or offline',
				action: 'Get the status of a user',
			},
			{
				name: 'Invite to Team by Email',
				value: 'inviteByEmail',
				description: 'Email people an invitation to join a team',
				action: 'Invite people to a team by email',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find users by username, name, nickname or email',
				action: 'Search users',
			},
			{
				name: 'Set Custom Status',
				value: 'setCustomStatus',
				description: 'Set a user\'s custom status: emoji, text and when it clears',
				action: 'Set the custom status of a user',
			},
			{
				name: 'Set Status',
				value: 'setStatus',
				description: 'Set a user to online, away, do not disturb or offline',
				action: 'Set the status of a user',
			},
		],
		default: 'get',
	},
	...clearCustomStatus.description,
	...create.description,
	...deactivate.description,
	...get.description,
	...getAll.description,
	...getMe.description,
	...getStatus.description,
	...inviteByEmail.description,
	...search.description,
	...setCustomStatus.description,
	...setStatus.description,
];
