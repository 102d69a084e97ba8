import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { showOnlyFor, simplifyProperty, userRLC } from '../common.descriptions';
import { fetchUser, userOutput } from './shared';

const properties: INodeProperties[] = [userRLC, simplifyProperty];

export const description = showOnlyFor(
	{ show: { resource: ['user'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const user = await fetchUser(this, itemIndex);
	return [{ json: userOutput(this, itemIndex, user) }];
}
