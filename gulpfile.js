const fs = require('fs');
const path = require('path');
const { task, src, dest } = require('gulp');

// tsc adds to dist/ and never removes: a file left there by an older build (a source map, a
// deleted module) would be packed and published. The build starts from an empty dist/.
task('clean', (done) => {
	fs.rmSync(path.resolve('dist'), { recursive: true, force: true });
	done();
});

// tsc does not copy the node and credential icons; n8n loads them from next to the built files.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	);
}

task('build:icons', copyIcons);
