import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * This process's Prometheus metrics. One registry per app instance (not prom-client's global
 * one), so several apps in one process (tests) never clash.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly collectors: (() => Promise<void>)[] = [];

  readonly httpDuration = new Histogram({
    name: 'flashcart_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'flashcart_job_duration_seconds',
    help: 'Job run time by queue, job and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  readonly queueJobs = new Gauge({
    name: 'flashcart_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, completed, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly orderEvents = new Counter({
    name: 'flashcart_order_events_total',
    help: 'Committed order events relayed by this process (placed, cancelled, delivered...)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly websocketConnections = new Gauge({
    name: 'flashcart_websocket_connections',
    help: 'Open realtime tracking connections on this instance',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'flashcart_' });
  }

  /** Adds work done at scrape time (e.g. reading queue depths). */
  onScrape(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  async render(): Promise<string> {
    await Promise.all(this.collectors.map((collect) => collect().catch(() => undefined)));
    return this.registry.metrics();
  }
}
