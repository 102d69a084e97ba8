import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor } from '../common.descriptions';
import { assertChannelName, assertChannelText, assertDisplayName, resolveChannelIdIncludingArchived } from './shared';

const properties: INodeProperties[] = [
	channelRLC,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here are changed; a Header or Purpose left empty is cleared',
		options: [
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Release Notes',
				description: 'The name people see, up to 64 characters',
			},
			{
				displayName: 'Header',
				name: 'header',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Markdown shown at the top of the channel, up to 1024 characters',
			},
			{
				displayName: 'Name',
				name: 'channelName',
				type: 'string',
				default: '',
				placeholder: 'e.g. release-notes',
				description:
					'The URL name: 1 to 64 lowercase letters, digits, "-" and "_", unique in the team. Changing it changes the channel\'s URL.',
			},
			{
				displayName: 'Purpose',
				name: 'purpose',
				type: 'string',
				default: '',
				description: 'What the channel is for, up to 250 characters',
			},
		],
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['channel'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const patch: IDataObject = {};
	if (fields.displayName !== undefined) patch.display_name = assertDisplayName(this, fields.displayName, itemIndex);
	if (fields.channelName !== undefined) patch.name = assertChannelName(this, fields.channelName, itemIndex);
	if (fields.purpose !== undefined) patch.purpose = assertChannelText(this, fields.purpose, 'Purpose', itemIndex);
	if (fields.header !== undefined) patch.header = assertChannelText(this, fields.header, 'Header', itemIndex);
	if (Object.keys(patch).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Update Fields is empty: nothing to change', {
			description: 'Add at least one field to change under Update Fields (Display Name, Header, Name or Purpose).',
			itemIndex,
		});
	}

	const channelId = await resolveChannelIdIncludingArchived(this, itemIndex);
	const channel = await mattermostApiRequest.call(this, 'PUT', `/channels/${channelId}/patch`, {
		body: patch,
		itemIndex,
		subject: `channel ${channelId}`,
	});
	return [{ json: channel as IDataObject }];
}
