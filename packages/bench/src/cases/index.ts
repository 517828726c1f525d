import type { BenchCase } from './case.js';
import { coreCases } from './core.js';
import { healthReportCases, scaleCases } from './health-report.js';

/** Every benchmark case, in table order. */
export const ALL_CASES: readonly BenchCase[] = [...coreCases, ...healthReportCases, ...scaleCases];
