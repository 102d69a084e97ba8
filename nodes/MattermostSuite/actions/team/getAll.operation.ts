import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { simplifyTeam } from '../../helpers/simplify';
import { mattermostApiRequest, mattermostApiRequestAllItems } from '../../transport';
import { limitOf, returnAllOrLimit, showOnlyFor, simplifyProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Teams',
		name: 'scope',
		type: 'options',
		options: [
			{
				name: 'All the Token Can See',
				value: 'all',
				description:
					'For a system admin every team; for others the teams anyone may join (open invite)',
			},
			{
				name: 'Mine',
				value: 'mine',
				description: "The teams the credential's user is a member of",
			},
		],
		default: 'mine',
	},
	...returnAllOrLimit(),
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['team'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const scope = this.getNodeParameter('scope', itemIndex, 'mine') as string;
	const limit = limitOf(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	let teams: IDataObject[];
	if (scope === 'all') {
		teams = await mattermostApiRequestAllItems.call(this, 'GET', '/teams', { limit, itemIndex });
	} else {
		// This endpoint answers every team at once and ignores paging.
		const mine = (await mattermostApiRequest.call(this, 'GET', '/users/me/teams', { itemIndex })) as IDataObject[] | null;
		teams = limit !== undefined ? (mine ?? []).slice(0, limit) : (mine ?? []);
	}
	return teams.map((team) => ({ json: simplify ? simplifyTeam(team) : team }));
}
