/** Matches the submission of one form on this page: by its intent and, for row forms, the row's id. */
export function intentIs(intent: string, key?: string, value?: string) {
  return (fd: FormData) => fd.get('intent') === intent && (!key || fd.get(key) === value);
}
