const path = require('path');
const { task, src, dest } = require('gulp');

// tsc does not copy the node and credential icons; n8n loads them from next to the built files.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	);
}

task('build:icons', copyIcons);
