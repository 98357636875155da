import { useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { FormErrors, Message } from '../form-errors.ts';
import { useT } from '../hooks.ts';

function useMessage() {
  const { t } = useT();
  return (message: Message) => t(message.key, message.values ?? {});
}

/** Ids of the hint and error that describe a field; `aria-describedby` points at the ones shown. */
function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

interface Labelled {
  name: string;
  label: string;
  id?: string;
  hint?: string;
  error?: Message | undefined;
}

/** Label, hint and error around one control; the control gets the ids and ARIA state that tie them together. */
function FieldFrame({ id, label, hint, error, control }: { id: string; label: string; hint?: string | undefined; error?: Message | undefined; control: (aria: { 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }) => React.ReactNode }) {
  const message = useMessage();
  return (
    <div className={error ? 'field field-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="error-message">
          {message(error)}
        </p>
      ) : null}
      {control({ 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(id, Boolean(hint), Boolean(error)) })}
    </div>
  );
}

type FieldProps = Labelled & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'>;

/** A labelled input with its hint and error, both announced with the field. */
export function Field({ name, label, id = name, hint, error, className, ...input }: FieldProps) {
  return <FieldFrame id={id} label={label} hint={hint} error={error} control={(aria) => <input id={id} name={name} className={className ?? 'input'} {...aria} {...input} />} />;
}

type TextAreaFieldProps = Labelled & Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'name'>;

/** A labelled textarea with its hint and error. */
export function TextAreaField({ name, label, id = name, hint, error, className, ...textarea }: TextAreaFieldProps) {
  return <FieldFrame id={id} label={label} hint={hint} error={error} control={(aria) => <textarea id={id} name={name} className={className ?? 'textarea'} {...aria} {...textarea} />} />;
}

type SelectFieldProps = Labelled & Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name'> & { children: React.ReactNode };

export function SelectField({ name, label, id = name, hint, error, children, ...select }: SelectFieldProps) {
  return (
    <FieldFrame
      id={id}
      label={label}
      hint={hint}
      error={error}
      control={(aria) => (
        <select id={id} name={name} className="select" {...aria} {...select}>
          {children}
        </select>
      )}
    />
  );
}

/**
 * The errors of a failed submission, above the form: announced (role=alert), focused after a client-side submission,
 * with links to the fields, each named by `labels[field]`. `idPrefix` maps field names to input ids when a page has
 * several forms.
 */
export function ErrorSummary({ errors, idPrefix = '', labels = {} }: { errors: FormErrors | undefined; idPrefix?: string; labels?: Record<string, string> }) {
  const { t } = useT();
  const message = useMessage();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors) ref.current?.focus();
  }, [errors]);
  if (!errors) return null;
  const fields = Object.entries(errors.fields);
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      {errors.form ? <p className="error-summary-title">{message(errors.form)}</p> : null}
      {fields.length > 0 ? (
        <>
          {errors.form ? null : <p className="error-summary-title">{t('errors.summaryTitle')}</p>}
          <ul>
            {fields.map(([name, error]) => (
              <li key={name}>
                <a href={`#${idPrefix}${name}`}>
                  {labels[name] ? `${labels[name]}: ` : null}
                  {message(error)}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** A success or progress note, announced politely. */
export function StatusMessage({ children }: { children: React.ReactNode }) {
  return (
    <div className="status-message" role="status">
      {children}
    </div>
  );
}

/** True while a form whose data matches is being submitted (pending state without JS is simply the page load). */
export function useSubmitting(match: (formData: FormData) => boolean = () => true): boolean {
  const navigation = useNavigation();
  return navigation.state === 'submitting' && navigation.formData !== undefined && match(navigation.formData);
}

interface SubmitButtonProps extends React.ButtonHTMLAttributes<HTMLButtonElement> {
  pending: boolean;
  pendingLabel: string;
  variant?: 'primary' | 'secondary' | 'danger';
}

export function SubmitButton({ pending, pendingLabel, variant = 'primary', children, className, ...button }: SubmitButtonProps) {
  return (
    <button type="submit" className={`button button-${variant}${className ? ` ${className}` : ''}`} aria-disabled={pending || undefined} {...button} onClick={pending ? (e) => e.preventDefault() : button.onClick}>
      {pending ? pendingLabel : children}
    </button>
  );
}
