import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolvePostId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor } from '../common.descriptions';
import { emojiNameOf, reactionProperties, reactionUserId } from './emoji';

const properties: INodeProperties[] = reactionProperties(
	'The post to remove the reaction from',
	'Whose reaction to remove. Without it: the credential\'s user. Removing another user\'s reaction needs the remove_others_reactions permission (system admins).',
);

export const description = showOnlyFor(
	{ show: { resource: ['reaction'], operation: ['remove'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(this, itemIndex);
	const emojiName = emojiNameOf(this, itemIndex);
	const userId = await reactionUserId(this, itemIndex);
	// Removing a reaction that is not there succeeds too, as on the server.
	await mattermostApiRequest.call(
		this,
		'DELETE',
		`/users/${userId}/posts/${postId}/reactions/${encodeURIComponent(emojiName)}`,
		{ itemIndex, subject: `post ${postId}` },
	);
	return [{ json: { deleted: true, post_id: postId, user_id: userId, emoji_name: emojiName } }];
}
