import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { ShownError } from '../api.ts';

interface FieldProps {
  label: string;
  /** The API's message for this field, shown beside it and tied to it for screen readers. */
  error?: string | undefined;
  hint?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

/** A labelled control with its hint and the API's error beside it. */
export const Field = ({ label, error, hint, children }: FieldProps) => {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, error && errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && (
        <small id={hintId} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <span id={errorId} class="field-error">
          {error}
        </span>
      )}
    </div>
  );
};

/** `numeric`: a text input with a numeric keyboard, so what is typed reaches the API as typed. */
export type TextInputType = 'text' | 'url' | 'password' | 'datetime-local' | 'numeric';

interface TextInputProps {
  id: string;
  type: TextInputType;
  value: string;
  onInput: (event: Event) => void;
  describedBy?: string | undefined;
  invalid?: boolean;
  /** Lets the form find the input to focus when the API names its field. */
  field?: string;
}

/** A text-like input; times take seconds (`datetime-local` with step 1). */
export const TextInput = ({ id, type, value, onInput, describedBy, invalid, field }: TextInputProps) => {
  const common = {
    id,
    value,
    onInput,
    'aria-describedby': describedBy,
    'aria-invalid': invalid,
    'data-field': field,
    autoComplete: 'off',
  };
  // Preact types each input type separately: one element per kind.
  if (type === 'datetime-local') return <input type="datetime-local" step={1} {...common} />;
  if (type === 'password') return <input type="password" {...common} />;
  if (type === 'url') return <input type="url" {...common} />;
  if (type === 'numeric') return <input type="text" inputMode="numeric" {...common} />;
  return <input type="text" {...common} />;
};

/**
 * Filter fields held as text until the filter form is submitted, named as the query parameters they fill,
 * so an API error naming a parameter (`field: "from"`) shows beside its field.
 */
export const useTextDraft = <T extends Record<string, string>>(initial: T, error?: ShownError) => {
  const [draft, setDraft] = useState<T>(initial);
  const input = (field: keyof T & string, label: string, type: TextInputType = 'text') => (
    <Field label={label} error={error?.field === field ? error.message : undefined}>
      {({ id, describedBy, invalid }) => (
        <TextInput
          id={id}
          type={type}
          value={draft[field] ?? ''}
          describedBy={describedBy}
          invalid={invalid}
          onInput={(event) =>
            setDraft((current) => ({ ...current, [field]: (event.currentTarget as HTMLInputElement).value }))
          }
        />
      )}
    </Field>
  );
  /** The error when no field of the form is the one it names: shown above the results instead. */
  const unplaced = error && !(error.field && error.field in initial) ? error : undefined;
  return { draft, setDraft, input, unplaced };
};
