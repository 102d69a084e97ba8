import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, userRLC } from '../common.descriptions';

const properties: INodeProperties[] = [
	{ ...userRLC, description: 'Whose custom status to clear: the credential\'s own user, or anyone for an admin' },
];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['clearCustomStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const userId = await resolveUserId(this, itemIndex);
	await mattermostApiRequest.call(this, 'DELETE', `/users/${userId}/status/custom`, {
		itemIndex,
		subject: `user ${userId}`,
	});
	return [{ json: { cleared: true, user_id: userId } }];
}
