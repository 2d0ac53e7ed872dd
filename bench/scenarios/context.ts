import type { ChildProcess } from 'node:child_process';
import type { Fixtures } from '../fixtures.js';
import type { Row } from '../report.js';
import type { BenchStack } from '../stack.js';

/** What a scenario gets: the running stack, its data, and where to put its results. */
export interface ScenarioContext {
  stack: BenchStack;
  data: Fixtures;
  /** Seconds per load scenario (BENCH_SECONDS). */
  seconds: number;
  /** The two api instances, and HAProxy in front of both. */
  apiA: { url: string; process: ChildProcess };
  apiB: { url: string; process: ChildProcess };
  balancer: { url: string };
  rows: Row[];
  raw: Record<string, unknown>;
}

export const progress = (step: string) =>
  console.log(`[bench] ${new Date().toISOString()} ${step}`);
