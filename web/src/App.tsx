import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, storedKey, storeKey } from './api.ts';
import { initialLang, type Lang, saveLang, WORDS, type WordKey } from './i18n.ts';
import { SignIn } from './SignIn.tsx';
import { Home } from './Home.tsx';
import { forgetSavedDays, NurseDay } from './nurse/NurseDay.tsx';
import type { Board as BoardView } from './board/Board.tsx';

/** The board (with its map library) is loaded only by coordinators: a nurse's phone never downloads it. */
function Board(props: Parameters<typeof BoardView>[0]) {
  const [view, setView] = useState<{ Board: typeof BoardView } | null>(null);
  useEffect(() => void import('./board/Board.tsx').then(setView), []);
  return view === null ? <p>…</p> : <view.Board {...props} />;
}

export interface Me {
  tenant: string;
  role: 'coordinator' | 'nurse' | 'calendar';
  nurse?: string;
  map: { tileUrl?: string; attribution?: string };
  routing: boolean;
}

/** What every view gets: the words of the chosen language, who is signed in. */
export interface Ctx {
  t: (k: WordKey) => string;
  lang: Lang;
  me: Me;
}

/** `#key=…` (the link the service prints in memory mode) signs in, then leaves the address bar: the key taken, or null. */
function takeKeyFromHash(): string | null {
  const m = /[#&]key=([^&]+)/.exec(location.hash);
  if (m === null) return null;
  const key = decodeURIComponent(m[1]);
  if (key !== localStorage.getItem('hhc.key')) {
    forgetSavedDays();
    localStorage.removeItem('hhc.me');
  }
  storeKey(key);
  history.replaceState(null, '', location.pathname + '#/');
  return key;
}

const useHash = () => {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
};

export function App() {
  const taken = takeKeyFromHash();
  const [lang, setLang] = useState<Lang>(initialLang());
  const [key, setKey] = useState(storedKey());
  // A link with another key opened in this tab: sign in as that key.
  useEffect(() => {
    if (taken !== null && taken !== key) setKey(taken);
  });
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<string | null>(null);
  const hash = useHash();
  const t = (k: WordKey) => WORDS[lang][k];
  useEffect(() => saveLang(lang), [lang]);
  useEffect(() => {
    if (key === null) return setMe(null);
    // Offline, a nurse's page works from what it saved: her identity too.
    api<Me>('/v1/me')
      .then((m) => {
        localStorage.setItem('hhc.me', JSON.stringify(m));
        setMe(m);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          forgetSavedDays();
          localStorage.removeItem('hhc.me');
          storeKey(null);
          setKey(null);
          setMeError(t('badKey'));
          return;
        }
        const saved = localStorage.getItem('hhc.me');
        if (saved !== null) setMe(JSON.parse(saved) as Me);
        else setMeError(String(e));
      });
  }, [key]);

  const signOut = () => {
    forgetSavedDays();
    storeKey(null);
    localStorage.removeItem('hhc.me');
    setKey(null);
    setMe(null);
  };
  const header = (
    <header class="top">
      <a href="#/" class="brand">
        hhc <span class="muted">· {t('appName')}</span>
      </a>
      <div class="top-right">
        <label>
          <span class="sr-only">{t('language')}</span>
          <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
            <option value="fr">Français</option>
            <option value="en">English</option>
            <option value="es">Español</option>
          </select>
        </label>
        {me !== null && (
          <button type="button" onClick={signOut}>
            {t('signOut')}
          </button>
        )}
      </div>
    </header>
  );
  if (key === null || me === null)
    return (
      <>
        {header}
        <main>
          {key !== null && meError === null ? (
            <p>{t('loading')}</p>
          ) : (
            <SignIn
              t={t}
              error={meError}
              onKey={(k) => (
                forgetSavedDays(),
                localStorage.removeItem('hhc.me'),
                storeKey(k),
                setMeError(null),
                setKey(k)
              )}
            />
          )}
        </main>
      </>
    );
  const ctx: Ctx = { t, lang, me };
  const board = /^#\/plans\/([^/?]+)(?:\?job=([^&]+))?/.exec(hash);
  return (
    <>
      {header}
      <main>
        {me.role === 'nurse' ? (
          <NurseDay ctx={ctx} />
        ) : board !== null ? (
          <Board
            ctx={ctx}
            planId={decodeURIComponent(board[1])}
            jobId={board[2] ? decodeURIComponent(board[2]) : undefined}
          />
        ) : (
          <Home ctx={ctx} />
        )}
      </main>
    </>
  );
}
