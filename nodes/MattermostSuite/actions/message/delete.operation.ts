import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolvePostId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { postRLC, showOnlyFor } from '../common.descriptions';

const properties: INodeProperties[] = [
	{ ...postRLC, description: 'The post to delete; deleting a root post deletes its replies too' },
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(this, itemIndex);
	await mattermostApiRequest.call(this, 'DELETE', `/posts/${postId}`, { itemIndex, subject: `post ${postId}` });
	return [{ json: { deleted: true, id: postId } }];
}
