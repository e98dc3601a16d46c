import { render } from 'preact';
import { App } from './App.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);

// The service worker (vite-plugin-pwa, Workbox) keeps the app's files for offline reloads.
if ('serviceWorker' in navigator && import.meta.env.PROD)
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
