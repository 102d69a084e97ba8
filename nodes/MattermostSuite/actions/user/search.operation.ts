import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { EXAMPLE_ID, showOnlyFor, simplifyProperty } from '../common.descriptions';
import { optionalId, userOutput } from './shared';

/** model.UserSearchMaxLimit */
const MAX_SEARCH_RESULTS = 1000;

const properties: INodeProperties[] = [
	{
		displayName: 'Search Term',
		name: 'term',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ali',
		description: 'Matched against the start of username, first and last name, nickname and (where the server shows them) email',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_SEARCH_RESULTS },
		default: 50,
		description: 'Max number of results to return',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Deactivated Users',
				name: 'allowInactive',
				type: 'boolean',
				default: false,
				description: 'Whether to include deactivated users in the results',
			},
			{
				displayName: 'In Channel',
				name: 'inChannel',
				type: 'string',
				default: '',
				placeholder: `e.g. ${EXAMPLE_ID}`,
				description: 'Only members of the channel with this ID',
			},
			{
				displayName: 'In Team',
				name: 'teamId',
				type: 'string',
				default: '',
				placeholder: `e.g. ${EXAMPLE_ID}`,
				description: 'Only members of the team with this ID',
			},
		],
	},
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['search'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const term = String(this.getNodeParameter('term', itemIndex, '')).trim();
	const limit = Number(this.getNodeParameter('limit', itemIndex, 50));
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (term === '') {
		throw new NodeOperationError(this.getNode(), 'Search Term is empty', {
			description: 'Enter the start of a username, name, nickname or email, e.g. ali. To list users, use the Get Many operation.',
			itemIndex,
		});
	}
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_RESULTS) {
		throw new NodeOperationError(this.getNode(), `Limit ${limit} is out of range`, {
			description: `Mattermost returns 1 to ${MAX_SEARCH_RESULTS} search results per search.`,
			itemIndex,
		});
	}
	const body: IDataObject = { term, allow_inactive: options.allowInactive === true, limit };
	const teamId = optionalId(this, options.teamId, 'team', itemIndex, 'In Team');
	const channelId = optionalId(this, options.inChannel, 'channel', itemIndex, 'In Channel');
	if (teamId) body.team_id = teamId;
	if (channelId) body.in_channel_id = channelId;

	const users = (await mattermostApiRequest.call(this, 'POST', '/users/search', {
		body,
		itemIndex,
		subject: [teamId && `team ${teamId}`, channelId && `channel ${channelId}`].filter(Boolean).join(' or ') || undefined,
	})) as IDataObject[] | null;
	return (users ?? []).map((user) => ({ json: userOutput(this, itemIndex, user) }));
}
