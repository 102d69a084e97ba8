import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, simplifyProperty } from '../common.descriptions';
import { userOutput } from './shared';

const properties: INodeProperties[] = [simplifyProperty];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['getMe'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const user = (await mattermostApiRequest.call(this, 'GET', '/users/me', { itemIndex })) as IDataObject;
	return [{ json: userOutput(this, itemIndex, user) }];
}
