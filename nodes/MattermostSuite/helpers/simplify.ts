import type { IDataObject } from 'n8n-workflow';

function pick(source: IDataObject, keys: string[]): IDataObject {
	const result: IDataObject = {};
	for (const key of keys) if (source[key] !== undefined) result[key] = source[key];
	return result;
}

const iso = (ms: unknown) => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : undefined);

export function simplifyPost(post: IDataObject): IDataObject {
	return {
		...pick(post, ['id', 'channel_id', 'user_id', 'root_id', 'message', 'type', 'is_pinned', 'file_ids', 'reply_count']),
		created_at: iso(post.create_at),
		edited_at: iso(post.edit_at),
		attachments: (post.props as IDataObject | undefined)?.attachments,
	};
}

export function simplifyUser(user: IDataObject): IDataObject {
	return {
		...pick(user, ['id', 'username', 'email', 'first_name', 'last_name', 'nickname', 'position', 'roles', 'locale', 'is_bot']),
		active: !user.delete_at,
		created_at: iso(user.create_at),
	};
}

export function simplifyChannel(channel: IDataObject): IDataObject {
	return {
		...pick(channel, ['id', 'team_id', 'name', 'display_name', 'type', 'purpose', 'header', 'creator_id', 'total_msg_count']),
		archived: !!channel.delete_at,
		created_at: iso(channel.create_at),
		last_post_at: iso(channel.last_post_at),
	};
}

export function simplifyTeam(team: IDataObject): IDataObject {
	return {
		...pick(team, ['id', 'name', 'display_name', 'description', 'type', 'email', 'allow_open_invite']),
		archived: !!team.delete_at,
		created_at: iso(team.create_at),
	};
}
