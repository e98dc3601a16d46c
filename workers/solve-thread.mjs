// Worker threads do not inherit the TypeScript loader of their parent: register it here.
import { register } from 'tsx/esm/api';

register();
await import('./solve-thread.ts');
