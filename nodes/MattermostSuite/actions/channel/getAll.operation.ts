import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { mattermostApiRequest, mattermostApiRequestAllItems } from '../../transport';
import { limitOf, returnAllOrLimit, showOnlyFor, simplifyProperty, teamRLC } from '../common.descriptions';
import { channelItems } from './shared';

const properties: INodeProperties[] = [
	teamRLC,
	{
		displayName: 'Channels',
		name: 'scope',
		type: 'options',
		options: [
			{
				name: 'Channels I Belong To',
				value: 'mine',
				description: "The public and private channels of the team the credential's user is a member of",
			},
			{
				name: 'Public Channels',
				value: 'public',
				description: 'Every public channel of the team that is not archived',
			},
		],
		default: 'public',
	},
	...returnAllOrLimit(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { scope: ['mine'] } },
		options: [
			{
				displayName: 'Include Archived',
				name: 'includeArchived',
				type: 'boolean',
				default: false,
				description: 'Whether to include archived channels',
			},
			{
				displayName: 'Include Direct and Group Messages',
				name: 'includeDirect',
				type: 'boolean',
				default: false,
				description: "Whether to include the user's direct and group message channels, which belong to no team",
			},
		],
	},
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const scope = this.getNodeParameter('scope', itemIndex, 'public') as string;
	const limit = limitOf(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const teamId = await resolveTeamId(this, itemIndex);

	let channels: IDataObject[];
	if (scope === 'mine') {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		// This endpoint answers every channel at once and ignores paging.
		const all = (await mattermostApiRequest.call(this, 'GET', `/users/me/teams/${teamId}/channels`, {
			qs: options.includeArchived ? { include_deleted: true } : undefined,
			itemIndex,
			subject: `team ${teamId}`,
		})) as IDataObject[] | null;
		channels = (all ?? []).filter(
			(channel) => channel.team_id === teamId || (options.includeDirect === true && (channel.type === 'D' || channel.type === 'G')),
		);
		if (limit !== undefined) channels = channels.slice(0, limit);
	} else {
		channels = await mattermostApiRequestAllItems.call(this, 'GET', `/teams/${teamId}/channels`, {
			limit,
			itemIndex,
			subject: `team ${teamId}`,
		});
	}
	return channelItems(channels, simplify);
}
