#!/usr/bin/env node
// The command's entry point is committed rather than built, so that a package
// manager can link the command before dist/ exists: in this monorepo the first
// `pnpm install` links it into dependants' node_modules/.bin before any build.
import '../dist/bin.js';
