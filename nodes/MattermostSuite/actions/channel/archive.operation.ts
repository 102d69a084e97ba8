import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor } from '../common.descriptions';
import { resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [channelRLC];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['archive'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);
	await mattermostApiRequest.call(this, 'DELETE', `/channels/${channelId}`, {
		itemIndex,
		subject: `channel ${channelId}`,
	});
	return [{ json: { archived: true, id: channelId } }];
}
