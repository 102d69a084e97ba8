import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor } from '../common.descriptions';
import { resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [channelRLC];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['statistics'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);
	const stats = await mattermostApiRequest.call(this, 'GET', `/channels/${channelId}/stats`, {
		itemIndex,
		subject: `channel ${channelId}`,
	});
	return [{ json: stats as IDataObject }];
}
