import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor } from '../common.descriptions';
import { resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [
	{
		...channelRLC,
		// The picker lists only channels that are not archived: an archived one is given by URL or ID.
		default: { mode: 'id', value: '' },
		description: 'The archived channel, by URL or ID',
		modes: (channelRLC.modes ?? []).filter((mode) => mode.name !== 'list'),
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['restore'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);
	const channel = await mattermostApiRequest.call(this, 'POST', `/channels/${channelId}/restore`, {
		itemIndex,
		subject: `channel ${channelId}`,
	});
	return [{ json: channel as IDataObject }];
}
