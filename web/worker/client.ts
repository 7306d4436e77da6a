/**
 * The UI side of the worker protocol: typed requests that resolve to values (never throw), progress
 * events, and crash handling. Opening a file starts a fresh worker, so a second file replaces the
 * first cleanly and a crashed worker never blocks the page.
 */
import {
  PROTOCOL_VERSION, type ErrorView, type ProgressView, type Request, type RequestType, type ResultMap, type WorkerMessage,
} from './protocol';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorView };

export type ClientEvent = { type: 'progress'; progress: ProgressView } | { type: 'crashed'; message: string };

type Pending = (o: Outcome<unknown>) => void;

export class AnalysisClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(
    private readonly makeWorker: () => Worker,
    private readonly onEvent: (e: ClientEvent) => void,
  ) {}

  get alive(): boolean {
    return this.worker !== null;
  }

  /** Drop the current worker (and whatever it held); pending requests resolve as cancelled. */
  reset(reason = 'replaced'): void {
    this.worker?.terminate();
    this.worker = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p({ ok: false, error: { kind: 'no-capture', message: reason } });
  }

  private spawn(): Worker {
    const w = this.makeWorker();
    w.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.crash(ev.message || 'the analysis worker stopped');
    };
    w.onmessageerror = () => this.crash('a message from the analysis worker could not be read');
    this.worker = w;
    return w;
  }

  private crash(message: string): void {
    this.reset(message);
    this.onEvent({ type: 'crashed', message });
  }

  private receive(msg: WorkerMessage): void {
    if (msg.kind === 'event') {
      if (msg.event.type === 'progress') this.onEvent({ type: 'progress', progress: msg.event.progress });
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p(msg.ok ? { ok: true, value: msg.result } : { ok: false, error: msg.error });
  }

  request<T extends RequestType>(req: Extract<Request, { type: T }>): Promise<Outcome<ResultMap[T]>> {
    const w = req.type === 'open' ? (this.reset(), this.spawn()) : this.worker;
    if (!w) return Promise.resolve({ ok: false, error: { kind: 'no-capture', message: 'no capture is loaded' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as Pending);
      w.postMessage({ v: PROTOCOL_VERSION, id, req });
    });
  }
}
