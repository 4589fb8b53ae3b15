import { useState } from 'preact/hooks';
import type { ShownError } from '../api.ts';
import { Field, TextInput, type TextInputType } from '../components/field.tsx';
import { ErrorMessage } from '../components/messages.tsx';
import { type FormField, formFieldForApiField, type IntegrationFormValues } from '../form-model.ts';

interface IntegrationFormProps {
  /** `create` asks for everything; `edit` only for what PATCH may change (destination and filters). */
  mode: 'create' | 'edit';
  initial: IntegrationFormValues;
  submitLabel: string;
  /** Sends the values; resolves with the API's error, if any, to show beside its field. */
  onSubmit: (values: IntegrationFormValues) => Promise<ShownError | undefined>;
  onCancel: () => void;
}

type Setter = (field: FormField) => (event: Event) => void;

/**
 * The integration form. Nothing is validated here beyond what inputs do: the API's own message appears
 * beside the field it names, so the console never disagrees with the API about what is valid.
 */
export const IntegrationForm = ({ mode, initial, submitLabel, onSubmit, onCancel }: IntegrationFormProps) => {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<ShownError>();
  const [busy, setBusy] = useState(false);
  const errorField = formFieldForApiField(error?.field);
  const errorFor = (field: FormField) => (errorField === field ? error?.message : undefined);
  const set: Setter = (field) => (event) =>
    setValues((current) => ({ ...current, [field]: (event.currentTarget as HTMLInputElement).value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await onSubmit(values);
    setBusy(false);
    setError(result);
    if (result) {
      // Move focus to the field at fault, so keyboard and screen reader users land on the message.
      const field = formFieldForApiField(result.field);
      const input = field && document.querySelector<HTMLElement>(`[data-field="${field}"]`);
      input?.focus();
    }
  };

  const text = (field: FormField, label: string, options: { type?: TextInputType; hint?: string } = {}) => (
    <Field label={label} error={errorFor(field)} {...(options.hint && { hint: options.hint })}>
      {({ id, describedBy, invalid }) => (
        <TextInput
          id={id}
          field={field}
          type={options.type ?? 'text'}
          value={values[field]}
          onInput={set(field)}
          describedBy={describedBy}
          invalid={invalid}
        />
      )}
    </Field>
  );
  const select = (field: FormField, label: string, options: [string, string][], hint?: string) => (
    <Field label={label} error={errorFor(field)} {...(hint && { hint })}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          data-field={field}
          value={values[field]}
          onChange={set(field)}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        >
          {options.map(([value, optionLabel]) => (
            <option key={value} value={value}>
              {optionLabel}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const textarea = (field: FormField, label: string) => (
    <Field label={label} error={errorFor(field)}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          data-field={field}
          value={values[field]}
          onInput={set(field)}
          rows={4}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        />
      )}
    </Field>
  );

  // A message whose field is not on the form shows above it.
  const generalError = error && !errorField ? error : undefined;
  return (
    <form class="integration-form" onSubmit={submit} noValidate>
      <ErrorMessage error={generalError} />
      {mode === 'create' && (
        <fieldset>
          <legend>Integration</legend>
          {text('id', 'ID', { hint: '1 to 50 lowercase letters, digits or dashes' })}
          {select('integration_type', 'Type', [
            ['permanent', 'Permanent'],
            ['temporary', 'Temporary (replays Starts at to Ends at, then is deleted)'],
          ])}
          {text('starts_at', 'Starts at', {
            type: 'datetime-local',
            hint: 'Optional for permanent (not in the future); your local time',
          })}
          {text('ends_at', 'Ends at', { type: 'datetime-local', hint: 'Temporary integrations only' })}
        </fieldset>
      )}
      <fieldset>
        <legend>Destination</legend>
        {select('destination', 'Destination', [
          ['webhook', 'Webhook'],
          ['s3', 'S3'],
        ])}
        {values.destination === 'webhook' ? (
          <>
            {text('callback_url', 'Callback URL', { type: 'url' })}
            {select('receiver_auth', 'Receiver authentication', [
              ['api_key', 'API key'],
              ['oauth', 'OAuth client credentials'],
              ['jwt', 'JWT'],
              ['none', 'None'],
            ])}
            {values.receiver_auth === 'api_key' &&
              text('api_key', 'API key', { hint: 'Sent as Authorization: Bearer' })}
            {values.receiver_auth === 'oauth' && (
              <>
                {text('oauth_token_url', 'Token URL', { type: 'url' })}
                {text('oauth_client_id', 'Client ID')}
                {text('oauth_client_secret', 'Client secret', { type: 'password' })}
                {text('oauth_scope', 'OAuth scope')}
              </>
            )}
            {values.receiver_auth === 'jwt' && (
              <>
                {select('jwt_algorithm', 'Algorithm', [
                  ['RS256', 'RS256'],
                  ['HS256', 'HS256'],
                ])}
                {text('jwt_iss', 'Issuer (iss)')}
                {text('jwt_sub', 'Subject (sub)')}
                {text('jwt_aud', 'Audience (aud)')}
                {text('jwt_kid', 'Key identifier (kid)')}
                {textarea(
                  'jwt_key',
                  values.jwt_algorithm === 'RS256' ? 'Private key (PEM)' : 'Shared secret',
                )}
              </>
            )}
          </>
        ) : (
          <>
            {text('bucket', 'Bucket')}
            {text('key_prefix', 'Key prefix')}
            {text('aws_region', 'AWS region')}
            {text('role_arn', 'Role ARN', { hint: 'Recommended: the stack assumes this role' })}
            {text('external_id', 'External ID')}
            {text('aws_access_key_id', 'Access key ID')}
            {text('aws_secret_access_key', 'Secret access key', { type: 'password' })}
          </>
        )}
      </fieldset>
      {values.destination === 'webhook' && (
        <fieldset>
          <legend>Delivery</legend>
          {select(
            'ordering',
            'Ordering',
            [
              ['none', 'None'],
              ['entity', 'Per entity'],
            ],
            'Per entity: the events of one entity_id reach the receiver one at a time, in publish order',
          )}
          {text('rate_per_second', 'Requests per second', {
            type: 'numeric',
            hint: '1 to 1000; empty: no limit',
          })}
          {text('max_in_flight', 'Requests in flight', {
            type: 'numeric',
            hint: 'Most requests open at once, 1 to 100; empty: no limit',
          })}
        </fieldset>
      )}
      <fieldset>
        <legend>Filters</legend>
        {text('event_filter', 'Event filter', { hint: 'Full names, comma-separated: order.created' })}
        {text('entity_filter', 'Entity filter', {
          hint: 'Entities, comma-separated: order, return. With both, an event passes if either matches.',
        })}
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};
