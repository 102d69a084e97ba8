import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveUserId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, userRLC } from '../common.descriptions';

const properties: INodeProperties[] = [userRLC];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['getStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const userId = await resolveUserId(this, itemIndex);
	const status = (await mattermostApiRequest.call(this, 'GET', `/users/${userId}/status`, {
		itemIndex,
		subject: `user ${userId}`,
	})) as IDataObject;
	return [{ json: status }];
}
