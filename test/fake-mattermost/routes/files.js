'use strict';
const crypto = require('crypto');
const { AppError, errors } = require('../app-error');
const { reply } = require('../context');
const { isValidId } = require('../ids');
const { detectMimeType } = require('../mime');
const { fileInfoView } = require('../serialize');

const FORM_FIELDS = ['channel_id', 'client_ids'];

/** The files of a multipart or a simple upload, with the form rules of uploadFileStream. */
function uploadedFiles(ctx) {
	const queryChannelId = ctx.query.channel_id || '';
	if (!ctx.received.isMultipart) {
		if (!ctx.raw || ctx.raw.length === 0) {
			throw errors.badRequest('api.file.upload_file.bad_parse.app_error', 'Unable to upload file. Header cannot be parsed.');
		}
		if (!ctx.query.filename) throw errors.invalidUrlParam('filename');
		return {
			channelId: queryChannelId,
			clientIds: ctx.query.client_id ? [ctx.query.client_id] : [],
			files: [{ filename: ctx.query.filename, contentType: ctx.contentType, content: ctx.raw }],
		};
	}
	if (ctx.formError || !ctx.form) {
		throw errors.badRequest('api.file.upload_file.read_request.app_error', 'Unable to upload file(s). Error reading or parsing request data.', String(ctx.formError && ctx.formError.message));
	}
	const { fields, files } = ctx.form;
	const unknownField = Object.keys(fields).find((name) => !FORM_FIELDS.includes(name));
	if (unknownField !== undefined) throw errors.invalidBodyParam(unknownField);
	const strayFile = files.find((file) => file.field !== 'files');
	if (strayFile) throw errors.invalidBodyParam(strayFile.field);
	const formChannelIds = [...new Set(fields.channel_id || [])];
	if (formChannelIds.length > 1 || (formChannelIds.length === 1 && queryChannelId && formChannelIds[0] !== queryChannelId)) {
		throw errors.badRequest('api.file.upload_file.multiple_channel_ids.app_error', 'Unable to upload file(s). Multiple conflicting channel_ids.');
	}
	return { channelId: formChannelIds[0] || queryChannelId, clientIds: fields.client_ids || [], files };
}

function uploadFiles(ctx) {
	const { channelId, clientIds, files } = uploadedFiles(ctx);
	if (!isValidId(channelId)) throw errors.invalidBodyParam('channel_id');
	if (files.length === 0) {
		throw errors.badRequest('api.file.upload_file.incorrect_number_of_files.app_error', 'Unable to upload files. Incorrect number of files specified.');
	}
	if (clientIds.length && clientIds.length !== files.length) {
		throw errors.badRequest(
			'api.file.upload_file.incorrect_number_of_client_ids.app_error',
			`Unable to upload file(s). Have ${clientIds.length} client_ids for ${files.length} files.`,
		);
	}
	const channel = ctx.channelById(channelId);
	ctx.requireChannelMember(channel, 'upload_file');
	const tooLarge = files.find((f) => f.content.length > ctx.config.maxFileSizeBytes);
	if (tooLarge) {
		throw new AppError(413, 'api.file.upload_file.too_large_detailed.app_error', `Unable to upload file ${tooLarge.filename}. ${tooLarge.content.length} bytes exceeds the maximum allowed ${ctx.config.maxFileSizeBytes} bytes.`);
	}
	const infos = files.map((file) => {
		const extension = file.filename.includes('.') ? file.filename.slice(file.filename.lastIndexOf('.') + 1) : '';
		const genericType = !file.contentType || file.contentType.startsWith('application/octet-stream');
		return ctx.state.createFile({
			user_id: ctx.userId,
			channel_id: channel.id,
			name: file.filename,
			mime_type: detectMimeType(extension, genericType ? 'application/octet-stream' : file.contentType),
			content: file.content,
		});
	});
	return reply.created({ file_infos: infos.map(fileInfoView), client_ids: clientIds });
}

/** Uploader, admins and readers of the post's channel may fetch a file. */
function readableFile(ctx) {
	const file = ctx.fileById(ctx.idParam('file_id'));
	if (file.user_id === ctx.userId || ctx.isAdmin()) return file;
	const post = file.post_id && ctx.state.posts.get(file.post_id);
	const channel = post && ctx.state.channels.get(post.channel_id);
	if (!channel || !ctx.canReadChannel(channel)) throw ctx.deny('read_channel_content');
	return file;
}

// web.UnsafeContentTypes and web.MediaContentTypes of the server.
const UNSAFE_CONTENT_TYPES = ['application/javascript', 'application/ecmascript', 'text/javascript', 'text/ecmascript', 'application/x-javascript', 'text/html'];
const MEDIA_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/bmp', 'image/gif', 'image/tiff', 'video/avi', 'video/mpeg', 'video/mp4', 'audio/mpeg', 'audio/wav'];

/** Go's url.PathEscape: everything but unreserved characters and $&+:=@ is percent-encoded. */
function pathEscape(text) {
	return [...Buffer.from(text, 'utf8')]
		.map((byte) => {
			const char = String.fromCharCode(byte);
			return /[A-Za-z0-9\-_.~$&+:=@]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		})
		.join('');
}

/**
 * The headers of web.WriteFileResponse: unsafe types served as text/plain, media inline, the
 * name path-escaped in both forms. (The server writes no space after "attachment;"; the one here
 * parses the same.)
 */
function fileContentReply(file, forceAttachment) {
	let contentType = file.mime_type || 'application/octet-stream';
	if (UNSAFE_CONTENT_TYPES.some((unsafe) => contentType.startsWith(unsafe))) contentType = 'text/plain';
	const media = MEDIA_CONTENT_TYPES.some((type) => contentType.startsWith(type));
	const kind = forceAttachment || !media ? 'attachment' : 'inline';
	const name = pathEscape(file.name);
	return reply.raw(200, file.content, {
		'Content-Type': contentType,
		'Content-Disposition': `${kind}; filename="${name}"; filename*=UTF-8''${name}`,
		'Cache-Control': 'private, max-age=86400',
		'X-Content-Type-Options': 'nosniff',
	});
}

function downloadFile(ctx) {
	const file = readableFile(ctx);
	return fileContentReply(file, ['1', 'true'].includes(String(ctx.query.download)));
}

function getFileInfo(ctx) {
	return reply.ok(fileInfoView(readableFile(ctx)));
}

function publicLinkHash(ctx, fileId) {
	return crypto.createHash('sha256').update(ctx.config.publicLinkSalt).update(fileId).digest('base64url');
}

function getFileLink(ctx) {
	if (!ctx.config.enablePublicLink) {
		throw errors.forbidden('api.file.get_public_link.disabled.app_error', 'Public links have been disabled.');
	}
	const file = readableFile(ctx);
	if (!file.post_id) {
		throw errors.badRequest('api.file.get_public_link.no_post.app_error', 'Unable to get public link for file. File must be attached to a post that can be read by the current user.');
	}
	return reply.ok({ link: `${ctx.mm.url}/files/${file.id}/public?h=${publicLinkHash(ctx, file.id)}` });
}

function getPublicFile(ctx) {
	const file = ctx.state.files.get(ctx.params.file_id);
	if (!ctx.config.enablePublicLink || !file || file.delete_at !== 0) {
		throw errors.notFound('api.file.get_file.public_disabled.app_error', 'Public links have been disabled by the system administrator.');
	}
	if (ctx.query.h !== publicLinkHash(ctx, file.id)) {
		throw errors.badRequest('api.file.get_file.public_invalid.app_error', 'The public link does not appear to be valid.');
	}
	return fileContentReply(file, false);
}

module.exports = [
	['POST', '/api/v4/files', uploadFiles],
	['GET', '/api/v4/files/:file_id', downloadFile],
	['GET', '/api/v4/files/:file_id/info', getFileInfo],
	['GET', '/api/v4/files/:file_id/link', getFileLink],
	['GET', '/files/:file_id/public', getPublicFile, { auth: false }],
];
