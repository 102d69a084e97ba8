'use strict';
const { Router } = require('../router');

const ROUTE_MODULES = ['./users', './teams', './channels', './posts', './preferences', './reactions', './files', './integrations', './dialogs', './oauth', './control'];

function buildRouter() {
	const router = new Router();
	for (const modulePath of ROUTE_MODULES) router.addAll(require(modulePath));
	return router;
}

module.exports = { buildRouter };
