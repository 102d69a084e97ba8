import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mattermostApiRequestAllItems } from '../../transport';
import { EXAMPLE_ID, limitOf, returnAllOrLimit, showOnlyFor, simplifyProperty } from '../common.descriptions';
import { optionalId, userOutput } from './shared';

const idFilter = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: `e.g. ${EXAMPLE_ID}`,
	description,
});

const properties: INodeProperties[] = [
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Account Status',
				name: 'accountStatus',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active', description: 'Only users who can log in' },
					{ name: 'Deactivated', value: 'inactive', description: 'Only deactivated users' },
				],
				default: 'active',
				description: 'Applies to all users, In Team (sorted by username) and In Channel',
			},
			idFilter('In Channel', 'inChannel', 'Only members of the channel with this ID'),
			idFilter('In Team', 'inTeam', 'Only members of the team with this ID'),
			idFilter('Not In Channel', 'notInChannel', 'Only members of In Team who are not in the channel with this ID. Needs In Team.'),
			idFilter('Not In Team', 'notInTeam', 'Only users who are not members of the team with this ID. Combines with no other filter.'),
			{
				displayName: 'Role',
				name: 'role',
				type: 'options',
				options: [
					{ name: 'System Admin', value: 'system_admin' },
					{ name: 'System Guest', value: 'system_guest' },
					{ name: 'System User', value: 'system_user' },
				],
				default: 'system_admin',
				description: 'Only users with this system role. Applies to all users, In Team (sorted by username) and In Channel.',
			},
			{
				displayName: 'Sort By',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Username', value: '', description: 'Alphabetical (works with every filter)' },
					{ name: 'Join Date (Newest First)', value: 'create_at', description: 'Needs In Team and no other filter' },
					{ name: 'Last Activity (Most Recent First)', value: 'last_activity_at', description: 'Needs In Team and no other filter' },
					{ name: 'Status (Online First)', value: 'status', description: 'Online, away, do not disturb, offline. Needs In Channel.' },
				],
				default: '',
			},
		],
	},
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['getAll'] } },
	properties,
);

/**
 * GET /users serves one list per call, chosen by the first filter present in the server's order
 * (not in channel, not in team, in team, in channel, everyone); the others are silently ignored
 * there. Combinations that would be ignored are refused here rather than answered wrongly.
 */
function queryFor(ctx: IExecuteFunctions, filters: IDataObject, itemIndex: number): IDataObject {
	const inTeam = optionalId(ctx, filters.inTeam, 'team', itemIndex, 'In Team');
	const notInTeam = optionalId(ctx, filters.notInTeam, 'team', itemIndex, 'Not In Team');
	const inChannel = optionalId(ctx, filters.inChannel, 'channel', itemIndex, 'In Channel');
	const notInChannel = optionalId(ctx, filters.notInChannel, 'channel', itemIndex, 'Not In Channel');
	const sort = typeof filters.sort === 'string' ? filters.sort : '';
	const accountStatus = typeof filters.accountStatus === 'string' ? filters.accountStatus : '';
	const role = typeof filters.role === 'string' ? filters.role : '';

	const refuse = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), message, { description, itemIndex });

	if (notInChannel && !inTeam) {
		throw refuse('Not In Channel needs In Team', 'Mattermost lists the members of a team who are not in a channel: add In Team with the ID of the channel\'s team.');
	}
	if (notInChannel && inChannel) {
		throw refuse('In Channel and Not In Channel cannot be combined', 'Keep one of the two filters.');
	}
	if (notInTeam && (inTeam || inChannel || notInChannel)) {
		throw refuse('Not In Team cannot be combined with other team or channel filters', 'Mattermost would ignore the other filters. Keep Not In Team alone, or remove it.');
	}
	if (inTeam && inChannel) {
		throw refuse('In Team and In Channel cannot be combined', 'Mattermost would ignore In Channel. A channel\'s members are all in its team: keep In Channel alone.');
	}
	if ((sort === 'create_at' || sort === 'last_activity_at') && (!inTeam || notInChannel)) {
		throw refuse(`Sort By "${sort === 'create_at' ? 'Join Date' : 'Last Activity'}" needs In Team and no other team or channel filter`, 'Add In Team (and remove Not In Channel), or sort by username.');
	}
	if (sort === 'status' && !inChannel) {
		throw refuse('Sort By "Status" needs In Channel', 'Add In Channel, or sort by another field.');
	}
	const servesAccountFilters = !notInTeam && !notInChannel && sort !== 'create_at' && sort !== 'last_activity_at';
	if ((accountStatus || role) && !servesAccountFilters) {
		throw refuse(
			`${accountStatus ? 'Account Status' : 'Role'} cannot be combined with ${notInTeam ? 'Not In Team' : notInChannel ? 'Not In Channel' : 'this Sort By'}`,
			'Mattermost ignores account status and role for that list. Remove the filter, or filter the results in a later node.',
		);
	}

	const qs: IDataObject = {};
	if (inTeam) qs.in_team = inTeam;
	if (notInTeam) qs.not_in_team = notInTeam;
	if (inChannel) qs.in_channel = inChannel;
	if (notInChannel) qs.not_in_channel = notInChannel;
	if (accountStatus === 'active') qs.active = true;
	if (accountStatus === 'inactive') qs.inactive = true;
	if (role) qs.role = role;
	if (sort) qs.sort = sort;
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = limitOf(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs = queryFor(this, filters, itemIndex);
	const subject = [qs.in_team && `team ${String(qs.in_team)}`, qs.not_in_team && `team ${String(qs.not_in_team)}`, qs.in_channel && `channel ${String(qs.in_channel)}`, qs.not_in_channel && `channel ${String(qs.not_in_channel)}`]
		.filter(Boolean)
		.join(' or ');
	const users = await mattermostApiRequestAllItems.call(this, 'GET', '/users', {
		qs,
		limit,
		itemIndex,
		subject: subject || undefined,
	});
	return users.map((user) => ({ json: userOutput(this, itemIndex, user) }));
}
