import { measureMemory } from './memory.js';

process.stdout.write(JSON.stringify(measureMemory(Number(process.argv[2]))));
