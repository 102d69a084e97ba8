import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequestAllItems } from '../../transport';
import { channelRLC, limitOf, returnAllOrLimit, showOnlyFor } from '../common.descriptions';
import { membersOptions, withUsers } from './members';
import { resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [channelRLC, ...returnAllOrLimit(), membersOptions];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['getMembers'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = limitOf(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);

	let members = await mattermostApiRequestAllItems.call(this, 'GET', `/channels/${channelId}/members`, {
		limit,
		itemIndex,
		subject: `channel ${channelId}`,
	});
	if (options.resolveUsers === true) members = await withUsers(this, members, itemIndex);
	return members.map((member) => ({ json: member }));
}
