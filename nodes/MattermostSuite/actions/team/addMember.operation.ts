import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveTeamId, resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, teamRLC, userRLC } from '../common.descriptions';

const properties: INodeProperties[] = [
	teamRLC,
	{ ...userRLC, description: "The user to add. They also join the team's default channels (Town Square, Off-Topic)." },
];

export const description = showOnlyFor(
	{ show: { resource: ['team'], operation: ['addMember'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const teamId = await resolveTeamId(this, itemIndex);
	const userId = await resolveUserId(this, itemIndex);
	// Adding someone who is already a member answers their existing membership.
	const member = await mattermostApiRequest.call(this, 'POST', `/teams/${teamId}/members`, {
		body: { team_id: teamId, user_id: userId },
		itemIndex,
		subject: `team ${teamId} or user ${userId}`,
	});
	return [{ json: member as IDataObject }];
}
