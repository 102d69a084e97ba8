import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolvePostId } from '../../helpers/resolve';
import { simplifyPost } from '../../helpers/simplify';
import { mattermostApiRequest, postsOf, type PostList } from '../../transport';
import { postRLC, showOnlyFor, simplifyProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	{ ...postRLC, description: 'Any post of the thread: its root post or one of the replies' },
	simplifyProperty,
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['getThread'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	// Without paging parameters the server answers the whole thread at once.
	const list = (await mattermostApiRequest.call(this, 'GET', `/posts/${postId}/thread`, {
		itemIndex,
		subject: `post ${postId}`,
	})) as PostList;
	const posts = postsOf(list).sort((a, b) => Number(a.create_at ?? 0) - Number(b.create_at ?? 0));
	return posts.map((post) => ({ json: simplify ? simplifyPost(post) : post }));
}
