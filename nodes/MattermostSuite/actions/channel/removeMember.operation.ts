import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor, userRLC } from '../common.descriptions';
import { resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [channelRLC, { ...userRLC, description: 'The member to remove' }];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['removeMember'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);
	const userId = await resolveUserId(this, itemIndex);
	await mattermostApiRequest.call(this, 'DELETE', `/channels/${channelId}/members/${userId}`, {
		itemIndex,
		subject: `channel ${channelId}, or member ${userId} of it`,
	});
	return [{ json: { removed: true } }];
}
