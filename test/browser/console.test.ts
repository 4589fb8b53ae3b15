import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import {
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  type TestBrowser,
  watchPageErrors,
} from '../support/browser.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

/**
 * The operator console in a real browser (Debian's Chromium, headless) against the local runtime: the
 * accessible names the issue lists are the ones these tests use, every page passes axe-core without a
 * serious or critical violation, and no page throws or logs an error.
 */

const runtime = useLocalRuntime({ env: { RETRY_SCHEDULE_SECONDS: '1' } });
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;
let browser: TestBrowser;
/** Events whose payload says `reject: true` are refused with 400 while this holds. */
let rejecting = true;
const pageErrors: string[][] = [];

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver((request) => {
    const payload = (request.json as { payload?: { reject?: boolean } } | undefined)?.payload;
    return payload?.reject && rejecting ? { status: 400 } : { status: 200 };
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
});

afterEach(() => {
  // Every page of every test: nothing thrown, nothing logged as an error.
  for (const errors of pageErrors.splice(0)) expect(errors).toEqual([]);
});

/** A new tab (its own sessionStorage, so its own session), signed in with a token of these scopes. */
const signedIn = async (scopes?: string[], allowedStatuses: number[] = []): Promise<Page> => {
  const page = await browser.context.newPage();
  pageErrors.push(watchPageErrors(page, allowedStatuses));
  await page.goto(`${runtime.apiUrl}/console/`);
  const token = await runtime.issueToken(scopes ? { scopes } : {});
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
  return page;
};

const expectAccessible = async (page: Page, name: string) => {
  await screenshot(page, name);
  expect(await seriousAxeViolations(page)).toEqual([]);
};

const register = async (id: string, extra: Record<string, unknown> = {}) => {
  const response = await api('POST', BASE, {
    body: {
      id,
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url(`/${id}`) },
      ...extra,
    },
  });
  expect(response.status, response.text).toBe(200);
};

const row = (page: Page, id: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name: id }) });

/** What an integration page's summary says for a term (the `<dd>` after its `<dt>`). */
const summary = (page: Page, term: string) =>
  page.locator(`xpath=//dl[@class="summary"]/dt[.="${term}"]/following-sibling::dd[1]`);

/** The API's message tied to a field for screen readers, once the field is marked invalid. */
const messageBeside = async (page: Page, label: string): Promise<string | null> => {
  const field = page.getByLabel(label, { exact: true });
  await eventually(async () => expect(await field.getAttribute('aria-invalid')).toBe('true'));
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  return page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
};

describe('the operator console', () => {
  it('signs in with a token from npm run token', async () => {
    const page = await browser.context.newPage();
    pageErrors.push(watchPageErrors(page));
    await page.goto(`${runtime.apiUrl}/console/`);
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('Token').fill('not a token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This is not a JWT').waitFor();

    await page.getByLabel('Token').fill(await runtime.issueToken());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await page.getByText('Full access').waitFor();
    await page.close();
  });

  it('creates an integration through the form, showing the API validation error beside its field', async () => {
    const page = await signedIn(undefined, [400]);
    const id = uniqueId('form');
    await page.getByRole('button', { name: 'New integration' }).click();
    await expectAccessible(page, 'new-integration');
    await page.getByLabel('ID', { exact: true }).fill(id);
    await page.getByLabel('Callback URL').fill('ftp://example.com/hook');
    await page.getByLabel('API key').fill('receiver-key-0001');
    await page.getByLabel('Event filter').fill('order.created, order.cancelled');
    await page.getByRole('button', { name: 'Create' }).click();

    // The API's message, beside the field it names and tied to it for screen readers.
    expect(await messageBeside(page, 'Callback URL')).toMatch(/callback_url/);

    await page.getByLabel('Callback URL').fill(receiver.url('/form'));
    await page.getByRole('button', { name: 'Create' }).click();
    await row(page, id).getByText('running').waitFor();
    expect(await row(page, id).textContent()).toContain(receiver.url('/form'));

    const stored = await api('GET', `${BASE}/${id}`);
    expect(stored.body).toMatchObject({
      id,
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url('/form'), api_key: '****0001' },
      filter_conditions: { event_filter: ['order.created', 'order.cancelled'] },
    });
    await page.close();
  });

  it('sets ordering and a rate limit in the form, shows them and the current rate, and removes the limit on edit', async () => {
    const page = await signedIn(undefined, [400]);
    const id = uniqueId('limits');
    await page.getByRole('button', { name: 'New integration' }).click();
    await page.getByLabel('ID', { exact: true }).fill(id);
    await page.getByLabel('Callback URL').fill(receiver.url(`/${id}`));
    await page.getByLabel('Receiver authentication').selectOption('none');
    await page.getByLabel('Ordering').selectOption({ label: 'Per entity' });
    await page.getByLabel('Requests per second').fill('5000');
    await page.getByLabel('Requests in flight').fill('2');
    await page.getByRole('button', { name: 'Create' }).click();

    // callback_parameters.rate_limit.per_second: beside Requests per second, and nothing else marked.
    expect(await messageBeside(page, 'Requests per second')).toMatch(/per_second/);
    expect(await page.getByLabel('Requests in flight').getAttribute('aria-invalid')).not.toBe('true');
    await expectAccessible(page, 'new-integration-rate-limit-error');

    await page.getByLabel('Requests per second').fill('5');
    await page.getByRole('button', { name: 'Create' }).click();
    await row(page, id).getByText('running').waitFor();
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: id, level: 1 }).waitFor();
    await summary(page, 'Ordering').getByText('Per entity', { exact: true }).waitFor();
    expect(await summary(page, 'Rate limit').textContent()).toBe('5 requests per second, 2 in flight');
    expect(await summary(page, 'Current rate').textContent()).toBe('5 requests per second, 0 in flight');
    await expectAccessible(page, 'integration-rate-limit');
    expect((await api('GET', `${BASE}/${id}`)).body.callback_parameters).toEqual({
      callback_url: receiver.url(`/${id}`),
      ordering: 'entity',
      rate_limit: { per_second: 5, max_in_flight: 2 },
    });

    // The edit opens with the stored values; emptied, the PATCH (callback_parameters as a whole) drops them.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Stop and edit' }).click();
    expect(await page.getByLabel('Requests per second').inputValue()).toBe('5');
    expect(await page.getByLabel('Requests in flight').inputValue()).toBe('2');
    expect(await page.getByLabel('Ordering').inputValue()).toBe('entity');
    await page.getByLabel('Requests per second').fill('');
    await page.getByLabel('Requests in flight').fill('');
    await page.getByLabel('Ordering').selectOption({ label: 'None' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await summary(page, 'Rate limit').getByText('None', { exact: true }).waitFor();
    expect(await summary(page, 'Ordering').textContent()).toBe('None');
    expect(await summary(page, 'Current rate').count()).toBe(0);
    const stored = await api('GET', `${BASE}/${id}`);
    expect(stored.body.callback_parameters).toEqual({ callback_url: receiver.url(`/${id}`) });
    expect(stored.body).not.toHaveProperty('rate_limit_state');
    await page.close();
  });

  it('stops and starts an integration from the list, which moves it between Active and Paused', async () => {
    const id = uniqueId('toggle');
    await register(id);
    const page = await signedIn();
    await row(page, id).getByRole('button', { name: 'Stop' }).click();
    await row(page, id).getByText('stopped').waitFor();
    expect((await api('GET', `${BASE}/${id}`)).body.status).toBe('stopped');

    await page.getByRole('tab', { name: 'Active' }).click();
    await page.getByRole('link', { name: id }).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Paused' }).click();
    await row(page, id).getByRole('button', { name: 'Start' }).click();
    // Running now, so it leaves the Paused tab.
    await page.getByRole('link', { name: id }).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'All' }).click();
    await row(page, id).getByText('running').waitFor();
    expect((await api('GET', `${BASE}/${id}`)).body.status).toBe('running');
    await expectAccessible(page, 'integrations');
    await page.close();
  });

  it('lists a delivery, retries a rejected event, and traces the entity across integrations', async () => {
    const id = uniqueId('flow');
    await register(id);
    const entity = uniqueId('order');
    const published = await api('POST', '/api/v1/org/events', {
      body: {
        events: [
          { name: 'order.created', entity_id: entity, payload: { id: entity, total: 10 } },
          { name: 'order.cancelled', entity_id: entity, payload: { id: entity, reject: true } },
        ],
      },
    });
    expect(published.status, published.text).toBe(202);
    const [createdId, cancelledId] = published.body.ids as string[];
    await eventually(
      async () => {
        const rejected = await api('GET', `${BASE}/${id}/rejected_events`);
        expect(rejected.body.rejected_events.map((event: { id: string }) => event.id)).toContain(cancelledId);
      },
      { timeoutMs: 30_000 },
    );

    const page = await signedIn(undefined, [400]);
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: id, level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Logs' }).waitFor();
    await page.getByText('event_rejected').first().waitFor();
    await expectAccessible(page, 'integration-logs');

    await page.getByRole('tab', { name: 'Deliveries' }).click();
    const delivered = page.getByRole('row').filter({ hasText: createdId as string });
    await delivered.getByText('delivered').waitFor();
    await expectAccessible(page, 'integration-deliveries');
    await page.getByLabel('Status').selectOption('rejected');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await delivered.waitFor({ state: 'detached' });
    await page
      .getByRole('row')
      .filter({ hasText: cancelledId as string })
      .waitFor();

    await page.getByRole('tab', { name: 'Rejected events' }).click();
    const rejectedRow = page.getByRole('row').filter({ hasText: cancelledId as string });
    await rejectedRow.getByText('Payload').click();
    await rejectedRow.getByText('"reject": true').waitFor();
    await expectAccessible(page, 'integration-rejected');
    rejecting = false;
    await rejectedRow.getByRole('button', { name: 'Retry' }).click();
    await rejectedRow.waitFor({ state: 'detached' });
    await page.getByText('delivered (the receiver answered 200)').waitFor();
    const tries = receiver.requests.filter(
      (request) => request.path === `/${id}` && (request.json as { id?: string }).id === cancelledId,
    );
    expect(tries.map((request) => request.answer)).toEqual([400, 200]);

    await page.getByRole('link', { name: 'Events' }).click();
    // A query the API refuses: its message beside the field it names.
    await page.getByLabel('Event name').fill('Not A Name');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(async () =>
      expect(await page.getByLabel('Event name').getAttribute('aria-invalid')).toBe('true'),
    );
    await page.getByLabel('Event name').fill('');
    await page.getByLabel('Entity ID').fill(entity);
    await page.getByRole('button', { name: 'Search' }).click();
    const traced = page
      .getByRole('region', { name: `What happened to ${entity}` })
      .getByRole('row')
      .filter({ hasText: id });
    await eventually(async () => expect(await traced.count()).toBe(2));
    await page
      .getByRole('row')
      .filter({ hasText: createdId as string })
      .first()
      .waitFor();
    await expectAccessible(page, 'events');
    await page.close();
  });

  it('makes the stop → edit → start workflow of a running integration explicit', async () => {
    const id = uniqueId('edit');
    await register(id);
    const page = await signedIn();
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit needs a stopped integration' }).waitFor();
    await page.getByRole('button', { name: 'Stop and edit' }).click();
    await page.getByLabel('Entity filter').fill('return');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Start' }).click();
    // "started" is on the page before the click too (the creation's log entry): wait for the API instead.
    await eventually(async () => {
      const stored = await api('GET', `${BASE}/${id}`);
      expect(stored.body).toMatchObject({
        status: 'running',
        filter_conditions: { entity_filter: ['return'] },
      });
    });

    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText('Test event accepted (HTTP 200)').waitFor();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByText(/whsec_/).waitFor();
    await expectAccessible(page, 'integration');
    await page.close();
  });

  it('deletes an integration only after the dialog is confirmed', async () => {
    const id = uniqueId('delete');
    await register(id);
    const page = await signedIn();
    await row(page, id).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${id}?` });
    await dialog.waitFor();
    await expectAccessible(page, 'delete-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api('GET', `${BASE}/${id}`)).status).toBe(200);

    await row(page, id).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('link', { name: id }).waitFor({ state: 'detached' });
    expect((await api('GET', `${BASE}/${id}`)).status).toBe(404);
    await page.close();
  });

  it('shows a read-only token everything and no way to change anything', async () => {
    const id = uniqueId('readonly');
    await register(id, {
      callback_parameters: {
        callback_url: receiver.url(`/${id}`),
        ordering: 'entity',
        rate_limit: { per_second: 3 },
      },
    });
    const page = await signedIn(['eventstream/read']);
    await page.getByText('Read-only', { exact: true }).waitFor();
    await row(page, id).getByText('running').waitFor();
    expect(await page.getByRole('button', { name: 'New integration' }).count()).toBe(0);
    expect(await row(page, id).getByRole('button').count()).toBe(0);
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: id, level: 1 }).waitFor();
    await page.getByText('integration_created').waitFor();
    for (const name of ['Stop', 'Edit', 'Send test event', 'Delete', 'Reveal', 'Rotate']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    // Ordering and the rate limit are shown, with no control to change them.
    expect(await summary(page, 'Ordering').textContent()).toBe('Per entity');
    expect(await summary(page, 'Rate limit').textContent()).toBe('3 requests per second');
    expect(await summary(page, 'Current rate').textContent()).toBe('3 requests per second');
    expect(await page.getByLabel('Ordering').count()).toBe(0);
    expect(await page.getByLabel('Requests per second').count()).toBe(0);
    await expectAccessible(page, 'integration-read-only');
    await page.close();
  });
});
