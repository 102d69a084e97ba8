import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, simplifyProperty, teamRLC } from '../common.descriptions';
import { channelItems } from './shared';

const properties: INodeProperties[] = [
	teamRLC,
	{
		displayName: 'Search Term',
		name: 'term',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. release',
		description: 'Matches the start of a public channel\'s name, or of a word of its display name',
	},
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['search'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const term = String(this.getNodeParameter('term', itemIndex, '') ?? '').trim();
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	if (term === '') {
		throw new NodeOperationError(this.getNode(), 'Search Term is empty', {
			description: 'Enter the start of a channel name, e.g. release. To list every channel use Channel > Get Many.',
			itemIndex,
		});
	}
	const teamId = await resolveTeamId(this, itemIndex);
	const channels = (await mattermostApiRequest.call(this, 'POST', `/teams/${teamId}/channels/search`, {
		body: { term },
		itemIndex,
		subject: `team ${teamId}`,
	})) as IDataObject[] | null;
	return channelItems(channels ?? [], simplify);
}
