import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveTeamId, resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, teamRLC, userRLC } from '../common.descriptions';

const properties: INodeProperties[] = [
	teamRLC,
	{ ...userRLC, description: 'The member to remove. They also leave every channel of the team.' },
];

export const description = showOnlyFor(
	{ show: { resource: ['team'], operation: ['removeMember'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const teamId = await resolveTeamId(this, itemIndex);
	const userId = await resolveUserId(this, itemIndex);
	await mattermostApiRequest.call(this, 'DELETE', `/teams/${teamId}/members/${userId}`, {
		itemIndex,
		subject: `team ${teamId} or user ${userId}`,
	});
	return [{ json: { removed: true } }];
}
