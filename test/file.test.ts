import { createHash } from 'node:crypto';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import { fileNameFromContentDisposition } from '../nodes/MattermostSuite/helpers/files';
import { executeNode } from './harness';
import { byId, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const file = (operation: string, parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'file',
	operation,
	...parameters,
});

/** A binary property kept in the item itself (base64), as small test inputs may be. */
function inlineBinary(content: Buffer, fileName: string, mimeType: string) {
	return { data: content.toString('base64'), mimeType, fileName, fileSize: String(content.length) };
}

function requestsSince(mark: number): string[] {
	return fake.mm.requests.slice(mark).map((r: any) => `${r.method} ${r.path}`);
}

async function failure(parameters: INodeParameters, token: string, items?: INodeExecutionData[]) {
	const mark = fake.mm.requests.length;
	const error = await runNode(fake.mm, parameters, { token, items }).catch((e) => e);
	expect(error).toBeInstanceOf(Error);
	return { error, sent: requestsSince(mark) };
}

describe('File > Upload', () => {
	it('uploads several binary properties in ONE multipart request, channel_id first; one item per file, in input order', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const report = Buffer.from('quarterly numbers\n');
		const pdf = Buffer.from('%PDF-1.4 not really');
		const items = [
			{
				json: {},
				binary: {
					data: inlineBinary(report, 'report.txt', 'text/plain'),
					scan: inlineBinary(pdf, 'Überblick "2025".pdf', 'application/pdf'),
				},
			},
		];
		const mark = mm.requests.length;
		const out = await runNode(
			mm,
			file('upload', { channelId: byId(channel.id), binaryPropertyName: 'scan, data' }),
			{ token: seed.tokens.bot, items },
		);
		expect(requestsSince(mark)).toEqual(['POST /api/v4/files']);
		const sent = mm.requests.at(-1);
		expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=\S+$/);
		expect(sent.body.order).toEqual(['channel_id', 'files', 'files']);
		expect(sent.body.fields).toEqual({ channel_id: [channel.id] });
		expect(sent.body.files).toEqual([
			{ field: 'files', filename: 'Überblick "2025".pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
			{ field: 'files', filename: 'report.txt', contentType: 'text/plain', size: report.length, sha256: sha256(report) },
		]);

		expect(out.map((i) => i.json.name)).toEqual(['Überblick "2025".pdf', 'report.txt']);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		for (const [item, content] of [[out[0], pdf], [out[1], report]] as const) {
			const stored = mm.state.files.get(item.json.id);
			expect(stored).toMatchObject({ channel_id: channel.id, user_id: seed.bot.id, post_id: '', size: content.length });
			expect(sha256(stored.content)).toBe(sha256(content));
			expect(item.json).toMatchObject({ id: stored.id, name: stored.name, size: content.length, mime_type: stored.mime_type });
		}
	});

	it('the uploaded ids attach to a post', async () => {
		const { mm, seed } = fake;
		const [uploaded] = await runNode(mm, file('upload', { channelId: byId(seed.channels.offTopic.id) }), {
			token: seed.tokens.bot,
			items: [{ json: {}, binary: { data: inlineBinary(Buffer.from('a,b\n1,2\n'), 'table.csv', 'text/csv') } }],
		});
		expect(uploaded.json.id).toMatch(/^[a-z0-9]{26}$/);
		const post = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bot.id, message: 'see file', file_ids: [uploaded.json.id] });
		expect(post.file_ids).toEqual([uploaded.json.id]);
		expect(mm.state.files.get(uploaded.json.id).post_id).toBe(post.id);
	});

	it('one request per input item, each with its own channel (by URL, from an expression)', async () => {
		const { mm, seed } = fake;
		const mark = mm.requests.length;
		const out = await runNode(
			mm,
			file('upload', {
				channelId: { __rl: true, mode: 'url', value: `={{ "${mm.url}/${seed.team.name}/channels/" + $json.channel }}` },
			}),
			{
				token: seed.tokens.bot,
				items: [
					{ json: { channel: 'off-topic' }, binary: { data: inlineBinary(Buffer.from('one'), 'one.txt', 'text/plain') } },
					{ json: { channel: 'town-square' }, binary: { data: inlineBinary(Buffer.from('two'), 'two.txt', 'text/plain') } },
				],
			},
		);
		expect(requestsSince(mark).filter((r) => r === 'POST /api/v4/files')).toHaveLength(2);
		expect(out.map((i) => [i.json.name, i.json.channel_id, i.pairedItem])).toEqual([
			['one.txt', seed.channels.offTopic.id, { item: 0 }],
			['two.txt', seed.channels.townSquare.id, { item: 1 }],
		]);
	});

	it('refuses a missing property (naming those the item has), an item without binary data and an empty file before any request', async () => {
		const { seed } = fake;
		const channelId = byId(seed.channels.townSquare.id);
		const items = [{ json: {}, binary: { data: inlineBinary(Buffer.from('x'), 'x.txt', 'text/plain'), photo: inlineBinary(Buffer.from('y'), 'y.png', 'image/png') } }];
		const missing = await failure(file('upload', { channelId, binaryPropertyName: 'data, attachment' }), seed.tokens.bot, items);
		expect(missing.error.message).toBe('The input item has no binary property "attachment"');
		expect(missing.error.description).toBe('Its binary properties are: "data", "photo". Enter one of these names as the binary field to upload.');
		expect(missing.sent).toEqual([]);

		const none = await failure(file('upload', { channelId }), seed.tokens.bot, [{ json: { a: 1 } }]);
		expect(none.error.message).toBe('The input item has no binary property "data"');
		expect(none.error.description).toMatch(/carries no binary data at all/);
		expect(none.sent).toEqual([]);

		const empty = await failure(file('upload', { channelId }), seed.tokens.bot, [
			{ json: {}, binary: { data: inlineBinary(Buffer.alloc(0), 'empty.txt', 'text/plain') } },
		]);
		expect(empty.error.message).toBe('The file "empty.txt" in binary property "data" is empty');
		expect(empty.sent).toEqual([]);

		const badChannel = await failure(file('upload', { channelId: byId('town-square') }), seed.tokens.bot, items);
		expect(badChannel.error.message).toBe('Channel "town-square" is not a Mattermost ID');
		expect(badChannel.sent).toEqual([]);
	});

	it('a channel the token\'s user is not in: the server\'s 403, nothing stored', async () => {
		const { mm, seed } = fake;
		const before = mm.state.files.size;
		const { error, sent } = await failure(file('upload', { channelId: byId(seed.channels.noBot.id) }), seed.tokens.bot, [
			{ json: {}, binary: { data: inlineBinary(Buffer.from('x'), 'x.txt', 'text/plain') } },
		]);
		expect(error.httpCode).toBe('403');
		expect(sent).toEqual(['POST /api/v4/files']);
		expect(mm.state.files.size).toBe(before);
	});
});

describe('File > Get Info', () => {
	it('returns the file info', async () => {
		const { mm, seed } = fake;
		const stored = mm.createFile({ user_id: seed.bot.id, channel_id: seed.channels.townSquare.id, name: 'notes.md', content: '# Notes' });
		const [item] = await runNode(mm, file('getInfo', { fileId: stored.id }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1)).toMatchObject({ method: 'GET', path: `/api/v4/files/${stored.id}/info` });
		expect(item.json).toEqual(stored);
		expect(item.json).not.toHaveProperty('content');
	});

	it('checks the ID before any request (an API address holding one is accepted); a missing file names it', async () => {
		const { mm, seed } = fake;
		const bad = await failure(file('getInfo', { fileId: 'report.pdf' }), seed.tokens.bot);
		expect(bad.error.message).toBe('File ID "report.pdf" is not a Mattermost ID');
		expect(bad.sent).toEqual([]);

		const stored = mm.createFile({ user_id: seed.bot.id, channel_id: seed.channels.townSquare.id, name: 'a.txt', content: 'a' });
		const [item] = await runNode(mm, file('getInfo', { fileId: `${mm.url}/api/v4/files/${stored.id}?download=1` }), { token: seed.tokens.bot });
		expect(item.json.id).toBe(stored.id);

		const missing = 'm'.repeat(26);
		const notFound = await failure(file('getInfo', { fileId: missing }), seed.tokens.bot);
		expect(notFound.error.httpCode).toBe('404');
		expect(notFound.error.description).toContain(`file ${missing}`);
	});
});

describe('File > Download', () => {
	it('puts the file into the binary property with its real name and MIME type; json is the file info', async () => {
		const { mm, seed } = fake;
		const content = Buffer.from('<html><body>Report: 100% "done"</body></html>');
		const stored = mm.createFile({ user_id: seed.bot.id, channel_id: seed.channels.townSquare.id, name: 'Bericht März (final).html', content });
		const mark = mm.requests.length;
		const [item] = await runNode(mm, file('download', { fileId: stored.id, binaryPropertyName: 'report' }), { token: seed.tokens.bot });
		expect(requestsSince(mark)).toEqual([`GET /api/v4/files/${stored.id}/info`, `GET /api/v4/files/${stored.id}`]);
		expect(item.json).toEqual(stored);
		// The server serves HTML as text/plain; the file info keeps the real type.
		expect(item.binary?.report).toMatchObject({ fileName: 'Bericht März (final).html', mimeType: 'text/html; charset=utf-8' });
		expect(Object.keys(item.binary ?? {})).toEqual(['report']);
		const { data } = await downloadedBytes(item, 'report');
		expect(data.equals(content)).toBe(true);
	});

	it('a missing file fails before the download; a bad ID before any request', async () => {
		const { seed } = fake;
		const missing = 'q'.repeat(26);
		const notFound = await failure(file('download', { fileId: missing }), seed.tokens.bot);
		expect(notFound.error.httpCode).toBe('404');
		expect(notFound.sent).toEqual([`GET /api/v4/files/${missing}/info`]);
		const bad = await failure(file('download', { fileId: 'Q'.repeat(26) }), seed.tokens.bot);
		expect(bad.error.message).toMatch(/is not a Mattermost ID/);
		expect(bad.sent).toEqual([]);
	});

	it('reads file names out of Content-Disposition as Mattermost writes them', () => {
		expect(fileNameFromContentDisposition(`attachment;filename="a%20b.txt"; filename*=UTF-8''a%20b.txt`)).toBe('a b.txt');
		expect(fileNameFromContentDisposition('inline; filename="plain.png"')).toBe('plain.png');
		expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''%C3%9Cber%27s%3Bx.pdf`)).toBe('Über\'s;x.pdf');
		expect(fileNameFromContentDisposition('attachment')).toBeUndefined();
		expect(fileNameFromContentDisposition(undefined)).toBeUndefined();
	});
});

describe('File > Get Public Link', () => {
	it('returns a link that opens the file without logging in', async () => {
		const { mm, seed } = fake;
		const content = Buffer.from('public data');
		const stored = mm.createFile({ user_id: seed.bot.id, channel_id: seed.channels.townSquare.id, name: 'share.txt', content });
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bot.id, message: 'shared', file_ids: [stored.id] });
		const [item] = await runNode(mm, file('getPublicLink', { fileId: stored.id }), { token: seed.tokens.bot });
		expect(mm.requests.at(-1)).toMatchObject({ method: 'GET', path: `/api/v4/files/${stored.id}/link` });
		expect(item.json).toEqual({ id: stored.id, link: expect.stringMatching(new RegExp(`^${mm.url}/files/${stored.id}/public\\?h=`)) });
		const opened = await fetch(String(item.json.link));
		expect(opened.status).toBe(200);
		expect(Buffer.from(await opened.arrayBuffer()).equals(content)).toBe(true);
	});

	it('public links off: the server\'s message plus what the admin must enable; a file on no post: says to post it', async () => {
		const { mm, seed } = fake;
		const stored = mm.createFile({ user_id: seed.bot.id, channel_id: seed.channels.townSquare.id, name: 'loose.txt', content: 'x' });
		const loose = await failure(file('getPublicLink', { fileId: stored.id }), seed.tokens.bot);
		expect(loose.error.httpCode).toBe('400');
		expect(loose.error.description).toMatch(/only for files attached to a post/);

		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bot.id, message: 'x', file_ids: [stored.id] });
		mm.config.enablePublicLink = false;
		try {
			const off = await failure(file('getPublicLink', { fileId: stored.id }), seed.tokens.bot);
			expect(off.error.httpCode).toBe('403');
			expect(off.error.message).toBe('Public links have been disabled.');
			expect(off.error.description).toMatch(/ask a Mattermost admin to enable FileSettings\.EnablePublicLink/i);
			expect(off.error.description).toMatch(/Mattermost request ID: [a-z0-9]+/);

			mm.addFault({ method: 'GET', path: `/api/v4/files/${stored.id}/link`, status: 501 });
			const unlicensed = await failure(file('getPublicLink', { fileId: stored.id }), seed.tokens.bot);
			expect(unlicensed.error.httpCode).toBe('501');
			expect(unlicensed.error.description).toMatch(/enable FileSettings\.EnablePublicLink/);
		} finally {
			mm.config.enablePublicLink = true;
			mm.clearFaults();
		}
	});
});

/** The bytes of a binary property of an output item, read back through n8n's binary data service. */
async function downloadedBytes(item: INodeExecutionData, property: string) {
	const reader: INodeType = {
		description: {
			displayName: 'Binary Reader',
			name: 'binaryReader',
			group: ['transform'],
			version: 1,
			description: 'Reads a binary property',
			defaults: { name: 'Binary Reader' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const data = await this.helpers.getBinaryDataBuffer(0, property);
			return [[{ json: { base64: data.toString('base64') } }]];
		},
	};
	const { output } = await executeNode({ nodeType: reader, parameters: {}, items: [item] });
	return { data: Buffer.from(String(output[0][0].json.base64), 'base64') };
}
