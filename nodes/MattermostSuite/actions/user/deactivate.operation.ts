import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, userRLC } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		...userRLC,
		description: 'The user to deactivate. Their account is archived and their sessions end; an admin can reactivate it.',
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['deactivate'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const userId = await resolveUserId(this, itemIndex);
	await mattermostApiRequest.call(this, 'DELETE', `/users/${userId}`, { itemIndex, subject: `user ${userId}` });
	return [{ json: { deactivated: true, id: userId } }];
}
