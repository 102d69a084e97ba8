import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolvePostId } from '../../helpers/resolve';
import { simplifyPost } from '../../helpers/simplify';
import { mattermostApiRequest } from '../../transport';
import { postRLC, showOnlyFor, simplifyProperty } from '../common.descriptions';

const properties: INodeProperties[] = [{ ...postRLC, description: 'The post to get' }, simplifyProperty];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const post = (await mattermostApiRequest.call(this, 'GET', `/posts/${postId}`, {
		itemIndex,
		subject: `post ${postId}`,
	})) as IDataObject;
	return [{ json: simplify ? simplifyPost(post) : post }];
}
