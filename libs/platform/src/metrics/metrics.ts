import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * How long a scrape waits for a source read from elsewhere (Redis): a scrape must answer while a
 * dependency is down (Prometheus' own timeout is 10 s, and a hung scrape shows nothing at all).
 */
export const SCRAPE_SOURCE_TIMEOUT_MS = 750;

/** Metrics read from another service at scrape time (e.g. queue depths from Redis). */
export interface ScrapeSource {
  /** Its label in `flashcart_metrics_source_up`. */
  name: string;
  /**
   * Reads the values and returns what sets them: the setting is done only when the read came
   * back in time, so a read that answers after its scrape gave up changes nothing.
   */
  read(): Promise<() => void>;
  /** Takes its metrics out when they could not be read (stale numbers would mislead). */
  clear(): void;
}

/**
 * This process's Prometheus metrics. One registry per app instance (not prom-client's global
 * one), so several apps in one process (tests) never clash.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly sources: ScrapeSource[] = [];
  /** A source's read still under way: the next scrape waits for it rather than piling up another. */
  private readonly reading = new Map<ScrapeSource, Promise<() => void>>();

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

  readonly sourceUp = new Gauge({
    name: 'flashcart_metrics_source_up',
    help: `1 if a scrape-time source (e.g. queues) answered within ${SCRAPE_SOURCE_TIMEOUT_MS} ms; 0 if not, and its metrics are left out`,
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'flashcart_' });
  }

  /** Adds a source read at scrape time (e.g. queue depths). */
  onScrape(source: ScrapeSource): void {
    this.sources.push(source);
  }

  async render(): Promise<string> {
    await Promise.all(this.sources.map((source) => this.collect(source)));
    return this.registry.metrics();
  }

  /** One source within the timeout; a failed or late read sets it down and its metrics out. */
  private async collect(source: ScrapeSource): Promise<void> {
    let reading = this.reading.get(source);
    if (!reading) {
      reading = source.read().finally(() => this.reading.delete(source));
      this.reading.set(source, reading);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), SCRAPE_SOURCE_TIMEOUT_MS);
    });
    const apply = await Promise.race([reading, late])
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
    source.clear();
    apply?.();
    this.sourceUp.set({ source: source.name }, apply ? 1 : 0);
  }
}
