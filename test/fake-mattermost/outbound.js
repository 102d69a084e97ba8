'use strict';
const { newId } = require('./ids');

// OutgoingIntegrationRequestsTimeout and MaxIntegrationResponseSize of the real server.
const INTEGRATION_TIMEOUT_MS = 30000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Calls the server makes to integrations: outgoing webhooks fired by new posts and slash command
 * requests. Unlike the real server the fake allows loopback targets (its tests live there).
 * Every call is logged in `calls`; `settled()` waits for those in flight, stop() aborts them.
 */
class OutboundCalls {
	constructor(mm) {
		this.mm = mm;
		this.calls = [];
		this.inFlight = new Set();
		this.controllers = new Set();
	}

	/** Fires the outgoing webhooks a new post triggers, like App.handleWebhookEvents. */
	postCreated(post) {
		const { state, config } = this.mm;
		if (!config.enableOutgoingWebhooks || !config.deliverOutgoingWebhooks) return;
		const channel = state.channels.get(post.channel_id);
		if (!channel || channel.type !== 'O' || post.type) return;
		const team = state.teams.get(channel.team_id);
		const user = state.users.get(post.user_id);
		const firstWord = post.message.trim().split(/\s+/)[0] || '';
		for (const hook of state.hooks.values()) {
			if (hook.delete_at !== 0 || hook.team_id !== channel.team_id) continue;
			if (hook.channel_id && hook.channel_id !== channel.id) continue;
			const triggerWord = matchTriggerWord(hook, channel, firstWord);
			if (triggerWord === null) continue;
			const payload = {
				token: hook.token,
				team_id: team.id,
				team_domain: team.name,
				channel_id: channel.id,
				channel_name: channel.name,
				timestamp: post.create_at,
				user_id: post.user_id,
				user_name: user ? user.username : '',
				post_id: post.id,
				text: post.message,
				trigger_word: triggerWord,
				file_ids: post.file_ids.join(','),
			};
			for (const url of hook.callback_urls) this.track(this.deliverHook(hook, url, payload, post));
		}
	}

	async deliverHook(hook, url, payload, post) {
		const json = hook.content_type === 'application/json';
		// The form encoding carries the timestamp in seconds, JSON in milliseconds.
		const body = json
			? JSON.stringify(payload)
			: new URLSearchParams({ ...payload, timestamp: String(Math.floor(payload.timestamp / 1000)) }).toString();
		const call = await this.request('outgoing_webhook', hook.id, url, {
			method: 'POST',
			headers: { 'Content-Type': hook.content_type, Accept: 'application/json' },
			body,
		});
		const reply = call.status === 200 ? parseJsonObject(call.responseText) : null;
		if (!reply || (!reply.text && !reply.attachments)) return;
		const commentOn = reply.response_type === 'comment' ? post.root_id || post.id : '';
		this.createIntegrationPost({ user_id: hook.creator_id, channel_id: post.channel_id, root_id: commentOn }, reply);
	}

	/**
	 * Runs a custom slash command like App.ExecuteCommand: POST (form) or GET (query) to its URL,
	 * answered by a CommandResponse. Returns the response the API hands back.
	 */
	async executeCommand(command, { user, channel, team, text, rootId }) {
		const callbackId = newId();
		this.mm.state.commandWebhooks.set(callbackId, {
			id: callbackId,
			command_id: command.id,
			user_id: user.id,
			channel_id: channel.id,
			root_id: rootId,
			uses: 0,
			create_at: Date.now(),
		});
		const fields = new URLSearchParams({
			channel_id: channel.id,
			channel_name: channel.name,
			command: `/${command.trigger}`,
			response_url: `${this.mm.url}/hooks/commands/${callbackId}`,
			root_id: rootId,
			team_domain: team.name,
			team_id: team.id,
			text,
			token: command.token,
			trigger_id: newId(),
			user_id: user.id,
			user_name: user.username,
		});
		const headers = { Accept: 'application/json', Authorization: `Token ${command.token}` };
		const isPost = command.method === 'P';
		const target = isPost ? command.url : `${command.url}${command.url.includes('?') ? '&' : '?'}${fields}`;
		const call = await this.track(
			this.request('command', command.id, target, {
				method: isPost ? 'POST' : 'GET',
				headers: isPost ? { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' } : headers,
				body: isPost ? fields.toString() : undefined,
			}),
		);
		if (call.status !== 200) return null;
		const response = /^application\/json/i.test(call.responseContentType)
			? parseJsonObject(call.responseText) || {}
			: { text: call.responseText };
		this.applyCommandResponse(response, { userId: user.id, channelId: response.channel_id || channel.id, rootId });
		return response;
	}

	/** in_channel responses become posts; ephemeral ones (the default) are only shown to the user. */
	applyCommandResponse(response, { userId, channelId, rootId }) {
		if (!response.text && !response.attachments) return;
		if (response.response_type === 'in_channel') {
			this.createIntegrationPost({ user_id: userId, channel_id: channelId, root_id: rootId }, response);
		} else {
			this.mm.state.ephemeralPosts.push({ user_id: userId, post: { channel_id: channelId, message: response.text || '', props: { attachments: response.attachments } } });
		}
	}

	createIntegrationPost(target, reply) {
		const props = { ...(reply.props || {}), from_webhook: 'true' };
		if (reply.attachments) props.attachments = reply.attachments;
		// Posts made by integrations never trigger outgoing webhooks again (TriggerWebhooks: false).
		return this.mm.state.createPost({ ...target, message: reply.text || '', props, type: reply.type || '' });
	}

	async request(kind, sourceId, url, init) {
		const call = { kind, source_id: sourceId, url, method: init.method, headers: init.headers, body: init.body, time: Date.now() };
		this.calls.push(call);
		const controller = new AbortController();
		this.controllers.add(controller);
		const timeout = setTimeout(() => controller.abort(), INTEGRATION_TIMEOUT_MS);
		timeout.unref();
		try {
			const response = await fetch(url, { ...init, signal: controller.signal });
			const text = Buffer.from(await response.arrayBuffer()).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
			Object.assign(call, { status: response.status, responseContentType: response.headers.get('content-type') || '', responseText: text });
		} catch (error) {
			Object.assign(call, { status: 0, error: error.message, responseContentType: '', responseText: '' });
		} finally {
			clearTimeout(timeout);
			this.controllers.delete(controller);
		}
		return call;
	}

	track(promise) {
		const settled = promise.catch((error) => {
			if (!this.mm.quiet) process.stderr.write(`fake-mattermost: integration call failed: ${error.stack}\n`);
		});
		this.inFlight.add(settled);
		settled.finally(() => this.inFlight.delete(settled));
		return promise;
	}

	async settled() {
		while (this.inFlight.size) await Promise.all([...this.inFlight]);
	}

	abortAll() {
		for (const controller of this.controllers) controller.abort();
	}
}

/** The trigger word a post's first word matches, '' for a channel hook without words, else null. */
function matchTriggerWord(hook, channel, firstWord) {
	if (hook.trigger_words.length === 0) return hook.channel_id === channel.id ? '' : null;
	const matches = hook.trigger_when === 1 ? (word) => firstWord.startsWith(word) : (word) => firstWord === word;
	const word = hook.trigger_words.find(matches);
	return word === undefined ? null : word;
}

function parseJsonObject(text) {
	try {
		const value = JSON.parse(text);
		return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
	} catch {
		return null;
	}
}

module.exports = { OutboundCalls };
