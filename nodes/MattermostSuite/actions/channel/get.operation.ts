import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor, simplifyProperty, teamRLC } from '../common.descriptions';
import { assertChannelName, channelItems, resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Channel', value: 'channel', description: 'Pick the channel, paste its URL or enter its ID' },
			{
				name: 'Team and Name',
				value: 'teamAndName',
				description: 'The team and the channel name from the URL, e.g. town-square',
			},
		],
		default: 'channel',
	},
	{ ...channelRLC, displayOptions: { show: { lookUpBy: ['channel'] } } },
	{ ...teamRLC, displayOptions: { show: { lookUpBy: ['teamAndName'] } } },
	{
		displayName: 'Channel Name',
		name: 'channelName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. town-square',
		description: 'The URL name of the channel (the last part of its URL), not its display name',
		displayOptions: { show: { lookUpBy: ['teamAndName'] } },
	},
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const lookUpBy = this.getNodeParameter('lookUpBy', itemIndex, 'channel') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	let channel: IDataObject;
	if (lookUpBy === 'teamAndName') {
		const name = assertChannelName(this, this.getNodeParameter('channelName', itemIndex, ''), itemIndex, 'Channel Name');
		const teamId = await resolveTeamId(this, itemIndex);
		// Archived channels are found too, as they are by ID.
		channel = await mattermostApiRequest.call(this, 'GET', `/teams/${teamId}/channels/name/${encodeURIComponent(name)}`, {
			qs: { include_deleted: true },
			itemIndex,
			subject: `channel named "${name}" in team ${teamId}`,
		});
	} else {
		const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);
		channel = await mattermostApiRequest.call(this, 'GET', `/channels/${channelId}`, {
			itemIndex,
			subject: `channel ${channelId}`,
		});
	}
	return channelItems([channel], simplify);
}
