import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';

/** Ids per `POST /users/ids` call: one page of members, well under what the server accepts. */
export const USER_IDS_PER_REQUEST = 200;

export const membersOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Resolve Users',
			name: 'resolveUsers',
			type: 'boolean',
			default: false,
			description:
				'Whether to add each member\'s user (username, name, email, …) as "user", fetched 200 members at a time',
		},
	],
};

/** Adds `user` (the user record, or null for a user that no longer exists) to each member. */
export async function withUsers(
	ctx: IExecuteFunctions,
	members: IDataObject[],
	itemIndex: number,
): Promise<IDataObject[]> {
	const ids = [...new Set(members.map((member) => member.user_id).filter((id): id is string => typeof id === 'string'))];
	const users = new Map<string, IDataObject>();
	for (let start = 0; start < ids.length; start += USER_IDS_PER_REQUEST) {
		const batch = ids.slice(start, start + USER_IDS_PER_REQUEST);
		const found = (await mattermostApiRequest.call(ctx, 'POST', '/users/ids', {
			body: batch,
			itemIndex,
			subject: 'users of these members',
		})) as IDataObject[] | null;
		for (const user of found ?? []) users.set(user.id as string, user);
	}
	return members.map((member) => ({ ...member, user: users.get(member.user_id as string) ?? null }));
}
