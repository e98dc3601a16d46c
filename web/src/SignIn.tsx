import { useState } from 'preact/hooks';
import type { WordKey } from './i18n.ts';

export function SignIn(props: {
  t: (k: WordKey) => string;
  error: string | null;
  onKey: (key: string) => void;
}) {
  const { t } = props;
  const [key, setKey] = useState('');
  return (
    <form
      class="card narrow"
      onSubmit={(e) => {
        e.preventDefault();
        if (key.trim() !== '') props.onKey(key.trim());
      }}
    >
      <h1>{t('signIn')}</h1>
      <label for="key">{t('apiKey')}</label>
      <input
        id="key"
        type="password"
        autocomplete="off"
        value={key}
        aria-describedby="key-help"
        onInput={(e) => setKey((e.target as HTMLInputElement).value)}
      />
      <p id="key-help" class="muted">
        {t('apiKeyHelp')}
      </p>
      {props.error !== null && (
        <p role="alert" class="error">
          {props.error}
        </p>
      )}
      <button type="submit" class="primary">
        {t('signInButton')}
      </button>
    </form>
  );
}
