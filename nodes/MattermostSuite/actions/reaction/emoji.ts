import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveUserId } from '../../helpers/resolve';
import { postRLC, userRLC } from '../common.descriptions';
import { currentUserId } from '../message/currentUser';

/** model.Reaction.IsValid: 1 to 64 letters, digits, '_', '-' and '+'. */
const EMOJI_NAME = /^[a-zA-Z0-9_+-]{1,64}$/;

const emojiProperty: INodeProperties = {
	displayName: 'Emoji',
	name: 'emojiName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. thumbsup',
	description: 'The emoji\'s name, with or without colons: thumbsup and :thumbsup: both work. Custom emoji work by their name too.',
};

/** The emoji name as Mattermost stores it: colons stripped, checked before any request. */
export function emojiNameOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = String(ctx.getNodeParameter('emojiName', itemIndex, '') ?? '').trim();
	const name = raw.replace(/^:(.*):$/, '$1').trim();
	if (!EMOJI_NAME.test(name)) {
		throw new NodeOperationError(
			ctx.getNode(),
			name === '' ? 'Emoji is empty' : `Emoji "${raw}" is not an emoji name`,
			{
				description:
					'Give the emoji\'s name as Mattermost shows it in the emoji picker, e.g. thumbsup, white_check_mark or +1: up to 64 letters, digits, _, - and +, no spaces, no emoji characters.',
				itemIndex,
			},
		);
	}
	return name;
}

const reactionUserOption: INodeProperties = {
	...userRLC,
	required: false,
	description: 'Whose reaction it is. Without it: the credential\'s user.',
};

/** The user of Options > User, or the credential's user. */
export async function reactionUserId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { userId?: { value?: unknown } | string };
	const locator = options.userId;
	const value = typeof locator === 'string' ? locator : locator?.value;
	if (value === undefined || value === null || String(value).trim() === '') return await currentUserId(ctx, itemIndex);
	return await resolveUserId(ctx, itemIndex, 'options.userId');
}

/** Post, Emoji and the Options with User, as Add and Remove show them; only the texts differ. */
export function reactionProperties(postDescription: string, userDescription: string): INodeProperties[] {
	return [
		{ ...postRLC, description: postDescription },
		emojiProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [{ ...reactionUserOption, description: userDescription }],
		},
	];
}
