import type { IDataObject, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { userById } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import {
	ANSWER_PROP,
	APPROVE_ACTION,
	DECLINE_ACTION,
	RESPOND_ACTION,
	postReference,
	type AnswerContext,
	type Responder,
} from './sendAndWait.operation';
import { dialogFields, dialogTitle, readSubmission, type FormField } from './sendAndWaitForm';

/**
 * The waiting webhook of Send and Wait for Response. Mattermost calls it with a button click
 * (PostActionIntegrationRequest) or a dialog submission (SubmitDialogRequest). n8n only lets a call
 * in when its resume URL carries a valid signature; a call that returns no workflow data leaves the
 * execution waiting.
 */

/** Like n8n's own Send and Wait nodes: GET and POST on the execution's resume URL. */
export const sendAndWaitWebhooks: IWebhookDescription[] = ['GET', 'POST'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

const DIALOG_SUBMISSION = 'dialog_submission';

const keepWaiting = (answer: IDataObject): IWebhookResponseData => ({ webhookResponse: answer });

function refuse(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

function mention(username: string): string {
	return `@${username}`;
}

function onlyResponders(responders: Responder[]): string {
	const names = responders.map((responder) => mention(responder.username));
	const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
	return `Only ${list} may answer this.`;
}

function alreadyAnswered(answer: IDataObject): string {
	return `${mention(String(answer.username))} already answered this.`;
}

async function getPost(ctx: IWebhookFunctions, postId: string): Promise<IDataObject> {
	return (await mattermostApiRequest.call(ctx, 'GET', `/posts/${encodeURIComponent(postId)}`, { subject: `post ${postId}` })) as IDataObject;
}

function answerOf(post: IDataObject): IDataObject | undefined {
	const answer = (post.props as IDataObject | undefined)?.[ANSWER_PROP];
	return answer && typeof answer === 'object' ? (answer as IDataObject) : undefined;
}

/** Replaces the buttons by the decision, so that nobody can answer a second time. */
async function recordAnswer(
	ctx: IWebhookFunctions,
	post: IDataObject,
	user: Responder,
	decision: { text: string; color: string; approved?: boolean },
	respondedAt: string,
): Promise<void> {
	const answer: IDataObject = { user_id: user.id, username: user.username, responded_at: respondedAt };
	if (decision.approved !== undefined) answer.approved = decision.approved;
	const props: IDataObject = {
		...((post.props as IDataObject | undefined) ?? {}),
		attachments: [{ color: decision.color, text: decision.text }],
		[ANSWER_PROP]: answer,
	};
	await mattermostApiRequest.call(ctx, 'PUT', `/posts/${String(post.id)}/patch`, {
		body: { props },
		subject: `post ${String(post.id)}`,
	});
}

function resume(post: IDataObject, data: IDataObject, answer: IDataObject): IWebhookResponseData {
	return {
		webhookResponse: answer,
		workflowData: [
			[
				{
					json: { timedOut: false, ...postReference(post), data },
				},
			],
		],
	};
}

function problemText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

async function answerClick(ctx: IWebhookFunctions, body: IDataObject): Promise<IWebhookResponseData> {
	const context = body.context as Partial<AnswerContext> | undefined;
	const action = context?.action;
	if (action !== APPROVE_ACTION && action !== DECLINE_ACTION && action !== RESPOND_ACTION) {
		return refuse(ctx, 400, 'Not a click on a Send and Wait for Response button');
	}
	const user: Responder = { id: String(body.user_id ?? ''), username: String(body.user_name ?? '') };
	const responders = Array.isArray(context?.responders) ? context.responders : [];
	if (responders.length > 0 && !responders.some((responder) => responder.id === user.id)) {
		return keepWaiting({ ephemeral_text: onlyResponders(responders) });
	}
	try {
		const post = await getPost(ctx, String(body.post_id ?? ''));
		const earlier = answerOf(post);
		if (earlier) return keepWaiting({ ephemeral_text: alreadyAnswered(earlier) });
		if (action === RESPOND_ACTION) {
			try {
				await openDialog(ctx, post, user, String(body.trigger_id ?? ''));
			} catch (error) {
				return keepWaiting({ ephemeral_text: `The form could not be opened: ${problemText(error)} Please click again.` });
			}
			return keepWaiting({});
		}
		const approved = action === APPROVE_ACTION;
		const respondedAt = new Date().toISOString();
		await recordAnswer(
			ctx,
			post,
			user,
			approved
				? { text: `:white_check_mark: Approved by ${mention(user.username)}`, color: 'good', approved }
				: { text: `:x: Declined by ${mention(user.username)}`, color: 'danger', approved },
			respondedAt,
		);
		return resume(post, { approved, user, respondedAt }, {});
	} catch (error) {
		return keepWaiting({ ephemeral_text: `Your answer could not be recorded: ${problemText(error)} Please try again.` });
	}
}

function formFieldsOf(ctx: IWebhookFunctions) {
	const responseType = ctx.getNodeParameter('responseType', 'approval') as string;
	return dialogFields(ctx, responseType, ctx.getNodeParameter('formFields.values', []) as FormField[]);
}

/**
 * Opens the answer dialog for the user who clicked. Its URL is a resume URL signed for that user
 * and post: the webapp sees it, so a submission sent to it counts only as that user's.
 */
async function openDialog(ctx: IWebhookFunctions, post: IDataObject, user: Responder, triggerId: string): Promise<void> {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const introduction = String(options.responseFormDescription || post.message || '');
	const dialog: IDataObject = {
		callback_id: String(post.id),
		title: dialogTitle(ctx, options.responseFormTitle),
		elements: formFieldsOf(ctx).map((field) => field.element),
		submit_label: String(options.responseFormButtonLabel || 'Submit'),
		notify_on_cancel: false,
	};
	if (introduction) dialog.introduction_text = introduction;
	await mattermostApiRequest.call(ctx, 'POST', '/actions/dialogs/open', {
		body: { trigger_id: triggerId, url: ctx.getSignedResumeUrl({ responder: user.id, post: String(post.id) }), dialog },
		subject: 'the dialog',
	});
}

async function answerDialog(ctx: IWebhookFunctions, body: IDataObject): Promise<IWebhookResponseData> {
	const query = ctx.getQueryData() as IDataObject;
	const responder = String(query.responder ?? '');
	const postId = String(query.post ?? '');
	if (!responder || !postId || body.user_id !== responder) {
		return refuse(ctx, 403, 'This dialog was opened for another user');
	}
	if (body.cancelled === true) return keepWaiting({});
	const checked = readSubmission(formFieldsOf(ctx), (body.submission as IDataObject | undefined) ?? {});
	if ('errors' in checked) return keepWaiting({ errors: checked.errors });
	try {
		const post = await getPost(ctx, postId);
		const earlier = answerOf(post);
		if (earlier) return keepWaiting({ error: alreadyAnswered(earlier) });
		const found = await userById(ctx, responder);
		const user: Responder = { id: responder, username: String(found.username) };
		const respondedAt = new Date().toISOString();
		await recordAnswer(ctx, post, user, { text: `:speech_balloon: Answered by ${mention(user.username)}`, color: 'good' }, respondedAt);
		return resume(post, { ...checked.answers, user, respondedAt }, {});
	} catch (error) {
		return keepWaiting({ error: `Your answer could not be recorded: ${problemText(error)} Please try again.` });
	}
}

export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getRequestObject().method !== 'POST') {
		return keepWaiting({ text: 'This question is answered with the buttons of its message in Mattermost.' });
	}
	const body = this.getBodyData();
	if (body.type === DIALOG_SUBMISSION) return await answerDialog(this, body);
	if (typeof body.post_id === 'string' && body.context && typeof body.context === 'object') return await answerClick(this, body);
	return refuse(this, 400, 'Expected a Mattermost button click or dialog submission');
}
