import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, teamRLC } from '../common.descriptions';
import {
	assertChannelName,
	assertChannelText,
	assertDisplayName,
	channelNameFromDisplayName,
} from './shared';

const TYPES: Record<string, 'O' | 'P'> = { public: 'O', private: 'P', o: 'O', p: 'P' };

const properties: INodeProperties[] = [
	{ ...teamRLC, description: 'The team to create the channel in' },
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Release Notes',
		description: 'The name people see, up to 64 characters',
	},
	{
		displayName: 'Name',
		name: 'channelName',
		type: 'string',
		default: '',
		placeholder: 'e.g. release-notes',
		description:
			'The URL name: 1 to 64 lowercase letters, digits, "-" and "_", unique in the team. Empty: made from the display name ("Release Notes" becomes release-notes).',
	},
	{
		displayName: 'Type',
		name: 'channelType',
		type: 'options',
		options: [
			{ name: 'Private', value: 'private', description: 'Only invited members can see and join it' },
			{ name: 'Public', value: 'public', description: 'Every member of the team can find and join it' },
		],
		default: 'public',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Header',
				name: 'header',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Markdown shown at the top of the channel, up to 1024 characters',
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
	{ show: { resource: ['channel'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const displayName = assertDisplayName(this, this.getNodeParameter('displayName', itemIndex, ''), itemIndex);
	const givenName = String(this.getNodeParameter('channelName', itemIndex, '') ?? '').trim();
	let name: string;
	if (givenName !== '') {
		name = assertChannelName(this, givenName, itemIndex);
	} else {
		name = channelNameFromDisplayName(displayName);
		if (name === '') {
			throw new NodeOperationError(this.getNode(), `No channel name can be made from the display name "${displayName}"`, {
				description: 'Enter a Name: 1 to 64 lowercase letters, digits, "-" and "_", e.g. release-notes.',
				itemIndex,
			});
		}
	}
	const typeValue = String(this.getNodeParameter('channelType', itemIndex, 'public') ?? '').trim().toLowerCase();
	const type = TYPES[typeValue];
	if (!type) {
		throw new NodeOperationError(this.getNode(), `Type "${typeValue}" is not a channel type`, {
			description: 'Use "public" or "private".',
			itemIndex,
		});
	}
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { team_id: '', name, display_name: displayName, type };
	if (additionalFields.purpose !== undefined) {
		body.purpose = assertChannelText(this, additionalFields.purpose, 'Purpose', itemIndex);
	}
	if (additionalFields.header !== undefined) {
		body.header = assertChannelText(this, additionalFields.header, 'Header', itemIndex);
	}

	body.team_id = await resolveTeamId(this, itemIndex);
	const channel = await mattermostApiRequest.call(this, 'POST', '/channels', {
		body,
		itemIndex,
		subject: `team ${String(body.team_id)}`,
	});
	return [{ json: channel as IDataObject }];
}
