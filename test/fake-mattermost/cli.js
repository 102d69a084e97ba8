#!/usr/bin/env node
'use strict';
// Standalone fake Mattermost for out-of-process tests:
//   node test/fake-mattermost/cli.js [--port 8065] [--tls] [--subpath /x] [--developer-mode]
// Prints one JSON line (url, tokens, ids) and serves until SIGINT/SIGTERM.
const { FakeMattermost } = require('./index');

function parseArgs(argv) {
	const options = { port: 0, tls: false, subpath: '', developerMode: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inlineValue] = arg.split(/=(.*)/s);
		const value = () => (inlineValue !== undefined ? inlineValue : argv[++i]);
		if (flag === '--port') options.port = Number(value());
		else if (flag === '--subpath') options.subpath = value();
		else if (flag === '--tls') options.tls = true;
		else if (flag === '--developer-mode') options.developerMode = true;
		else throw new Error(`unknown argument ${arg}`);
	}
	if (!Number.isInteger(options.port) || options.port < 0) throw new Error('--port needs a number');
	return options;
}

async function main() {
	const { port, ...options } = parseArgs(process.argv.slice(2));
	const mm = new FakeMattermost(options);
	const url = await mm.start(port);
	const seeded = mm.seed();
	const ids = (records) => Object.fromEntries(Object.entries(records).map(([name, record]) => [name, record.id]));
	const summary = {
		url,
		apiUrl: `${url}/api/v4`,
		tokens: seeded.tokens,
		teamId: seeded.team.id,
		otherTeamId: seeded.otherTeam.id,
		channels: ids(seeded.channels),
		users: ids({ admin: seeded.admin, bot: seeded.bot, alice: seeded.alice, bob: seeded.bob }),
	};
	if (options.tls) summary.certificatePem = mm.certificatePem;
	process.stdout.write(`${JSON.stringify(summary)}\n`);

	const shutdown = async () => {
		await mm.stop();
		process.exit(0);
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

main().catch((error) => {
	process.stderr.write(`fake-mattermost: ${error.message}\n`);
	process.exit(1);
});
