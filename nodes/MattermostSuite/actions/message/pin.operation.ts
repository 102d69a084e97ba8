import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolvePostId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { postRLC, showOnlyFor } from '../common.descriptions';

const properties: INodeProperties[] = [{ ...postRLC, description: 'The post to pin to its channel' }];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['pin'] } },
	properties,
);

/** Pin and Unpin: the same request to `/pin` or `/unpin`. */
export async function setPinned(
	ctx: IExecuteFunctions,
	itemIndex: number,
	pinned: boolean,
): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(ctx, itemIndex);
	await mattermostApiRequest.call(ctx, 'POST', `/posts/${postId}/${pinned ? 'pin' : 'unpin'}`, {
		itemIndex,
		subject: `post ${postId}`,
	});
	return [{ json: { pinned, id: postId } }];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await setPinned(this, itemIndex, true);
}
