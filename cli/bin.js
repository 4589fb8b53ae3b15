#!/usr/bin/env node
// The `event-stream` command: registers tsx's loader so the TypeScript sources run as they are (no build
// step), then starts the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
