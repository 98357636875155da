/** A message to translate: an i18n key and its values. Shared by server (actions) and browser (forms). */
export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

/** What a failed form submission sends back: one message above the form and/or one per field. */
export interface FormErrors {
  form?: Message;
  fields: Record<string, Message>;
}

export function hasFieldErrors(errors: FormErrors | undefined): boolean {
  return Boolean(errors && Object.keys(errors.fields).length > 0);
}
