'use strict';

/**
 * Sample data: an admin, a non-admin bot, two users, two teams, public and private channels and
 * a few posts. The bot belongs to the first team and only some of its channels.
 */
function seed(mm) {
	const admin = mm.createUser({ username: 'admin', first_name: 'Ada', last_name: 'Admin', roles: 'system_user system_admin' });
	const bot = mm.createUser({ username: 'n8n-bot', nickname: 'n8n', is_bot: true, bot_description: 'n8n automation bot' });
	const alice = mm.createUser({ username: 'alice', first_name: 'Alice', last_name: 'Anders', position: 'Engineer' });
	const bob = mm.createUser({ username: 'bob', first_name: 'Bob', last_name: 'Berg', nickname: 'bobby' });

	const team = mm.createTeam({ name: 'test-team', display_name: 'Test Team', description: 'Where the tests happen' });
	const otherTeam = mm.createTeam({ name: 'other-team', display_name: 'Other Team', type: 'I' });

	const channel = (teamId, name, display_name, type = 'O', purpose = '') =>
		mm.createChannel({ team_id: teamId, name, display_name, type, purpose, creator_id: admin.id });
	const townSquare = channel(team.id, 'town-square', 'Town Square');
	const offTopic = channel(team.id, 'off-topic', 'Off-Topic');
	const privateChannel = channel(team.id, 'private-room', 'Private Room', 'P', 'Members only');
	const noBot = channel(team.id, 'no-bots', 'No Bots', 'O', 'A public channel the bot has not joined');
	const otherTownSquare = channel(otherTeam.id, 'town-square', 'Town Square');
	const otherPrivate = channel(otherTeam.id, 'other-private', 'Other Private', 'P');

	mm.addTeamMember(team.id, admin.id, 'team_user team_admin');
	mm.addTeamMember(otherTeam.id, admin.id, 'team_user team_admin');
	for (const user of [bot, alice, bob]) mm.addTeamMember(team.id, user.id);
	mm.addTeamMember(otherTeam.id, alice.id);

	const join = (ch, users) => users.forEach((user) => mm.addChannelMember(ch.id, user.id));
	join(townSquare, [admin, bot, alice, bob]);
	join(offTopic, [admin, bot, alice, bob]);
	join(privateChannel, [admin, alice]);
	join(noBot, [admin, alice, bob]);
	join(otherTownSquare, [admin, alice]);
	join(otherPrivate, [admin, alice]);

	const welcome = mm.createPost({ channel_id: townSquare.id, user_id: admin.id, message: 'Welcome to the test team!' });
	mm.createPost({ channel_id: townSquare.id, user_id: alice.id, message: 'Hello everyone' });
	mm.createPost({ channel_id: townSquare.id, user_id: bob.id, message: 'Thanks, glad to be here', root_id: welcome.id });
	mm.createPost({ channel_id: offTopic.id, user_id: bob.id, message: 'Anyone up for lunch?' });
	mm.createPost({ channel_id: privateChannel.id, user_id: alice.id, message: 'Secret plans' });

	return {
		admin,
		bot,
		alice,
		bob,
		team,
		otherTeam,
		channels: { townSquare, offTopic, private: privateChannel, noBot, otherTownSquare, otherPrivate },
		tokens: { admin: mm.createToken(admin.id), bot: mm.createToken(bot.id), alice: mm.createToken(alice.id) },
	};
}

module.exports = { seed };
