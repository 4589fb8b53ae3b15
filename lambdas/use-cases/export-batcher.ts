import { randomUUID } from 'node:crypto';
import { mayRepeatDelivery } from '../domain/delivery-rules.ts';
import { type LoggedEvent, publishOrderKey } from '../domain/event.ts';
import {
  type ExportFile,
  exportLine,
  exportObjectKey,
  MAX_CHUNKS_PER_FILE,
  newExportFile,
  roomLeft,
  type StagedChunk,
  stagedChunkBody,
} from '../domain/export-file.ts';
import type { Integration } from '../domain/integration.ts';
import { type DeliveryMessage, eventOfMessage } from '../domain/messages.ts';
import type { DeliveryHistory, DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type { EventLogStore } from '../domain/ports/events.ts';
import type { ExportStateStore, StagingStore } from '../domain/ports/exports.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock, Metrics } from '../domain/ports/platform.ts';
import { sameGeneration, wants } from './delivery-router.ts';

export interface ExportBatcherDeps {
  integrations: IntegrationRepository;
  eventLog: EventLogStore;
  state: ExportStateStore;
  staging: StagingStore;
  deliveryState: DeliveryStateStore;
  /**
   * What each integration got: a staged event is noted delivered (one history item per publish and batch),
   * so a message that repeats one (a redelivered batch, a fan-out that ran twice, a catch-up) is not staged
   * into another file.
   */
  history: Pick<DeliveryHistory, 'batch' | 'deliveredAmong'>;
  metrics: Metrics;
  clock: Clock;
  settings: {
    maxFileBytes: number;
    maxFileAgeMs: number;
    /** Largest staged chunk: bounds the batcher's memory per integration. */
    chunkBytes: number;
    /** Part of every file's key. */
    tenant: string;
  };
}

/** One queued (event, integration) pair, by the id its SQS record is reported with. */
export interface ExportRecord {
  recordId: string;
  message: DeliveryMessage;
  /** How often SQS handed it out, and when it was first sent: whether it may repeat a staged event. */
  receiveCount: number;
  sentAt: Date;
}

/** What a batch came to: records to retry, and the files it filled up (ready to upload now). */
export interface StageResult {
  failedRecordIds: string[];
  /** Errors behind the failed records, for the operator's log. */
  errors: unknown[];
  fullFiles: { integration: Integration; fileIds: string[] }[];
}

interface Line {
  /** The line as the file gets it. */
  text: Buffer;
  /** Where its event stands in publish order (`publishOrderKey`). */
  key: string;
  event: Pick<LoggedEvent, 'id' | 'name' | 'received_at' | 'entity_id'>;
  receivedAt: string;
  recordIds: string[];
  /** One of its records may repeat an event already staged. */
  mayRepeat: boolean;
}

/** The text of a line once staged. */
const STAGED = Buffer.alloc(0);

const byKey = (a: Line, b: Line): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Records whose events are read at a time (one batched read of the event log). */
const READ_SLICE = 100;

/** Attempts at registering one chunk while other batchers and the flusher change the open file. */
const MAX_REGISTER_ATTEMPTS = 10;

/**
 * The first half of S3 export: turns a batch of queued deliveries into staged chunks of the integrations'
 * open files. A record succeeds only once its event's line is durable (the chunk object written, then
 * listed in the open file's record), so a crash at any point leaves the message in the queue and loses
 * nothing; a crash between the two leaves an unlisted chunk that the staging bucket's lifecycle removes.
 * Chunks go to the open file while they fit (bytes, age, chunk count); otherwise the open file is closed
 * and a new one started, so no file passes the limit and no event spans two files.
 */
export class ExportBatcher {
  constructor(private readonly deps: ExportBatcherDeps) {}

  async stage(records: readonly ExportRecord[]): Promise<StageResult> {
    const byIntegration = new Map<string, ExportRecord[]>();
    for (const record of records) {
      const group = byIntegration.get(record.message.integration_id) ?? [];
      group.push(record);
      byIntegration.set(record.message.integration_id, group);
    }
    const result: StageResult = { failedRecordIds: [], errors: [], fullFiles: [] };
    // Integrations in parallel (a deployment has a handful), each one's chunks in order.
    await Promise.all(
      [...byIntegration].map(async ([integrationId, group]) => {
        try {
          const staged = await this.stageIntegration(integrationId, group);
          result.failedRecordIds.push(...staged.failed);
          if (staged.error !== undefined) result.errors.push(staged.error);
          if (staged.integration && staged.fullFileIds.length > 0) {
            result.fullFiles.push({ integration: staged.integration, fileIds: staged.fullFileIds });
          }
        } catch (error) {
          result.failedRecordIds.push(...group.map((record) => record.recordId));
          result.errors.push(error);
        }
      }),
    );
    return result;
  }

  private async stageIntegration(
    integrationId: string,
    records: readonly ExportRecord[],
  ): Promise<{ failed: string[]; fullFileIds: string[]; integration?: Integration; error?: unknown }> {
    const { deps } = this;
    const integration = await deps.integrations.get(integrationId);
    if (!integration?.s3_parameters) return { failed: [], fullFileIds: [] }; // deleted, or no longer S3
    if (integration.status !== 'running') {
      // Published while it ran, arriving after it stopped: a start catches up from here.
      const earliest = records.map((record) => record.message.received_at).sort()[0];
      if (earliest) await deps.deliveryState.recordMissed(integrationId, earliest);
      return { failed: [], fullFileIds: [] };
    }
    // Records for an earlier integration of the same id, or for events its filters no longer want, are done.
    const current = records.filter((record) => sameGeneration(integration, record.message));
    const staged = deps.history.batch();
    const fullFileIds: string[] = [];
    let open = await deps.state.openFile(integrationId);
    // Events are read a slice at a time and staged as soon as a chunk's worth is waiting: the batcher holds
    // about one chunk of lines and one slice of events, not the whole batch (1,000 events of 10 KB: 10 MB
    // of lines, several times that as objects).
    const pending: Line[] = [];
    const seen = new Map<string, Line>();
    let pendingBytes = 0;
    const s3 = integration.s3_parameters;
    const stageNext = async (): Promise<unknown> => {
      // Every chunk in publish order, so the upload can merge a file's chunks (ExportUpload). Sorting all
      // that waits, not just the chunk, makes one batch's chunks overlap less in time: the merge then holds
      // fewer of them at once.
      pending.sort(byKey);
      const { chunkLines, end } = this.nextChunk(pending, 0, open);
      const body = stagedChunkBody(chunkLines);
      const chunk: StagedChunk = {
        key: `chunks/${integrationId}/${randomUUID()}.ndjson`,
        bytes: chunkLines.reduce((sum, line) => sum + line.text.length, 0),
        events: chunkLines.length,
        first_received_at: chunkLines.map((line) => line.receivedAt).sort()[0] as string,
      };
      try {
        await deps.staging.put(chunk.key, body);
        open = await this.register(integrationId, open, chunk, fullFileIds);
      } catch (error) {
        return error;
      }
      // The file's key is fixed when it opens: the history can say which file an event went into.
      const { bucket, key_prefix: prefix } = s3;
      const file = `s3://${bucket}/${exportObjectKey(prefix, deps.settings.tenant, open)}`;
      const attempt = { at: deps.clock.now().toISOString(), duration_ms: 0, file };
      for (const line of chunkLines) staged.record(integration, line.event, 'delivered', attempt);
      deps.metrics.count('ExportEventsStaged', chunk.events);
      for (const line of pending.splice(0, end)) {
        pendingBytes -= line.text.length;
        // Staged: only its records stay known (for a repeat later in the batch), not its bytes.
        line.text = STAGED;
      }
      return undefined;
    };
    // What was staged before a failure stays noted, so the records that come back skip it.
    const failedAfter = async (failed: string[], error: unknown) => {
      await staged.flush().catch(() => {});
      return { failed, fullFileIds, integration, error };
    };
    const readSlice = (start: number) => {
      const read = this.lines(current.slice(start, start + READ_SLICE), integration, seen).then((lines) =>
        this.unstaged(integration, lines),
      );
      read.catch(() => {}); // awaited in turn, or dropped after a failure
      return read;
    };
    // The next slice is read while the current one's chunks are staged.
    let reading = current.length > 0 ? readSlice(0) : undefined;
    for (let start = 0; reading !== undefined; start += READ_SLICE) {
      let lines: Line[];
      try {
        lines = await reading;
      } catch (error) {
        // Nothing of this slice or the ones after it is staged; what is waiting goes back too.
        const failed = [
          ...pending.flatMap((line) => line.recordIds),
          ...current.slice(start).map((r) => r.recordId),
        ];
        return failedAfter(failed, error);
      }
      const last = start + READ_SLICE >= current.length;
      reading = last ? undefined : readSlice(start + READ_SLICE);
      for (const line of lines) {
        pending.push(line);
        pendingBytes += line.text.length;
      }
      while (pending.length > 0 && (last || pendingBytes >= deps.settings.chunkBytes)) {
        const error = await stageNext();
        if (error !== undefined) {
          // This chunk and the rest come back with their messages; earlier chunks are durable.
          const failed = [
            ...pending.flatMap((line) => line.recordIds),
            ...current.slice(start + READ_SLICE).map((r) => r.recordId),
          ];
          return failedAfter(failed, error);
        }
      }
    }
    // Before the records are reported done: a crash here stages them again (duplicates, never a loss).
    await staged.flush();
    return { failed: [], fullFileIds, integration };
  }

  /** The lines whose events were not staged for this integration already (read only where one may repeat). */
  private async unstaged(integration: Integration, lines: Line[]): Promise<Line[]> {
    const checked = lines.filter((line) => line.mayRepeat).map((line) => line.event);
    if (checked.length === 0) return lines;
    const staged = await this.deps.history.deliveredAmong(integration, checked);
    if (staged.size > 0) this.deps.metrics.count('ExportAlreadyStaged', staged.size);
    return lines.filter((line) => !staged.has(line.event.id));
  }

  /**
   * The events' lines, each event once (a redelivered message may repeat one in a batch): `seen` holds the
   * lines of the batch's earlier slices, so a repeat there only adds its record (staged with that line, or
   * done with it if it was staged already).
   */
  private async lines(
    records: readonly ExportRecord[],
    integration: Integration,
    seen: Map<string, Line>,
  ): Promise<Line[]> {
    const events = await Promise.all(
      records.map(
        (record) =>
          eventOfMessage(record.message) ??
          this.deps.eventLog.get(record.message.received_at, record.message.event_id, record.message.chunk),
      ),
    );
    const fresh: Line[] = [];
    records.forEach((record, index) => {
      const event = events[index] as LoggedEvent | undefined;
      if (!event) {
        this.deps.metrics.count('ExportEventExpired');
        return;
      }
      if (!wants(integration, event)) return;
      const mayRepeat = mayRepeatDelivery(record.receiveCount, record.sentAt, event.received_at);
      const known = seen.get(event.id);
      if (known) {
        known.recordIds.push(record.recordId);
        known.mayRepeat ||= mayRepeat;
        return;
      }
      const line: Line = {
        text: Buffer.from(exportLine(event)),
        key: publishOrderKey(event),
        event: {
          id: event.id,
          name: event.name,
          received_at: event.received_at,
          ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
        },
        receivedAt: event.received_at,
        recordIds: [record.recordId],
        mayRepeat,
      };
      seen.set(event.id, line);
      fresh.push(line);
    });
    return fresh;
  }

  /**
   * Lines from `start` that make the next chunk: as many as fit in the open file's room (or, when not even
   * the first fits, in a new file), at most `chunkBytes`, and always at least one.
   */
  private nextChunk(
    lines: readonly Line[],
    start: number,
    open: ExportFile | undefined,
  ): { chunkLines: Line[]; end: number } {
    const { settings } = this.deps;
    const limits = { maxFileBytes: settings.maxFileBytes, maxAgeMs: settings.maxFileAgeMs };
    const room = open ? roomLeft(open, this.deps.clock.now(), limits) : 0;
    const first = lines[start] as Line;
    const capacity = room >= first.text.length ? room : settings.maxFileBytes;
    const limit = Math.min(settings.chunkBytes, capacity);
    let bytes = first.text.length;
    let end = start + 1;
    while (end < lines.length && bytes + (lines[end] as Line).text.length <= limit) {
      bytes += (lines[end] as Line).text.length;
      end += 1;
    }
    return { chunkLines: lines.slice(start, end), end };
  }

  /**
   * Lists a written chunk in the open file, closing it first when the chunk does not fit and starting a
   * new one; returns the open file as it now is. Conditional writes make concurrent batchers and the
   * flusher take turns: on a conflict the open file is read again.
   */
  private async register(
    integrationId: string,
    known: ExportFile | undefined,
    chunk: StagedChunk,
    fullFileIds: string[],
  ): Promise<ExportFile> {
    const { deps } = this;
    const limits = { maxFileBytes: deps.settings.maxFileBytes, maxAgeMs: deps.settings.maxFileAgeMs };
    let open = known;
    for (let attempt = 0; attempt < MAX_REGISTER_ATTEMPTS; attempt++) {
      if (open && roomLeft(open, deps.clock.now(), limits) >= chunk.bytes) {
        const appended = await deps.state.append(integrationId, open.file_id, chunk, {
          maxFileBytes: deps.settings.maxFileBytes,
          maxChunks: MAX_CHUNKS_PER_FILE,
        });
        if (appended) {
          return {
            ...open,
            bytes: open.bytes + chunk.bytes,
            events: open.events + chunk.events,
            chunks: [...open.chunks, chunk],
            version: open.version + 1,
          };
        }
        open = await deps.state.openFile(integrationId);
        continue;
      }
      if (open) {
        // Full or due: it goes to the customer as it is; this chunk starts the next file.
        if (await deps.state.close(integrationId, open)) fullFileIds.push(open.file_id);
        open = await deps.state.openFile(integrationId);
        continue;
      }
      const file: ExportFile = {
        ...newExportFile(deps.clock.now()),
        bytes: chunk.bytes,
        events: chunk.events,
        chunks: [chunk],
      };
      if (await deps.state.open(integrationId, file)) return file;
      open = await deps.state.openFile(integrationId);
    }
    throw new Error(`Could not add a chunk to the open export file of ${integrationId}: too much contention`);
  }
}
