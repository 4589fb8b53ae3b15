import type { MessageOrder } from '../domain/entity-order.ts';

interface Turn {
  key: string;
  finished: Promise<void>;
  finish: () => void;
  /** Taken by the `wait` call it belongs to: copies of one message (one key twice) go one after the other. */
  taken: boolean;
}

/**
 * Within one delivery batch, the messages of one entity of one ordered integration take turns, oldest key
 * first, while the rest of the batch runs side by side: a publish of `order.created` and `order.updated`
 * goes out in one batch, in order, instead of the second waiting a receive for the first.
 */
export class BatchTurns {
  private readonly lines = new Map<string, Turn[]>();

  /** `messages`: the batch's messages that `deliver` will be called for (and `done` after each). */
  constructor(messages: readonly { integration_id: string; order?: MessageOrder }[]) {
    for (const { integration_id: integrationId, order } of messages) {
      if (!order) continue;
      const line = lineOf(integrationId, order);
      let finish = () => {};
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const turns = this.lines.get(line) ?? [];
      turns.push({ key: order.key, finished, finish, taken: false });
      this.lines.set(line, turns);
    }
  }

  /**
   * Resolves once every message of the batch with an older key of the same entity is done, and every earlier
   * copy of this one (the same message handed out twice in one batch); returns what to call when it is done.
   */
  async wait(integrationId: string, order: MessageOrder): Promise<() => void> {
    const turns = this.lines.get(lineOf(integrationId, order)) ?? [];
    const mine = turns.find((turn) => turn.key === order.key && !turn.taken);
    if (mine) mine.taken = true;
    const before = turns.filter(
      (turn) => turn.key < order.key || (turn.key === order.key && turn.taken && turn !== mine),
    );
    await Promise.all(before.map((turn) => turn.finished));
    return mine?.finish ?? (() => {});
  }
}

const lineOf = (integrationId: string, order: MessageOrder): string => `${integrationId}\n${order.entity_id}`;
