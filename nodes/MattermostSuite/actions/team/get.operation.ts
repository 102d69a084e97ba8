import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { simplifyTeam } from '../../helpers/simplify';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, simplifyProperty, teamRLC } from '../common.descriptions';

/** Team.IsValid of the server: 2 to 64 characters, lowercase letters, digits and "-" (and "_" in old teams). */
const TEAM_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{1,63}$/;

const properties: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Name', value: 'name', description: 'The team name from its URL, e.g. my-team' },
			{ name: 'Team', value: 'team', description: 'Pick the team, paste its URL or enter its ID' },
		],
		default: 'team',
	},
	{ ...teamRLC, displayOptions: { show: { lookUpBy: ['team'] } } },
	{
		displayName: 'Team Name',
		name: 'teamName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. my-team',
		description: 'The URL name of the team (the first part of its URLs), not its display name',
		displayOptions: { show: { lookUpBy: ['name'] } },
	},
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['team'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const lookUpBy = this.getNodeParameter('lookUpBy', itemIndex, 'team') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	let team: IDataObject;
	if (lookUpBy === 'name') {
		const name = String(this.getNodeParameter('teamName', itemIndex, '') ?? '').trim();
		if (!TEAM_NAME_PATTERN.test(name)) {
			throw new NodeOperationError(
				this.getNode(),
				name === '' ? 'Team Name is empty' : `Team Name "${name}" is not a team name`,
				{
					description:
						'A team name is the part after the server address in the team\'s URLs: 2 to 64 lowercase letters, digits and "-", e.g. my-team for https://mattermost.example.com/my-team.',
					itemIndex,
				},
			);
		}
		team = await mattermostApiRequest.call(this, 'GET', `/teams/name/${encodeURIComponent(name)}`, {
			itemIndex,
			subject: `team named "${name}"`,
		});
	} else {
		const teamId = await resolveTeamId(this, itemIndex);
		team = await mattermostApiRequest.call(this, 'GET', `/teams/${teamId}`, { itemIndex, subject: `team ${teamId}` });
	}
	return [{ json: simplify ? simplifyTeam(team) : team }];
}
