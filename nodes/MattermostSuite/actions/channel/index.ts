import type { INodeProperties } from 'n8n-workflow';

import * as addMember from './addMember.operation';
import * as archive from './archive.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getMembers from './getMembers.operation';
import * as removeMember from './removeMember.operation';
import * as restore from './restore.operation';
import * as search from './search.operation';
import * as statistics from './statistics.operation';
import * as update from './update.operation';

export const operations = {
	addMember,
	archive,
	create,
	get,
	getAll,
	getMembers,
	removeMember,
	restore,
	search,
	statistics,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['channel'] } },
		options: [
			{ name: 'Add Member', value: 'addMember', description: 'Add a user to a channel', action: 'Add a member to a channel' },
			{ name: 'Archive', value: 'archive', description: 'Archive a channel', action: 'Archive a channel' },
			{ name: 'Create', value: 'create', description: 'Create a public or private channel', action: 'Create a channel' },
			{ name: 'Get', value: 'get', description: 'Get a channel by ID, URL or name', action: 'Get a channel' },
			{ name: 'Get Many', value: 'getAll', description: 'List the channels of a team', action: 'Get many channels' },
			{ name: 'Get Members', value: 'getMembers', description: 'List the members of a channel', action: 'Get the members of a channel' },
			{ name: 'Remove Member', value: 'removeMember', description: 'Remove a user from a channel', action: 'Remove a member from a channel' },
			{ name: 'Restore', value: 'restore', description: 'Restore an archived channel', action: 'Restore a channel' },
			{ name: 'Search', value: 'search', description: 'Search the public channels of a team by name', action: 'Search channels' },
			{ name: 'Statistics', value: 'statistics', description: 'Get the member, pinned post and file counts of a channel', action: 'Get statistics of a channel' },
			{ name: 'Update', value: 'update', description: 'Change the display name, URL name, purpose or header of a channel', action: 'Update a channel' },
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...archive.description,
	...restore.description,
	...addMember.description,
	...removeMember.description,
	...getMembers.description,
	...search.description,
	...statistics.description,
];
