'use strict';
const { FormCollector, MultipartError, boundaryOf } = require('./multipart');

const NOT_JSON = Symbol('not json');

class BodyAbortedError extends Error {
	constructor() {
		super('the client closed the connection before sending the whole body');
	}
}

function mediaTypeOf(contentType) {
	return String(contentType || '').split(';')[0].trim().toLowerCase();
}

/**
 * Reads a request body. Multipart bodies are parsed while they stream in (the raw bytes are not
 * kept); other bodies are collected. Bytes beyond `limit` are drained and dropped (`tooLarge`).
 */
function receiveBody(req, { limit }) {
	const contentType = req.headers['content-type'];
	const isMultipart = mediaTypeOf(contentType) === 'multipart/form-data';
	const boundary = isMultipart ? boundaryOf(contentType) : null;
	let collector = boundary ? new FormCollector(boundary) : null;
	let formError = isMultipart && !boundary ? new MultipartError('no multipart boundary') : null;
	const chunks = [];
	let size = 0;
	let tooLarge = false;

	return new Promise((resolve, reject) => {
		req.on('data', (chunk) => {
			size += chunk.length;
			if (tooLarge) return;
			if (size > limit) {
				tooLarge = true;
				chunks.length = 0;
				collector = null;
				return;
			}
			if (!isMultipart) {
				chunks.push(chunk);
				return;
			}
			if (!collector || formError) return;
			try {
				collector.write(chunk);
			} catch (error) {
				formError = error;
			}
		});
		req.on('end', () => {
			let form = null;
			if (collector && !formError && !tooLarge) {
				try {
					form = collector.end();
				} catch (error) {
					formError = error;
				}
			}
			resolve({ isMultipart, raw: isMultipart ? null : Buffer.concat(chunks), form, formError, size, tooLarge });
		});
		// A client that gives up mid-body never sends 'end' (Node reports 'error' then 'close').
		req.on('error', () => reject(new BodyAbortedError()));
		req.on('close', () => {
			if (!req.complete) reject(new BodyAbortedError());
		});
	});
}

/** The body parsed as JSON whatever the Content-Type (like the server's json.Decoder), or NOT_JSON. */
function parseJson(raw) {
	if (!raw || raw.length === 0) return NOT_JSON;
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		return NOT_JSON;
	}
}

module.exports = { receiveBody, parseJson, NOT_JSON, BodyAbortedError };
