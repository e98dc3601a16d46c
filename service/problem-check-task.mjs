// Piscina's threads do not inherit the TypeScript loader of their parent: register it here.
import { register } from 'tsx/esm/api';

register();
const task = await import('./problem-check-task.ts');
export default task.default;
