import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor, userRLC } from '../common.descriptions';
import { fetchActiveUser } from '../user/shared';
import { resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [
	channelRLC,
	{ ...userRLC, description: 'The user to add. They must already be a member of the channel\'s team.' },
];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['addMember'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);
	// Mattermost answers a deactivated user with a 403 that reads like a missing permission.
	const user = await fetchActiveUser(this, itemIndex, 'userId', 'Mattermost does not add deactivated users to channels.');
	const userId = user.id as string;
	// Adding someone who is already a member answers their existing membership.
	const member = await mattermostApiRequest.call(this, 'POST', `/channels/${channelId}/members`, {
		body: { user_id: userId },
		itemIndex,
		// The server answers 404 for a missing channel and for a user outside the channel's team.
		subject: `channel ${channelId}, or user ${userId} in the channel's team (add the user to the team first: Team > Add Member)`,
	});
	return [{ json: member as IDataObject }];
}
