import type { Message } from '../../form-errors.ts';
import { useT } from '../../hooks.ts';
import { Field } from '../form.tsx';

/**
 * The field for a code from the authenticator app (or, where `recovery`, a recovery code): one-time-code autofill,
 * no spell checking, a hint saying what fits.
 */
export function CodeField({ error, recovery = true, id = 'code' }: { error?: Message | undefined; recovery?: boolean; id?: string }) {
  const { t } = useT();
  return (
    <Field
      id={id}
      name="code"
      label={t('signIn.code')}
      hint={recovery ? t('signIn.codeHint') : t('signIn.codeHintAppOnly')}
      autoComplete="one-time-code"
      autoCapitalize="off"
      autoCorrect="off"
      spellCheck={false}
      required
      maxLength={32}
      className="input input-code"
      error={error}
    />
  );
}
