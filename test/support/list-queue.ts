import type { MessageQueue } from '../../lambdas/domain/ports/platform.ts';

/**
 * A replay queue as a list the test drives by hand: a step's message is taken with `shift()` and put back
 * when the step asks to go again (or crashed), as SQS hands it out again.
 */
export class ListQueue implements MessageQueue {
  readonly messages: string[] = [];
  async send(body: string) {
    this.messages.push(body);
  }
  async sendAll(bodies: string[]) {
    this.messages.push(...bodies);
  }
  async sendDelayed(body: string) {
    this.messages.push(body);
  }
  async retryIn() {}
}
