import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  deliveryMessageSchema,
  MalformedMessage,
  parseMessage,
  replayMessageSchema,
} from '../../lambdas/domain/messages.ts';
import { parseRecord, sqsBatchHandler } from '../../lambdas/shared/sqs-handler.ts';

const record = (messageId: string, body: string): SQSRecord =>
  ({
    messageId,
    body,
    receiptHandle: `rh-${messageId}`,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1764590400000' },
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:webhook',
  }) as unknown as SQSRecord;

const context = { awsRequestId: 'r', functionName: 'f', getRemainingTimeInMillis: () => 60_000 } as Context;

describe('queue messages', () => {
  it('parses what the fan-out and the replays send', () => {
    const delivery = { integration_id: 'erp-1', event_id: 'e-1', received_at: '2026-12-01T10:00:00.000Z' };
    expect(parseMessage(deliveryMessageSchema(), JSON.stringify(delivery))).toEqual(delivery);
    expect(parseMessage(replayMessageSchema(), '{"integration_id":"erp-1","job_id":"j-1"}')).toEqual({
      integration_id: 'erp-1',
      job_id: 'j-1',
    });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['a missing field', '{"integration_id":"erp-1","received_at":"x"}', /^event_id: /],
    [
      'a field of the wrong type',
      '{"integration_id":7,"event_id":"e","received_at":"x"}',
      /^integration_id: /,
    ],
    ['not an object', '"text"', /^body: /],
  ])('refuses %s, saying what is wrong', (_, body, message) => {
    expect(() => parseMessage(deliveryMessageSchema(), body)).toThrow(MalformedMessage);
    expect(() => parseMessage(deliveryMessageSchema(), body)).toThrow(message);
  });

  it('reports a malformed record failed alone; the rest of its batch goes on', async () => {
    const handled: string[] = [];
    const handler = sqsBatchHandler(
      async () => undefined,
      async (sqsRecord) => {
        handled.push(parseRecord(deliveryMessageSchema(), sqsRecord).event_id);
      },
    );
    const good = (id: string) =>
      record(
        id,
        JSON.stringify({ integration_id: 'erp-1', event_id: id, received_at: '2026-12-01T10:00:00.000Z' }),
      );
    const result = await handler({ Records: [good('a'), record('bad', 'not json'), good('b')] }, context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    expect(handled.sort()).toEqual(['a', 'b']);
  });
});
