/**
 * "Ignore SSL Issues": against a Mattermost with a self-signed certificate, node operations are
 * refused with an error that names the toggle while it is off, work while it is on, and turning
 * it on for one credential changes nothing for other credentials or for the rest of the process.
 */
import https from 'node:https';
import { NodeApiError } from 'n8n-workflow';

import { byId, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost({ tls: true });

const INSECURE = { ignoreSslIssues: true };

function postTo(channelId: string, message: string) {
	return { resource: 'message', operation: 'post', channelId: byId(channelId), message };
}

/** An https.get with Node's defaults; resolves with the status or rejects with the TLS error. */
function plainHttpsGet(url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		https.get(url, (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		}).on('error', reject);
	});
}

function expectRefusedForCertificate(error: any) {
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.message).toMatch(/^The server's SSL certificate could not be verified \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\): .*"Ignore SSL Issues \(Insecure\)" in the credential$/);
	expect(error.description).toMatch(/self-signed or otherwise untrusted certificate/);
	expect(error.description).toMatch(/turn on "Ignore SSL Issues \(Insecure\)" in the credential/);
	expect(error.context.itemIndex).toBe(0);
}

describe('Ignore SSL Issues against a self-signed Mattermost', () => {
	it('the fake really serves https with a certificate nobody trusts', () => {
		expect(fake.mm.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		expect(fake.mm.certificatePem).toMatch(/BEGIN CERTIFICATE/);
	});

	it('off (the default): a post is refused with an error naming the toggle; nothing reaches the server', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const error = await runNode(mm, postTo(seed.channels.townSquare.id, 'not over an untrusted connection'), {
			token: seed.tokens.bot,
		}).catch((e) => e);
		expectRefusedForCertificate(error);
		// A certificate failure is final: no retries, no request handled.
		expect(mm.requests).toEqual([]);
		expect(mm.postsIn(seed.channels.townSquare.id).map((p: any) => p.message)).not.toContain('not over an untrusted connection');
	});

	it('off: a read (Channel > Get) is refused the same way', async () => {
		const { mm, seed } = fake;
		const error = await runNode(mm, { resource: 'channel', operation: 'get', channelId: byId(seed.channels.townSquare.id) }, {
			token: seed.tokens.bot,
		}).catch((e) => e);
		expectRefusedForCertificate(error);
	});

	it('on: posting, reading and uploading work', async () => {
		const { mm, seed } = fake;
		const channelId = seed.channels.townSquare.id;
		mm.clearRequests();
		const [posted] = await runNode(mm, postTo(channelId, 'over TLS, certificate not checked'), {
			token: seed.tokens.bot,
			credentials: INSECURE,
		});
		expect(posted.json).toMatchObject({ channel_id: channelId, message: 'over TLS, certificate not checked' });
		expect(mm.state.posts.get(posted.json.id)?.message).toBe('over TLS, certificate not checked');

		const [channel] = await runNode(mm, { resource: 'channel', operation: 'get', channelId: byId(channelId) }, {
			token: seed.tokens.bot,
			credentials: INSECURE,
		});
		expect(channel.json).toMatchObject({ id: channelId, name: 'town-square' });

		const content = Buffer.from('sent over TLS');
		const [file] = await runNode(
			mm,
			{ resource: 'file', operation: 'upload', channelId: byId(channelId), binaryPropertyName: 'data' },
			{
				token: seed.tokens.bot,
				credentials: INSECURE,
				items: [
					{
						json: {},
						binary: { data: { data: content.toString('base64'), mimeType: 'text/plain', fileName: 'tls.txt', fileSize: String(content.length) } },
					},
				],
			},
		);
		expect(mm.state.files.get(file.json.id)?.content.equals(content)).toBe(true);
		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual([
			'POST /api/v4/posts',
			`GET /api/v4/channels/${channelId}`,
			'POST /api/v4/files',
		]);
	});

	it('the toggle belongs to its credential: after (and while) one credential ignores the certificate, another still checks it, and so does the process', async () => {
		const { mm, seed } = fake;
		const channelId = seed.channels.offTopic.id;
		await runNode(mm, postTo(channelId, 'insecure credential, first'), { token: seed.tokens.bot, credentials: INSECURE });

		// A second credential (another user's token, toggle off) in the same process.
		const after = await runNode(mm, postTo(channelId, 'checked credential'), { token: seed.tokens.alice }).catch((e) => e);
		expectRefusedForCertificate(after);

		// Both at once: the insecure one succeeds, the checked one is refused.
		const [insecure, checked] = await Promise.all([
			runNode(mm, postTo(channelId, 'insecure credential, concurrent'), { token: seed.tokens.bot, credentials: INSECURE }),
			runNode(mm, postTo(channelId, 'checked credential, concurrent'), { token: seed.tokens.alice }).catch((e) => e),
		]);
		expect(insecure[0].json.message).toBe('insecure credential, concurrent');
		expectRefusedForCertificate(checked);
		const messages = mm.postsIn(channelId).map((p: any) => p.message);
		expect(messages).toEqual(expect.arrayContaining(['insecure credential, first', 'insecure credential, concurrent']));
		expect(messages).not.toContain('checked credential');
		expect(messages).not.toContain('checked credential, concurrent');

		// Nothing process-wide was switched off.
		expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
		const fetchError = await fetch(`${mm.url}/api/v4/system/ping`).catch((e) => e);
		// Node's fetch lives in another realm than Jest's globals: compare by name.
		expect(fetchError?.name).toBe('TypeError');
		expect(fetchError.message).toBe('fetch failed');
		expect(String(fetchError.cause?.code ?? fetchError.cause?.message)).toMatch(/SELF_SIGNED|self-signed/i);
		const httpsError = await plainHttpsGet(`${mm.url}/api/v4/system/ping`).catch((e) => e);
		expect(httpsError.code).toMatch(/SELF_SIGNED/);
	});
});
