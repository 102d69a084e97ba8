import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, userRLC } from '../common.descriptions';
import { dateParameter } from './shared';

const STATUSES = ['online', 'away', 'dnd', 'offline'];

const properties: INodeProperties[] = [
	{ ...userRLC, description: 'Whose status to set: the credential\'s own user, or anyone for an admin' },
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Away', value: 'away' },
			{ name: 'Do Not Disturb', value: 'dnd' },
			{ name: 'Offline', value: 'offline' },
			{ name: 'Online', value: 'online', description: 'Also hands the status back to Mattermost\'s automatic updates' },
		],
		default: 'online',
		description: 'A status set here stays until it is set again (Online returns it to automatic)',
	},
	{
		displayName: 'Do Not Disturb Until',
		name: 'dndEndTime',
		type: 'dateTime',
		default: '',
		description: 'When Do Not Disturb ends by itself (to the minute). Leave empty to keep it until changed.',
		displayOptions: { show: { status: ['dnd'] } },
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['setStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const status = String(this.getNodeParameter('status', itemIndex, 'online'));
	if (!STATUSES.includes(status)) {
		throw new NodeOperationError(this.getNode(), `Status "${status}" is not a Mattermost status`, {
			description: 'Use online, away, dnd (Do Not Disturb) or offline.',
			itemIndex,
		});
	}
	let dndEndTime: number | undefined;
	if (status === 'dnd') {
		const until = this.getNodeParameter('dndEndTime', itemIndex, '');
		if (until !== '' && until !== null && until !== undefined) {
			const ms = dateParameter(this, until, 'Do Not Disturb Until', itemIndex);
			if (ms <= Date.now()) {
				throw new NodeOperationError(this.getNode(), `Do Not Disturb Until (${new Date(ms).toISOString()}) is in the past`, {
					description: 'Give a time in the future, or leave the field empty to keep Do Not Disturb until it is changed.',
					itemIndex,
				});
			}
			dndEndTime = Math.floor(ms / 1000);
		}
	}
	const userId = await resolveUserId(this, itemIndex);
	const body: IDataObject = { user_id: userId, status };
	if (dndEndTime !== undefined) body.dnd_end_time = dndEndTime;
	const result = (await mattermostApiRequest.call(this, 'PUT', `/users/${userId}/status`, {
		body,
		itemIndex,
		subject: `user ${userId}`,
	})) as IDataObject;
	return [{ json: result }];
}
