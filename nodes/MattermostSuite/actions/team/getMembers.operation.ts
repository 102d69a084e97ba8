import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { mattermostApiRequestAllItems } from '../../transport';
import { membersOptions, withUsers } from '../channel/members';
import { limitOf, returnAllOrLimit, showOnlyFor, teamRLC } from '../common.descriptions';

const properties: INodeProperties[] = [teamRLC, ...returnAllOrLimit(), membersOptions];

export const description = showOnlyFor(
	{ show: { resource: ['team'], operation: ['getMembers'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = limitOf(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const teamId = await resolveTeamId(this, itemIndex);

	let members = await mattermostApiRequestAllItems.call(this, 'GET', `/teams/${teamId}/members`, {
		limit,
		itemIndex,
		subject: `team ${teamId}`,
	});
	if (options.resolveUsers === true) members = await withUsers(this, members, itemIndex);
	return members.map((member) => ({ json: member }));
}
