'use strict';

/** An error the fake answers the way Mattermost's handleContextError does: an AppError JSON body. */
class AppError extends Error {
	constructor(statusCode, id, message, detailedError = '') {
		super(message);
		this.statusCode = statusCode;
		this.id = id;
		this.detailedError = detailedError;
	}

	toBody(requestId, developerMode) {
		return {
			id: this.id,
			message: this.message,
			// The real server empties detailed_error unless ServiceSettings.EnableDeveloper is on.
			detailed_error: developerMode ? this.detailedError : '',
			request_id: requestId,
			status_code: this.statusCode,
		};
	}
}

const errors = {
	sessionExpired: () =>
		new AppError(401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.'),
	tokenInQuery: () =>
		new AppError(401, 'api.context.token_provided.app_error', 'Session is not OAuth but token was provided in the query string.'),
	permission: (userId, permission) =>
		new AppError(
			403,
			'api.context.permissions.app_error',
			'You do not have the appropriate permissions.',
			`userId=${userId}, permission=${permission}`,
		),
	routeNotFound: (path) => new AppError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.', `There doesn't appear to be an api call for the url='${path}'.`),
	invalidUrlParam: (name) =>
		new AppError(400, 'api.context.invalid_url_param.app_error', `Invalid or missing ${name} parameter in request URL.`),
	invalidBodyParam: (name) =>
		new AppError(400, 'api.context.invalid_body_param.app_error', `Invalid or missing ${name} in request body.`),
	invalidParam: (name) => new AppError(400, 'api.context.invalid_param.app_error', `Invalid ${name} parameter.`),
	bodyTooLarge: () =>
		new AppError(413, 'api.context.request_body_too_large.app_error', 'Your request body is too large.'),
	notFound: (id, message, detailedError = '') => new AppError(404, id, message, detailedError),
	badRequest: (id, message, detailedError = '') => new AppError(400, id, message, detailedError),
	forbidden: (id, message, detailedError = '') => new AppError(403, id, message, detailedError),
	internal: (id, message, detailedError = '') => new AppError(500, id, message, detailedError),
};

module.exports = { AppError, errors };
